"""systemd/kiosk.service read as systemd reads it, for the tests that check the unit and run the kiosk
in its environment."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "systemd" / "kiosk.service"


def unit_settings(path: Path = UNIT) -> dict[str, list[str]]:
    """``Section.Key`` → every value in file order (keys such as DeviceAllow= repeat)."""
    found: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        found.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return found


def unit_environment(state_root: Path, path: Path = UNIT) -> dict[str, str]:
    """The unit's Environment= with %S (the state root, /var/lib for a system unit) replaced, plus the
    STATE_DIRECTORY systemd adds for StateDirectory=."""
    settings = unit_settings(path)
    env: dict[str, str] = {}
    for line in settings.get("Service.Environment", []):
        for word in shlex.split(line.replace("%S", str(state_root))):
            key, _, value = word.partition("=")
            env[key] = value
    env["STATE_DIRECTORY"] = ":".join(str(state_root / d) for d in settings["Service.StateDirectory"][0].split())
    return env


def exec_words(key: str, path: Path = UNIT) -> list[list[str]]:
    """The command lines of ExecStart=, ExecStartPre=, … split into words (prefixes such as - or + removed)."""
    return [shlex.split(value.lstrip("-+!@:")) for value in unit_settings(path).get(f"Service.{key}", [])]


def _syscall_groups() -> dict[str, list[str]]:
    """``systemd-analyze syscall-filter``: each @group → its members (calls and other @groups)."""
    listing = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"], capture_output=True, text=True,
                             timeout=60, check=True).stdout
    groups: dict[str, list[str]] = {}
    current: list[str] = []
    for line in listing.splitlines():
        word = line.strip()
        if line.startswith("@"):
            current = groups.setdefault(word, [])
        elif word and not word.startswith("#"):
            current.append(word)
    return groups


def allowed_syscalls(path: Path = UNIT) -> set[str]:
    """The calls the unit's SystemCallFilter= lines let through, as systemd combines them: the first
    line is an allow list, each later ``~`` line takes its calls out of it."""
    groups = _syscall_groups()

    def expand(name: str) -> set[str]:
        return set().union(*(expand(member) for member in groups[name])) if name.startswith("@") else {name}

    lines = unit_settings(path)["Service.SystemCallFilter"]
    assert not lines[0].startswith("~"), "the first SystemCallFilter= line is an allow list"
    allowed: set[str] = set().union(*(expand(name) for name in lines[0].split()))
    for line in lines[1:]:
        names = set().union(*(expand(name) for name in line.removeprefix("~").split()))
        allowed = allowed - names if line.startswith("~") else allowed | names
    return allowed
