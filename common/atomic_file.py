"""A small file replaced whole: written beside its place, flushed to the disk, renamed over it.

A crash or a power cut at any moment leaves the old content or the new, never a half-written
file (the rename is atomic, and the data is on the disk before the name points at it). The file
is created 0600: what the kiosk keeps this way (the staff PIN's hash, staff events) is its own.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def replace_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()  # left by a crash mid-write
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    owner = path.parent.stat()
    if os.geteuid() == 0 and owner.st_uid != 0:
        # written by a technician with sudo: the file stays the kiosk user's to read and write
        os.chown(temporary, owner.st_uid, owner.st_gid)
    os.replace(temporary, path)
    _sync_folder(path.parent)  # the rename itself reaches the disk


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
