"""Document → ESC/POS bytes through python-escpos (captured with its Dummy printer).

Every ticket starts with ``ESC @`` and then forces CP866 with the model's own
``ESC t`` number; python-escpos 3.1 does not notice that ``ESC @`` resets the
code page, so the writer makes it forget its state and re-send the command.
All text goes through :func:`devices.printer.charset.printable` first.
"""

from __future__ import annotations

import contextlib
import copy
import io
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Any

from devices.printer.charset import printable
from devices.printer.document import QR, Barcode, Cut, Document, Feed, Rule, Text
from devices.printer.models import PrinterModel

if TYPE_CHECKING:
    from escpos.capabilities import Profile
    from PIL import Image

# python-escpos 3.1 at import: pickles its capabilities into a fresh temp dir unless told where,
# and calls logging.basicConfig(), which would add a stderr handler to the app's root logger.
os.makedirs(
    os.environ.setdefault(
        "ESCPOS_CAPABILITIES_PICKLE_DIR", os.path.join(tempfile.gettempdir(), "kiosk-escpos")
    ),
    exist_ok=True,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Escpos:
    """python-escpos (and qrcode), imported on the first ticket: about 0.1 s the kiosk's start need not wait."""

    printer: ModuleType  # escpos.printer
    profile: type[Profile]
    error: type[Exception]
    qr_eclevel_m: int
    qrcode: ModuleType
    styled_dummy: type[Any]


_escpos: Escpos | None = None
_escpos_lock = threading.Lock()


def import_escpos() -> Escpos:
    """Import python-escpos once, without letting its ``logging.basicConfig()`` touch the root logger.

    Everything in ``devices.printer`` that needs python-escpos gets it here (never by a bare import).
    """
    global _escpos
    if _escpos is not None:
        return _escpos
    with _escpos_lock:
        if _escpos is None:
            root_logger = logging.getLogger()
            placeholder = logging.NullHandler()
            root_logger.addHandler(placeholder)  # basicConfig() does nothing when the root has a handler
            try:
                import escpos.printer
                import qrcode
                from escpos.capabilities import Profile
                from escpos.constants import QR_ECLEVEL_M
                from escpos.exceptions import Error as EscposError
            finally:
                root_logger.removeHandler(placeholder)
            _escpos = Escpos(escpos.printer, Profile, EscposError, QR_ECLEVEL_M, qrcode,
                             _styled_dummy_class(escpos.printer.Dummy))
        return _escpos


CHARCODE = "CP866"


@dataclass(frozen=True)
class WriterOptions:
    """How to turn a document into bytes for one printer."""

    model: PrinterModel
    cp866_slot: int | None = None  # overrides the model's ESC t number
    native_qr: bool | None = None  # None: the model decides
    barcode: bool = False  # print the CODE128 ops (else skip them)
    present: bytes = b""  # replaces the cut on presenter printers

    @property
    def slot(self) -> int:
        return self.cp866_slot if self.cp866_slot is not None else self.model.cp866_slot

    @property
    def use_native_qr(self) -> bool:
        return self.model.native_qr if self.native_qr is None else self.native_qr


def make_profile(model: PrinterModel, slot: int) -> Profile:
    """A python-escpos profile that knows exactly one Cyrillic page: CP866 at ``slot``."""
    profile_class = import_escpos().profile
    data = copy.deepcopy(profile_class.profile_data)
    data["codePages"] = {"0": "CP437", str(slot): CHARCODE} if slot != 0 else {"0": CHARCODE}
    data["media"] = {
        "width": {"pixels": model.paper_dots, "mm": 72 if model.paper_dots >= 576 else 48},
        "dpi": 203,
    }
    profile_type = type(
        f"Kiosk{model.name.title().replace('-', '')}Profile", (profile_class,), {"profile_data": data}
    )
    features = dict(data["features"])
    features.update(
        qrCode=model.native_qr,
        barcodeA=model.hardware_barcode,
        barcodeB=model.hardware_barcode,
        paperFullCut=model.full_cut,
        paperPartCut=True,
    )
    profile: Profile = profile_type(features=features)
    return profile


def qr_image(data: str, module: int, max_width: int) -> Image.Image:
    """The QR code as a 1-bit picture with a one-module quiet zone, modules shrunk to fit ``max_width``."""
    qrcode = import_escpos().qrcode
    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    code.box_size = max(1, min(module, max_width // (code.modules_count + 2)))
    return code.make_image().get_image().convert("1")


def _write_qr(printer: Any, data: str, size: int, options: WriterOptions) -> None:
    if options.use_native_qr:
        printer.qr(data, size=size, ec=import_escpos().qr_eclevel_m, native=True)
    else:
        printer.image(qr_image(data, size, options.model.paper_dots), impl="bitImageRaster", center=False)


def _write_barcode(printer: Any, data: str, options: WriterOptions) -> None:
    """CODE128 in hardware (``{B`` code set) or as a picture; skipped (logged) if it cannot fit the paper."""
    escpos = import_escpos()
    scratch = escpos.printer.Dummy(profile=printer.profile)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # python-escpos print()s which renderer it uses
            if options.model.hardware_barcode:
                scratch.barcode(
                    "{B" + data, "CODE128", height=64, width=2, pos="BELOW", function_type="B", align_ct=False
                )
            else:
                scratch.barcode(
                    data,
                    "CODE128",
                    height=64,
                    width=2,
                    pos="BELOW",
                    force_software="bitImageRaster",
                    align_ct=False,
                )
    except escpos.error as exc:
        log.warning("CODE128 of %d characters left out: %s", len(data), exc)
        return
    printer._raw(scratch.output)


def font_b_needed(doc: Document, model: PrinterModel) -> bool:
    """Font A has 12-dot cells (48 columns on 80 mm); more columns need font B (9 dots, 64 columns)."""
    return doc.columns > model.paper_dots // 12


def _reset(printer: Any, font_b: bool) -> None:
    printer.hw("INIT")
    if font_b:
        printer.set(font="b")  # before ESC t: some printers reset the code page on ESC M
    printer.magic.encoding = None  # ESC @ restored the power-on page: make the next charcode() send ESC t
    printer.charcode(CHARCODE)


def _styled_dummy_class(dummy: type[Any]) -> type[Any]:
    """python-escpos' Dummy printer that sends a style change only when the style really changes."""

    class _StyledDummy(dummy):
        style: tuple[str, bool, int, int] | None = None

        def style_to(self, align: str, bold: bool = False, width: int = 1, height: int = 1) -> None:
            wanted = (align, bold, width, height)
            if wanted == self.style:
                return
            size_changed = self.style is None or self.style[2:] != (width, height)
            if size_changed:
                if (width, height) == (1, 1):
                    # GS ! 0 undoes an earlier GS ! n; ESC ! 0 the print mode (it also clears bold: re-sent below)
                    self._raw(b"\x1b!\x00" if self.style is None else b"\x1d!\x00\x1b!\x00")
                else:
                    self.set(custom_size=True, width=width, height=height)
            if size_changed or self.style is None or self.style[1] != bold:
                self.set(bold=bold)
            if self.style is None or self.style[0] != align:
                self.set(align=align)
            self.style = wanted

    return _StyledDummy


def _write_op(printer: Any, op: object, doc: Document, options: WriterOptions) -> None:
    if isinstance(op, Text):
        printer.style_to(op.align, op.bold, op.width, op.height)
        printer.textln(printable(op.text))
    elif isinstance(op, Feed):
        if op.lines > 0:
            printer.print_and_feed(min(op.lines, 255))
    elif isinstance(op, Rule):
        printer.style_to("left")
        printer.textln((printable(op.char)[:1] or "-") * doc.columns)
    elif isinstance(op, QR):
        data = printable(op.data)[:500]
        if data:
            printer.style_to("center")
            _write_qr(printer, data, op.size, options)
    elif isinstance(op, Barcode):
        data = "".join(c for c in op.data if 32 <= ord(c) < 127 and c not in "{")[:64]
        if options.barcode and data:
            printer.style_to("center")
            _write_barcode(printer, data, options)
    elif isinstance(op, Cut):
        if options.present:
            printer.print_and_feed(2)
            printer._raw(options.present)
        else:
            printer.cut(mode="FULL" if options.model.full_cut else "PART")
        printer.style = None


def render_escpos(doc: Document, options: WriterOptions) -> bytes:
    """The exact bytes a printer gets for ``doc``."""
    printer = import_escpos().styled_dummy(profile=make_profile(options.model, options.slot))
    _reset(printer, font_b_needed(doc, options.model))
    for op in doc.ops:
        _write_op(printer, op, doc, options)
    return printer.output
