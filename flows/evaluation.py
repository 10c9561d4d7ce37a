"""好差评 (GB/T 40756 §9.8.5.9): after a service, five levels from 非常满意 to 非常不满意; for
the two lowest the person says why. The rating goes through the outbox, so it is kept offline
too. Skipping is always allowed: nobody is made to rate."""

from __future__ import annotations

from central.contract import EVALUATION_LEVELS, EvaluationSubmission, Service
from common.i18n import Text, tr
from flows.context import FlowContext
from flows.steps import EvaluationStep, Rated

LEVELS: tuple[tuple[int, Text], ...] = tuple(
    (level, tr(words)) for level, words in sorted(EVALUATION_LEVELS.items(), reverse=True))
# what is offered to someone unhappy (the 差评 reasons of the 好差评 system)
REASONS: tuple[Text, ...] = (
    tr("办事流程繁琐"),
    tr("等待时间太长"),
    tr("操作不方便，看不明白"),
    tr("设备出现故障"),
    tr("信息不准确"),
    tr("工作人员帮助不够"),
)
LOW = 2  # levels up to this one ask for reasons


async def ask_evaluation(ctx: FlowContext, service: Service, *,
                         acceptance_number: str | None = None,
                         local_number: str | None = None) -> Rated | None:
    """The rating given, or None when the person skipped it."""
    got = await ctx.ui.ask(EvaluationStep(service.name, LEVELS, REASONS))
    if not isinstance(got, Rated) or got.level not in EVALUATION_LEVELS:
        return None
    # the screen sends a reason as its Chinese source text, what the platform counts
    reasons = list(got.reasons) if got.level <= LOW else []
    await ctx.services.rate(EvaluationSubmission(
        service_id=service.id, acceptance_number=acceptance_number, local_number=local_number,
        level=got.level, reasons=reasons, rated_at=ctx.now()))
    ctx.count("ratings")
    return Rated(got.level, tuple(reasons))
