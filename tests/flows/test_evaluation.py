"""好差评: five levels, reasons for the two lowest, kept through the outbox, skippable."""

from __future__ import annotations

from flows.evaluation import ask_evaluation
from flows.steps import EvaluationStep, Nav, Rated
from tests.flows.kiosk_harness import Kiosk
from tests.flows.scripted_ui import ScriptedUi


def rate(kiosk: Kiosk, *answers, **numbers):
    kiosk.ui.script = list(answers)
    return kiosk.run(ask_evaluation, kiosk.service("SS-015"), **numbers)


def test_five_levels_from_very_satisfied_to_very_dissatisfied(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    rate(kiosk, Rated(3), acceptance_number="2026015000001")
    (step,) = kiosk.ui.of_type(EvaluationStep)
    assert [(level, words.render()) for level, words in step.levels] == [
        (5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意")]
    (rating,) = kiosk.platform.ratings
    assert rating.level == 3 and rating.acceptance_number == "2026015000001"
    assert rating.reasons == [] and kiosk.counts == ["ratings"]


def test_the_two_lowest_carry_their_reasons(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    got = rate(kiosk, Rated(1, ("等待时间太长", "设备出现故障")), local_number="K01-000007")
    (rating,) = kiosk.platform.ratings
    assert rating.reasons == ["等待时间太长", "设备出现故障"]
    assert rating.local_number == "K01-000007" and rating.acceptance_number is None
    assert got == Rated(1, ("等待时间太长", "设备出现故障"))
    offered = [r.render() for r in kiosk.ui.of_type(EvaluationStep)[0].reasons]
    assert "等待时间太长" in offered


def test_reasons_are_not_kept_for_a_good_rating(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    rate(kiosk, Rated(4, ("等待时间太长",)))
    assert kiosk.platform.ratings[0].reasons == []


def test_skipping_rates_nothing(seed_catalog):
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    assert rate(kiosk, Nav.HOME) is None
    assert kiosk.platform.ratings == [] and kiosk.counts == []
