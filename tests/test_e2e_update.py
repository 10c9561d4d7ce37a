"""Remote update end to end: releases built from this repository's tracked files, a terminal's
heartbeats against the embedded platform, the console's rollouts.

v1 → v2 succeeds and the console shows the terminal on v2; v2 → a v3 whose main.py raises at
start rolls back to v2 by itself (the boot step, `kiosk.boot`, counting the starts that never
became READY) and the console shows it rolled back, the rollout stopped; a bundle with a bad
signature or a wrong hash is refused and kept nowhere. The restarts are driven here as the
unit would drive them (boot step, then the app): each start of v3 is a real `main.py` that
fails, each start of a good release is marked READY as the app marks it.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import update

from central.app import KnownTerminal
from central.db import ReleaseRecord
from central.deps import PlatformState, platform_signer
from central.releases import add_release, build_bundle
from central.server import EmbeddedPlatform
from kiosk.boot import STATE_FILE, boot, current_version, load_state
from kiosk.platform_client import PlatformClient, TerminalCredentials
from kiosk.settings import DEFAULT_CONFIG
from kiosk.telemetry import Telemetry
from kiosk.updates import Updater, UpdateRefused, switch_pending, unpack
from tests.central.helpers import console, make_user

ROOT = Path(__file__).resolve().parents[1]
TERMINAL = KnownTerminal("HALL-UPD-01", "东城区政务服务中心", "update-terminal-key-0123456789ab")
V1, V2, V3 = "1.0.0", "2.0.0", "3.0.0"


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """v1 and v2 of this repository's tracked code, and a v3 whose main.py raises at start."""
    source = tmp_path_factory.mktemp("code")
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], check=True,
                             capture_output=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = {V1: build_bundle(source, V1), V2: build_bundle(source, V2)}
    main = source / "main.py"
    main.write_text(main.read_text(encoding="utf-8").replace(
        'if __name__ == "__main__":', 'raise RuntimeError("a broken release")\n\n'
                                      'if __name__ == "__main__":'), encoding="utf-8")
    built[V3] = build_bundle(source, V3)
    return built


@pytest.fixture
def platform(tmp_path: Path, bundles: dict[str, bytes]) -> Iterator[EmbeddedPlatform]:
    with EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.sqlite3'}",
                          terminals=[TERMINAL]) as server:
        app = server.app
        assert app is not None and isinstance(app.state, PlatformState)
        make_user(app, "admin")
        with app.state.sessions() as session:
            signer = platform_signer(app.state)
            for version, bundle in bundles.items():
                add_release(session, signer, version, bundle, app.state.clock())
            session.commit()
        yield server


class Terminal:
    """A terminal at /opt/kiosk (here `root`): each `start` is one start of the unit, the boot
    step and then the app of `current`, as far as heartbeats and updates go."""

    def __init__(self, platform: EmbeddedPlatform, root: Path, data: Path,
                 public_key: bytes) -> None:
        self.platform, self.root, self.data, self.public_key = platform, root, data, public_key
        self.loop = asyncio.new_event_loop()
        self.installed = asyncio.Event()
        self.updater: Updater | None = None
        self.telemetry: Telemetry | None = None

    def client(self) -> PlatformClient:
        return PlatformClient(self.platform.base_url, timeout_s=5.0, retries=0,
                              credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))

    def start(self) -> str:
        """The boot step's line; the app of `current` then runs (as heartbeats)."""
        line = boot(self.root, self.data)
        running = (self.root / "current" / "VERSION").read_text().strip()
        self.updater = Updater(self.client(), self.root, self.data, self.public_key, running)
        self.updater.on_installed = self.installed.set
        self.installed.clear()
        self.telemetry = Telemetry(self.client(), 30, dict, version=running)
        self.telemetry.updates = self.updater
        return line

    def ready(self) -> None:
        """The home screen is shown (READY=1)."""
        assert self.updater is not None
        self.updater.confirm_running()

    def heartbeat(self) -> str | None:
        """One heartbeat; the target version the platform answered."""
        assert self.telemetry is not None
        answer = self.loop.run_until_complete(self.telemetry.send_once())
        assert answer is not None
        return answer.target_version

    def download(self) -> None:
        """Until the download the last heartbeat started has ended."""
        assert self.updater is not None
        self.updater.join()

    def wait_installed(self) -> None:
        self.loop.run_until_complete(self.installed.wait())

    def run_main(self) -> int:
        """The real main.py of `current`, started as far as its argument parsing."""
        return subprocess.run([sys.executable, str(self.root / "current" / "main.py"), "--help"],
                              capture_output=True, cwd=self.root).returncode


