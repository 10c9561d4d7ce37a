"""The whole test suite while every core is kept busy: does it stay green on a busy machine?

    .venv/bin/python bench/suite_under_load.py [--cores N] [--python-burners] [PYTEST ARGS...]

Starts CPU burners, one per core (`stress-ng --cpu N` when it is on PATH, else Python processes
spinning), runs pytest exactly as README's test command does
(`QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -n W --dist loadfile
--max-worker-restart=0 -q -p no:cacheprovider`, W one worker per core, at most 4, as setup.sh
has it; with any further arguments passed through, e.g. a path or `-x`), and stops the burners
whatever happens (pytest failing, Ctrl-C, SIGTERM; burners and pytest also die with this process
if it is killed).

pytest's output goes through as it comes. At the end it prints the wall-clock duration and a
last line of counts from pytest's summary, `N passed, N failed` (plus skipped, errors, ... when
there are any), and exits with pytest's exit code. A tool, not a test: it checks nothing itself.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = min(os.cpu_count() or 1, 4)  # as setup.sh
PYTEST_ARGS = ["-m", "pytest", "-n", str(WORKERS), "--dist", "loadfile", "--max-worker-restart=0",
               "-q", "-p", "no:cacheprovider"]
PR_SET_PDEATHSIG = 1
COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed|deselected)\b")
SUMMARY_LINE = re.compile(r"\b\d+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed)\b"
                          r".* in [\d.]+s")
ORDER = ("passed", "failed", "skipped", "error", "xfailed", "xpassed", "deselected")


class Stopped(Exception):
    """SIGTERM arrived: unwind so that the burners and pytest are stopped."""


def _die_with_parent() -> None:
    """In a child (Linux): be sent SIGKILL when the process that started us dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _spin(parent: int) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # stopped by the parent, not by Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, forked with us
    n = 0
    while True:
        for _ in range(1_000_000):
            n = (n * 1103515245 + 12345) & 0x7FFFFFFF
        if os.getppid() != parent:  # orphaned (no prctl): stop burning
            return


class Burners:
    """CPU burners on `cores` cores; `stop()` may be called any number of times."""

    def __init__(self, cores: int, python_only: bool = False) -> None:
        self.cores = cores
        self.stress: subprocess.Popen | None = None
        self.spinners: list[multiprocessing.Process] = []
        self.kind = ""
        stress_ng = None if python_only else shutil.which("stress-ng")
        if stress_ng:
            self.stress = subprocess.Popen(
                [stress_ng, "--cpu", str(cores), "--quiet"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                start_new_session=True, preexec_fn=_die_with_parent)
            time.sleep(0.5)
            if self.stress.poll() is None:
                self.kind = f"stress-ng --cpu {cores}"
                return
            error = self.stress.stderr.read().decode(errors="replace").strip() if \
                self.stress.stderr else ""
            print(f"stress-ng exited with {self.stress.returncode} ({error}); "
                  "using Python burners", flush=True)
            self.stress = None
        context = multiprocessing.get_context("fork")
        for _ in range(cores):
            process = context.Process(target=_spin, args=(os.getpid(),), daemon=True)
            process.start()
            self.spinners.append(process)
        self.kind = f"{cores} Python burner processes"

    def stop(self) -> None:
        if self.stress is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.stress.pid, signal.SIGTERM)
            try:
                self.stress.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.stress.pid, signal.SIGKILL)
                self.stress.wait(timeout=10)
            with contextlib.suppress(ProcessLookupError):  # workers left in its group
                os.killpg(self.stress.pid, signal.SIGKILL)
            self.stress = None
        for process in self.spinners:
            process.terminate()
        for process in self.spinners:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join(timeout=10)
        self.spinners = []


def counts(summary: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, word in COUNT.findall(summary):
        found["error" if word.startswith("error") else word] = int(number)
    return found


def final_line(found: dict[str, int]) -> str:
    parts = [f"{found.get('passed', 0)} passed", f"{found.get('failed', 0)} failed"]
    for word in ORDER[2:]:
        if found.get(word):
            parts.append(f"{found[word]} {'errors' if word == 'error' else word}")
    return ", ".join(parts)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Arguments it does not know go to pytest; put them after -- to be sure.")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1,
                        help="burners to start, one per core (default: every core, %(default)s)")
    parser.add_argument("--python-burners", action="store_true",
                        help="use Python burner processes even when stress-ng is on PATH")
    if "--" in argv:
        at = argv.index("--")
        ours, passed_on = parser.parse_args(argv[:at]), argv[at + 1:]
    else:
        ours, passed_on = parser.parse_known_args(argv)

    venv_python = ROOT / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    command = [python, *PYTEST_ARGS, *passed_on]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")

    def on_sigterm(_signum, _frame):
        raise Stopped

    signal.signal(signal.SIGTERM, on_sigterm)
    burners = None
    pytest = None
    summary = ""
    started = time.monotonic()
    try:
        burners = Burners(ours.cores, ours.python_burners)
        print(f"load: {burners.kind}", flush=True)
        print("running: QT_QPA_PLATFORM=offscreen " + " ".join(
            [os.path.relpath(python, ROOT) if python == str(venv_python) else python,
             *PYTEST_ARGS, *passed_on]), flush=True)
        started = time.monotonic()
        pytest = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, errors="replace",
                                  bufsize=1, preexec_fn=_die_with_parent)
        assert pytest.stdout is not None
        for line in pytest.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            if SUMMARY_LINE.search(line):
                summary = line
        code = pytest.wait()
    except (KeyboardInterrupt, Stopped):
        code = 130
        print("\ninterrupted", flush=True)
    finally:
        if pytest is not None and pytest.poll() is None:
            pytest.terminate()
            try:
                pytest.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pytest.kill()
                pytest.wait()
        if burners is not None:
            burners.stop()
    elapsed = time.monotonic() - started
    load = burners.kind if burners is not None else "no load"
    print(f"duration: {elapsed:.1f} s ({elapsed / 60:.1f} min) under {load}")
    if not summary:
        print(f"no pytest summary found (pytest exit code {code})")
    print(final_line(counts(summary)), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
