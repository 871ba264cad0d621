"""Cold start benchmark: the kiosk against a bare Kivy app with one Label, same window, same run.

Both run as new processes on an Xvfb display of their own (DISPLAY set, so ``kiosk`` starts the
interactive kiosk, not the walk-through). The kiosk is the ``kiosk`` console script with a
temporary kiosk.ini made from the shipped one: the embedded demo registry, the preview printer,
``[card_reader] kind = none`` (``--card virtual`` or ``both`` adds the virtual card; it starts a
private pcscd when none runs), every file in a temp dir. The baseline is bench/_bare_kivy_app.py.

Measured from just before the process is spawned to

- **the first frame**: the first buffer swap after the event loop started (so after
  ``App.on_start``, with the root widget on the window), reported by bench/_frame_probe.py, which
  both processes load the same way (a ``sitecustomize`` on PYTHONPATH): the headline ratio;
- **READY=1** on $NOTIFY_SOCKET, as systemd would receive it. The bare app sends it the way the
  kiosk does (screens/app.py): on the clock tick after its first buffer swap (``--bare-ready
  on-start``: from a ``Clock.schedule_once`` made in ``on_start``, which Kivy runs in the first
  frame's clock tick, *before* that frame is drawn). The column ``READY - frame`` shows on which
  side of the first frame it arrives.

Sides take turns every round (in a rotating order) after one warm-up start each that is not
counted (it fills a private bytecode cache: ``PYTHONPYCACHEPREFIX`` in the temp dir, so the
repository is not written to). Every process is stopped with SIGTERM and waited for; killed if it
does not stop in time. Goal: kiosk / bare ≤ 1.5x. Exit 0 whether the goal is met or not (1 only when
a side fails to start); nothing here asserts a time.

    .venv/bin/python bench/startup.py [--rounds 5] [--card none|virtual|both] [--fresh-data]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _kiosk_ini import shipped_value, write_ini

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
GOAL = 1.5
FRAME_PREFIX = "X_BENCH_FIRST_FRAME="
#: variables of the calling shell that would change how the children start
DROPPED = ("SDL_VIDEODRIVER", "WAYLAND_DISPLAY", "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID",
           "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "BENCH_FRAME_SOCKET")


class StartError(RuntimeError):
    pass


@dataclass
class Start:
    frame: float  # seconds from spawn to the first frame
    ready: float | None  # seconds from spawn to READY=1 (None: never sent)
    clean_stop: bool


@dataclass
class Side:
    name: str
    slug: str  # names its log file
    command: list[str]
    fresh_data: Path | None = None  # a data dir removed before each start (--fresh-data)
    extra_env: dict[str, str] = field(default_factory=dict)  # on top of the shared environment
    starts: list[Start] = field(default_factory=list)

    def median_frame(self) -> float:
        return statistics.median(s.frame for s in self.starts)

    def median_ready(self) -> float | None:
        readies = [s.ready for s in self.starts if s.ready is not None]
        return statistics.median(readies) if readies else None

    def median_offset(self) -> float | None:
        offsets = [s.ready - s.frame for s in self.starts if s.ready is not None]
        return statistics.median(offsets) if offsets else None


# -- the display --------------------------------------------------------------------------------


@contextlib.contextmanager
def xvfb(width: int, height: int) -> Iterator[str]:
    """A private Xvfb as large as the window; yields its DISPLAY and always stops it."""
    if shutil.which("Xvfb") is None:
        raise SystemExit("startup.py needs Xvfb (bash .ci/bootstrap installs it)")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        yield f":{number}"
    finally:
        stop_process(server, timeout=10)


# -- one start ------------------------------------------------------------------------------------


def stop_process(process: subprocess.Popen[bytes], timeout: float) -> bool:
    """SIGTERM, wait; SIGKILL the whole process group if it does not stop. True if it stopped by itself."""
    clean = True
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            clean = False
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)  # a child left behind (e.g. a pcscd) goes too
    process.wait()
    return clean and process.returncode == 0


def start_once(side: Side, env: dict[str, str], workdir: Path, timeout: float) -> Start:
    """Spawn ``side``, wait for its first frame and READY=1, stop it with SIGTERM."""
    if side.fresh_data is not None and side.fresh_data.exists():
        shutil.rmtree(side.fresh_data)
    address = workdir / "notify.sock"
    address.unlink(missing_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(address))
    listener.settimeout(0.2)
    log_path = workdir / f"{side.slug}.log"
    child_env = {**env, **side.extra_env, "NOTIFY_SOCKET": str(address), "BENCH_FRAME_SOCKET": str(address)}
    frame: float | None = None
    ready: float | None = None
    with log_path.open("wb") as log:
        spawned = time.monotonic()
        process = subprocess.Popen(side.command, env=child_env, cwd=workdir, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        clean = False
        try:
            deadline = spawned + timeout
            while frame is None or ready is None:
                if frame is not None and time.monotonic() > frame + spawned + 5:
                    break  # no READY within 5 s of the first frame: it does not send one
                if time.monotonic() > deadline:
                    raise StartError(f"{side.name}: no first frame within {timeout:g} s")
                if process.poll() is not None:
                    raise StartError(f"{side.name} exited with {process.returncode} before its first frame")
                try:
                    message = listener.recv(4096).decode()
                except TimeoutError:
                    continue
                if message.startswith("READY=1") and ready is None:
                    ready = time.monotonic() - spawned
                elif message.startswith(FRAME_PREFIX) and frame is None:
                    frame = float(message[len(FRAME_PREFIX):]) - spawned
        finally:
            clean = stop_process(process, timeout=30)
            listener.close()
            address.unlink(missing_ok=True)
    output = log_path.read_text(errors="replace")
    if "no display found" in output:
        raise StartError(f"{side.name} ran the walk-through instead of the interactive kiosk")
    assert frame is not None
    return Start(frame, ready, clean)


def start_or_exit(side: Side, env: dict[str, str], workdir: Path, timeout: float) -> Start:
    """One start; a failure ends the benchmark with the side's own output (everything is stopped)."""
    try:
        return start_once(side, env, workdir, timeout)
    except StartError as error:
        tail = (workdir / f"{side.slug}.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"startup.py: {error}\n--- its output ---\n{tail}") from None


def run_rounds(sides: list[Side], env: dict[str, str], workdir: Path, rounds: int, timeout: float,
               budget: float) -> int:
    """A warm-up start of each side, then ``rounds`` rounds in rotating order; returns rounds done."""
    began = time.monotonic()
    for side in sides:
        start_or_exit(side, env, workdir, timeout)
    done = 0
    for number in range(rounds):
        if number > 0 and time.monotonic() - began > budget:
            print(f"  (stopped after {number} rounds: the {budget:.0f} s budget is spent)")
            break
        shift = number % len(sides)
        for side in sides[shift:] + sides[:shift]:
            side.starts.append(start_or_exit(side, env, workdir, timeout))
        done += 1
    return done


# -- set-up and report ----------------------------------------------------------------------------


def child_environment(display: str, tmp: Path) -> dict[str, str]:
    probe_dir = tmp / "probe"
    probe_dir.mkdir()
    shutil.copy(BENCH / "_frame_probe.py", probe_dir / "sitecustomize.py")
    env = {k: v for k, v in os.environ.items() if k not in DROPPED and not k.startswith("KIVY_")}
    env.update(
        DISPLAY=display,
        KIVY_HOME=str(tmp / "kivy-home"),
        KIVY_NO_ARGS="1",
        KIVY_NO_CONFIG="1",
        KIVY_NO_FILELOG="1",
        KIVY_LOG_MODE="PYTHON",
        PYTHONPYCACHEPREFIX=str(tmp / "pycache"),
        PYTHONPATH=os.pathsep.join([str(probe_dir), *filter(None, [os.environ.get("PYTHONPATH")])]),
    )
    return env


def kiosk_command() -> list[str]:
    script = Path(sys.executable).with_name("kiosk")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kiosk"]


def pcscd_running() -> bool:
    for comm in Path("/proc").glob("[0-9]*/comm"):
        with contextlib.suppress(OSError):
            if comm.read_text().strip() == "pcscd":
                return True
    return False


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:.0f} ms"


