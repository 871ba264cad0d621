"""``kiosk doctor [--json]``: check everything the kiosk needs, one line each with what to do.

Exit 0 = nothing failed (warnings and unknowns are shown); 1 = a check failed, or the kiosk.ini
does not load (then only that is reported: every other check needs it). ``--json`` prints
``{"ok": bool, "checks": [{"check", "status", "summary", "remedy"}, ...]}`` for fleet tools.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from kiosk.clock import clock_from_environment
from kiosk.config import load_config
from kiosk.config.loader import ConfigError
from kiosk.doctor.result import CheckResult, CheckStatus, fail, ok
from kiosk.logs import configure_logging


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("doctor", help="check configuration, storage, clock, devices and the registry")
    parser.add_argument("--json", action="store_true", help="print JSON for fleet tools instead of lines")
    parser.set_defaults(func=run)


def collect(config_path: Path | None) -> list[CheckResult]:
    from kiosk.doctor.checks import run_checks  # the device and registry code loads when the command runs
    from kiosk.doctor.context import DoctorContext

    try:
        config = load_config(config_path)
    except ConfigError as error:
        return [fail("config", str(error), "fix that line (every key is explained in kiosk.ini), "
                                           "then run kiosk check-config")]
    configure_logging("ERROR")  # the checks' own log lines would only repeat what the lines say
    context = DoctorContext(config=config, clock=clock_from_environment(), environ=os.environ)
    return [ok("config", f"{config.path}: OK; data in {config.kiosk.data_dir}"), *run_checks(context)]


def run(args: argparse.Namespace) -> int:
    results = collect(args.config)
    code = 1 if any(result.status is CheckStatus.FAIL for result in results) else 0
    if args.json:
        print(json.dumps({"ok": code == 0, "checks": [r.as_dict() for r in results]}, ensure_ascii=False, indent=2))
    else:
        for result in results:
            print(result.line())
    return code
