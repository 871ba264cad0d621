"""Checks that need more than one key, or the machine: run after every section has parsed.

Each one raises :class:`ConfigError` naming the file, line, section and key, and the other key
the rule depends on, so that ``kiosk check-config`` passing means the kiosk can start with it
(also as the ``ExecStartPre=`` of kiosk.service, which knows the unit's state directory).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from kiosk.config.data_dir import inside, state_directories
from kiosk.config.loader import ConfigError, IniFile

_HOSTNAME = re.compile(r"(?=.{1,253}\Z)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                       r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?", re.ASCII)
#: a ticket's job asks the status before and after it: at least this many status_timeouts long
STATUS_QUESTIONS = 4
_IPV6 = re.compile(r"[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?", re.ASCII)


def _fail(path: Path, parser: IniFile, section: str, key: str, message: str) -> ConfigError:
    return ConfigError(path, section, key, message, line=parser.line_of(section, key))


def _bad(path: Path, parser: IniFile, section: str, key: str, value: object, allowed: str) -> ConfigError:
    return _fail(path, parser, section, key, f"bad value {str(value)!r}; allowed: {allowed}")


def check_url(path: Path, parser: IniFile, registry: Any) -> None:
    url: str = registry.url
    demo = registry.kind == "demo"
    ports = "port 1 to 65535" + (" (or 0 = any free port)" if demo else
                                 " (0 only with [registry] kind = demo)")
    allowed = f"an http:// or https:// URL with a host name or IP address and {ports}"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _bad(path, parser, "registry", "url", url, allowed) from None
    host = parts.hostname or ""
    netloc_host = parts.netloc.rpartition("@")[2]
    valid_host = (_IPV6.fullmatch(host) is not None and ":" in host and netloc_host.startswith("[")) or (
        _HOSTNAME.fullmatch(host) is not None and not netloc_host.startswith("["))
    if parts.scheme not in ("http", "https") or not valid_host:
        raise _bad(path, parser, "registry", "url", url, allowed)
    if port is not None and not (1 <= port <= 65535 or (port == 0 and demo)):
        raise _bad(path, parser, "registry", "url", url, allowed)


def check_tls(path: Path, parser: IniFile, registry: Any) -> None:
    if registry.client_key is not None and registry.client_cert is None:
        raise _bad(path, parser, "registry", "client_key", registry.client_key,
                   "empty unless [registry] client_cert is set (client_key is the key of client_cert)")


def _valid_host(host: str) -> bool:
    return _HOSTNAME.fullmatch(host) is not None or (":" in host and _IPV6.fullmatch(host) is not None)


def check_printer(path: Path, parser: IniFile, printer: Any) -> None:
    if printer.kind == "network" and not _valid_host(printer.host.strip()):
        raise _bad(path, parser, "printer", "host", printer.host,
                   "a host name or IP address (needed by [printer] kind = network)")
    if printer.kind == "serial" and not printer.serial_port.strip():
        raise _bad(path, parser, "printer", "serial_port", printer.serial_port,
                   "a serial device such as /dev/ttyUSB0 (needed by [printer] kind = serial)")
    if printer.job_timeout < STATUS_QUESTIONS * printer.status_timeout:
        raise _bad(path, parser, "printer", "job_timeout", f"{printer.job_timeout:g}",
                   f"at least {STATUS_QUESTIONS} x [printer] status_timeout "
                   f"({STATUS_QUESTIONS * printer.status_timeout:g} s), so the status before and after a "
                   "ticket fits in the job")


def _writable_or_creatable(directory: Path) -> str | None:
    """None when ``directory`` is writable, or creatable (its first existing parent writable); else why not."""
    probe = directory
    while not os.path.lexists(probe) and probe.parent != probe:
        probe = probe.parent
    try:
        ok = probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)
    except (OSError, ValueError):
        ok = False
    if ok:
        return None
    why = "is not a directory" if probe.exists() and not probe.is_dir() else "is not writable"
    return f"cannot be created: {probe} {why}" if probe != directory else why


def written_paths(sections: dict[str, Any]) -> list[tuple[str, str, Path, Path]]:
    """(section, key, value, the directory the kiosk writes in) for each place this config writes to."""
    found = [("kiosk", "data_dir", sections["kiosk"].data_dir, sections["kiosk"].data_dir)]
    if sections["registry"].kind == "demo":
        demo_db = sections["registry"].demo_db
        found.append(("registry", "demo_db", demo_db, demo_db.parent))
    printer = sections["printer"]
    if printer.kind == "preview":
        found.append(("printer", "path", printer.path, printer.path))
    else:  # a file printer's path is a device or a file someone else reads; not ours to place
        found.append(("printer", "fallback_dir", printer.fallback_dir, printer.fallback_dir))
    cache = sections["cache"]
    if cache.enabled:
        found.append(("cache", "file", cache.file, cache.file.parent))
        found.append(("cache", "key_file", cache.key_file, cache.key_file.parent))
    return found


def check_data_dir(path: Path, parser: IniFile, sections: dict[str, Any], environ: Mapping[str, str]) -> None:
    """Every place the kiosk writes is writable or creatable (nothing is made); under systemd, inside the
    service's state directory, the one place its ProtectSystem=strict leaves writable."""
    states = state_directories(environ)
    for section, key, value, directory in written_paths(sections):
        if states and not inside(value, states):
            state = ":".join(str(s) for s in states)
            hint = " (leave it empty for the state directory)" if key == "data_dir" else " (or a relative path)"
            raise _bad(path, parser, section, key, value,
                       f"a path inside the service's state directory {state}{hint}: systemd runs the kiosk "
                       f"with ProtectSystem=strict, everything else is read-only")
        why = _writable_or_creatable(directory)
        if why is not None:
            what = "a directory the kiosk can write to, or create" if directory == value else \
                "a file in a directory the kiosk can write to, or create"
            raise _bad(path, parser, section, key, value, f"{what} ({directory} {why})")


