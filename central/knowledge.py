"""The knowledge base terminals answer questions from, and which services people ask for most.

A snapshot is the FAQ seed (`seed_data/knowledge.json`, questions in plain spoken Chinese with
one- or two-sentence answers) plus one entry derived from each catalog service (its name, official
name and aliases, and an answer saying what the kiosk does for it). Its version is a hash of
that content, so it changes with the catalog and with the FAQ, and serves as the ETag.

Asks are counted per service in memory only: the count is a hint for the "大家都在问" list, not a
record, and holding no question text and no identity means there is nothing personal to keep.
Counts start again when the platform restarts.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from central.contract import Catalog, HotService, KnowledgeEntry, KnowledgeSnapshot, Service

KNOWLEDGE_FILE = Path(__file__).resolve().parent / "seed_data" / "knowledge.json"

# what the kiosk does for a service, for the derived answer: the first of these it offers
_MODE_SENTENCES = {
    "帮办": "请稍等，已为您呼叫工作人员帮您办理。",
    "自助申报": "本机可以自助申请{what}，按提示填写、提交即可。",
    "预约": "本机可以预约{what}，选好时间后按时前往。",
    "缴费": "本机可以查看{what}的收费标准和缴费方式。",
    "办理": "本机可以直接办理{what}。",
    "打印": "本机可以打印{what}，核验身份后即时出纸。",
    "进度查询": "本机可以查询{what}的进度。",
    "评价": "本机可以进行{what}。",
    "取号": "本机可以{what}。",
    "查询": "本机可以查询{what}，核验身份后就能看到。",
    "指引": "本机可以告诉您{what}的信息。",
}


class KnowledgeSeedError(ValueError):
    """The knowledge seed cannot be served; the message lists every problem found."""


class _SeedEntry(KnowledgeEntry):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SeedFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    schema_version: str
    note: str = ""
    entries: list[Any]


def load_faq(path: Path = KNOWLEDGE_FILE) -> list[KnowledgeEntry]:
    """Read and check the FAQ seed strictly (unknown keys are errors). An entry for a service
    the catalog does not offer is kept but not served (see `build_snapshot`)."""
    try:
        raw = _SeedFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise KnowledgeSeedError(f"knowledge seed {path} unreadable: {exc}") from exc
    problems: list[str] = []
    entries: list[KnowledgeEntry] = []
    for n, item in enumerate(raw.entries):
        try:
            entry = _SeedEntry.model_validate(item)
        except ValidationError as exc:
            problems.append(f"entry {n}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
            continue
        entries.append(KnowledgeEntry(**entry.model_dump()))
    if problems:
        listing = "\n".join(f"  - {p}" for p in problems)
        raise KnowledgeSeedError(f"knowledge seed {path} is invalid:\n{listing}")
    return entries


def catalog_entry(service: Service) -> KnowledgeEntry:
    """The entry a service brings by itself: its names to match, what the kiosk does for it."""
    # the most concrete thing the kiosk does for it: 打印 says more than 查询
    mode = next((m for m in _MODE_SENTENCES if m in service.kiosk_modes), "指引")
    answer = _MODE_SENTENCES.get(mode, _MODE_SENTENCES["指引"]).format(what=f"“{service.name}”")
    keywords = [service.official_name, *service.aliases]
    return KnowledgeEntry(question=service.name, answer=answer, service_id=service.id,
                          keywords=[k for k in keywords if k != service.name], source="catalog")


def build_snapshot(faq: list[KnowledgeEntry], catalog: Catalog) -> KnowledgeSnapshot:
    offered = {s.id for s in catalog.services}
    entries = [catalog_entry(s) for s in catalog.services]
    entries += [e for e in faq if e.service_id in offered]  # a withdrawn service is not answered
    canonical = json.dumps({"catalog": catalog.version,
                            "entries": [e.model_dump(mode="json") for e in entries]},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
    return KnowledgeSnapshot(version=version, catalog_version=catalog.version, entries=entries)


class KnowledgeDesk:
    """The platform's knowledge base: the FAQ seed, the snapshot per catalog, the ask counts."""

    def __init__(self, faq: list[KnowledgeEntry]) -> None:
        self.faq = faq
        self._lock = threading.Lock()
        self._snapshot: tuple[str, KnowledgeSnapshot, bytes] | None = None  # catalog version
        self._asks: Counter[str] = Counter()

    def snapshot(self, catalog_version: str,
                 load_catalog: Callable[[], Catalog]) -> tuple[KnowledgeSnapshot, bytes]:
        """The snapshot for the current catalog and its JSON; the catalog is loaded and the
        snapshot built only when the catalog version changed, so polling stays cheap."""
        with self._lock:
            if self._snapshot is None or self._snapshot[0] != catalog_version:
                snapshot = build_snapshot(self.faq, load_catalog())
                body = snapshot.model_dump_json().encode("utf-8")
                self._snapshot = (catalog_version, snapshot, body)
            return self._snapshot[1], self._snapshot[2]

    def count_ask(self, service_id: str) -> None:
        with self._lock:
            self._asks[service_id] += 1

    def hot(self, snapshot: KnowledgeSnapshot, limit: int) -> list[HotService]:
        """The most asked services still offered, most asked first (ties in catalog order)."""
        with self._lock:
            asks = dict(self._asks)
        names = {e.service_id: e.question for e in snapshot.entries if e.source == "catalog"}
        ranked = sorted((sid for sid in names if asks.get(sid)), key=lambda sid: -asks[sid])
        return [HotService(service_id=sid, name=names[sid], asks=asks[sid])
                for sid in ranked[:limit]]


def seed_snapshot(seed_file: Path | None = None,
                  knowledge_file: Path = KNOWLEDGE_FILE) -> tuple[Catalog, KnowledgeSnapshot]:
    """The catalog and knowledge snapshot the platform would serve from its seed files, made
    without a database: for `main.py ask` offline and for the benchmark."""
    from datetime import UTC, datetime

    from central.seed import SEED_FILE, load_seed

    seed = load_seed(seed_file or SEED_FILE)
    catalog = Catalog(version=seed.version, published_at=datetime.now(UTC), themes=seed.themes,
                      services=seed.services)
    return catalog, build_snapshot(load_faq(knowledge_file), catalog)
