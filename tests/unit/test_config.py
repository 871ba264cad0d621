"""kiosk.ini → frozen dataclasses; every problem names file, section, key and what is allowed."""

from __future__ import annotations

import configparser
import dataclasses
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.config import SECTIONS, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "kiosk.ini"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.ini"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_file_loads_with_demo_defaults() -> None:
    config = load_config(SHIPPED)
    assert config.registry.kind == "demo"
    assert config.card_reader.kind == "virtual"
    assert config.printer.kind == "preview"
    assert config.ui.fullscreen is False
    assert config.kiosk.data_dir == ROOT / "var"
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.ui.idle_timeout = 5  # type: ignore[misc]


def test_shipped_file_lists_every_key_with_a_comment() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    lines = text.splitlines()
    for section, kind in SECTIONS.items():
        assert parser.has_section(section), section
        for field in dataclasses.fields(kind):
            assert parser.has_option(section, field.name), f"[{section}] {field.name} missing from kiosk.ini"
            index = next(i for i, line in enumerate(lines) if re.match(rf"{field.name}\s*=", line))
            above = lines[index - 1]
            assert above.startswith("#") or re.match(r"\w+\s*=", above), f"{field.name} has no comment"


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""))
    assert config.ui.idle_timeout == 90
    assert config.registry.read_timeout == 10.0


def test_misspelled_key_names_file_section_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\nidle_timout = 30\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert str(path) in message and "[ui]" in message and "idle_timout" in message
    assert "idle_timeout" in message  # the keys that exist are listed


def test_unknown_section(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[printr\].*unknown section"):
        load_config(write(tmp_path, "[printr]\nkind = file\n"))


@pytest.mark.parametrize(("section", "key", "value", "allowed"), [
    ("ui", "idle_timeout", "soon", "a whole number from 10 to 3600"),
    ("ui", "idle_timeout", "5", "a whole number from 10 to 3600"),
    ("ui", "fullscreen", "maybe", "yes or no"),
    ("registry", "kind", "cloud", "one of: demo, emias"),
    ("registry", "read_timeout", "-1", "from 0.1 to 120"),
    ("registry", "call_deadline", "0", "from 1 to 300"),
    ("registry", "max_answer_kb", "100000", "a whole number from 64 to 65536"),
    ("kiosk", "kiosk_id", "кабинет 1", "matching"),
])
def test_bad_values_say_what_is_allowed(tmp_path: Path, section: str, key: str, value: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, f"[{section}]\n{key} = {value}\n"))
    message = str(caught.value)
    assert f"[{section}] {key}" in message
    assert repr(value) in message
    assert allowed in message


def test_relative_paths_are_relative_to_the_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[kiosk]\ndata_dir = state\n"))
    assert config.kiosk.data_dir == tmp_path / "state"


