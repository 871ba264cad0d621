"""pcscd and the card reader: is pcscd there, does it list the configured reader (calls time-boxed)."""

from __future__ import annotations

import shutil

from kiosk.doctor.context import DoctorContext
from kiosk.doctor.result import CheckResult, fail, ok, skipped, warn

NAME = "card_reader"
CALL_TIMEOUT_S = 3.0


def check_card_reader(context: DoctorContext) -> list[CheckResult]:
    cfg = context.config.card_reader
    if cfg.kind == "none":
        return [skipped(NAME, "[card_reader] kind = none: typed entry only")]
    from devices.card.pcscd import VPCD_DRIVER, pcscd_running

    if not pcscd_running():
        if cfg.kind == "virtual" and cfg.start_pcscd:
            if shutil.which("pcscd") and VPCD_DRIVER.is_file():
                return [ok(NAME, "no pcscd running; the kiosk starts its own with the virtual card (demo)")]
            return [fail(NAME, "no pcscd running, and pcscd or the vpcd driver is not installed",
                         "apt-get install pcscd vsmartcard-vpcd")]
        return [fail(NAME, "pcscd does not answer on /run/pcscd/pcscd.comm",
                     "systemctl enable --now pcscd.socket; then systemctl status pcscd")]
    return _readers(cfg.reader, cfg.kind)


def _readers(pattern: str, kind: str) -> list[CheckResult]:
    from devices.card.pcsc import CallTimeoutError, PcscContext, PcscError, pick_reader

    try:
        context = PcscContext(call_timeout=CALL_TIMEOUT_S)
    except (PcscError, CallTimeoutError) as exc:
        return [fail(NAME, f"pcscd refuses a context ({exc})", "systemctl restart pcscd; see journalctl -u pcscd")]
    try:
        readers = context.readers()
    except (PcscError, CallTimeoutError) as exc:
        return [fail(NAME, f"pcscd does not list readers ({exc})", "systemctl restart pcscd")]
    finally:
        context.release()
    chosen = pick_reader(readers, pattern)
    if chosen is None:
        listed = ", ".join(readers) or "none"
        if kind == "virtual":
            return [warn(NAME, f"pcscd runs, no virtual reader in it yet (readers: {listed})",
                         "the kiosk inserts the virtual card when it starts; for a real reader set kind = pcsc")]
        wanted = f"matching {pattern!r}" if pattern else "at all"
        return [fail(NAME, f"pcscd runs but lists no reader {wanted} (readers: {listed})",
                     "plug the reader in (lsusb), check [card_reader] reader against `kiosk card readers`")]
    return [ok(NAME, f"pcscd runs; reader {chosen!r}")]
