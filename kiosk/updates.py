"""Remote update: the release the platform names is downloaded, checked, unpacked beside the
running one, and switched to at the next start (no Qt).

The heartbeat answer names a `target_version` (`central.contract.releases`). A worker thread
fetches its signed manifest and checks the Ed25519 signature with the platform's public key
(given at installation, `[updates] public_key`), then downloads the bundle and checks its size
and SHA-256 against the manifest. Only then is it unpacked, into `<root>/releases/.<v>.partial`
(regular files and directories only, relative names, bounded in total), renamed to
`<root>/releases/<v>` once whole. The kiosk then asks for the switch in the state file and for
a restart, which the runtime carries out when nobody is at the screen; the boot step
(`kiosk.boot`) switches `current` before the next start and goes back to the previous release
when the new one never becomes READY. What happened goes to the platform with every heartbeat
(`UpdateReport`). A release that was refused (bad signature, wrong hash, unsafe archive) or
rolled back is never tried again; nothing of a refused bundle is kept.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import logging
import shutil
import tarfile
import threading
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import ValidationError

from central.contract.releases import (
    MAX_UNPACKED_BYTES,
    ReleaseManifest,
    SignedRelease,
    UpdateReport,
    UpdateState,
)
from kiosk.boot import load_state, save_state
from kiosk.platform_client import PlatformClient, PlatformError

log = logging.getLogger(__name__)

_MAX_MEMBERS = 20_000  # the code is about 700 files
# the update client's timeout: a whole answer must arrive within twice this, and a 4 MB
# bundle takes 2 minutes at 0.3 Mbit/s, where the citizens' 5 s would never let it through
DOWNLOAD_TIMEOUT_S = 60.0


class UpdateRefused(Exception):
    """The release is not to be trusted or unpacked; the message says why (for the console)."""


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("the platform's release key must be Ed25519")
    return key


def verified_manifest(release: SignedRelease, key: Ed25519PublicKey,
                      version: str) -> ReleaseManifest:
    """The manifest, once its signature checks out and it is the version asked for."""
    signature = release.signature + "=" * (-len(release.signature) % 4)
    try:
        key.verify(base64.urlsafe_b64decode(signature), release.manifest.encode("utf-8"))
        manifest = ReleaseManifest.model_validate_json(release.manifest)
    except (InvalidSignature, ValueError, ValidationError) as exc:
        raise UpdateRefused("签名无效") from exc  # the signature is invalid
    if manifest.version != version:
        raise UpdateRefused(f"清单版本不符（{manifest.version}）")  # manifest of another version
    return manifest


def check_bundle(bundle: bytes, manifest: ReleaseManifest) -> None:
    if len(bundle) != manifest.size or hashlib.sha256(bundle).hexdigest() != manifest.sha256:
        raise UpdateRefused("安装包校验值不符")  # the bundle's checksum does not match


def unpack(bundle: bytes, destination: Path, limit: int = MAX_UNPACKED_BYTES) -> None:
    """The bundle's files into `destination` (which must not exist), or nothing at all."""
    partial = destination.with_name(f".{destination.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)  # what a crash during an earlier unpack left
    partial.mkdir(parents=True)
    try:
        with tarfile.open(fileobj=io.BytesIO(bundle), mode="r:gz") as tar:
            members = _safe_members(tar, limit)
            tar.extractall(partial, members=members, filter="data")
        partial.rename(destination)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise


def _safe_members(tar: tarfile.TarFile, limit: int) -> list[tarfile.TarInfo]:
    members, total = [], 0
    try:
        for member in tar:
            name = PurePosixPath(member.name)
            if name.is_absolute() or ".." in name.parts or "\\" in member.name:
                raise UpdateRefused(f"安装包含非法路径：{member.name[:80]}")  # unsafe path
            if not (member.isfile() or member.isdir()):
                raise UpdateRefused(f"安装包含链接或设备：{member.name[:80]}")  # link, device
            total += member.size
            members.append(member)
            if total > limit or len(members) > _MAX_MEMBERS:
                raise UpdateRefused("安装包过大")  # the bundle unpacks too large
    except (tarfile.TarError, EOFError, OSError) as exc:  # not a tar.gz, or cut short
        raise UpdateRefused("安装包已损坏") from exc  # the bundle is corrupt
    return members


class Updater:
    """Brings the terminal to the version the platform names; the heartbeat drives it
    (`want` with each answer's target, `report` into each heartbeat)."""

    def __init__(self, client: PlatformClient, root: Path, data_dir: Path, public_key: bytes,
                 running: str) -> None:
        self.running = running
        self.releases = root / "releases"
        self.on_installed: Callable[[], None] = lambda: None  # the runtime restarts, later
        self._client = client
        self._data_dir = data_dir
        self._key = load_public_key(public_key)
        self._lock = threading.Lock()  # the state file: the worker and the event loop
        self._worker: threading.Thread | None = None

    def report(self) -> UpdateReport | None:
        """The last update's outcome, as the platform should hear it."""
        with self._lock:
            report = load_state(self._data_dir).get("report")
        try:
            return UpdateReport.model_validate(report) if report else None
        except ValidationError:
            return None

    def want(self, target: str | None) -> None:
        """The platform's target version; called on the event loop after each answer."""
        if target is None or target == self.running:
            return
        with self._lock:
            state = load_state(self._data_dir)
            if (target in state.get("refused", []) or state.get("switch_to") == target
                    or (self._worker is not None and self._worker.is_alive())):
                return
            loop = asyncio.get_running_loop()
            self._worker = threading.Thread(target=self._install, args=(target, loop),
                                            name=f"update-{target}", daemon=True)
            self._worker.start()

    def join(self, timeout_s: float | None = None) -> None:
        """Until the download in progress ended (for tests and a stopping kiosk)."""
        if self._worker is not None:
            self._worker.join(timeout_s)

    def confirm_running(self) -> None:
        """The app is READY: a trial of this version (`kiosk.boot`) succeeded."""
        with self._lock:
            state = load_state(self._data_dir)
            trial = state.get("trial")
            if not isinstance(trial, dict) or trial.get("version") != self.running:
                return
            trial["ready"] = True
            state["report"] = {"version": self.running, "state": "running", "reason": None}
            save_state(self._data_dir, state)

    def _install(self, version: str, loop: asyncio.AbstractEventLoop) -> None:
        self._set(version, "downloading")
        try:
            if not (self.releases / version).is_dir():  # installed earlier, not yet switched to
                manifest = verified_manifest(self._client.release(version), self._key, version)
                bundle = self._client.release_bundle(version)
                check_bundle(bundle, manifest)
                unpack(bundle, self.releases / version)
        except UpdateRefused as exc:
            log.error("release %s refused: %s", version, exc)
            self._set(version, "failed", str(exc), refuse=True)
            return
        except PlatformError as exc:  # tried again with the next heartbeat's answer
            log.warning("release %s not downloaded: %s", version, exc.detail)
            self._set(version, "pending", exc.health_code)
            return
        except OSError as exc:
            log.error("release %s not unpacked: %r", version, exc)
            self._set(version, "failed", f"无法写入：{exc.strerror or exc}"[:200])  # disk
            return
        self._set(version, "installed", switch=True)
        log.info("release %s installed; switching at the next restart", version)
        loop.call_soon_threadsafe(self.on_installed)

    def _set(self, version: str, state: UpdateState, reason: str | None = None, *,
             refuse: bool = False, switch: bool = False) -> None:
        with self._lock:
            saved = load_state(self._data_dir)
            saved["report"] = {"version": version, "state": state, "reason": reason}
            if refuse:
                saved["refused"] = [*saved.get("refused", []), version][-20:]
            if switch:
                saved["switch_to"] = version
            save_state(self._data_dir, saved)


def switch_pending(data_dir: Path) -> bool:
    """Whether a release waits for the boot step (`kiosk.boot`): the app must then exit and
    be started again through it, not exec itself."""
    return isinstance(load_state(data_dir).get("switch_to"), str)