def published_key(platform: EmbeddedPlatform) -> bytes:
    answer = requests.get(f"{platform.base_url}/signing-key", timeout=5)
    assert answer.status_code == 200
    return answer.content


def terminal_at(platform: EmbeddedPlatform, tmp_path: Path, bundle: bytes,
                public_key: bytes) -> Terminal:
    """A terminal installed with `bundle` as its one release."""
    root, data = tmp_path / "opt", tmp_path / "data"
    data.mkdir()
    unpack(bundle, root / "releases" / V1)
    (root / "current").symlink_to(Path("releases") / V1)
    terminal = Terminal(platform, root, data, public_key)
    terminal.start()
    terminal.ready()
    return terminal


def roll_out(platform: EmbeddedPlatform, version: str) -> None:
    assert platform.app is not None
    admin = console(platform.app, "admin")
    answer = admin.post("/console/api/rollouts", headers={"X-CSRF-Token": admin.csrf},
                        json={"version": version, "terminal_ids": [TERMINAL.id]})
    assert answer.status_code == 201, answer.text


def console_rollout(platform: EmbeddedPlatform) -> dict:
    """The latest rollout as the console's API gives it, checked against its page."""
    assert platform.app is not None
    admin = console(platform.app, "admin")
    answer = admin.get("/console/api/releases")
    assert answer.status_code == 200
    latest = answer.json()["rollouts"][0]
    page = admin.get("/console/releases").text
    assert f'data-terminal="{TERMINAL.id}" data-state="{latest["terminals"][0]["state"]}"' in page
    return latest


def test_update_then_rollback_of_a_broken_release(platform: EmbeddedPlatform, tmp_path: Path,
                                                  bundles: dict[str, bytes]) -> None:
    terminal = terminal_at(platform, tmp_path, bundles[V1], published_key(platform))
    assert terminal.heartbeat() is None  # no rollout: nothing to move to

    # v1 → v2
    roll_out(platform, V2)
    assert terminal.heartbeat() == V2
    terminal.wait_installed()  # the runtime is asked to restart once nobody is here
    assert switch_pending(terminal.data)
    assert terminal.heartbeat() == V2
    assert console_rollout(platform)["terminals"][0]["state"] == "installed"
    assert terminal.start().startswith(f"switched from {V1} to {V2}")
    assert terminal.run_main() == 0
    terminal.ready()
    assert terminal.heartbeat() is None
    shown = console_rollout(platform)
    assert (shown["version"], shown["stopped_at"]) == (V2, None)
    assert shown["terminals"][0] | {"reason": None} == {
        "terminal_id": TERMINAL.id, "hall": TERMINAL.hall, "running_version": V2, "stage": 1,
        "state": "running", "reason": None}

    # v2 → v3, which fails at every start: back on v2 after the third
    roll_out(platform, V3)
    assert terminal.heartbeat() == V3
    terminal.wait_installed()
    starts = [terminal.start()]
    while current_version(terminal.root) == V3:
        assert terminal.run_main() != 0  # no READY: systemd starts the unit again
        starts.append(terminal.start())
    assert len(starts) == 4 and starts[-1] == f"{V3} not ready after 3 starts: rolled back to {V2}"
    assert terminal.run_main() == 0
    terminal.ready()
    assert terminal.heartbeat() is None  # the rollout stopped: v3 is not asked for again
    shown = console_rollout(platform)
    assert shown["version"] == V3
    assert shown["stop_reason"].startswith(f"终端 {TERMINAL.id} 更新失败")
    row = shown["terminals"][0]
    assert (row["running_version"], row["state"]) == (V2, "rolled_back")
    assert sorted(p.name for p in (terminal.root / "releases").iterdir()) == [V1, V2, V3]


