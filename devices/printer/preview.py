"""Our own renderer for the ESC/POS subset the kiosk emits: bytes → picture and text.

It reads the very bytes a printer would get (text in the selected code page,
bold, size multipliers, alignment, native QR, CODE128, raster images, cuts and
presenter commands) and draws them on a 203 dpi canvas with font A cells of
12×24 dots, so the on-screen ticket shows what the paper would.
"""

from __future__ import annotations

import importlib.util
import io
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from devices.printer.atomic_file import write_atomically
from devices.printer.escpos_parser import Token, iter_tokens

log = logging.getLogger(__name__)

CELL_W, CELL_H, LINE_GAP = 12, 24, 6
# ESC M n: font A 12x24 dots (48 columns on 576 dots), font B 9x17 (64 columns); (width, height, TTF size)
FONT_CELLS: dict[int, tuple[int, int, int]] = {0: (12, 24, 20), 1: (9, 17, 15)}
MARGIN = 16
DEFAULT_CODEPAGES: dict[int, str] = {0: "cp437", 17: "cp866"}
_FONT_CANDIDATES = ("RobotoMono-Regular.ttf", "DejaVuSansMono.ttf")


def font_path() -> Path | None:
    """A monospace TTF with Cyrillic: Kivy's bundled RobotoMono, else DejaVu."""
    spec = importlib.util.find_spec("kivy")
    places = [Path(p) / "data" / "fonts" for p in (spec.submodule_search_locations or [])] if spec else []
    places.append(Path("/usr/share/fonts/truetype/dejavu"))
    for place in places:
        for name in _FONT_CANDIDATES:
            if (place / name).is_file():
                return place / name
    return None


@lru_cache(maxsize=2)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_path()
    if path is None:
        log.warning("no monospace TTF with Cyrillic found; preview uses PIL's default font")
        return ImageFont.load_default()
    return ImageFont.truetype(str(path), size)


@lru_cache(maxsize=4096)
def _glyph(char: str, bold: bool, width: int, height: int, font: int = 0) -> Image.Image:
    cell_w, cell_h, size = FONT_CELLS[font]
    cell = Image.new("L", (cell_w, cell_h), 255)
    draw = ImageDraw.Draw(cell)
    for dx in (0, 1) if bold else (0,):
        draw.text((dx, 1), char, font=_font(size), fill=0)
    if (width, height) != (1, 1):
        cell = cell.resize((cell_w * width, cell_h * height), Image.Resampling.NEAREST)
    return cell


@dataclass(frozen=True)
class _Char:
    char: str
    bold: bool
    width: int
    height: int
    font: int

    @property
    def dots(self) -> int:
        return FONT_CELLS[self.font][0] * self.width

    @property
    def rows(self) -> int:
        return FONT_CELLS[self.font][1] * self.height


@dataclass
class _Style:
    bold: bool = False
    width: int = 1
    height: int = 1
    align: str = "left"
    codepage: int = 0
    font: int = 0


@dataclass
class Rendered:
    """The picture, the text dump (one entry per printed line) and notes on unknown commands."""

    image: Image.Image
    lines: list[str]
    unknown: list[bytes] = field(default_factory=list)

    def save_png(self, path: Path) -> Path:
        """The picture as a PNG, written atomically (the screen never shows half a ticket)."""
        png = io.BytesIO()
        self.image.save(png, format="PNG", optimize=True)
        return write_atomically(path, png.getvalue())


_HANDLERS = {
    "ESC @": "_reset",
    "ESC t": "_codepage",
    "ESC M": "_select_font",
    "ESC !": "_print_mode",
    "ESC E": "_bold",
    "ESC a": "_align",
    "ESC d": "_feed_lines",
    "GS !": "_size",
    "GS h": "_barcode_height",
    "GS w": "_barcode_module",
    "GS H": "_hri",
    "GS V": "_cut",
    "FS P": "_present",
    "GS v 0": "_raster",
    "GS ( k": "_qr",
    "GS k": "_barcode",
}


