"""Whatever the registry sends, the printer only gets the commands the layout itself emits."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.printer.config import PrinterConfig
from devices.printer.escpos_parser import iter_tokens
from devices.printer.escpos_writer import WriterOptions, render_escpos
from devices.printer.models import MODEL_NAMES
from devices.printer.options import writer_options
from kiosk.tickets.layout import ticket_document, walkin_document
from kiosk.tickets.model import Ticket, WalkInTicket

# every character, with control bytes and ESC/POS introducers especially likely
hostile_text = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from("\x1b\x1d\x1c\x10\x04\x00\n\r\t\x7f\u2028«»—₽…№Ёё")),
    max_size=120,
)
TICKET_FIELDS = (
    "clinic",
    "building",
    "address",
    "specialty",
    "doctor",
    "cabinet",
    "patient_name",
    "appointment_number",
    "checkin_code",
    "footer",
    "kiosk_id",
)
# what the writer emits for text, sizes, alignment, feeds, QR (native or image), CODE128 and the cut
LAYOUT_COMMANDS = {
    "ESC @",
    "ESC M",
    "ESC t",
    "ESC !",
    "ESC E",
    "ESC a",
    "ESC d",
    "GS !",
    "GS ( k",
    "GS v 0",
    "GS h",
    "GS w",
    "GS f",
    "GS H",
    "GS k",
    "GS V",
    "TEXT",
    "LF",
}
PRESENTER_COMMANDS = {"FS P", "GS e", "GS R"}


def _options(model: str, native: bool) -> WriterOptions:
    return dataclasses.replace(writer_options(PrinterConfig(model=model, barcode=True)), native_qr=native)


def _check(data: bytes, options: WriterOptions) -> None:
    tokens = list(iter_tokens(data))
    names = {t.name for t in tokens}
    allowed = LAYOUT_COMMANDS | (PRESENTER_COMMANDS if options.present else set())
    assert names <= allowed, names - allowed
    assert [t.args for t in tokens if t.name == "ESC t"] == [bytes([options.slot])]
    assert sum(t.name == "ESC @" for t in tokens) == 1
    if options.present:
        assert data.endswith(options.present)
        assert sum(t.name in PRESENTER_COMMANDS for t in tokens) == sum(
            t.name in PRESENTER_COMMANDS for t in iter_tokens(options.present)
        )
    else:
        assert sum(t.name == "GS V" for t in tokens) == 1 and tokens[-1].name == "GS V"
    for token in tokens:
        if token.name == "TEXT":
            token.args.decode("cp866")  # always decodable


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.fixed_dictionaries({name: hostile_text for name in TICKET_FIELDS}),
    appointment_id=st.integers(min_value=0, max_value=2**63),
    model=st.sampled_from(MODEL_NAMES),
    native=st.booleans(),
    columns=st.sampled_from([32, 48]),
)
def test_ticket_fields_cannot_inject_commands(
    ticket: Ticket, fields: dict[str, str], appointment_id: int, model: str, native: bool, columns: int
) -> None:
    hostile = dataclasses.replace(ticket, appointment_id=appointment_id, **fields)
    options = _options(model, native)
    _check(render_escpos(ticket_document(hostile, columns, barcode=True), options), options)


@settings(max_examples=100, deadline=None)
@given(
    number=hostile_text,
    reason=hostile_text,
    kiosk=hostile_text,
    footer=hostile_text,
    offset=st.integers(min_value=-12, max_value=14),
    model=st.sampled_from(MODEL_NAMES),
)
def test_walkin_fields_cannot_inject_commands(
    number: str, reason: str, kiosk: str, footer: str, offset: int, model: str
) -> None:
    moment = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=offset)))
    doc = walkin_document(WalkInTicket(number, reason, kiosk, moment, clinic=reason, footer=footer))
    options = _options(model, native=False)
    _check(render_escpos(doc, options), options)
