"""Checks that need more than one key, or the machine: run after every section has parsed.

Each one raises :class:`ConfigError` naming the file, line, section and key, and the other key
the rule depends on, so that ``kiosk check-config`` passing means the kiosk can start with it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


def check_data_dir(path: Path, parser: IniFile, data_dir: Path) -> None:
    """The directory must be writable, or creatable: its first existing parent writable (nothing made)."""
    allowed = "a directory the kiosk can write to, or create"
    probe = data_dir
    while not os.path.lexists(probe) and probe.parent != probe:
        probe = probe.parent
    try:
        ok = probe.is_dir() and os.access(probe, os.W_OK | os.X_OK)
    except (OSError, ValueError):
        ok = False
    if not ok:
        why = "is not a directory" if probe.exists() and not probe.is_dir() else "is not writable"
        if probe != data_dir:
            why = f"cannot be created: {probe} {why}"
        raise _bad(path, parser, "kiosk", "data_dir", data_dir, f"{allowed} ({data_dir} {why})")


def check_rules(path: Path, parser: IniFile, sections: dict[str, Any]) -> None:
    check_url(path, parser, sections["registry"])
    check_tls(path, parser, sections["registry"])
    check_printer(path, parser, sections["printer"])
    check_data_dir(path, parser, sections["kiosk"].data_dir)