def report(sides: list[Side], rounds: int, width: int, height: int) -> None:
    bare, kiosks = sides[0], sides[1:]
    print(f"cold start to the first frame, {width}x{height} window under Xvfb, "
          f"{rounds} rounds (+1 warm-up each), medians")
    print(f"  {'side':34} {'first frame':>12} {'READY=1':>10} {'READY - frame':>14} {'clean stops':>12}")
    for side in sides:
        clean = sum(s.clean_stop for s in side.starts)
        print(f"  {side.name:34} {ms(side.median_frame()):>12} {ms(side.median_ready()):>10} "
              f"{ms(side.median_offset()):>14} {clean:>5}/{len(side.starts)}")
    for kiosk in kiosks:
        ratio = kiosk.median_frame() / bare.median_frame()
        verdict = "met" if ratio <= GOAL else "NOT met"
        line = f"  ratio {kiosk.name} / bare, first frame: {ratio:.2f}x  (goal <= {GOAL}x: {verdict})"
        kiosk_ready, bare_ready = kiosk.median_ready(), bare.median_ready()
        if kiosk_ready is not None and bare_ready is not None:
            line += f"; READY=1: {kiosk_ready / bare_ready:.2f}x"
        print(line)
    for side in sides:
        offset = side.median_offset()
        if offset is not None and offset < 0:
            print(f"  note: {side.name} sends READY=1 {-offset * 1000:.0f} ms BEFORE its first frame "
                  "(systemd hears 'ready' while the screen is still empty)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="counted starts of each side (default 5)")
    parser.add_argument("--card", choices=("none", "virtual", "both"), default="none",
                        help="[card_reader] kind of the kiosk; both = two kiosk sides (default none)")
    parser.add_argument("--fresh-data", action="store_true",
                        help="an empty data dir for every kiosk start (first boot: the demo registry "
                             "creates its database); default: the data dir the warm-up made (a restart)")
    parser.add_argument("--bare-ready", choices=("after-frame", "on-start"), default="after-frame",
                        help="when the bare app sends READY=1: after its first buffer swap, as the kiosk "
                             "does (default), or from Clock.schedule_once in on_start")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one start may take")
    parser.add_argument("--budget", type=float, default=100.0,
                        help="no new round starts after this many seconds (default 100)")
    args = parser.parse_args()
    width, height = int(shipped_value("ui", "width")), int(shipped_value("ui", "height"))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as name, xvfb(width, height) as display:
        tmp = Path(name)
        env = child_environment(display, tmp)
        sides = [Side("bare Kivy app (one Label)", "bare", [sys.executable, str(BENCH / "_bare_kivy_app.py"),
                                                    "--width", str(width), "--height", str(height),
                                                    "--ready", args.bare_ready])]
        kinds = ("none", "virtual") if args.card == "both" else (args.card,)
        for kind in kinds:
            directory = tmp / f"kiosk-{kind}"
            directory.mkdir()
            ini = write_ini(directory, {("card_reader", "kind"): kind, ("ui", "fullscreen"): "no"})
            sides.append(Side(f"kiosk (card {kind})", f"kiosk-{kind}", [*kiosk_command(), "--config", str(ini)],
                              fresh_data=directory / "data" if args.fresh_data else None))
        if "virtual" in kinds and pcscd_running():
            print("  (a pcscd is running already: the virtual-card kiosk uses it, so starting one is not "
                  "in its figure)")
        rounds = run_rounds(sides, env, tmp, args.rounds, args.timeout, args.budget)
        report(sides, rounds, width, height)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
