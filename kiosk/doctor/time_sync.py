"""The machine's clock: its time zone and NTP synchronisation, as ``timedatectl`` reports them.

The kiosk shows Moscow time whatever the machine's zone (kiosk/clock.py), so a different zone is a
warning (journal times differ from the screen), while a clock that is not synchronised is a failure:
appointment times, "today" and check-in windows all come from it. Where timedatectl does not answer
(no systemd, no timedated) the state is unknown, never ok.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Mapping

from kiosk.doctor.context import DoctorContext
from kiosk.doctor.result import CheckResult, fail, ok, unknown, warn

NAME = "clock"
EXPECTED_ZONE = "Europe/Moscow"
TIMEDATECTL = ("timedatectl", "show", "--property=Timezone", "--property=NTPSynchronized",
               "--property=NTP")
TIMEOUT_S = 5.0

Runner = Callable[[], str]


def run_timedatectl() -> str:
    """timedatectl's ``KEY=value`` lines; raises OSError/CalledProcessError/TimeoutExpired when it does not answer."""
    done = subprocess.run(TIMEDATECTL, capture_output=True, text=True, timeout=TIMEOUT_S, check=True)
    return done.stdout


def parse_timedatectl(text: str) -> Mapping[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip():
            values[key.strip()] = value.strip()
    return values


def judge_time(values: Mapping[str, str]) -> list[CheckResult]:
    zone = values.get("Timezone", "")
    results: list[CheckResult] = []
    if not zone:
        results.append(unknown(NAME, "timedatectl did not name a time zone", "run timedatectl status by hand"))
    elif zone != EXPECTED_ZONE:
        results.append(warn(NAME, f"machine time zone {zone} (the kiosk shows Moscow time anyway)",
                            f"timedatectl set-timezone {EXPECTED_ZONE}, so journal times match the screen"))
    synced = values.get("NTPSynchronized", "")
    if synced == "yes":
        results.append(ok(NAME, f"time zone {zone}, synchronised by NTP" if zone == EXPECTED_ZONE
                          else "synchronised by NTP"))
    elif synced == "no":
        ntp = values.get("NTP", "")
        remedy = ("systemctl enable --now systemd-timesyncd" if ntp == "no"
                  else "NTP is on but not synchronised: check the NTP server in /etc/systemd/timesyncd.conf "
                       "and that UDP 123 is open")
        results.append(fail(NAME, "the clock is not synchronised (appointment times depend on it)", remedy))
    else:
        results.append(unknown(NAME, "timedatectl did not say whether the clock is synchronised",
                               "run timedatectl status by hand"))
    return results


def check_clock(context: DoctorContext, run: Runner = run_timedatectl) -> list[CheckResult]:
    try:
        text = run()
    except (OSError, subprocess.SubprocessError) as exc:
        return [unknown(NAME, f"timedatectl does not answer ({type(exc).__name__})",
                        "without systemd-timedated the zone and NTP cannot be read; check them by hand")]
    return judge_time(parse_timedatectl(text))