def check_rules(path: Path, parser: IniFile, sections: dict[str, Any], environ: Mapping[str, str]) -> None:
    check_url(path, parser, sections["registry"])
    check_tls(path, parser, sections["registry"])
    check_printer(path, parser, sections["printer"])
    check_data_dir(path, parser, sections, environ)
    check_ticket_key(path, parser, sections["scanner"].ticket_key_file)
    check_job_deadlines(path, parser, sections["jobs"], sections["registry"])
    check_errands(path, parser, sections["ui"].errands)


def check_errands(path: Path, parser: IniFile, errands: str) -> None:
    """The start screen's errands: known names, each once, at least one."""
    from kiosk.errands import ALLOWED, parse_errands

    try:
        parse_errands(errands)
    except ValueError as error:
        raise _bad(path, parser, "ui", "errands", errands, f"{ALLOWED} ({error})") from None


def check_ticket_key(path: Path, parser: IniFile, key_file: Path | None) -> None:
    """A named ticket key must be there and be a key (an empty value makes one in data_dir at start)."""
    from kiosk.tickets.check_in_pass import TicketKeyError, load_ticket_key

    if key_file is not None:
        try:
            load_ticket_key(key_file, create=False)
        except TicketKeyError as error:
            raise _bad(path, parser, "scanner", "ticket_key_file", key_file,
                       f"a readable file of 32 bytes or 64 hex digits ({error})") from None


def check_job_deadlines(path: Path, parser: IniFile, jobs: Any, registry: Any) -> None:
    """A job's deadline bounds the whole request: it must leave room for one registry call."""
    if jobs.max_workers < jobs.workers:
        raise _bad(path, parser, "jobs", "max_workers", jobs.max_workers,
                   f"a whole number from [jobs] workers ({jobs.workers}) to 64")
    for key in ("deadline", "write_deadline"):
        value = getattr(jobs, key)
        if value <= registry.call_deadline:
            raise _bad(path, parser, "jobs", key, f"{value:g}",
                       f"seconds, more than [registry] call_deadline ({registry.call_deadline:g})")
