"""Release bundles of the kiosk's code, and rolling a version out to terminals in stages.

`build_bundle` makes the tar.gz (`main.py central release --version V --from DIR`): the files
git tracks in DIR (every file but caches and virtualenvs when DIR is no checkout), with a
`VERSION` file naming the version, which is how the running kiosk knows its own. The platform
keeps the bundle and a manifest signed with its Ed25519 key (`central.signing`), so a terminal
trusts the bytes, not the connection they came over.

A rollout names a version and its terminals; the first `first_stage` of them are told the
version in their heartbeat answer at once, the others once every one of those runs it. The
first terminal that reports a failed update (refused, or rolled back by itself) stops the
rollout: no terminal is told the version after that.
"""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import tarfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from central.contract import Heartbeat
from central.contract.releases import (
    MAX_BUNDLE_BYTES,
    VERSION_PATTERN,
    ReleaseManifest,
    SignedRelease,
    UpdateState,
)
from central.db import ReleaseRecord, RolloutRecord, RolloutTerminal, TerminalRecord
from central.signing import PlatformSigner

# what is never code, when DIR is not a git checkout
_SKIPPED = {".git", ".venv", "venv", "__pycache__", "var", ".pytest_cache", "node_modules"}
FAILED_STATES: tuple[UpdateState, ...] = ("rolled_back", "failed")


class ReleaseError(Exception):
    """The release cannot be made or rolled out; the message says why."""


def tracked_files(source: Path) -> list[str]:
    """The files of the code in `source`, relative, sorted."""
    if (source / ".git").exists():
        listed = subprocess.run(["git", "-C", str(source), "ls-files", "-z"], check=True,
                                capture_output=True).stdout.decode("utf-8")
        return sorted(name for name in listed.split("\0") if name and (source / name).is_file())
    found = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = [d for d in dirs if d not in _SKIPPED]
        found += [str((Path(folder) / f).relative_to(source)) for f in files]
    return sorted(found)