def test_not_an_ini_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not a valid ini file"):
        load_config(write(tmp_path, "just text\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.ini")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kiosk", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_check_config_cli(tmp_path: Path) -> None:
    good = run_cli("check-config", str(SHIPPED))
    assert good.returncode == 0, good.stderr
    bad_path = tmp_path / "kiosk.ini"
    bad_path.write_text(SHIPPED.read_text(encoding="utf-8").replace("read_timeout =", "read_timout ="),
                        encoding="utf-8")
    bad = run_cli("check-config", str(bad_path))
    assert bad.returncode != 0
    line = bad.stderr.strip().splitlines()[-1]
    assert str(bad_path) in line and "[registry]" in line and "read_timout" in line


def test_ini_with_replaces_values_and_keeps_the_rest() -> None:
    from kiosk.config.edit import ini_with

    text = "[ui]\n# seconds\nidle_timeout = 90\n[kiosk]\nidle_timeout = 5\n"
    changed = ini_with(text, {("ui", "idle_timeout"): "60"})
    assert changed == "[ui]\n# seconds\nidle_timeout = 60\n[kiosk]\nidle_timeout = 5\n"
    with pytest.raises(KeyError, match="idle_timout"):
        ini_with(text, {("ui", "idle_timout"): "60"})


# --- check-config means it can run: each case is one line naming file:line, [section] key, value ---

def shipped_with(tmp_path: Path, values: dict[tuple[str, str], str]) -> Path:
    from kiosk.config.edit import ini_with

    text = ini_with(SHIPPED.read_text(encoding="utf-8"), values)
    return write(tmp_path, text)


def line_of(path: Path, key: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if re.match(rf"{key}\s*=", line))


def one_line_error(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


@pytest.mark.parametrize(("section", "key", "value", "allowed"), [
    ("ui", "idle_timeout", "nan", "a whole number from 10 to 3600"),
    ("registry", "read_timeout", "nan", "a number from 0.1 to 120"),
    ("registry", "read_timeout", "inf", "a number from 0.1 to 120"),
    ("health", "registry_slow", "-inf", "a number from 0.1 to 60"),
    ("printer", "timeout", "NaN", "a number from 0.1 to 120"),
    ("card_reader", "poll_interval", "1e999", "a number from 0.1 to 10"),
    ("ui", "width", "١٠٨٠", "a whole number from 320 to 7680"),
    ("ui", "width", "1_080", "a whole number from 320 to 7680"),
    ("kiosk", "region", "٧٧", "text matching [0-9]{2}"),
    ("registry", "ca_bundle", "/nonexistent/ca.pem", "an existing readable file"),
    ("registry", "client_cert", "no-such-cert.pem", "does not exist or cannot be read"),
    ("registry", "ca_bundle", ".", "an existing readable file"),
    ("registry", "url", "http://127.0.0.1:99999/api/", "port 1 to 65535"),
    ("registry", "url", "http://:8080/api/", "a host name or IP address"),
    ("registry", "url", "http://bad host/api/", "text matching https?://"),
    ("registry", "url", "http://exa_mple..org/api/", "a host name or IP address"),
    ("registry", "url", "http://[::1/api/", "a host name or IP address"),
    ("kiosk", "data_dir", "~nosuchuser-kiosk/var", "no user 'nosuchuser-kiosk'"),
    ("printer", "path", "var/tick\x00ets", "without NUL characters"),
])
def test_bad_value_is_one_line_with_the_line_number(
    tmp_path: Path, section: str, key: str, value: str, allowed: str
) -> None:
    path = shipped_with(tmp_path, {(section, key): value})
    message = one_line_error(path)
    assert message.startswith(f"{path}:{line_of(path, key)}: [{section}] {key}: bad value {value!r}; allowed: ")
    assert allowed in message


def test_url_port_0_only_for_the_demo_registry(tmp_path: Path) -> None:
    assert load_config(shipped_with(tmp_path, {})).registry.url.startswith("http://127.0.0.1:0/")
    path = shipped_with(tmp_path, {("registry", "kind"): "emias"})
    message = one_line_error(path)
    assert f"{path}:{line_of(path, 'url')}: [registry] url: bad value" in message
    assert "0 only with [registry] kind = demo" in message
    good = shipped_with(tmp_path, {("registry", "kind"): "emias", ("registry", "url"): "https://[::1]:443/x"})
    assert load_config(good).registry.kind == "emias"


@pytest.mark.parametrize(("values", "section", "key", "value", "other"), [
    ({("registry", "client_key"): "key.pem"}, "registry", "client_key", "KEY", "[registry] client_cert"),
    ({("printer", "kind"): "network", ("printer", "host"): ""}, "printer", "host", "", "[printer] kind = network"),
    ({("printer", "kind"): "network", ("printer", "host"): "bad host"}, "printer", "host", "bad host",
     "[printer] kind = network"),
    ({("printer", "kind"): "serial", ("printer", "serial_port"): "  # none"}, "printer", "serial_port", "",
     "[printer] kind = serial"),
    ({("printer", "job_timeout"): "3", ("printer", "status_timeout"): "1"}, "printer", "job_timeout", "3",
     "[printer] status_timeout"),
])
def test_cross_field_rules_name_both_keys(
    tmp_path: Path, values: dict[tuple[str, str], str], section: str, key: str, value: str, other: str
) -> None:
    (tmp_path / "key.pem").write_text("key", encoding="utf-8")
    path = shipped_with(tmp_path, values)
    value = str(tmp_path / "key.pem") if value == "KEY" else value
    message = one_line_error(path)
    assert message.startswith(f"{path}:{line_of(path, key)}: [{section}] {key}: bad value {value!r}; allowed: ")
    assert other in message


def test_existing_tls_files_are_accepted(tmp_path: Path) -> None:
    for name in ("ca.pem", "cert.pem", "key.pem"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    config = load_config(shipped_with(tmp_path, {
        ("registry", "ca_bundle"): "ca.pem", ("registry", "client_cert"): "cert.pem",
        ("registry", "client_key"): "key.pem"}))
    assert config.registry.client_key == tmp_path / "key.pem"


def test_data_dir_must_be_writable_or_creatable(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    config = load_config(shipped_with(tmp_path, {("kiosk", "data_dir"): "new/deeper/var"}))
    assert config.kiosk.data_dir == tmp_path / "new/deeper/var"
    assert not (tmp_path / "new").exists()  # checked, not created
    path = shipped_with(tmp_path, {("kiosk", "data_dir"): "afile/var"})
    message = one_line_error(path)
    assert message.startswith(f"{path}:{line_of(path, 'data_dir')}: [kiosk] data_dir: bad value")
    assert "cannot be created" in message


def test_data_dir_read_only_parent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: Path(p) != locked and real_access(p, mode))
    message = one_line_error(shipped_with(tmp_path, {("kiosk", "data_dir"): "locked/var"}))
    assert f"cannot be created: {locked} is not writable" in message
    message = one_line_error(shipped_with(tmp_path, {("kiosk", "data_dir"): "locked"}))
    assert f"({locked} is not writable)" in message


def test_unreadable_tls_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    (tmp_path / "ca.pem").write_text("x", encoding="utf-8")
    monkeypatch.setattr(os, "access", lambda p, mode: not str(p).endswith("ca.pem"))
    message = one_line_error(shipped_with(tmp_path, {("registry", "ca_bundle"): "ca.pem"}))
    assert "[registry] ca_bundle: bad value 'ca.pem'" in message and "cannot be read" in message


def test_inline_comments_are_comments_but_a_hash_in_text_stays(tmp_path: Path) -> None:
    config = load_config(shipped_with(tmp_path, {
        ("printer", "serial_port"): "/dev/ttyUSB0 # printer",
        ("ui", "idle_timeout"): "60 ; seconds",
        ("ticket", "footer"): "Звоните: тел.#122; спасибо",
    }))
    assert config.printer.serial_port == "/dev/ttyUSB0"
    assert config.ui.idle_timeout == 60
    assert config.ticket.footer == "Звоните: тел.#122; спасибо"


def test_a_bom_is_accepted(tmp_path: Path) -> None:
    path = shipped_with(tmp_path, {})
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_config(path).kiosk.kiosk_id == "demo-01"


def test_not_utf8_gives_the_line(tmp_path: Path) -> None:
    path = shipped_with(tmp_path, {})
    lines = path.read_bytes().split(b"\n")
    number = line_of(path, "footer")
    lines[number - 1] = "footer = Приходите".encode("cp1251")
    path.write_bytes(b"\n".join(lines))
    message = one_line_error(path)
    assert message.startswith(f"{path}:{number}: not UTF-8 text")


def test_ini_syntax_errors_give_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\nwidth = 1080\nwidth = 1000\n")
    assert one_line_error(path).startswith(f"{path}:3: ")
    path = write(tmp_path, "[ui]\n[ui]\n")
    assert one_line_error(path).startswith(f"{path}:2: ")
    assert one_line_error(write(tmp_path, "[ui]\nwidth\n")).startswith(f"{path}:2: ")


def test_unknown_key_has_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "[ui]\n# a comment\nidle_timout = 30\n")
    assert one_line_error(path).startswith(f"{path}:3: [ui] idle_timout: unknown key; keys of [ui] are: ")


@pytest.mark.parametrize("command", [("check-config",), ("registry-check",), ("printer", "status"),
                                     ("card", "read"), ("run",)])
def test_every_subcommand_ends_with_one_line_on_a_bad_config(tmp_path: Path, command: tuple[str, ...]) -> None:
    path = shipped_with(tmp_path, {("registry", "ca_bundle"): "missing.pem"})
    result = run_cli("--config", str(path), *command)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.strip().startswith(f"kiosk: {path}:{line_of(path, 'ca_bundle')}: [registry] ca_bundle")


_SHIPPED_LINES = SHIPPED.read_bytes().split(b"\n")
_VALUE_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["nan", "inf", "-0", "1e999", "٧٧", "~nosuchuser/x", "~", "~/x", "\x00", "0", "99999",
                     "http://:0/", "http://[::1/", "https://h:65536/", "a # b", "; c", "x" * 5000, "9" * 5000,
                     "/", "/proc/self/nope/x", "[", "]", "%(x)s", "\ufeff"]),
)


