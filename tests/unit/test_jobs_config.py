"""[jobs] in kiosk.ini: the pool and the deadlines, checked against [registry] call_deadline."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config
from tests.unit.test_config import line_of, one_line_error, shipped_with


def test_shipped_defaults(tmp_path: Path) -> None:
    jobs = load_config(shipped_with(tmp_path, {})).jobs
    assert (jobs.workers, jobs.max_workers, jobs.deadline, jobs.write_deadline, jobs.offer_cancel_after) == (
        4, 8, 45, 90, 5)


@pytest.mark.parametrize(("values", "key", "value", "allowed"), [
    ({("jobs", "deadline"): "20"}, "deadline", "20", "more than [registry] call_deadline (20)"),
    ({("registry", "call_deadline"): "100"}, "write_deadline", "90", "more than [registry] call_deadline (100)"),
    ({("jobs", "max_workers"): "3"}, "max_workers", "3", "from [jobs] workers (4) to 64"),
    ({("jobs", "offer_cancel_after"): "0"}, "offer_cancel_after", "0", "a number from 1 to 120"),
    ({("jobs", "workers"): "0"}, "workers", "0", "a whole number from 1 to 32"),
])
def test_bad_jobs_values_name_the_line_and_what_is_allowed(
        tmp_path: Path, values: dict[tuple[str, str], str], key: str, value: str, allowed: str) -> None:
    if key == "write_deadline":  # call_deadline 100 is also above the read deadline: lift that one
        values = {**values, ("jobs", "deadline"): "150"}
    path = shipped_with(tmp_path, values)
    message = one_line_error(path)
    assert message.startswith(f"{path}:{line_of(path, key)}: [jobs] {key}: bad value {value!r}; allowed: "), message
    assert allowed in message