def build_bundle(source: Path, version: str) -> bytes:
    """The tar.gz of the code in `source`, its VERSION file saying `version`."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name in tracked_files(source):
            if name != "VERSION":
                tar.add(source / name, arcname=name, recursive=False)
        marker = f"{version}\n".encode("ascii")
        info = tarfile.TarInfo("VERSION")
        info.size, info.mode = len(marker), 0o644
        tar.addfile(info, io.BytesIO(marker))
    return buffer.getvalue()


def add_release(session: Session, signer: PlatformSigner, version: str, bundle: bytes,
                now: datetime) -> ReleaseManifest:
    """Keep `bundle` as `version` with its signed manifest; the caller commits."""
    if len(bundle) > MAX_BUNDLE_BYTES:
        raise ReleaseError(f"bundle of {len(bundle)} bytes, over {MAX_BUNDLE_BYTES}")
    if session.get(ReleaseRecord, version) is not None:
        raise ReleaseError(f"version {version} exists already; a version is never rebuilt")
    manifest = ReleaseManifest(version=version, sha256=hashlib.sha256(bundle).hexdigest(),
                               size=len(bundle), created=now)
    text = manifest.signed_text()
    session.add(ReleaseRecord(version=version, created_at=now, manifest=text,
                              signature=signer.sign(text.encode("utf-8")), bundle=bundle))
    return manifest


def signed_release(session: Session, version: str) -> SignedRelease | None:
    record = session.get(ReleaseRecord, version)
    if record is None:
        return None
    return SignedRelease(manifest=record.manifest, signature=record.signature)


def bundle_of(session: Session, version: str) -> bytes | None:
    return session.scalar(select(ReleaseRecord.bundle).where(ReleaseRecord.version == version))


def versions(session: Session) -> list[str]:
    return list(session.scalars(select(ReleaseRecord.version)
                                .order_by(ReleaseRecord.created_at.desc())))


def start_rollout(session: Session, version: str, terminal_ids: Sequence[str], first_stage: int,
                  by: str, now: datetime) -> RolloutRecord:
    """Roll `version` out to `terminal_ids`, the first `first_stage` of them first; the
    caller commits. A terminal in an earlier rollout follows this one from now on."""
    if session.get(ReleaseRecord, version) is None:
        raise ReleaseError(f"no release {version}")
    if not terminal_ids:
        raise ReleaseError("no terminals")
    rollout = RolloutRecord(version=version, created_at=now, created_by=by,
                            first_stage=max(1, first_stage))
    session.add(rollout)
    session.flush()
    for n, terminal_id in enumerate(dict.fromkeys(terminal_ids)):
        session.add(RolloutTerminal(rollout_id=rollout.id, terminal_id=terminal_id,
                                    stage=1 if n < rollout.first_stage else 2,
                                    state="pending", updated_at=now))
    return rollout


class RolloutRequest(BaseModel):
    """Roll `version` out to the terminals of `hall`, or to `terminal_ids`, `first_stage` of
    them first (the console's form and its API)."""

    version: str = Field(pattern=VERSION_PATTERN)
    hall: str | None = Field(default=None, max_length=100)
    terminal_ids: list[Annotated[str, Field(max_length=64)]] = Field(default=[], max_length=500)
    first_stage: int = Field(default=1, ge=1, le=500)


def rollout_terminals(session: Session, request: RolloutRequest) -> list[str]:
    """The hall's terminals, in id order, or those named that exist, in the order named."""
    if request.hall:
        return list(session.scalars(select(TerminalRecord.id).where(
            TerminalRecord.hall == request.hall).order_by(TerminalRecord.id)))
    known = set(session.scalars(select(TerminalRecord.id).where(
        TerminalRecord.id.in_(request.terminal_ids))))
    return [terminal_id for terminal_id in request.terminal_ids if terminal_id in known]


def target_version(session: Session, terminal: TerminalRecord, heartbeat: Heartbeat,
                   now: datetime) -> str | None:
    """Record what `heartbeat` says of the terminal's rollout; the version it should run, or
    None when it has none to move to (no rollout, stopped, or its stage not yet due)."""
    row = session.scalars(select(RolloutTerminal)
                          .where(RolloutTerminal.terminal_id == terminal.id)
                          .order_by(RolloutTerminal.rollout_id.desc()).limit(1)).first()
    if row is None:
        return None
    rollout = session.get(RolloutRecord, row.rollout_id)
    assert rollout is not None  # the foreign key
    _record(row, rollout, heartbeat, now)
    if row.state in FAILED_STATES and rollout.stopped_at is None:
        rollout.stopped_at = now
        rollout.stop_reason = f"终端 {terminal.id} 更新失败：{row.reason or row.state}"
    if rollout.stopped_at is not None or row.state in ("running", *FAILED_STATES):
        return None
    if row.stage > 1 and not _first_stage_running(session, rollout.id):
        return None
    return rollout.version


def _record(row: RolloutTerminal, rollout: RolloutRecord, heartbeat: Heartbeat,
            now: datetime) -> None:
    state, reason = row.state, row.reason
    report = heartbeat.update
    if heartbeat.app_version == rollout.version:
        state, reason = "running", None
    elif report is not None and report.version == rollout.version:
        state, reason = report.state, report.reason
    if (state, reason) != (row.state, row.reason):
        row.state, row.reason, row.updated_at = state, reason, now


def _first_stage_running(session: Session, rollout_id: int) -> bool:
    waiting = session.scalar(select(func.count()).select_from(RolloutTerminal).where(
        RolloutTerminal.rollout_id == rollout_id, RolloutTerminal.stage == 1,
        RolloutTerminal.state != "running"))
    return waiting == 0


class TerminalRollout(BaseModel):
    terminal_id: str
    hall: str
    running_version: str | None
    stage: int
    state: str
    reason: str | None


class RolloutView(BaseModel):
    id: int
    version: str
    created_at: datetime
    created_by: str
    first_stage: int
    stopped_at: datetime | None
    stop_reason: str | None
    terminals: list[TerminalRollout]


def rollouts(session: Session, limit: int = 20) -> list[RolloutView]:
    """The latest rollouts, newest first, each with its terminals' versions and states."""
    records = list(session.scalars(select(RolloutRecord)
                                   .order_by(RolloutRecord.id.desc()).limit(limit)))
    return [rollout_view(session, record) for record in records]


def rollout_view(session: Session, rollout: RolloutRecord) -> RolloutView:
    rows = session.execute(
        select(RolloutTerminal, TerminalRecord)
        .join(TerminalRecord, TerminalRecord.id == RolloutTerminal.terminal_id)
        .where(RolloutTerminal.rollout_id == rollout.id)
        .order_by(RolloutTerminal.stage, RolloutTerminal.terminal_id)).all()
    return RolloutView(
        id=rollout.id, version=rollout.version, created_at=rollout.created_at,
        created_by=rollout.created_by, first_stage=rollout.first_stage,
        stopped_at=rollout.stopped_at, stop_reason=rollout.stop_reason,
        terminals=[TerminalRollout(terminal_id=t.id, hall=t.hall, running_version=t.app_version,
                                   stage=row.stage, state=row.state, reason=row.reason)
                   for row, t in rows])


def publish(database_url: str, version: str, source: Path, now: datetime) -> ReleaseManifest:
    """`main.py central release`: build the bundle of `source` and keep it as `version`."""
    from central.db import open_engine, session_factory
    from central.migrate import migrate
    from central.signing import load_or_create

    bundle = build_bundle(source, version)
    engine = open_engine(database_url)
    try:
        migrate(engine)
        with session_factory(engine)() as session:
            manifest = add_release(session, load_or_create(session, now), version, bundle, now)
            session.commit()
            return manifest
    finally:
        engine.dispose()
