"""The citizen side as the UI runs it: from home through a guide into a flow, and back home."""

from __future__ import annotations

import asyncio

import pytest

from flows.citizen import serve_citizen
from flows.declaration import CARD_TAKEN
from flows.identity import PERSON
from flows.steps import (
    Choose,
    Consented,
    FormStep,
    GuideStep,
    HomeStep,
    MessageStep,
    Nav,
    OpenProgress,
    OpenService,
    OpenTheme,
)
from tests.flows.kiosk_harness import CARDS, Kiosk
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded, Wait


def serve(kiosk: Kiosk) -> None:
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)


def test_start_from_the_guide_and_card_removed_mid_form_goes_home_with_the_reminder(
        seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kept = []

    def take_card_away(step):
        kept.append(kiosk.session.get(PERSON))
        kiosk.id_reader.remove()

    kiosk.ui.script = [
        OpenTheme("卫健"), OpenService("SS-026"), lambda step: Choose(step.start.key),
        Wait(lambda step: kiosk.id_reader.insert(CARDS["resident"])), Wait(),
        Consented(frozenset({"shared_data", "face"})), Wait(take_card_away),
    ]
    serve(kiosk)
    guide = kiosk.ui.of_type(GuideStep)[0]
    assert guide.start.key == "自助申报" and guide.start.label.render() == "开始办理"
    assert kept[0] is not None
    form_at = max(i for i, s in enumerate(kiosk.ui.shown) if isinstance(s, FormStep))
    home = kiosk.ui.shown[form_at + 1]
    assert isinstance(home, HomeStep) and home.notice == CARD_TAKEN
    assert kiosk.session.get(PERSON) is None
    assert kiosk.platform.submissions == []


def test_a_guide_only_service_offers_no_start(seed_catalog):
    kiosk = Kiosk(ScriptedUi([OpenService("SS-094")]), seed_catalog)
    serve(kiosk)
    assert kiosk.ui.of_type(GuideStep)[0].start is None


def test_offline_an_online_only_service_offers_no_start_but_a_queueable_one_does(seed_catalog):
    kiosk = Kiosk(ScriptedUi([OpenService("SS-003"), Nav.BACK, OpenService("SS-015")]),
                  seed_catalog)
    kiosk.status.online = False
    serve(kiosk)
    online_only, queueable = kiosk.ui.of_type(GuideStep)
    assert online_only.start is None and queueable.start is not None


def test_progress_from_home_and_back_home(seed_catalog):
    kiosk = Kiosk(ScriptedUi([OpenProgress(), Nav.HOME]), seed_catalog)
    serve(kiosk)
    _home, lookup, home_again = kiosk.ui.shown
    assert isinstance(lookup, MessageStep) and lookup.title.render() == "办件进度查询"
    assert isinstance(home_again, HomeStep) and home_again.notice is None



def test_the_last_persons_card_events_are_not_taken_for_this_persons(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)

    async def last_person_then_serve(ctx):
        kiosk.id_reader.insert(CARDS["elder"])  # placed at home and taken away again
        kiosk.id_reader.remove()
        await asyncio.sleep(0.05)  # both events are waiting in the reader's queue
        await serve_citizen(ctx)

    kiosk.ui.script = [OpenService("SS-026"), lambda step: Choose(step.start.key),
                       Wait(lambda step: kiosk.id_reader.insert(CARDS["resident"])), Wait(),
                       Nav.HOME]
    with pytest.raises(ScriptEnded):
        kiosk.run(last_person_then_serve)
    (request,) = kiosk.platform.verification_requests
    assert request.evidence.id_number == CARDS["resident"].id_number
