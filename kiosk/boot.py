"""The boot step of a terminal that updates itself: switch to an installed release, count the
starts of a new one, and go back to the previous release when the new one fails.

Layout (`root`, /opt/kiosk on a terminal): `releases/<version>/` holds each release's code and
`current` is a symlink to `releases/<version>`, replaced atomically (a new link renamed over
it). The kiosk (`kiosk.updates`) installs a release and asks for it in the state file
(`<data dir>/update-state.json`, "switch_to"); this step, run by the unit before the app
(ExecStartPre), switches and opens a trial. The app marks the trial done when it is READY
(home shown, `kiosk.updates.confirm_running`). A trial still open after `max_starts` starts
(each start given TimeoutStartSec by systemd to be READY) failed: `current` goes back to the
previous release, and the report for the platform says so.

Standard library only and importing nothing of the project: it runs from a copy outside the
releases (/opt/kiosk/boot.py), so a release that cannot even start cannot stop its own
rollback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

STATE_FILE = "update-state.json"
MAX_STARTS = 3  # starts without READY before the release is given up


def load_state(data_dir: Path) -> dict[str, Any]:
    try:
        state = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: nothing is pending
        return {}
    return state if isinstance(state, dict) else {}


def save_state(data_dir: Path, state: dict[str, Any]) -> None:
    """Written whole and renamed over the old one, so a crash or a power cut leaves one or the
    other (`common.atomic_file` does the same for the app; this file imports nothing of it)."""
    path = data_dir / STATE_FILE
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as file:  # on the disk before it is renamed
        json.dump(state, file, ensure_ascii=False)
        file.flush()
        os.fsync(file.fileno())
    if os.geteuid() == 0:  # the boot step runs as root: the kiosk must still rewrite it
        owner = data_dir.stat()
        os.chown(partial, owner.st_uid, owner.st_gid)
    os.replace(partial, path)


def current_version(root: Path) -> str | None:
    link = root / "current"
    return Path(os.readlink(link)).name if link.is_symlink() else None


def point_current(root: Path, version: str) -> None:
    """`current` → releases/<version>, atomically: a new link renamed over the old one."""
    link = root / "current"
    fresh = root / ".current.new"
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(Path("releases") / version)
    os.replace(fresh, link)


def boot(root: Path, data_dir: Path, max_starts: int = MAX_STARTS) -> str:
    """One start of the app is about to happen: what was done, in a line for the journal."""
    state = load_state(data_dir)
    trial = state.get("trial")
    if isinstance(trial, dict) and not trial.get("ready"):
        return _count_start(root, data_dir, state, trial, max_starts)
    state.pop("trial", None)
    version = state.pop("switch_to", None)
    if not isinstance(version, str):
        return f"running {current_version(root)}"
    previous = current_version(root)
    if previous is None or not (root / "releases" / version).is_dir():
        state["report"] = {"version": version, "state": "failed",
                           "reason": "安装目录不全，未切换"}  # the install is incomplete
        save_state(data_dir, state)
        return f"release {version} not switched to: no current link or no release directory"
    point_current(root, version)
    state["trial"] = {"version": version, "previous": previous, "starts": 1, "ready": False}
    save_state(data_dir, state)
    return f"switched from {previous} to {version}, start 1 of {max_starts}"


def _count_start(root: Path, data_dir: Path, state: dict[str, Any], trial: dict[str, Any],
                 max_starts: int) -> str:
    version, previous, starts = trial["version"], trial["previous"], int(trial["starts"])
    if starts < max_starts:
        trial["starts"] = starts + 1
        save_state(data_dir, state)
        return f"trying {version}, start {starts + 1} of {max_starts}"
    point_current(root, previous)
    del state["trial"]
    state["refused"] = [*state.get("refused", []), version][-20:]
    # for the console: "started n times without becoming ready, back on <previous>"
    state["report"] = {"version": version, "state": "rolled_back",
                       "reason": f"启动 {starts} 次均未就绪，已回退到 {previous}"}
    save_state(data_dir, state)
    return f"{version} not ready after {starts} starts: rolled back to {previous}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="switch to an installed kiosk release, or "
                                                 "back from one that does not start")
    parser.add_argument("--root", type=Path, default=Path("/opt/kiosk"))
    parser.add_argument("--data", type=Path, default=Path("/var/lib/kiosk"))
    parser.add_argument("--max-starts", type=int, default=MAX_STARTS)
    args = parser.parse_args(argv)
    try:
        print(boot(args.root, args.data, args.max_starts), file=sys.stderr)
    except (OSError, KeyError, ValueError) as exc:  # the app starts as it is, whatever this is
        print(f"boot step failed: {exc!r}", file=sys.stderr)
    return 0  # a failed boot step must never keep the kiosk from starting


if __name__ == "__main__":
    sys.exit(main())
