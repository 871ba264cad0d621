"""[scanner] section. Plain dataclass: devices never import kiosk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SUFFIXES: dict[str, bytes] = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t"}


@dataclass(frozen=True)
class ScannerConfig:
    kind: str = field(default="virtual", metadata={
        "help": "serial = a 2D scanner on a serial port (USB-COM /dev/ttyACM*, RS-232 /dev/ttyS*); "
                "virtual = the demo's scanner on a pty with a button on the demo strip; none = no scanner",
        "choices": ("serial", "virtual", "none")})
    port: str = field(default="/dev/ttyACM0", metadata={
        "help": "kind = serial: the scanner's device (a udev symlink such as /dev/scanner survives replugging)",
        "pattern": r"/[A-Za-z0-9._/+:-]{1,200}"})
    baudrate: int = field(default=9600, metadata={
        "help": "speed in baud (USB-COM scanners ignore it)", "min": 1200, "max": 921600})
    bytesize: str = field(default="8", metadata={"help": "data bits", "choices": ("7", "8")})
    parity: str = field(default="none", metadata={"help": "parity", "choices": ("none", "even", "odd")})
    stopbits: str = field(default="1", metadata={"help": "stop bits", "choices": ("1", "2")})
    framing: str = field(default="gap", metadata={
        "help": "how one scan ends: gap = a pause between bytes (raw binary, needed for the paper policy's "
                "barcode); suffix = the scanner's suffix character",
        "choices": ("gap", "suffix")})
    suffix: str = field(default="cr", metadata={
        "help": "framing = suffix: the suffix the scanner sends after each code", "choices": tuple(SUFFIXES)})
    gap: float = field(default=0.08, metadata={
        "help": "seconds of silence that end a scan (framing = gap), or drop an unfinished one (suffix: ten times it)",
        "min": 0.01, "max": 2})
    max_length: int = field(default=4096, metadata={
        "help": "longest scan in bytes; a longer one is dropped", "min": 130, "max": 65536})
    reopen_interval: float = field(default=2.0, metadata={
        "help": "seconds between attempts to open the port while the scanner is unplugged", "min": 0.2, "max": 60})
    keyboard: bool = field(default=True, metadata={
        "help": "also take codes typed by a keyboard-style (USB HID) scanner, ended by Enter: policy numbers and "
                "ticket codes (a keyboard scanner corrupts the paper policy's binary barcode)"})
    ticket_key_file: Path | None = field(default=None, metadata={
        "help": "key that seals the check-in QR code on printed tickets (32 random bytes, root-readable); "
                "the same file on every kiosk of the polyclinic; empty = ticket-pass.key in [kiosk] data_dir, "
                "made on first start"})

    @property
    def suffix_bytes(self) -> bytes:
        return SUFFIXES[self.suffix]
