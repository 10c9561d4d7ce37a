"""The daily reconciliation run: a background task of the platform (started and stopped with the
app, like the offline sweeper and the payment resolver) that reconciles each day's statements
once the providers have made them.

WeChat Pay makes a day's 交易账单 "每日10点后" (from 10:00 the next day, Beijing time:
pay.weixin.qq.com/docs/merchant/apis/jsapi-payment/get-trade-bill.html); Alipay's 业务账单 is
ready the next day, and is best fetched after 10:00 too. So from `at` (10:00) each day, the
task reconciles yesterday, and any of the `catch_up_days` before it that no run finished
(the platform was down, a provider did not answer); a statement not to be had yet is asked
for again every `retry_s`. A day is done per provider: a provider that answered is not asked
again for that day. Off unless `create_app(reconciliation=ReconcileSchedule(...))` asks for it
(`main.py central` does; tests do when they mean to); `main.py central reconcile --date` runs a
day by hand.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from starlette.concurrency import run_in_threadpool

from central.contract.payments import PaymentChannel
from central.payments.reconciliation import BEIJING, Reconciler, Report

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReconcileSchedule:
    at: time = time(10, 0)  # Beijing time, each day
    catch_up_days: int = 3  # days back a missed run is made up for
    retry_s: float = 1800.0  # between tries while a statement is not to be had

    def __post_init__(self) -> None:
        if not 1 <= self.catch_up_days <= 90 or self.retry_s <= 0:
            raise ValueError("catch_up_days is 1 to 90 (WeChat Pay keeps three months), "
                             "retry_s > 0")


class DailyReconciliation:
    def __init__(self, reconciler: Reconciler, schedule: ReconcileSchedule,
                 clock: Callable[[], datetime]) -> None:
        self.reconciler = reconciler
        self.schedule = schedule
        self.clock = clock
        self._task: asyncio.Task[None] | None = None

    def due(self) -> dict[date, list[PaymentChannel]]:
        """The days (and their channels) to reconcile now."""
        local = self.clock().astimezone(BEIJING)
        due = self.reconciler.days_due(local.date(), self.schedule.catch_up_days)
        if local.time() < self.schedule.at:  # yesterday's statements are not made yet
            due.pop(local.date() - timedelta(days=1), None)
        return due

    def run_due(self) -> list[Report]:
        """Reconcile what is due now (in a worker thread: it calls the providers)."""
        return [self.reconciler.run(day, "schedule", channels)
                for day, channels in self.due().items()]

    def seconds_to_wait(self) -> float:
        """Until the next `at`, and at most `retry_s` (a statement still missing)."""
        local = self.clock().astimezone(BEIJING)
        next_at = datetime.combine(local.date(), self.schedule.at, BEIJING)
        if next_at <= local:
            next_at += timedelta(days=1)
        return max(1.0, min((next_at - local).total_seconds(), self.schedule.retry_s))

    def start(self) -> None:
        """On the app's event loop (its lifespan); nothing without a provider."""
        if self._task is None and self.reconciler.sources:
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            try:
                await run_in_threadpool(self.run_due)
                wait = await run_in_threadpool(self.seconds_to_wait)
            except Exception:  # the database may be restarting: try again later
                log.exception("daily reconciliation failed")
                wait = self.schedule.retry_s
            await asyncio.sleep(wait)