class _Renderer:
    def __init__(self, paper_dots: int, codepages: dict[int, str]) -> None:
        self.paper = paper_dots
        self.codepages = codepages
        self.style = _Style()
        self.line: list[_Char] = []
        self.line_align = "left"
        self.blocks: list[Image.Image] = []
        self.lines: list[str] = []
        self.unknown: list[bytes] = []
        self.qr_data = b""
        self.qr_size = 3
        self.qr_level = "L"
        self.bar_height, self.bar_module, self.hri_position = 162, 3, 0

    # ---- line buffer -------------------------------------------------------------------------
    def _line_dots(self) -> int:
        return sum(c.dots for c in self.line)

    def add_text(self, text: str) -> None:
        for char in text:
            if not self.line:
                self.line_align = self.style.align
            glyph = _Char(char, self.style.bold, self.style.width, self.style.height, self.style.font)
            if self._line_dots() + glyph.dots > self.paper:
                self.flush()
                self.line_align = self.style.align
            self.line.append(glyph)

    def flush(self, force_blank: bool = True) -> None:
        if not self.line:
            if force_blank:
                rows = FONT_CELLS[self.style.font][1]
                self.blocks.append(Image.new("L", (self.paper, rows + LINE_GAP), 255))
                self.lines.append("")
            return
        height = max(c.rows for c in self.line) + LINE_GAP
        block = Image.new("L", (self.paper, height), 255)
        x = self._x(self._line_dots())
        for c in self.line:
            block.paste(_glyph(c.char, c.bold, c.width, c.height, c.font), (x, height - LINE_GAP - c.rows))
            x += c.dots
        self.blocks.append(block)
        self.lines.append("".join(c.char for c in self.line).strip())
        self.line = []

    def _x(self, width: int) -> int:
        if self.line_align == "center":
            return max(0, (self.paper - width) // 2)
        if self.line_align == "right":
            return max(0, self.paper - width)
        return 0

    def graphic(self, image: Image.Image, label: str) -> None:
        self.flush(force_blank=False)
        self.line_align = self.style.align
        image = image.convert("L")
        if image.width > self.paper:
            image = image.crop((0, 0, self.paper, image.height))
        block = Image.new("L", (self.paper, image.height), 255)
        block.paste(image, (self._x(image.width), 0))
        self.blocks.append(block)
        self.lines.append(label)

    def cut(self) -> None:
        self.flush(force_blank=False)
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
            self.blocks.pop()
        block = Image.new("L", (self.paper, 2 * CELL_H), 255)
        draw = ImageDraw.Draw(block)
        for x in range(0, self.paper, 16):
            draw.line((x, CELL_H, x + 8, CELL_H), fill=128, width=2)
        self.blocks.append(block)
        self.lines.append("[cut]")

    # ---- commands ----------------------------------------------------------------------------
    def token(self, tok: Token) -> None:
        handler = getattr(self, _HANDLERS[tok.name], None) if tok.name in _HANDLERS else None
        if tok.name == "TEXT":
            codec = self.codepages.get(self.style.codepage, "cp437")
            self.add_text(tok.args.decode(codec, errors="replace"))
        elif tok.name == "LF":
            self.flush()
        elif handler is not None:
            handler(tok.args)
        elif tok.name in ("UNKNOWN", "CONTROL"):
            self.unknown.append(tok.raw)

    def _reset(self, args: bytes) -> None:
        self.style = _Style()

    def _select_font(self, args: bytes) -> None:
        self.style.font = 1 if args[0] in (1, 49) else 0

    def _codepage(self, args: bytes) -> None:
        self.style.codepage = args[0]

    def _print_mode(self, args: bytes) -> None:
        self.style.bold = bool(args[0] & 0x08)
        self.style.height = 2 if args[0] & 0x10 else 1
        self.style.width = 2 if args[0] & 0x20 else 1

    def _bold(self, args: bytes) -> None:
        self.style.bold = bool(args[0] & 1)

    def _align(self, args: bytes) -> None:
        self.style.align = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}.get(
            args[0], "left"
        )

    def _feed_lines(self, args: bytes) -> None:
        count = args[0]
        if self.line:
            self.flush()
            count -= 1
        for _ in range(max(count, 0)):
            self.flush()

    def _size(self, args: bytes) -> None:
        self.style.width, self.style.height = (args[0] >> 4) + 1, (args[0] & 0x0F) + 1

    def _barcode_height(self, args: bytes) -> None:
        self.bar_height = args[0]

    def _barcode_module(self, args: bytes) -> None:
        self.bar_module = args[0]

    def _hri(self, args: bytes) -> None:
        self.hri_position = args[0]

    def _cut(self, args: bytes) -> None:
        self.cut()

    def _present(self, args: bytes) -> None:
        self.cut()

    def _raster(self, args: bytes) -> None:
        width_bytes, height = args[1] | args[2] << 8, args[3] | args[4] << 8
        bits = Image.frombytes("1", (width_bytes * 8, height), bytes(args[5 : 5 + width_bytes * height]))
        image = bits.convert("L").point(lambda v: 255 - v)
        self.graphic(image, f"[image {image.width}x{image.height}]")

    def _qr(self, args: bytes) -> None:
        if len(args) < 5 or args[3] != 49:
            return
        fn, body = args[4], args[5:]
        if fn == 67 and body:
            self.qr_size = body[0]
        elif fn == 69 and body:
            self.qr_level = {48: "L", 49: "M", 50: "Q", 51: "H"}.get(body[0], "L")
        elif fn == 80:
            self.qr_data = bytes(body[1:])
        elif fn == 81:
            import qrcode  # on the first QR code: the kiosk's start need not wait for it

            levels = {
                "L": qrcode.constants.ERROR_CORRECT_L,
                "M": qrcode.constants.ERROR_CORRECT_M,
                "Q": qrcode.constants.ERROR_CORRECT_Q,
                "H": qrcode.constants.ERROR_CORRECT_H,
            }
            code = qrcode.QRCode(
                box_size=max(self.qr_size, 1), border=0, error_correction=levels[self.qr_level]
            )
            code.add_data(self.qr_data)
            image = code.make_image().get_image()
            self.graphic(image, f"[qr {self.qr_data.decode('utf-8', errors='replace')}]")

    def _barcode(self, args: bytes) -> None:
        kind, data = args[0], (bytes(args[2:]) if args[0] > 6 else bytes(args[1:]))
        text = data.decode("ascii", errors="replace")
        if kind == 73:
            text = text[2:] if text[:1] == "{" else text
            name = "CODE128"
        else:
            name = f"TYPE{kind}"
        self.graphic(self._barcode_image(text), f"[barcode {name} {text}]")

    def _barcode_image(self, text: str) -> Image.Image:
        import barcode as pybarcode  # on the first barcode: the kiosk's start need not wait for it

        try:
            pattern = pybarcode.get("code128", text).build()[0]
        except Exception:
            pattern = "1" * 10
        module = max(self.bar_module, 1)
        hri = CELL_H + 4 if self.hri_position in (2, 3, 50, 51) else 0
        image = Image.new("L", (len(pattern) * module, self.bar_height + hri), 255)
        draw = ImageDraw.Draw(image)
        for index, bit in enumerate(pattern):
            if bit == "1":
                draw.rectangle((index * module, 0, index * module + module - 1, self.bar_height - 1), fill=0)
        if hri:
            x = max(0, (image.width - CELL_W * len(text)) // 2)
            for char in text:
                image.paste(_glyph(char, False, 1, 1), (x, self.bar_height + 2))
                x += CELL_W
        return image

    def result(self) -> Rendered:
        self.flush(force_blank=False)
        height = sum(b.height for b in self.blocks) + 2 * MARGIN
        page = Image.new("L", (self.paper + 2 * MARGIN, max(height, 2 * MARGIN + CELL_H)), 255)
        y = MARGIN
        for block in self.blocks:
            page.paste(block, (MARGIN, y))
            y += block.height
        return Rendered(page, self.lines, self.unknown)


def render(
    data: bytes,
    *,
    paper_dots: int = 576,
    codepages: dict[int, str] | None = None,
    first_ticket_only: bool = False,
) -> Rendered:
    """Render ESC/POS ``data`` as a printer with ``paper_dots`` and code page table ``codepages`` would.

    ``first_ticket_only`` stops at the first cut (or present) command.
    """
    renderer = _Renderer(paper_dots, DEFAULT_CODEPAGES if codepages is None else codepages)
    for tok in iter_tokens(data):
        renderer.token(tok)
        if first_ticket_only and tok.name in ("GS V", "FS P"):
            break
    return renderer.result()


def escpos_text(data: bytes, *, paper_dots: int = 576, codepages: dict[int, str] | None = None) -> list[str]:
    """The printed text, one entry per line, with ``[qr …]``, ``[barcode …]``, ``[image WxH]``, ``[cut]``."""
    return render(data, paper_dots=paper_dots, codepages=codepages).lines
