"""Cold start of the kiosk from several source trees (before and after a change), in the same run.

Each tree is a copy of the repository (``git worktree add``, ``git archive HEAD | tar -x``, or a copy
with a change tried out); its kiosk runs as ``python -m kiosk`` with the tree first on PYTHONPATH, so
the same venv runs them all. The bare Kivy app of bench/startup.py is measured alongside, and the
sides take turns exactly as there. The first tree is the reference of the "change" lines.

    .venv/bin/python bench/_startup_ab.py before=/tmp/head after=/tmp/changed [--rounds 7]
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


def tree(text: str) -> tuple[str, Path]:
    label, _, path = text.partition("=")
    if not path or not Path(path).is_dir():
        raise argparse.ArgumentTypeError(f"expected LABEL=DIRECTORY, got {text!r}")
    return label, Path(path).resolve()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees", nargs="+", type=tree, metavar="LABEL=DIRECTORY", help="source trees to compare")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--card", choices=("none", "virtual"), default="none")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--budget", type=float, default=150.0)
    args = parser.parse_args()
    width, height = int(shipped_value("ui", "width")), int(shipped_value("ui", "height"))
    with tempfile.TemporaryDirectory(prefix="bench-startup-ab-") as name, xvfb(width, height) as display:
        tmp = Path(name)
        env = child_environment(display, tmp)
        sides = [Side("bare Kivy app (one Label)", "bare", [sys.executable, str(BENCH / "_bare_kivy_app.py"),
                                                            "--width", str(width), "--height", str(height)])]
        for number, (label, path) in enumerate(args.trees):
            directory = tmp / f"tree-{number}"
            directory.mkdir()
            ini = write_ini(directory, {("card_reader", "kind"): args.card})
            sides.append(Side(f"kiosk {label}", f"tree-{number}", [sys.executable, "-m", "kiosk", "--config", str(ini)],
                              extra_env={"PYTHONPATH": os.pathsep.join([str(path), env["PYTHONPATH"]])}))
        rounds = run_rounds(sides, env, tmp, args.rounds, args.timeout, args.budget)
        report(sides, rounds, width, height)
        reference = sides[1]
        for side in sides[2:]:
            change = side.median_frame() - reference.median_frame()
            print(f"  {side.name} - {reference.name}, first frame: {change * 1000:+.0f} ms "
                  f"({side.median_frame() / reference.median_frame():.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
