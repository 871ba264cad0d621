"""Where the kiosk writes: data_dir empty = systemd's state directory, else var beside kiosk.ini;
the files it writes follow data_dir; under systemd nothing may point outside the state directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config
from kiosk.config.data_dir import inside, state_directories
from kiosk.config.edit import ini_with

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "kiosk.ini"


def installed(etc: Path, values: dict[tuple[str, str], str] | None = None) -> Path:
    """The shipped kiosk.ini copied as the install steps do (optionally with a few values changed)."""
    etc.mkdir(parents=True, exist_ok=True)
    path = etc / "kiosk.ini"
    path.write_text(ini_with(SHIPPED.read_text(encoding="utf-8"), values or {}), encoding="utf-8")
    return path


def test_shipped_file_under_systemd_keeps_everything_in_the_state_directory(tmp_path: Path) -> None:
    state, demo_state = tmp_path / "var/lib/kiosk", tmp_path / "var/lib/kiosk-demo-registry"
    config = load_config(installed(tmp_path / "etc/kiosk"), environ={"STATE_DIRECTORY": f"{state}:{demo_state}"})
    assert config.kiosk.data_dir == state
    # the demo registry stands for the city's: its patients in clear stay out of the kiosk's data
    assert config.registry.demo_db == demo_state / "demo-registry.sqlite"
    assert config.cache.file == state / "cache.sqlite" and config.cache.key_file == state / "cache.key"
    assert config.printer.path == state / "tickets"
    assert config.printer.fallback_dir == state / "tickets"


def test_shipped_file_without_systemd_keeps_the_demo_beside_the_file(tmp_path: Path) -> None:
    config = load_config(installed(tmp_path), environ={})
    assert config.kiosk.data_dir == tmp_path / "var"
    assert config.registry.demo_db == tmp_path / "kiosk-demo-registry/demo-registry.sqlite"
    assert config.printer.path == tmp_path / "var/tickets"


def test_a_missing_key_follows_data_dir_too(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.ini"
    path.write_text("[kiosk]\nkiosk_id = t-1\n", encoding="utf-8")
    state = tmp_path / "state"
    config = load_config(path, environ={"STATE_DIRECTORY": f"{state}:{tmp_path / 'kiosk-demo-registry'}"})
    assert config.kiosk.data_dir == state
    assert inside(config.cache.file, (state,))
    assert inside(config.printer.path, (state,)) and inside(config.printer.fallback_dir, (state,))


def test_explicit_data_dir_and_absolute_files_are_kept(tmp_path: Path) -> None:
    data = tmp_path / "srv/kiosk"
    path = installed(tmp_path / "etc", {("kiosk", "data_dir"): str(data),
                                        ("printer", "path"): str(tmp_path / "pictures")})
    config = load_config(path, environ={})
    assert config.kiosk.data_dir == data
    assert config.registry.demo_db == tmp_path / "srv/kiosk-demo-registry/demo-registry.sqlite"
    assert config.printer.path == tmp_path / "pictures"


def _error(path: Path, environ: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ=environ)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _line(path: Path, key: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line.startswith(f"{key} ="))


def test_the_crash_loop_case_is_refused_before_start(tmp_path: Path) -> None:
    """The old shipped value (data_dir = var) copied to /etc/kiosk, checked as ExecStartPre does."""
    path = installed(tmp_path / "etc/kiosk", {("kiosk", "data_dir"): "var"})
    state = tmp_path / "var/lib/kiosk"
    message = _error(path, {"STATE_DIRECTORY": str(state)})
    assert message.startswith(f"{path}:{_line(path, 'data_dir')}: [kiosk] data_dir: bad value "
                              f"'{tmp_path / 'etc/kiosk/var'}'; allowed: a path inside the service's state "
                              f"directory {state} (leave it empty for the state directory)")
    assert "ProtectSystem=strict" in message


@pytest.mark.parametrize(("section", "key", "kind"), [
    ("registry", "demo_db", ("registry", "kind", "demo")),
    ("printer", "path", ("printer", "kind", "preview")),
    ("printer", "fallback_dir", ("printer", "kind", "file")),
])
def test_every_written_file_must_be_in_the_state_directory(
        tmp_path: Path, section: str, key: str, kind: tuple[str, str, str]) -> None:
    outside = tmp_path / "etc/kiosk/elsewhere"
    path = installed(tmp_path / "etc/kiosk", {("registry", "demo_db"): "demo.sqlite",
                                              (section, key): str(outside), kind[:2]: kind[2],
                                              ("printer", "path"): "tickets" if key != "path" else str(outside)})
    message = _error(path, {"STATE_DIRECTORY": str(tmp_path / "state")})
    assert message.startswith(f"{path}:{_line(path, key)}: [{section}] {key}: bad value '{outside}'")
    assert f"inside the service's state directory {tmp_path / 'state'}" in message


def test_without_systemd_an_unwritable_place_for_a_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    path = installed(tmp_path, {("registry", "demo_db"): str(tmp_path / "afile/demo.sqlite")})
    message = _error(path, {})
    assert message.startswith(f"{path}:{_line(path, 'demo_db')}: [registry] demo_db: bad value")
    assert message.endswith(f"allowed: a file in a directory the kiosk can write to, or create "
                            f"({tmp_path / 'afile'} is not a directory)")


def test_dot_dot_does_not_leave_the_state_directory_unnoticed(tmp_path: Path) -> None:
    state = tmp_path / "state"
    path = installed(tmp_path / "etc", {("kiosk", "data_dir"): str(state / ".." / "escape")})
    assert "inside the service's state directory" in _error(path, {"STATE_DIRECTORY": str(state)})


def test_state_directory_variable_is_read_as_systemd_writes_it() -> None:
    assert state_directories({}) == ()
    assert state_directories({"STATE_DIRECTORY": "/var/lib/kiosk:/var/lib/other"}) == (
        Path("/var/lib/kiosk"), Path("/var/lib/other"))
    assert state_directories({"STATE_DIRECTORY": "relative:"}) == ()
    assert inside(Path("/var/lib/kiosk/tickets"), (Path("/var/lib/kiosk"),))
    assert inside(Path("/var/lib/kiosk"), (Path("/var/lib/kiosk/"),))
    assert not inside(Path("/var/lib/kiosk-other"), (Path("/var/lib/kiosk"),))
    assert not inside(Path("/var/lib/kiosk/../x"), (Path("/var/lib/kiosk"),))
