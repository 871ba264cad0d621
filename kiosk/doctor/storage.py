"""The data directory: writable (a real file written, synced and removed) and with room left."""

from __future__ import annotations

import os
import shutil
import tempfile

from kiosk.doctor.context import DoctorContext
from kiosk.doctor.result import CheckResult, fail, ok, warn

NAME = "data_dir"


def check_data_dir(context: DoctorContext) -> list[CheckResult]:
    data_dir = context.config.kiosk.data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=data_dir, prefix=".doctor-", delete=True) as probe:
            probe.write(b"kiosk doctor\n")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        return [fail(NAME, f"{data_dir} is not writable ({exc.strerror or exc})",
                     f"make {data_dir} writable by the kiosk user (chown kiosk:kiosk), or set [kiosk] data_dir")]
    free_mb = shutil.disk_usage(data_dir).free // (1024 * 1024)
    need_mb = context.config.doctor.min_free_mb
    if free_mb < need_mb:
        return [warn(NAME, f"{data_dir}: writable, only {free_mb} MiB free (below [doctor] min_free_mb = {need_mb})",
                     "free space on that file system (journalctl --vacuum-size=100M, old ticket pictures)")]
    return [ok(NAME, f"{data_dir}: writable, {free_mb} MiB free")]
