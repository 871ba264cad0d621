"""[printer] section. Plain dataclass: devices never import kiosk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from devices.printer.models import MODEL_NAMES, PRESENTER_KINDS

HEX_BYTE = r"0[xX][0-9a-fA-F]{1,4}"
HEX_BYTES = r"([0-9a-fA-F]{2}[ ,]*)*"


@dataclass(frozen=True)
class PrinterConfig:
    kind: str = field(
        default="preview",
        metadata={
            "help": "preview = render the ticket to PNG on screen; file = write ESC/POS bytes to a file "
            "or device; "
            "usb, serial, network = talk to the printer through python-escpos",
            "choices": ("preview", "file", "usb", "serial", "network"),
        },
    )
    path: Path = field(
        default=Path("var/tickets"),
        metadata={
            "help": "preview: directory for ticket PNGs; file: the file or device to write to "
            "(e.g. /dev/usb/lp0)"
        },
    )
    fallback_dir: Path = field(
        default=Path("var/tickets"),
        metadata={
            "help": "usb, serial, network, file: where the ticket picture goes when the printer cannot print "
            "(the kiosk shows it on screen)"
        },
    )
    model: str = field(
        default="epson",
        metadata={
            "help": "printer model: code page number, QR/barcode support, presenter (see docs/printing.md)",
            "choices": MODEL_NAMES,
        },
    )
    columns: int = field(
        default=48,
        metadata={
            "help": "characters per line: 48 for 80 mm, 32 for 58 mm (more: small font B, up to 64)",
            "min": 24,
            "max": 64,
        },
    )
    cp866_slot: int | None = field(
        default=None,
        metadata={
            "help": "ESC t number of code page 866 on this printer (from its self-test page); "
            "empty = the model's",
            "min": 0,
            "max": 255,
        },
    )
    qr: str = field(
        default="auto",
        metadata={
            "help": "QR code: native (GS ( k), image (works everywhere), auto = what the model supports",
            "choices": ("auto", "native", "image"),
        },
    )
    barcode: bool = field(
        default=False, metadata={"help": "also print the check-in code as a CODE128 barcode"}
    )
    usb_vendor: str = field(
        default="0x04b8",
        metadata={"help": "usb: vendor id (lsusb): 0x04b8 Epson, 0x0dd4 Custom", "pattern": HEX_BYTE},
    )
    usb_product: str = field(
        default="0x0e15", metadata={"help": "usb: product id (lsusb)", "pattern": HEX_BYTE}
    )
    usb_in_ep: str = field(
        default="0x82", metadata={"help": "usb: IN endpoint (status replies)", "pattern": HEX_BYTE}
    )
    usb_out_ep: str = field(
        default="0x01", metadata={"help": "usb: OUT endpoint (print data)", "pattern": HEX_BYTE}
    )
    serial_port: str = field(default="/dev/ttyUSB0", metadata={"help": "serial: device of the printer port"})
    baudrate: int = field(
        default=19200,
        metadata={"help": "serial: speed in baud, as on the self-test page", "min": 1200, "max": 921600},
    )
    parity: str = field(
        default="N",
        metadata={"help": "serial: parity N (none), E (even) or O (odd)", "choices": ("N", "E", "O")},
    )
    flow_control: str = field(
        default="rtscts",
        metadata={
            "help": "serial: handshake; rtscts or xonxoff is needed for long images",
            "choices": ("none", "rtscts", "xonxoff"),
        },
    )
    host: str = field(default="192.168.1.100", metadata={"help": "network: printer address"})
    port: int = field(default=9100, metadata={"help": "network: TCP port", "min": 1, "max": 65535})
    timeout: float = field(
        default=5.0,
        metadata={
            "help": "seconds one write may take before the printer counts as stalled",
            "min": 0.1,
            "max": 120,
        },
    )
    status_timeout: float = field(
        default=1.0,
        metadata={
            "help": "seconds to wait for a status reply; no reply = status unknown",
            "min": 0.05,
            "max": 10,
        },
    )
    job_timeout: float = field(
        default=20.0,
        metadata={
            "help": "seconds the kiosk waits for a whole ticket before telling the patient it failed "
            "(at least 4 x status_timeout)",
            "min": 1,
            "max": 300,
        },
    )
    check_status: bool = field(
        default=True,
        metadata={"help": "ask the printer's status before and after each ticket (usb, serial, network)"},
    )
    presenter: str = field(
        default="auto",
        metadata={
            "help": "ticket presenter: auto = the model's, none, custom-fsp (VKP80III), "
            "custom-gse (VKP80II), "
            "citizen (PPU-700)",
            "choices": ("auto", *PRESENTER_KINDS),
        },
    )
    present_timeout: int = field(
        default=30,
        metadata={
            "help": "seconds a presented ticket waits to be taken before it is retracted or ejected "
            "(Citizen: at most 9)",
            "min": 0,
            "max": 255,
        },
    )
    uncollected: str = field(
        default="retract",
        metadata={
            "help": "what happens to a ticket nobody took: retract (into the bin) or eject",
            "choices": ("retract", "eject"),
        },
    )
    present_command: str = field(
        default="",
        metadata={
            "help": "hex bytes sent instead of the cut to present the ticket; "
            "empty = the presenter's default",
            "pattern": HEX_BYTES,
        },
    )
    collect_command: str = field(
        default="",
        metadata={
            "help": "hex bytes sent when the ticket was not taken in time; empty = the presenter's default",
            "pattern": HEX_BYTES,
        },
    )
