"""deploy/install.sh as a technician runs it, into a directory standing for the terminal's
root (`--root`; apt and the virtualenv left out): the account, its groups, the configuration
the kiosk then loads, the code, the udev rules and the enabled unit; wrong arguments are
refused with a line that says what is missing."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from kiosk.settings import PROJECT_ROOT, load_settings

INSTALL = PROJECT_ROOT / "deploy" / "install.sh"
KEY = "a-terminal-key-from-add-terminal-0123456789"


@pytest.fixture
def terminal_root(tmp_path: Path) -> Path:
    """A root with this machine's accounts (useradd --prefix edits these copies)."""
    if os.geteuid() != 0:
        pytest.skip("install.sh runs as root (it creates an account and sets owners)")
    if shutil.which("systemctl") is None:
        pytest.fail("systemctl is missing: `bash setup.sh test` installs systemd")
    root = tmp_path / "root"
    (root / "etc").mkdir(parents=True)
    for name in ("passwd", "group", "shadow", "gshadow"):
        if Path("/etc", name).exists():
            shutil.copy2(Path("/etc", name), root / "etc" / name)
    return root


def install(root: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    key_file = tmp_path / "terminal.key"
    key_file.write_text(KEY + "\n", encoding="utf-8")
    return subprocess.run(
        ["bash", str(INSTALL), "--root", str(root), "--no-packages",
         "--platform", "https://zwfw.example.gov.cn/api/v1", "--terminal-id", "HALL7-03",
         "--hall", '第七 "便民" 服务大厅', "--key-file", str(key_file), *extra],
        capture_output=True, text=True, timeout=120)


def test_the_terminal_is_installed_for_an_unprivileged_kiosk(terminal_root, tmp_path):
    done = install(terminal_root, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "devices check" in done.stdout  # the technician is told what comes next

    account = next(line.split(":") for line in (terminal_root / "etc/passwd").read_text()
                   .splitlines() if line.startswith("kiosk:"))
    assert account[5] == "/var/lib/kiosk" and account[6] == "/usr/sbin/nologin"
    assert int(account[2]) != 0
    groups = {line.split(":")[0] for line in (terminal_root / "etc/group").read_text()
              .splitlines() if "kiosk" in line.split(":")[3].split(",")}
    present = {line.split(":")[0] for line in Path("/etc/group").read_text().splitlines()}
    assert groups == {"dialout", "lp", "video", "audio", "plugdev", "input", "render"} & present

    config = terminal_root / "etc/kiosk/kiosk.toml"
    mode = config.stat()
    assert stat.S_IMODE(mode.st_mode) == 0o640 and mode.st_gid == int(account[3])
    settings = load_settings(config)  # the kiosk loads it as it is
    assert settings.terminal.id == "HALL7-03"
    assert settings.terminal.hall == '第七 "便民" 服务大厅'
    assert settings.terminal.key == KEY
    assert settings.platform.mode == "remote"
    assert settings.platform.url == "https://zwfw.example.gov.cn/api/v1"
    assert str(settings.data.dir) == "/var/lib/kiosk"
    assert not settings.ui.simulator_panel
    data = (terminal_root / "var/lib/kiosk").stat()
    assert data.st_uid == int(account[2]) and stat.S_IMODE(data.st_mode) == 0o750

    # the code as a release, `current` pointing at it, the boot step beside the releases
    version = subprocess.run(["git", "-C", str(PROJECT_ROOT), "describe", "--tags", "--always",
                              "--dirty"], capture_output=True, text=True, check=True).stdout
    code = terminal_root / "opt/kiosk/releases" / version.strip()
    assert os.readlink(terminal_root / "opt/kiosk/current") == f"releases/{version.strip()}"
    assert (code / "VERSION").read_text().strip() == version.strip()
    assert (code / "main.py").is_file() and (code / "deploy/kiosk.service").is_file()
    assert not (code / ".venv").exists() and not (code / ".git").exists()
    assert all(path.stat().st_uid == 0 and not path.stat().st_mode & stat.S_IWOTH
               for path in code.rglob("*"))
    assert (terminal_root / "opt/kiosk/boot.py").read_bytes() == (
        PROJECT_ROOT / "kiosk/boot.py").read_bytes()
    releases = (terminal_root / "opt/kiosk/releases").stat()
    assert releases.st_uid == int(account[2])  # the kiosk unpacks what it downloads there
    assert settings.updates.public_key is None  # no release key given: no remote update
    assert (terminal_root / "etc/udev/rules.d/99-kiosk-devices.rules").is_file()
    assert (terminal_root / "etc/polkit-1/rules.d/50-kiosk.rules").is_file()
    enabled = terminal_root / "etc/systemd/system/graphical.target.wants/kiosk.service"
    assert enabled.is_symlink()
    unit = (terminal_root / "etc/systemd/system/kiosk.service").read_text()
    assert "/opt/kiosk/current/main.py --config /etc/kiosk/kiosk.toml run" in unit
    assert "ExecStartPre=+/opt/kiosk/.venv/bin/python /opt/kiosk/boot.py" in unit
    assert os.readlink(terminal_root / "etc/systemd/system/default.target").endswith(
        "/graphical.target")

    again = install(terminal_root, tmp_path)  # a second run changes nothing it should not
    assert again.returncode == 0, again.stderr
    assert (terminal_root / "etc/passwd").read_text().count("\nkiosk:") == 1


@pytest.mark.parametrize(("drop", "says"), [
    ("--platform", "are required"),
    ("--key-file", "are required"),
])
def test_a_missing_argument_is_named(terminal_root, tmp_path, drop, says):
    args = ["bash", str(INSTALL), "--root", str(terminal_root), "--no-packages",
            "--platform", "https://p.example/api/v1", "--terminal-id", "T", "--hall", "H",
            "--key-file", str(tmp_path / "k")]
    at = args.index(drop)
    del args[at:at + 2]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and says in done.stderr
    assert not (terminal_root / "etc/kiosk").exists()


def test_a_key_that_is_not_there_is_refused(terminal_root, tmp_path):
    done = install(terminal_root, tmp_path, "--key-file", str(tmp_path / "missing.key"))
    assert done.returncode == 2 and "cannot read the key file" in done.stderr


def test_with_the_release_key_remote_update_is_on(terminal_root, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "platform-release-key.pem"
    key.write_bytes(Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    done = install(terminal_root, tmp_path, "--release-key", str(key))
    assert done.returncode == 0, done.stderr
    settings = load_settings(terminal_root / "etc/kiosk/kiosk.toml")
    assert settings.updates.root == Path("/opt/kiosk")
    assert settings.updates.public_key == Path("/etc/kiosk/platform-release-key.pem")
    assert (terminal_root / "etc/kiosk/platform-release-key.pem").read_bytes() == key.read_bytes()

    not_a_key = install(terminal_root, tmp_path, "--release-key", str(tmp_path / "terminal.key"))
    assert not_a_key.returncode == 2 and "not a PEM public key" in not_a_key.stderr