def test_a_new_release_that_shows_its_home_screen_ends_its_trial(tmp_path: Path,
                                                                 bundles: dict[str, bytes]) -> None:
    """The real app of a release, started as the unit starts it after the switch (offscreen,
    with NOTIFY_SOCKET): READY=1 marks the trial a success, for the boot step and the
    platform."""
    root, data = tmp_path / "opt", tmp_path / "data"
    data.mkdir()
    unpack(bundles[V2], root / "releases" / V2)
    (root / "current").symlink_to(Path("releases") / V2)
    (data / STATE_FILE).write_text(json.dumps(
        {"trial": {"version": V2, "previous": V1, "starts": 1, "ready": False}}))
    key = tmp_path / "release-key.pem"
    key.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    profile = DEFAULT_CONFIG.read_text(encoding="utf-8").replace(
        'dir = "var/kiosk"', f'dir = "{data}"').replace(
        '# root = "/opt/kiosk"', f'root = "{root}"').replace(
        '# public_key = "/etc/kiosk/platform-release-key.pem"', f'public_key = "{key}"')
    (tmp_path / "kiosk.toml").write_text(profile, encoding="utf-8")
    systemd = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    systemd.bind(str(tmp_path / "notify"))
    systemd.settimeout(90)  # a cold start on a busy 2-core machine; bounds a failure only
    kiosk = subprocess.Popen(
        [sys.executable, str(root / "current" / "main.py"), "--config",
         str(tmp_path / "kiosk.toml"), "run"], cwd=root / "current", start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "NOTIFY_SOCKET": str(tmp_path / "notify")})
    try:
        while "READY=1" not in systemd.recv(4096).decode().split("\n"):
            pass
        kiosk.send_signal(signal.SIGTERM)
        assert kiosk.wait(timeout=30) == 0
    finally:
        systemd.close()
        if kiosk.poll() is None:
            kiosk.kill()
            kiosk.wait()
    state = load_state(data)
    assert state["trial"]["ready"] is True
    assert state["report"] == {"version": V2, "state": "running", "reason": None}
    assert boot(root, data) == f"running {V2}"


def test_a_bundle_with_a_bad_signature_is_refused(platform: EmbeddedPlatform, tmp_path: Path,
                                                  bundles: dict[str, bytes]) -> None:
    other_key = Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    terminal = terminal_at(platform, tmp_path, bundles[V1], other_key)
    roll_out(platform, V2)
    assert terminal.heartbeat() == V2
    terminal.download()
    refused(terminal, platform, "签名无效")


def test_a_bundle_with_a_wrong_hash_is_refused(platform: EmbeddedPlatform, tmp_path: Path,
                                               bundles: dict[str, bytes]) -> None:
    assert platform.app is not None
    with platform.app.state.sessions() as session:  # the bytes changed after signing
        session.execute(update(ReleaseRecord).where(ReleaseRecord.version == V2)
                        .values(bundle=bundles[V2][:-1] + bytes([bundles[V2][-1] ^ 1])))
        session.commit()
    terminal = terminal_at(platform, tmp_path, bundles[V1], published_key(platform))
    roll_out(platform, V2)
    assert terminal.heartbeat() == V2
    terminal.download()
    refused(terminal, platform, "安装包校验值不符")


def refused(terminal: Terminal, platform: EmbeddedPlatform, reason: str) -> None:
    assert sorted(p.name for p in (terminal.root / "releases").iterdir()) == [V1]
    assert not switch_pending(terminal.data)
    assert load_state(terminal.data)["refused"] == [V2]
    assert terminal.heartbeat() is None
    row = console_rollout(platform)["terminals"][0]
    assert (row["running_version"], row["state"], row["reason"]) == (V1, "failed", reason)


def tar_gz(*members: tuple[tarfile.TarInfo, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for info, data in members:
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def entry(name: str, kind: bytes = tarfile.REGTYPE, link: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, link
    return info


@pytest.mark.parametrize("bad", [
    entry("../outside.py"), entry("/etc/kiosk.py"), entry("kiosk/../../x.py"),
    entry("current", tarfile.SYMTYPE, "/etc"), entry("hard", tarfile.LNKTYPE, "main.py"),
    entry("dev", tarfile.CHRTYPE)], ids=lambda info: info.name)
def test_unsafe_archives_leave_nothing(tmp_path: Path, bad: tarfile.TarInfo) -> None:
    bundle = tar_gz((entry("main.py"), b"print()\n"), (bad, b""))
    with pytest.raises(UpdateRefused):
        unpack(bundle, tmp_path / "releases" / "9.9.9")
    assert list((tmp_path / "releases").iterdir()) == []


def test_an_archive_over_the_size_limit_leaves_nothing(tmp_path: Path) -> None:
    bundle = tar_gz((entry("a.py"), b"a" * 600), (entry("b.py"), b"b" * 600))
    with pytest.raises(UpdateRefused, match="安装包过大"):
        unpack(bundle, tmp_path / "releases" / "9.9.9", limit=1000)
    assert list((tmp_path / "releases").iterdir()) == []
