"""What we know about each printer model: code page slot, features, presenter.

The ``ESC t`` number that selects CP866 differs between vendors and even between
firmware revisions; the technician can override it in kiosk.ini after reading
the printer's self-test page (``cp866_slot``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Presenter kinds: how a ticket is presented and what happens when nobody takes it.
PRESENTER_NONE = "none"
PRESENTER_CUSTOM_FSP = "custom-fsp"  # Custom VKP80III: FS P n1 n2 c n3 (printer times out by itself)
PRESENTER_CUSTOM_GSE = "custom-gse"  # Custom VKP80II/KPM: GS e 3 present, GS e 2 retract, GS e 5 eject
PRESENTER_CITIZEN = "citizen"  # Citizen PPU-700: GS R 1 n timer, GS R 0 collect
PRESENTER_KINDS = (PRESENTER_NONE, PRESENTER_CUSTOM_FSP, PRESENTER_CUSTOM_GSE, PRESENTER_CITIZEN)


@dataclass(frozen=True)
class PrinterModel:
    name: str
    description: str
    cp866_slot: int
    paper_dots: int  # printable width in dots at 203 dpi
    native_qr: bool  # GS ( k supported and tested
    hardware_barcode: bool  # GS k CODE128 supported
    full_cut: bool
    presenter: str = PRESENTER_NONE
    custom_status: bool = False  # answers DLE EOT 0x14 (Custom full status)


MODELS: dict[str, PrinterModel] = {
    m.name: m
    for m in (
        PrinterModel(
            "epson",
            "Epson TM-T20/TM-T88 and Epson-compatible 80 mm (Sewoo, Bixolon)",
            cp866_slot=17,
            paper_dots=576,
            native_qr=True,
            hardware_barcode=True,
            full_cut=True,
        ),
        PrinterModel(
            "custom-vkp80iii",
            "Custom VKP80III kiosk printer with presenter",
            cp866_slot=17,
            paper_dots=576,
            native_qr=True,
            hardware_barcode=True,
            full_cut=True,
            presenter=PRESENTER_CUSTOM_FSP,
            custom_status=True,
        ),
        PrinterModel(
            "custom-vkp80ii",
            "Custom VKP80II / KPM family with ejector",
            cp866_slot=17,
            paper_dots=576,
            native_qr=True,
            hardware_barcode=True,
            full_cut=True,
            presenter=PRESENTER_CUSTOM_GSE,
            custom_status=True,
        ),
        PrinterModel(
            "citizen-ppu700",
            "Citizen PPU-700 / PPU-700II with presenter",
            cp866_slot=17,
            paper_dots=576,
            native_qr=True,
            hardware_barcode=True,
            full_cut=True,
            presenter=PRESENTER_CITIZEN,
        ),
        PrinterModel(
            "generic-80",
            "unknown 80 mm ESC/POS printer (safe choices: image QR)",
            cp866_slot=17,
            paper_dots=576,
            native_qr=False,
            hardware_barcode=True,
            full_cut=True,
        ),
        PrinterModel(
            "generic-58",
            "cheap 58 mm printer (Xprinter XP-58, POS-5890, Netum): images only",
            cp866_slot=17,
            paper_dots=384,
            native_qr=False,
            hardware_barcode=False,
            full_cut=False,
        ),
        PrinterModel(
            "rongta",
            "Rongta RP326/RP330 (CP866 is ESC t 7)",
            cp866_slot=7,
            paper_dots=576,
            native_qr=True,
            hardware_barcode=True,
            full_cut=True,
        ),
    )
}

MODEL_NAMES = tuple(MODELS)


def presenter_commands(kind: str, present_timeout: int, uncollected: str) -> tuple[bytes, bytes]:
    """Default (present, collect) byte strings for a presenter kind.

    ``present`` replaces the plain cut at the end of a ticket; ``collect`` is sent
    by the kiosk when the ticket was not taken within ``present_timeout`` seconds
    (empty when the printer handles the timeout itself). ``uncollected`` is
    ``retract`` (into the bin) or ``eject`` (drop it out).
    """
    retract = uncollected == "retract"
    if kind == PRESENTER_CUSTOM_FSP:
        # FS P n1 n2 c n3: present 4 x 5 mm, blink the bezel, retract/eject after n3 seconds.
        action = b"R" if retract else b"E"
        return b"\x1cP\x04\x01" + action + bytes([max(0, min(present_timeout, 255))]), b""
    if kind == PRESENTER_CUSTOM_GSE:
        # full cut, then GS e 3 m: present m steps; kiosk sends GS e 2 (retract) or GS e 5 (eject) later.
        return b"\x1dV\x00\x1de\x03\x0c", (b"\x1de\x02" if retract else b"\x1de\x05")
    if kind == PRESENTER_CITIZEN:
        # GS R 1 n: automatic collection after n seconds (0..9), then a full cut that presents the ticket.
        return b"\x1dR\x01" + bytes([max(0, min(present_timeout, 9))]) + b"\x1dV\x00", b"\x1dR\x00"
    return b"", b""


def parse_hex(text: str) -> bytes:
    """``"1C 50 04"`` or ``"1c5004"`` → bytes (ini values for presenter commands)."""
    return bytes.fromhex(text.replace(",", " "))
