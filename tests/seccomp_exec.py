"""Run a command under a seccomp filter like systemd's SystemCallFilter= with SystemCallErrorNumber=EPERM:
only the calls named in FILE pass, any other fails with EPERM. Run by the system python3, which has the
libseccomp binding (Debian python3-seccomp), before it execs the command:

    /usr/bin/python3 tests/seccomp_exec.py FILE COMMAND [ARG...]
"""

from __future__ import annotations

import errno
import os
import sys

import seccomp  # type: ignore[import-not-found]


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as listing:
        names = listing.read().split()
    rules = seccomp.SyscallFilter(defaction=seccomp.ERRNO(errno.EPERM))
    for name in names:
        try:
            rules.add_rule(seccomp.ALLOW, name)
        except (RuntimeError, ValueError, OSError):  # a call this architecture does not have
            continue
    rules.load()
    os.execv(sys.argv[2], sys.argv[2:])


if __name__ == "__main__":
    main()
