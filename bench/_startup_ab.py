"""Cold start of the kiosk from two source trees, e.g. before and after a change, in the same run.

Each tree is a copy of the repository (``git worktree add``, or a copy of the working tree with some
files restored); the kiosk is started as ``python -m kiosk`` with the tree first on PYTHONPATH, so
the same venv runs both. The bare Kivy app of bench/startup.py is measured alongside, and rounds
alternate exactly as there.

    .venv/bin/python bench/_startup_ab.py --before /tmp/before --after /tmp/after [--rounds 9]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kiosk_ini import shipped_value, write_ini
from startup import BENCH, Side, child_environment, report, run_rounds, xvfb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", type=Path, required=True, help="source tree of the first kiosk")
    parser.add_argument("--after", type=Path, required=True, help="source tree of the second kiosk")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--card", choices=("none", "virtual"), default="none")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--budget", type=float, default=110.0)
    args = parser.parse_args()
    width, height = int(shipped_value("ui", "width")), int(shipped_value("ui", "height"))
    with tempfile.TemporaryDirectory(prefix="bench-startup-ab-") as name, xvfb(width, height) as display:
        tmp = Path(name)
        env = child_environment(display, tmp)
        sides = [Side("bare Kivy app (one Label)", "bare", [sys.executable, str(BENCH / "_bare_kivy_app.py"),
                                                            "--width", str(width), "--height", str(height)])]
        for label, tree in (("before", args.before), ("after", args.after)):
            directory = tmp / label
            directory.mkdir()
            ini = write_ini(directory, {("card_reader", "kind"): args.card})
            path = os.pathsep.join([str(tree.resolve()), env["PYTHONPATH"]])
            sides.append(Side(f"kiosk {label} ({tree})", label, [sys.executable, "-m", "kiosk", "--config", str(ini)],
                              extra_env={"PYTHONPATH": path}))
        rounds = run_rounds(sides, env, tmp, args.rounds, args.timeout, args.budget)
        report(sides, rounds, width, height)
        before, after = sides[1], sides[2]
        change = after.median_frame() - before.median_frame()
        print(f"  after - before, first frame: {change * 1000:+.0f} ms "
              f"({after.median_frame() / before.median_frame():.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
