"""The technician's service screen: a PIN pad, then each device's state and since when, recent errors,
and the actions of :class:`kiosk.service_mode.desk.ServiceDesk`. Opened by a long press in the corner
set in ``[service] corner`` (``screens.service_entry``), only on the start screen; it closes itself after
``[service] idle_timeout`` seconds without a touch."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.modalview import ModalView

from kiosk.i18n import _
from kiosk.jobs import Jobs
from kiosk.service_mode.desk import ServiceDesk
from kiosk.service_mode.pin import Verdict

Builder.load_file(str(Path(__file__).with_suffix(".kv")))

MAX_PIN = 12


class ServicePanel(ModalView):
    message = StringProperty("")
    problem = BooleanProperty(False)
    opened = BooleanProperty(False)
    pin = StringProperty("")
    status_text = StringProperty("")

    def __init__(self, desk: ServiceDesk, jobs: Jobs, monotonic: Callable[[], float], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.desk = desk
        self._jobs = jobs
        self._monotonic = monotonic
        self._touched = monotonic()
        self._idle_event = Clock.schedule_interval(self._check_idle, 1.0)
        self.message = _("Enter the service PIN")

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

    def _run(self, work: Callable[[], str]) -> None:
        def done(outcome: str) -> None:
            self.message = outcome
            self.problem = False
            self.refresh()

        def failed(error: BaseException) -> None:
            self.message = str(error)
            self.problem = True

        self.message = _("Working…")
        self._jobs.submit(work, done, failed)

    def test_print(self) -> None:
        self._run(self.desk.test_print)

    def probe(self) -> None:
        self._run(self.desk.probe_devices)

    def restart(self) -> None:
        self._idle_event.cancel()
        self.dismiss()
        self.desk.restart()
