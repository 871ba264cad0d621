"""The technician's service screen: a PIN pad, then each device's state and since when, recent errors,
and the actions of :class:`kiosk.service_mode.desk.ServiceDesk`. Opened by a long press in the corner
set in ``[service] corner`` (``screens.service_entry``), only on the start screen; it closes itself after
``[service] idle_timeout`` seconds without a touch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

from kiosk.i18n import _
from kiosk.jobs import Jobs
from kiosk.service_mode.cache_desk import DISCARD_REASONS, WaitingAction
from kiosk.service_mode.desk import CARD_TEST_S, ServiceDesk
from kiosk.service_mode.pin import Verdict

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

MAX_PIN = 12
#: seconds a sync from the service screen may take (a full sync of a large clinic takes a while)
SYNC_DEADLINE_S = 300.0


class ServicePanel(ModalView):
    message = StringProperty("")
    problem = BooleanProperty(False)
    opened = BooleanProperty(False)
    pin = StringProperty("")
    status_text = StringProperty("")
    #: True when there is an offline cache (its sync button and outbox list are shown)
    has_cache = BooleanProperty(False)
    #: the queued action a discard reason is being chosen for (0: none)
    discarding = NumericProperty(0)

    def __init__(self, desk: ServiceDesk, jobs: Jobs, monotonic: Callable[[], float], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self._jobs = jobs
        self._monotonic = monotonic
        self._touched = monotonic()
        self._idle_event = Clock.schedule_interval(self._check_idle, 1.0)
        self.message = _("Enter the service PIN")
        self.has_cache = desk.cache is not None
        self.waiting: list[WaitingAction] = []

    def on_touch_down(self, touch: Any) -> bool:
        self._touched = self._monotonic()
        return bool(super().on_touch_down(touch))

    def _check_idle(self, _dt: float) -> None:
        if self._monotonic() - self._touched >= self.desk.cfg.idle_timeout:
            self.leave("idle")

    def leave(self, reason: str) -> None:
        self._idle_event.cancel()
        self.desk.end(reason)
        self.pin = ""
        self.dismiss()

    # -- the PIN pad ----------------------------------------------------------------------------------

    def digit(self, digit: str) -> None:
        if len(self.pin) < MAX_PIN:
            self.pin += digit

    def erase(self) -> None:
        self.pin = self.pin[:-1]

    def enter(self) -> None:
        pin, self.pin = self.pin, ""
        verdict = self.desk.begin(pin)
        self.problem = verdict is not Verdict.OPEN
        if verdict is Verdict.OPEN:
            self.opened = True
            self.message = ""
            self.refresh()
        elif verdict is Verdict.LOCKED:
            minutes = max(1, round(self.desk.gate.locked_for() / 60))
            self.message = _("Too many wrong PINs. Try again in %(minutes)d min.") % {"minutes": minutes}
        elif verdict is Verdict.NO_PIN:
            self.message = _("No service PIN is set on this kiosk: run kiosk set-pin.")
        else:
            self.message = _("Wrong PIN.")

    # -- the service body -----------------------------------------------------------------------------

    def refresh(self) -> None:
        rows = [f"{name}: {text}" for name, text in self.desk.status()]
        errors = self.desk.recent.lines()[:8]
        self.status_text = "\n".join([*rows, "", _("Recent errors:"), *(errors or ["—"])])
        self._show_outbox()

    def _show_outbox(self) -> None:
        """One row per waiting or failed action (masked): its line, «Повторить» and «Снять»."""
        box = self.ids.outbox_rows
        box.clear_widgets()
        for gone in [key for key in self.ids if key.startswith("outbox_") and key != "outbox_rows"]:
            del self.ids[gone]
        cache = self.desk.cache
        self.waiting = cache.waiting() if cache is not None else []
        for action in self.waiting:
            row = BoxLayout(size_hint_y=None, height="64dp", spacing="8dp")
            row.add_widget(Label(text=action.line, font_size="20sp", halign="left", valign="middle",
                                 text_size=(None, None), size_hint_x=0.6))
            retry = Factory.BigButton(text=_("Retry"), font_size="22sp", height="64dp", size_hint_x=0.2,
                                      disabled=action.status != "failed")
            retry.bind(on_release=lambda _b, number=action.action_id: self.retry(number))
            drop = Factory.BigButton(text=_("Discard"), font_size="22sp", height="64dp", size_hint_x=0.2,
                                     disabled=action.status == "sent")  # sent: the registry may have it
            drop.bind(on_release=lambda _b, number=action.action_id: self.ask_reason(number))
            row.add_widget(retry)
            row.add_widget(drop)
            box.add_widget(row)
            self.ids[f"outbox_{action.action_id}_retry"] = retry
            self.ids[f"outbox_{action.action_id}_discard"] = drop

    def _run(self, work: Callable[[], str], deadline: float | None = None) -> None:
        def done(outcome: str) -> None:
            self.message = outcome
            self.problem = False
            self.refresh()

        def failed(error: BaseException) -> None:
            self.message = str(error)
            self.problem = True

        self.message = _("Working…")
        self._jobs.submit(work, done, failed, deadline=deadline)

    def test_print(self) -> None:
        self._run(self.desk.test_print)

    def probe(self) -> None:
        self._run(self.desk.probe_devices)

    def sync(self) -> None:
        cache = self.desk.cache
        if cache is not None:
            self._run(cache.sync_now, deadline=SYNC_DEADLINE_S)

    def test_card(self) -> None:
        self._run(self.desk.test_card, deadline=CARD_TEST_S + 5)
        self.message = _("Insert a policy card now (take out one already inserted first).")

    def retry(self, action_id: int) -> None:
        cache = self.desk.cache
        if cache is not None:
            self._run(lambda: cache.retry(action_id))

    def ask_reason(self, action_id: int) -> None:
        self.discarding = action_id
        self.message = _("Why is action #%(number)d discarded?") % {"number": action_id}
        self.problem = False

    def discard(self, index: int) -> None:
        """Discard the action being asked about with the ``index``-th of ``DISCARD_REASONS`` (the kv's
        ``reason_0``… buttons say them in the patient's language order)."""
        cache, action_id = self.desk.cache, int(self.discarding)
        self.discarding = 0
        if cache is not None and action_id:
            self._run(lambda: cache.discard(action_id, DISCARD_REASONS[index]))

    def keep(self) -> None:
        self.discarding = 0
        self.message = ""

    def restart(self) -> None:
        self._idle_event.cancel()
        self.dismiss()
        self.desk.restart()
