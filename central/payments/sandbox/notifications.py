"""Payment notifications to the merchant's notify_url, retried as the providers retry.

The providers' notification rules (WeChat Pay APIv3 支付通知: a 200 or 204 answer acknowledges,
anything else is retried at 15s/15s/30s/3m/10m/20m/30m/...; Alipay 异步通知: the text
"success" acknowledges, retried at 4m/10m/10m/1h/2h/6h/15h). The sandbox keeps the first few
of each schedule, on the gateway's clock: `deliver_due` sends what is due, and a test moves the
clock to make a retry due instead of waiting for it.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import requests

from central.payments.sandbox.clock import Clock
from central.payments.sandbox.pay_codes import Provider

RETRY_AFTER_S: dict[Provider, tuple[int, ...]] = {
    "wechat": (15, 15, 30, 180, 600),
    "alipay": (240, 600, 600, 3600, 7200),
}
TIMEOUT_S = 5.0


@dataclass
class Attempt:
    at: datetime
    outcome: str  # "200", "500", "timeout", "refused: ..."
    acknowledged: bool


@dataclass
class Notification:
    id: str
    provider: Provider
    out_trade_no: str
    url: str
    body: bytes
    headers: dict[str, str]
    due: datetime | None  # None: delivered, given up, or being sent
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def delivered(self) -> bool:
        return any(attempt.acknowledged for attempt in self.attempts)


class Notifier:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._queue: list[Notification] = []

    def queue(self, provider: Provider, out_trade_no: str, url: str, body: bytes,
              headers: dict[str, str]) -> None:
        with self._lock:
            self._queue.append(Notification(uuid.uuid4().hex, provider, out_trade_no, url, body,
                                             headers, due=self.clock.now()))

    def all(self) -> list[Notification]:
        with self._lock:
            return [Notification(n.id, n.provider, n.out_trade_no, n.url, n.body,
                                 dict(n.headers), n.due, list(n.attempts)) for n in self._queue]

    def deliver_due(self) -> int:
        """Send every notification that is due; answers how many were acknowledged."""
        now = self.clock.now()
        with self._lock:
            due = [n for n in self._queue if n.due is not None and n.due <= now]
            for notification in due:
                notification.due = None  # being sent: not picked again meanwhile
        acknowledged = 0
        for notification in due:
            attempt = self._send(notification)
            acknowledged += attempt.acknowledged
            with self._lock:
                notification.attempts.append(attempt)
                retries = RETRY_AFTER_S[notification.provider]
                failures = len(notification.attempts)
                if not attempt.acknowledged and failures <= len(retries):
                    notification.due = self.clock.now() + timedelta(seconds=retries[failures - 1])
        return acknowledged

    def _send(self, notification: Notification) -> Attempt:
        at = self.clock.now()
        if not notification.url.startswith(("http://", "https://")):
            return Attempt(at, "refused: not an http(s) URL", False)
        try:
            response = requests.post(notification.url, data=notification.body,
                                     headers=notification.headers, timeout=TIMEOUT_S,
                                     allow_redirects=False)
        except requests.Timeout:
            return Attempt(at, "timeout", False)
        except requests.RequestException as exc:
            return Attempt(at, f"refused: {type(exc).__name__}", False)
        if notification.provider == "wechat":
            ok = response.status_code in (200, 204)
        else:
            ok = response.status_code == 200 and response.content.strip() == b"success"
        return Attempt(at, str(response.status_code), ok)
