"""The card reader through kiosk.service's restrictions: pcscd's AF_UNIX socket, the unit's system-call
filter and read-only file system (tests/installed_sandbox.py), with the real PC/SC stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from devices.card.enp import mask_enp
from devices.card.profile import load_profile
from tests.installed_sandbox import build_installed

pytestmark = pytest.mark.pcsc


def test_the_installed_kiosk_reads_a_card(tmp_path: Path, insert_card: Any) -> None:
    installed = build_installed(tmp_path, {("card_reader", "kind"): "pcsc"})
    insert_card("demo")
    done = installed.run("--config", str(installed.ini), "card", "read", "--json")
    assert done.returncode == 0, done.stderr
    owner = load_profile("demo").owner
    result = json.loads(done.stdout)
    assert (result["surname"], result["policy"]) == (owner.surname, mask_enp(owner.policy))
