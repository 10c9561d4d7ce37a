"""取号 while the platform is away, for the platform's own (demo) queue: numbers from the blocks
the platform leased to this terminal, given here and reconciled when it is back.

Online, `refresh` keeps today's and tomorrow's leases (`central.queue_offline`), the address of
the status page and the groups with their waiting counts; each list of groups asked for is kept
too. Offline, `issue` gives the next number of a lease (`offline_cache.offline_tickets` writes
it to disk before it is shown), with a token that starts with the lease's prefix, so the QR code
on the slip opens a page that says "not yet received" and then, once reconciled, the ticket.
People ahead are an estimate: the waiting count last heard of the group plus the tickets given
here since; the screen and the slip say so and defer to the window's calls.

`run` delivers the tickets given offline, oldest first, each under its own Idempotency-Key, so
a lost answer or a kill between sending and marking sends it again and the platform answers
the same; a ticket the platform cannot take yet waits `common.backoff` (doubling, capped) and
those after it wait behind it, so they arrive in the order taken; one it refuses for good is
kept, logged and named to the manager's console (`health`: its holder would never be called).
Only this queue gives numbers offline: a hall's own queue system (another `QueueService`) that
is down says so and sends the person to the service desk.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import time as monotonic_time
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import cast

from pydantic import ValidationError

from central.contract.queue import (
    DECLARED_REASONS,
    HALL_TZ,
    OfflineTicket,
    PriorityReason,
    QueueGroup,
    QueueGroups,
    Ticket,
    hall_day,
)
from common.backoff import backoff
from devices.health import Health, HealthState
from kiosk.platform_client import PlatformClient, PlatformError, PlatformErrorKind
from offline_cache.offline_tickets import Lease, LocalTicket, OfflineTickets
from offline_cache.wakeup import Wakeup, end_if_cancelled

log = logging.getLogger(__name__)

FOLLOW_BASE, GROUPS = "follow_base", "groups"
FAMILY = "queue"  # as the heartbeat reports its health, beside the devices
REFUSED_CODE = "QUEUE_TICKETS_REFUSED"
REFUSED_NAMED = 10  # numbers named in the health's detail (it is cut at 200 characters)
# what means the platform cannot be asked now (a 4xx is an answer: no offline number for it)
CANNOT_ASK = frozenset({PlatformErrorKind.OFFLINE, PlatformErrorKind.UNREACHABLE,
                        PlatformErrorKind.TIMEOUT, PlatformErrorKind.SERVER_ERROR})


def cannot_ask(exc: PlatformError) -> bool:
    return exc.kind in CANNOT_ASK


def _utc_now() -> datetime:
    return datetime.now(UTC)


class OfflineQueue:
    def __init__(self, client: PlatformClient, store: OfflineTickets, *,
                 refresh_s: float = 600.0, base_s: float = 5.0, cap_s: float = 600.0,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self._client = client
        self.store = store
        self._refresh_s = refresh_s
        self._base_s = base_s
        self._cap_s = cap_s
        self._clock = clock
        self._wake = Wakeup()
        self._woken = True  # the first pass ignores backoff
        self._refreshed_at: datetime | None = None
        self._backlog = store.backlog()
        # the numbers refused for good, by day: the holders must be helped at the desk
        today = hall_day(clock())
        self._refused = [(today, number) for number in store.refused_numbers(today)]
        # time.monotonic() when the platform last answered this queue (the port asks it again
        # at once from then on: kiosk.queue_service)
        self.answered_at = float("-inf")

    def backlog(self) -> int:
        """Tickets given offline not yet with the platform, as of the last issue or pass (for
        the heartbeat, built on the event loop)."""
        return self._backlog

    def health(self) -> Health | None:
        """QUEUE_TICKETS_REFUSED, naming today's numbers the platform refused, for the
        manager's console (beside the devices, as family "queue"); None when there are none."""
        today = hall_day(self._clock())
        numbers = [number for day, number in self._refused if day == today]
        if not numbers:
            return None
        shown = ", ".join(numbers[:REFUSED_NAMED]) + (" …" if len(numbers) > REFUSED_NAMED else "")
        return Health(HealthState.ERROR, REFUSED_CODE,
                      f"{len(numbers)} refused by the platform: {shown}")

    def wake(self) -> None:
        """The network is back: a pass now, backoff ignored. Thread-safe."""
        self._woken = True
        self._wake.ring()

    def in_flight(self) -> list[asyncio.Task[None]]:
        return []  # every pass runs inside `run`

    # -- online: what offline needs ------------------------------------------------------

    def refresh(self) -> None:
        """Today's and tomorrow's leases, the status page's address and the groups (blocking);
        raises PlatformError when the platform cannot be asked."""
        today = hall_day(self._clock())
        for day in (today, today + timedelta(days=1)):
            got = self._client.queue_leases(day)
            self.store.keep_leases([Lease(x.day, x.group_id, x.priority, x.first, x.last,
                                          x.token_prefix) for x in got.leases])
            self.store.remember(FOLLOW_BASE, got.follow_base)
            if day == today:
                self.note_groups(got.groups)
        self.store.forget_before(today - timedelta(days=7))
        self._refreshed_at = self._clock()
        self.answered_at = monotonic_time.monotonic()

    def note_groups(self, groups: list[QueueGroup]) -> None:
        """The groups and their waiting counts as the platform said them now (blocking)."""
        self.store.remember(GROUPS, json.dumps({
            "at": self._clock().isoformat(),
            "groups": QueueGroups(groups=groups).model_dump(mode="json")}))

    # -- offline: giving numbers ---------------------------------------------------------

    def cached_groups(self) -> list[QueueGroup] | None:
        """The groups last heard of, when a number can be given today (blocking); None when
        not: no lease for today, or nothing kept of the platform."""
        known = self._known()
        if known is None or not self.store.leases(hall_day(self._clock())):
            return None
        return known[1]

    def issue(self, group_id: str, priority: PriorityReason | None,
              request_key: str) -> Ticket | None:
        """A ticket numbered here, on disk before this returns (blocking); None when no number
        of the kind is left for today or the platform was never heard of."""
        known, follow_base = self._known(), self.store.fact(FOLLOW_BASE)
        if known is None or follow_base is None:
            return None
        heard_at, groups = known
        group = next((g for g in groups if g.group_id == group_id), None)
        if group is None:
            return None
        now = self._clock()
        day = hall_day(now)
        # the estimate: waiting when last heard today, plus those given here since
        if hall_day(heard_at) == day:
            ahead = group.waiting + self.store.given_since(day, group_id, heard_at)
        else:
            start = datetime.combine(day, time.min, tzinfo=HALL_TZ)
            ahead = self.store.given_since(day, group_id, start)
        local = self.store.issue(request_key, day, group_id, priority, now, ahead,
                                 secrets.token_urlsafe(18))
        if local is None:
            return None
        self._backlog = self.store.backlog()
        log.info("queue ticket %s given offline", local.number)
        return _ticket(local, group, follow_base)

    def _known(self) -> tuple[datetime, list[QueueGroup]] | None:
        text = self.store.fact(GROUPS)
        if text is None:
            return None
        try:
            kept = json.loads(text)
            return (datetime.fromisoformat(kept["at"]),
                    QueueGroups.model_validate(kept["groups"]).groups)
        except (ValueError, KeyError, TypeError, ValidationError):
            log.error("the kept queue groups do not read back")
            return None

    # -- back online: reconciling ----------------------------------------------------------

    def deliver_due(self, *, ignore_backoff: bool = False) -> int:
        """Send the tickets given offline, oldest first, until one must wait (blocking);
        returns how many the platform now has."""
        due_at = self.store.next_attempt_at()
        if due_at is None:
            return 0
        if not ignore_backoff and datetime.fromisoformat(due_at) > self._clock():
            return 0
        delivered = 0
        for local in self.store.pending():
            try:
                self._client.reconcile_queue_ticket(OfflineTicket(
                    day=local.day, group_id=local.group_id,
                    priority=cast("PriorityReason | None", local.priority),
                    number=local.number, token=local.token, taken_at=local.taken_at),
                    local.id)
            except PlatformError as exc:
                if exc.refused:
                    self.store.refused(local.id, exc.detail)
                    self._refused.append((local.day, local.number))
                    log.error("offline queue ticket %s refused: %s", local.number, exc.detail)
                    continue
                at = self._clock() + timedelta(
                    seconds=backoff(local.attempts, self._base_s, self._cap_s))
                self.store.retry_later(local.id, exc.detail, at)
                log.info("offline queue ticket %s not delivered yet: %s", local.number,
                         exc.detail)
                break  # the rest wait behind it: they arrive in the order taken
            self.store.delivered(local.id)
            self.answered_at = monotonic_time.monotonic()
            delivered += 1
        self._backlog = self.store.backlog()
        return delivered

    def one_pass(self, *, ignore_backoff: bool) -> None:
        """Deliver what is due, then keep the leases fresh (blocking; never raises for the
        platform being away)."""
        try:
            delivered = self.deliver_due(ignore_backoff=ignore_backoff)
            stale = (self._refreshed_at is None or delivered
                     or self._clock() - self._refreshed_at >= timedelta(seconds=self._refresh_s)
                     or hall_day(self._refreshed_at) != hall_day(self._clock()))
            if stale:
                self.refresh()
        except PlatformError as exc:
            log.info("queue leases not refreshed: %s", exc.detail)

    async def run(self, tick_s: float = 30.0) -> None:
        """Reconcile and refresh until cancelled; never raises otherwise."""
        self._wake.bind()
        while True:
            end_if_cancelled()
            self._wake.clear()
            woken, self._woken = self._woken, False
            try:
                await asyncio.to_thread(self.one_pass, ignore_backoff=woken)
            except Exception:
                log.exception("offline queue pass failed")
            await self._wake.wait(tick_s)


def _ticket(local: LocalTicket, group: QueueGroup, follow_base: str) -> Ticket:
    priority = cast("PriorityReason | None", local.priority)  # written from one
    return Ticket(
        number=local.number, group_id=group.group_id, group_name=group.name,
        window_area=group.window_area, priority=priority,
        verify_at_window=priority in DECLARED_REASONS, people_ahead=local.people_ahead,
        wait_minutes=0, state="waiting", taken_at=local.taken_at, token=local.token,
        follow_url=follow_base + local.token, issued_offline=True)
