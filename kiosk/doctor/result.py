"""What one doctor check found: a status, one line on what it saw, and what to do when it is not ok."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CheckStatus(StrEnum):
    OK = "ok"
    WARN = "warn"  # works, but a technician should act soon (paper near end, a certificate near expiry)
    FAIL = "fail"  # does not work: `kiosk doctor` exits non-zero
    UNKNOWN = "unknown"  # could not be asked (no timedatectl, the check ran out of time): never taken for ok
    SKIPPED = "skipped"  # not configured here ([card_reader] kind = none), or needs a check that failed


@dataclass(frozen=True)
class CheckResult:
    name: str
    status: CheckStatus
    summary: str
    #: what to do about it (empty when ok); in a technician's English, no personal data
    remedy: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"check": self.name, "status": self.status.value, "summary": self.summary, "remedy": self.remedy}

    def line(self) -> str:
        text = f"{self.status.value.upper():<7} {self.name:<14} {self.summary}"
        return f"{text}\n          -> {self.remedy}" if self.remedy and self.status is not CheckStatus.OK else text


def ok(name: str, summary: str) -> CheckResult:
    return CheckResult(name, CheckStatus.OK, summary)


def warn(name: str, summary: str, remedy: str) -> CheckResult:
    return CheckResult(name, CheckStatus.WARN, summary, remedy)


def fail(name: str, summary: str, remedy: str) -> CheckResult:
    return CheckResult(name, CheckStatus.FAIL, summary, remedy)


def unknown(name: str, summary: str, remedy: str) -> CheckResult:
    return CheckResult(name, CheckStatus.UNKNOWN, summary, remedy)


def skipped(name: str, summary: str) -> CheckResult:
    return CheckResult(name, CheckStatus.SKIPPED, summary)
