"""Remote update: the release a terminal is told to run, and what it reports of it.

A release is a tar.gz of the kiosk's code at one version. The platform signs its manifest
(version, SHA-256 and size of the bundle, when it was built) with its Ed25519 key
(`central.signing`); the terminal checks the signature over the manifest's exact bytes with
the platform's public key it was given at installation, then the bundle's size and hash,
before it unpacks anything. The heartbeat answer names the version the terminal should run
(`HeartbeatAnswer.target_version`); the heartbeat says how far it got (`UpdateReport`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# a version is also a directory name on the terminal: no "/", no leading "." (so never "..")
VERSION_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$"
MAX_BUNDLE_BYTES = 16 * 1024 * 1024  # compressed, as much as the client reads of an answer
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_MANIFEST_CHARS = 1000
SHA256_PATTERN = r"^[0-9a-f]{64}$"

UpdateState = Literal["pending", "downloading", "installed", "running", "rolled_back", "failed"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ReleaseManifest(_Model):
    version: str = Field(pattern=VERSION_PATTERN)
    sha256: str = Field(pattern=SHA256_PATTERN)
    size: int = Field(gt=0, le=MAX_BUNDLE_BYTES)
    created: datetime

    def signed_text(self) -> str:
        """The exact text the platform signs and sends (sorted keys, no spaces)."""
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


class SignedRelease(_Model):
    """GET /api/v1/releases/{version}: the manifest as the text that was signed, and its
    Ed25519 signature (base64url, no padding)."""

    manifest: str = Field(max_length=MAX_MANIFEST_CHARS)
    signature: str = Field(pattern=r"^[A-Za-z0-9_-]{86}$")


class UpdateReport(_Model):
    """In a heartbeat: where the terminal is with `version` (the last update it tried)."""

    version: str = Field(pattern=VERSION_PATTERN)
    state: UpdateState
    reason: str | None = Field(default=None, max_length=200)  # why it failed or rolled back
