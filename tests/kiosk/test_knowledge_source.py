"""Which knowledge the kiosk answers from, online and offline, against the real platform."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from central.app import KnownTerminal
from central.contract import VerificationRequest
from central.server import EmbeddedPlatform
from kiosk.catalog_source import CatalogSource
from kiosk.knowledge.source import KnowledgeSource
from kiosk.platform_client import PlatformClient, TerminalCredentials
from offline_cache.catalog_snapshot import CatalogSnapshots
from offline_cache.knowledge_snapshot import KnowledgeSnapshots

MORNING = datetime(2026, 11, 3, 1, 30, tzinfo=UTC)
TERMINAL = KnownTerminal("KIOSK-ASK", "测试大厅", "kiosk-ask-key-0123456789")
FAQ_QUESTION = "洗手间怎么走"  # an FAQ entry of central/seed_data/knowledge.json
FAQ_ANSWER = "本机的大厅导航可以告诉您卫生间、窗口和出口的位置。"


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    server = EmbeddedPlatform(f"sqlite:///{tmp_path}/central.db", terminals=[TERMINAL])
    server.start()
    yield server
    server.stop()


def sources(base_url: str, folder: Path) -> tuple[CatalogSource, KnowledgeSource]:
    client = PlatformClient(base_url, timeout_s=2.0, retries=0,
                            credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))
    catalog = CatalogSource(client, CatalogSnapshots(folder / "cache.db"), clock=lambda: MORNING)
    knowledge = KnowledgeSource(client, KnowledgeSnapshots(folder / "knowledge.db"), catalog,
                                clock=lambda: MORNING)
    return catalog, knowledge


async def start(catalog: CatalogSource, knowledge: KnowledgeSource) -> None:
    await catalog.start()
    await knowledge.start()


def test_online_the_platforms_knowledge_is_answered_from_and_kept(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    catalog, knowledge = sources(platform.base_url, tmp_path)
    asyncio.run(start(catalog, knowledge))

    assert knowledge.knowledge is not None
    hit = knowledge.knowledge.ask(FAQ_QUESTION).hits[0]
    assert (hit.service_id, hit.answer) == ("SS-094", FAQ_ANSWER)
    stored = KnowledgeSnapshots(tmp_path / "knowledge.db").latest()
    assert stored is not None and stored.fetched_at == MORNING
    assert any(e.question == FAQ_QUESTION for e in stored.snapshot.entries)


def test_offline_the_kiosk_answers_from_the_saved_snapshot(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    asyncio.run(start(*sources(platform.base_url, tmp_path)))
    platform.stop()

    catalog, knowledge = sources(platform.base_url, tmp_path)  # a restart, platform away
    asyncio.run(start(catalog, knowledge))
    assert not catalog.status.online
    assert knowledge.knowledge is not None
    assert knowledge.knowledge.ask(FAQ_QUESTION).hits[0].answer == FAQ_ANSWER
    assert knowledge.hot == []


def test_without_any_knowledge_the_catalog_alone_still_answers(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    asyncio.run(sources(platform.base_url, tmp_path)[0].start())  # only the catalog cached
    platform.stop()

    catalog, knowledge = sources(platform.base_url, tmp_path)
    asyncio.run(start(catalog, knowledge))
    assert knowledge.knowledge is not None
    result = knowledge.knowledge.ask("交电费")
    assert result.hits[0].service_id == "SS-033"
    assert result.hits[0].answer != FAQ_ANSWER


def test_asks_are_counted_and_come_back_as_hot_services(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    catalog, knowledge = sources(platform.base_url, tmp_path)
    heard: list[list[str]] = []
    knowledge.subscribe(lambda: heard.append([h.service_id for h in knowledge.hot]))

    async def scenario() -> None:
        await start(catalog, knowledge)
        for service_id in ("SS-033", "SS-001", "SS-033"):
            knowledge.count_ask(service_id)

        async def counted() -> bool:
            await knowledge.refresh()
            return [h.service_id for h in knowledge.hot] == ["SS-033", "SS-001"]

        deadline = time.monotonic() + 30
        while not await counted():
            assert time.monotonic() < deadline, "the asks never reached the platform"
            await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert knowledge.hot[0].name == "水电燃气缴费" and knowledge.hot[0].asks == 2
    assert heard[-1] == ["SS-033", "SS-001"]


def test_an_unchanged_knowledge_base_is_not_rebuilt(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    catalog, knowledge = sources(platform.base_url, tmp_path)

    async def scenario() -> tuple[object, object, int]:
        await start(catalog, knowledge)
        first = knowledge.knowledge
        notified: list[int] = []
        knowledge.subscribe(lambda: notified.append(1))
        await knowledge.refresh()  # a 304
        return first, knowledge.knowledge, len(notified)

    first, after, notified = asyncio.run(scenario())
    assert after is first and notified == 0


def test_the_halls_most_used_services_come_with_the_hot_list_and_stay_offline(
        platform: EmbeddedPlatform, tmp_path: Path) -> None:
    from tests.central.citizen import good_face, id_card, submission

    catalog, knowledge = sources(platform.base_url, tmp_path)
    client = PlatformClient(platform.base_url, timeout_s=2.0, retries=0,
                            credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))

    async def scenario() -> list[list[str]]:
        await start(catalog, knowledge)
        seen = [list(knowledge.most_used)]
        verification = client.verify_identity(VerificationRequest(
            evidence=id_card(), face=good_face()))
        client.submit_application(
            submission(verification_id=verification.verification_id), uuid.uuid4().hex)
        await knowledge.refresh()
        seen.append(list(knowledge.most_used))
        platform.stop()
        await knowledge.refresh()
        seen.append(list(knowledge.most_used))
        return seen

    assert asyncio.run(scenario()) == [[], ["SS-015"], ["SS-015"]]
