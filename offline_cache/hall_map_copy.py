"""The kiosk's last copy of the hall map (大厅导航): the map as JSON and the plan as PNG, in a
folder of their own, so directions work when the platform cannot be reached.

Each file is replaced whole (`common.atomic_file`); the plan is written before the map that
names it by digest, and a copy whose plan does not match that digest (a crash between the two,
a damaged disk) is no copy at all. Nothing personal is in either file.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import AwareDatetime, BaseModel, ValidationError

from central.contract.hall_map import MAX_IMAGE_BYTES, HallMap
from common.atomic_file import replace_atomically

log = logging.getLogger(__name__)


class _Stored(BaseModel):
    map: HallMap
    shown_sha256: str  # the digest of the scaled plan kept beside it
    fetched_at: AwareDatetime


@dataclass(frozen=True)
class HallMapCopy:
    map: HallMap
    png: bytes
    fetched_at: datetime


class HallMapFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._map = self.folder / "hall_map.json"
        self._png = self.folder / "hall_map.png"

    def save(self, copy: HallMapCopy) -> None:
        replace_atomically(self._png, copy.png)
        stored = _Stored(map=copy.map, shown_sha256=hashlib.sha256(copy.png).hexdigest(),
                         fetched_at=copy.fetched_at)
        replace_atomically(self._map, stored.model_dump_json().encode("utf-8"))

    def load(self) -> HallMapCopy | None:
        try:
            if self._png.stat().st_size > MAX_IMAGE_BYTES:
                raise ValueError("plan over the limit")
            stored = _Stored.model_validate(json.loads(self._map.read_bytes()[:1_000_000]))
            png = self._png.read_bytes()
        except FileNotFoundError:
            return None
        except (OSError, ValueError, ValidationError) as exc:
            log.warning("the hall map's copy is unreadable (%s): none", type(exc).__name__)
            return None
        if hashlib.sha256(png).hexdigest() != stored.shown_sha256:
            log.warning("the hall map's copy does not match its plan: none")
            return None
        return HallMapCopy(stored.map, png, stored.fetched_at)