@st.composite
def mutated_shipped(draw: st.DrawFn) -> bytes:
    lines = list(_SHIPPED_LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        how = draw(st.sampled_from(["bytes", "value", "key", "insert", "delete", "flip"]))
        if how == "bytes":
            lines[index] = draw(st.binary(max_size=40))
        elif how == "value" and b"=" in line:
            lines[index] = line.split(b"=", 1)[0] + b"= " + draw(_VALUE_TEXT).encode("utf-8", "surrogatepass")
        elif how == "key" and b"=" in line:
            lines[index] = draw(st.text(max_size=20)).encode("utf-8", "surrogatepass") + b" =" + line.split(b"=", 1)[1]
        elif how == "insert":
            lines.insert(index, draw(st.text(max_size=40)).encode("utf-8", "surrogatepass"))
        elif how == "delete":
            del lines[index]
        elif line:
            at = draw(st.integers(0, len(line) - 1))
            lines[index] = line[:at] + bytes([draw(st.integers(0, 255))]) + line[at + 1:]
        if not lines:
            break
    return b"\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=mutated_shipped())
def test_mutated_shipped_file_loads_or_says_why(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "kiosk.ini"
    path.write_bytes(data)
    try:
        load_config(path)
    except ConfigError as error:
        message = str(error)
        assert message.startswith(str(path)), message
        assert "\n" not in message, message
