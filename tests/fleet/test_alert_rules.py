"""The fleet's alert rules, dashboard and scrape example: checked by promtool (Debian's prometheus package),
the rules unit-tested against series, and every kiosk metric they name is one the kiosk exports."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.clock import ManualClock
from kiosk.health.board import HealthBoard
from kiosk.health.factory import card_reader_health
from kiosk.metrics.kiosk_metrics import CACHE_OFFLINE, LAST_SYNC_AGE, OUTBOX_DEPTH, OUTBOX_OLDEST_AGE, KioskMetrics

MONITORING = Path(__file__).resolve().parents[2] / "systemd" / "monitoring"
RULES = MONITORING / "kiosk-alerts.rules.yml"
METRIC = re.compile(r"\bkiosk_[a-z_]+\b")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        if os.environ.get("CI"):
            pytest.fail("promtool missing: bash .ci/bootstrap test installs the prometheus package")
        pytest.skip("promtool missing (apt-get install prometheus)")
    return subprocess.run([tool, *args], cwd=MONITORING, capture_output=True, text=True, timeout=120)


def test_promtool_checks_the_rules() -> None:
    done = promtool("check", "rules", RULES.name)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SUCCESS" in done.stdout


def test_each_alert_fires_as_its_unit_test_says() -> None:
    done = promtool("test", "rules", "kiosk-alerts.test.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_scrape_example_is_a_valid_prometheus_config() -> None:
    done = promtool("check", "config", "prometheus-scrape.example.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_alert_the_issue_asks_for_is_there() -> None:
    alerts = set(re.findall(r"- alert: (\w+)", RULES.read_text()))
    assert {"KioskDown", "KioskRegistryOffline", "KioskPaperOut", "KioskOutboxStuck", "KioskSyncStale",
            "KioskCardReaderLost", "KioskOutboxFailed"} <= alerts


def exported_names(clock: ManualClock) -> set[str]:
    """Every family name the kiosk exposes, plus the offline cache's reserved gauge names."""

    metrics = KioskMetrics("1.0", "test-01", clock, HealthBoard([card_reader_health(clock)]))
    names: set[str] = set()
    for family in metrics.registry.collect():
        names.add(family.name)
        if family.type == "counter":
            names.add(f"{family.name}_total")
        names.update(sample.name for sample in family.samples)
    for suffix in ("_bucket", "_count", "_sum"):
        names.add(f"kiosk_registry_request_duration_seconds{suffix}")
    names.update({"kiosk_printer_paper", "kiosk_registry_online"})  # shown once the probes have answered
    return names | {OUTBOX_DEPTH, OUTBOX_OLDEST_AGE, LAST_SYNC_AGE, CACHE_OFFLINE}


def test_rules_and_dashboard_name_only_exported_metrics(clock: ManualClock) -> None:
    exported = exported_names(clock)
    dashboard = json.loads((MONITORING / "kiosk-dashboard.json").read_text(encoding="utf-8"))
    expressions = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    rules = "\n".join(line for line in RULES.read_text().splitlines() if not line.lstrip().startswith("#"))
    used = set(METRIC.findall(rules)) | {n for e in expressions for n in METRIC.findall(e)}
    assert used, "no kiosk metric named at all"
    assert used <= exported, used - exported
    assert dashboard["uid"] and dashboard["title"]
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
