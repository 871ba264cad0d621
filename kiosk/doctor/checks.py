"""The list of doctor checks, in the order they are shown, and the runner that bounds each one.

Adding a check is one function ``(DoctorContext) -> list[CheckResult]`` and one line in ``CHECKS``
(the offline cache's freshness and the outbox's depth are ``check_cache``).
A check that raises is a FAIL with the exception's text; one that overruns its deadline is UNKNOWN
(its daemon thread is left behind, the command goes on).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kiosk.doctor.cache import check_cache
from kiosk.doctor.card_reader import check_card_reader
from kiosk.doctor.context import DoctorContext
from kiosk.doctor.printer import check_printer
from kiosk.doctor.registry import check_registry
from kiosk.doctor.result import CheckResult, fail, unknown
from kiosk.doctor.storage import check_data_dir
from kiosk.doctor.time_sync import check_clock


@dataclass(frozen=True)
class Check:
    name: str
    run: Callable[[DoctorContext], list[CheckResult]]
    #: seconds the whole check may take (every call in it has its own shorter timeout)
    deadline_s: float = 20.0


CHECKS: tuple[Check, ...] = (
    Check("data_dir", check_data_dir),
    Check("clock", check_clock),
    Check("card_reader", check_card_reader),
    Check("printer", check_printer),
    Check("registry", check_registry, deadline_s=60.0),
    Check("cache", check_cache),
)


def run_check(check: Check, context: DoctorContext) -> list[CheckResult]:
    box: dict[str, list[CheckResult]] = {}

    def work() -> None:
        try:
            box["results"] = check.run(context)
        except Exception as exc:  # a check's bug or a library's surprise is a failed check, not a crash
            box["results"] = [fail(check.name, f"the check itself failed: {type(exc).__name__}: {exc}",
                                   "run the device's own command (kiosk printer status, kiosk card readers, "
                                   "kiosk registry-check) for details")]

    thread = threading.Thread(target=work, name=f"doctor-{check.name}", daemon=True)
    thread.start()
    thread.join(check.deadline_s)
    if "results" not in box:
        return [unknown(check.name, f"no result within {check.deadline_s:g} s",
                        "the device or service hangs: run its own command to see where")]
    return box["results"]


def run_checks(context: DoctorContext, checks: Sequence[Check] = CHECKS) -> list[CheckResult]:
    results: list[CheckResult] = []
    for check in checks:
        results.extend(run_check(check, context))
    return results
