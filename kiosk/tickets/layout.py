"""Ticket → device-neutral document (no I/O).

Lines are wrapped here at the paper's column count (48 for 80 mm, 32 for
58 mm; half as many in double width). Text is normalised to what CP866 can
print before wrapping, so the widths are the printed widths.
"""

from __future__ import annotations

import re
import textwrap

from devices.printer.charset import printable
from devices.printer.document import QR, Align, Barcode, Cut, Document, Feed, Op, Rule, Text
from kiosk.format import clock, long_date
from kiosk.i18n import _
from kiosk.tickets import messages as m
from kiosk.tickets.model import QueuedReceipt, Ticket, WalkInTicket
from kiosk.tickets.sanitize import clean_code, clean_text

QR_MODULE_SIZE = 6


def qr_payload(ticket: Ticket) -> str:
    """What the QR code holds: the sealed check-in pass (kiosk.tickets.check_in_pass) when the kiosk has a
    ticket key, else the appointment id and the check-in code; nothing personal in clear either way."""
    if ticket.check_in_pass:
        return clean_code(ticket.check_in_pass, limit=80)
    return f"{ticket.appointment_id};{clean_code(ticket.checkin_code)}"


#: a number sign stays on the line of its number («филиал № 2», never «филиал №» / «2»)
_NUMBER_SIGN = re.compile(r"(№|N)\s+(?=\d)")
_GLUE = "\xa0"  # textwrap breaks only on ASCII whitespace; printable() has already turned NBSPs into spaces


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    glued = _NUMBER_SIGN.sub(lambda m: m.group(1) + _GLUE, printable(clean_text(text, limit=2000)))
    lines = textwrap.wrap(
        glued,
        width=max(width, 4),
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=True,
    ) or [""]
    return [line.replace(_GLUE, " ") for line in lines]


class _Builder:
    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.ops: list[Op] = []

    def lines(self, text: str, *, align: Align = "left", bold: bool = False, size: int = 1) -> None:
        for line in _wrap(text, self.columns // size):
            self.ops.append(Text(line, bold=bold, width=size, height=size, align=align))

    def field(self, label: str, value: str, *, bold: bool = False) -> None:
        if not value:
            return
        head = f"{printable(label)}: "
        indent = " " * len(head) if len(head) <= self.columns // 3 else "  "
        for line in _wrap(head + value, self.columns, indent):
            self.ops.append(Text(line, bold=bold))

    def big(self, text: str, *, size: int = 2) -> None:
        self.lines(text, align="center", bold=True, size=size)

    def add(self, *ops: Op) -> None:
        self.ops.extend(ops)

    def document(self) -> Document:
        return Document(tuple(self.ops), columns=self.columns)


def _printed_line(builder: _Builder, kiosk_id: str, printed_at_text: str) -> None:
    left = f"{_(m.KIOSK)} {kiosk_id}"
    right = f"{_(m.ISSUED)} {printed_at_text}"
    if len(printable(left)) + 1 + len(printable(right)) <= builder.columns:
        gap = builder.columns - len(printable(left)) - len(printable(right))
        builder.add(Text(printable(left) + " " * gap + printable(right)))
    else:
        builder.lines(left)
        builder.lines(right)


def _printed_at(ticket: Ticket | WalkInTicket | QueuedReceipt) -> str:
    return ticket.printed_at.strftime("%d.%m.%Y ") + clock(ticket.printed_at)


def ticket_document(ticket: Ticket, columns: int = 48, *, barcode: bool = True) -> Document:
    """The appointment ticket laid out for ``columns`` characters per line.

    The CODE128 op is included by default; the printer prints it only when [printer] barcode = yes.
    """
    b = _Builder(columns)
    b.lines(ticket.clinic, align="center", bold=True)
    if ticket.building:
        b.lines(ticket.building, align="center")
    if ticket.address:
        b.lines(ticket.address, align="center")
    b.add(Rule())
    b.big(_(m.TITLE))
    b.add(Rule())
    b.field(_(m.PATIENT), ticket.patient_name, bold=True)
    b.field(_(m.SPECIALTY), ticket.specialty)
    b.field(_(m.DOCTOR), ticket.doctor)
    day = long_date(ticket.starts_at.date())
    b.field(_(m.DATE), day[:1].upper() + day[1:])
    b.add(Feed(1))
    b.big(f"{_(m.TIME)} {clock(ticket.starts_at)}")
    if ticket.cabinet:
        b.big(f"{_(m.CABINET)} {ticket.cabinet}")
    b.add(Feed(1))
    b.field(_(m.NUMBER), ticket.appointment_number)
    b.add(QR(qr_payload(ticket), size=QR_MODULE_SIZE))
    code = clean_code(ticket.checkin_code)
    if code:
        b.lines(f"{_(m.CHECKIN)}: {code}", align="center")
    if barcode and code:
        b.add(Barcode(code))
    b.add(Rule())
    if ticket.footer:
        b.lines(ticket.footer)
    _printed_line(b, ticket.kiosk_id, _printed_at(ticket))
    b.add(Cut())
    return b.document()


def walkin_document(ticket: WalkInTicket, columns: int = 48) -> Document:
    """A queue ticket: the number in very large print, the purpose and the time."""
    b = _Builder(columns)
    if ticket.clinic:
        b.lines(ticket.clinic, align="center", bold=True)
        b.add(Rule())
    b.big(_(m.WALKIN_TITLE))
    b.add(Feed(1))
    b.lines(_(m.WALKIN_NUMBER), align="center")
    b.big(ticket.queue_number, size=4 if columns >= 40 else 3)
    b.add(Feed(1))
    b.field(_(m.WALKIN_REASON), ticket.reason)
    b.lines(_(m.WALKIN_WAIT))
    b.add(Rule())
    if ticket.footer:
        b.lines(ticket.footer)
    _printed_line(b, ticket.kiosk_id, _printed_at(ticket))
    b.add(Cut())
    return b.document()


def queued_document(receipt: QueuedReceipt, columns: int = 48) -> Document:
    """A receipt for an action kept in the outbox: «Принято», the action, its number, the time."""
    b = _Builder(columns)
    b.big(_(m.QUEUED_TITLE))
    b.lines(_(m.QUEUED_NOTE), align="center")
    b.add(Feed(1))
    b.field(_(m.QUEUED_ACTION), receipt.action)
    b.lines(_(m.QUEUED_NUMBER), align="center")
    b.big(receipt.number, size=3 if columns >= 40 else 2)
    b.add(Feed(1))
    b.lines(_(m.QUEUED_KEEP))
    b.add(Rule())
    _printed_line(b, receipt.kiosk_id, _printed_at(receipt))
    b.add(Cut())
    return b.document()
