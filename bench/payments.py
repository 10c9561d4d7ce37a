"""收费 under faults: N payments through the kiosk's own code against the real platform and the
payment gateway sandbox, with a seeded random schedule of faults, then reconciliation (对账).

    python bench/payments.py [--runs 50] [--seed 1] [--json] [--speed 50] [--keep]
                             [--fault code:give_up] [--max-tries 1]

What runs:

- the gateway sandbox (`central.payments.sandbox`: `PaymentGateway` on a `ManualClock`, served
  by `SandboxServer`, notifying the platform), the same one for the whole bench;
- the platform (`central.server.EmbeddedPlatform`, SQLite in a temporary directory) with its
  payments at the sandbox through the real WeChat Pay and Alipay SDKs, on the same clock;
  stopped and started again (a new app on the same database, the sandbox kept) at random
  moments of some runs;
- the kiosk in a child process (`--worker`): built as `kiosk.terminal.build_terminal` builds
  it (citizen services, payment journal, outbox, the settler and the outbox loops running as
  the runtime runs them), each run a person verified at the platform, the application held
  (`flows.payment.hold_application`), the fee (`flows.payment.pay_fee`) and the application
  settled (`flows.payment.settle_application`), with a scripted person answering the screens
  (`Person`); killed with SIGKILL at a random moment of some runs and started again over the
  same data directory (its settler then finds out what became of the payment);
- time: one `ManualClock` is the gateway's and the platform's, moved by a pump thread
  (`--speed` clock seconds per real second) and by jumps at the end; the kiosk signs its
  requests by it too (a file the child reads), so nothing waits for a deadline in real time.

Each run picks a service (SS-022, 10 元; SS-018, 15 元), a channel (WeChat Pay, Alipay), a way to
pay (pay code, or the QR code paid on the sandbox's phone through its admin API) and a fault:
USERPAYING for a few queries, a wrong password, SYSTEMERROR, a lost answer, a late success after
the reverse, a fake reverse, not enough balance, a wrong or a used code, the person giving up
(返回) or walking away; for the QR code a system error or a lost answer at precreate, no
notification, not enough money on the phone, giving up, paying at the moment of giving up
(`--fault` gives every run the one named). And independently a kill -9 of the kiosk, a restart
of the platform and a cut of the kiosk's network (`kiosk.network_switch`), each at a moment of
the run (its number, or its name: `pay_code:sent`, `release:before`, …).

After the runs everything settles (the platform's resolver passes until no attempt is open or
watched and no refund pending, the kiosk's settler until no application is held and the outbox
is empty), the clock moves to 10:30 the next morning, and each day is reconciled against the
sandbox's statements fetched through the SDKs. It prints one JSON object (`--json`) or a
summary: `charged_cny` (what the gateway kept: charges less refunds and reversals), `paid_cny`
(orders the platform holds paid and not refunded), `double_charges` (orders whose trades kept
more than their amount), `orphans` (money without its paid order, a paid order without its
money, and the reconciliation's 长款/短款/金额不符), `unresolved` (attempts and refunds left to
staff; `unresolved_on_console` of them listed by the console's JSON API), `p95_s` (scan or tap
to the application released, wall time, runs without a fault), `by_fault`, and `defects`: any
run whose outcome breaks a rule (the person told paid and the order not paid or the other way
round, a paid order no application names, an application sent twice or never, a receipt's 缴款码
of an order it can no longer pay, anything held or refused at the kiosk), with its plan and the
sequence of its moments. Figures, never assertions; bench/README.md has them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import queue
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time as real_time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as day_time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVICES = {"SS-022": 1000, "SS-018": 1500}  # fen
FORMS: dict[str, dict[str, str]] = {
    "SS-022": {"mobile": "13812345678", "delivery": "窗口领取"},
    "SS-018": {"endorse_type": "个人旅游（G）", "times": "一次"},
}
UNTIL_REVERSED = 1_000_000  # central.payments.sandbox.ledger.UNTIL_REVERSED
PLENTY = 100_000  # fen on a pay code
CODE_FAULTS = {  # fault → weight
    "clean": 8, "user_paying": 3, "declined": 2, "system_error": 2, "lost_response": 2,
    "late_success": 2, "fake_reverse": 2, "not_enough": 2, "wrong_code": 1, "used_code": 1,
    "give_up": 3, "walk_away": 2, "pay_later": 1,
}
QR_FAULTS = {
    "clean": 5, "qr_system_error": 1, "qr_lost_response": 1, "qr_no_notify": 1,
    "qr_not_enough": 1, "give_up": 2, "tap_and_give_up": 2, "walk_away": 1,
}
RUN_LIMIT_S = 180.0  # a run still going then is a hung kiosk (a defect, reported)
PASSWORD = "correct horse battery"


# ==== the plan of a run (the parent's seeded choices) ==========================================

def plan_run(rng: random.Random, number: int, used_codes: list[str],
             only: str | None = None) -> dict[str, Any]:
    """Run `number`'s plan; `only`: every run has this fault ("code:give_up", "qr:clean")."""
    service = rng.choice(sorted(SERVICES))
    channel = rng.choice(["wechat", "alipay"])
    mode = "code" if rng.random() < 0.6 else "qr"
    if only is not None:
        mode = only.split(":")[0]
    faults = CODE_FAULTS if mode == "code" else QR_FAULTS
    fault = rng.choices(list(faults), weights=list(faults.values()))[0]
    if only is not None:
        fault = only.split(":")[1]
    plan: dict[str, Any] = {
        "run": number, "service": service, "channel": channel, "mode": mode, "fault": fault,
        "balance": PLENTY, "script": {}, "qr_script": {}, "code": None, "give_up": None,
        "give_up_after_s": round(rng.uniform(0.0, 0.4), 3),
        "tap_after_s": round(rng.uniform(0.0, 0.3), 3),
        # what the person does after an attempt that was not paid
        "then": rng.choice(["code", "qr", "later", "walk"]),
        # the kiosk killed, the platform restarted: at the n-th moment of the run, or at the
        # first moment of that name
        "kill_at": _moment(rng, 0.25, KILL_MOMENTS),
        "restart_at": _moment(rng, 0.2, RESTART_MOMENTS),
        # the kiosk's network cut at a moment, for up to 8 s (400 s on the clock: longer
        # than a QR code lives)
        "cut_at": _moment(rng, 0.12, CUT_MOMENTS),
        "cut_s": round(rng.uniform(0.2, 8.0), 2),
        # bounce: stopped and started at that moment; down: stopped then, started a while
        # later; during: stopped and started while the kiosk's request is on its way
        "restart": rng.choice(["bounce", "down", "during"]),
        "down_s": round(rng.uniform(0.1, 1.5), 3),
    }
    script: dict[str, Any] = plan["script"]
    if mode == "code" and rng.random() < 0.25:
        script["notify"] = False
    match fault:
        case "user_paying":
            script["paying_for"] = rng.randint(1, 5)
        case "declined":
            script.update(paying_for=rng.randint(0, 3), password_ok=False)
        case "system_error":
            script["system_errors"] = rng.randint(1, 2)
        case "lost_response":
            script["lost_responses"] = 1
            if rng.random() < 0.5:
                script["paying_for"] = rng.randint(1, 3)
        case "late_success":
            script.update(paying_for=UNTIL_REVERSED, reverse="late_success")
        case "fake_reverse":
            # still paying at the deadline (about 15 queries) or when the person gives up; the
            # password may be accepted with the queries that confirm the reverse
            script.update(paying_for=rng.randint(1, 18), reverse="fake")
            if rng.random() < 0.6:
                plan["give_up"] = "back"
        case "not_enough":
            plan["balance"] = rng.choice([0, 500, SERVICES[service] - 1])
        case "wrong_code":
            plan["code"] = "wrong"
        case "used_code":
            plan["code"] = rng.choice(used_codes) if used_codes else "wrong"
        case "give_up":
            plan["give_up"] = "back"
            if mode == "code":  # the password may come just before, with or after the cancel
                script["paying_for"] = rng.choice([1, 2, 4, 8, UNTIL_REVERSED])
                if rng.random() < 0.3:
                    script["reverse"] = "late_success"
        case "tap_and_give_up":
            plan["give_up"] = "back_and_tap"
        case "walk_away":
            plan["give_up"] = "walk"
            if mode == "code":
                script["paying_for"] = rng.choice([1, 3, UNTIL_REVERSED])
        case "pay_later":
            plan["give_up"] = "later"
        case "qr_system_error":
            # at precreate: the platform asks twice per request, the kiosk sends it 3 times, the
            # resolver asks again every 3 s while the QR code is still being made; 40 is the
            # provider failing for about two minutes (the kiosk gives up before it is made)
            plan["qr_script"]["system_errors"] = rng.choice([1, 2, 3, 40])
        case "qr_lost_response":
            plan["qr_script"]["lost_responses"] = 1  # the sandbox drops a trade's first only
        case "qr_no_notify":
            plan["qr_script"]["notify"] = False
        case "qr_not_enough":
            plan["qr_script"]["phone_balance"] = rng.choice([0, 100])
    return plan


KILL_MOMENTS = ["pay_code:sent", "pay_code:answered", "qr:answered", "ui:PayQrStep", "tap",
                "back", "cancel:sent", "cancel:answered", "release:before", "journal_settle:sent",
                "deliver:sent"]
CUT_MOMENTS = ["create:sent", "pay_code:sent", "qr:sent", "wait:sent", "tap", "back",
               "cancel:sent", "release:before", "deliver:sent"]
RESTART_MOMENTS = ["pay_code:sent", "qr:sent", "cancel:sent", "wait:sent", "create:sent", "tap",
                   "deliver:sent"]


def _moment(rng: random.Random, chance: float, named: list[str]) -> int | str | None:
    if rng.random() >= chance:
        return None
    return rng.choice(named) if rng.random() < 0.4 else rng.randint(1, 12)


def clean(plan: dict[str, Any]) -> bool:
    return plan["fault"] == "clean" and plan["kill_at"] is None and plan["restart_at"] is None \
        and plan["cut_at"] is None and not plan["script"]


# ==== the kiosk: a child process (--worker) ===================================================

class Out:
    """Lines of JSON to the parent, from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stdout = sys.stdout
        sys.stdout = sys.stderr  # nothing else may write to the pipe

    def __call__(self, **event: Any) -> None:
        line = json.dumps(event, ensure_ascii=False, default=str)
        with self._lock:
            self._stdout.write(line + "\n")
            self._stdout.flush()


class Moments:
    """Where a run stands: each platform call sent and answered, each screen shown, the
    application held, released and journaled. The kill, the platform's restart and the
    network's cut happen at the moment the plan names (its number in the run, or its name)."""

    def __init__(self, out: Out, cut: Any) -> None:
        self.out = out
        self.cut = cut  # cut(seconds): the kiosk's network cut, restored that much later
        self._lock = threading.Lock()
        self.active = False
        self.count = 0
        self.kill_at: int | str | None = None
        self.pause_at: int | str | None = None
        self.cut_at: int | str | None = None
        self.cut_s = 0.0
        self.waits = True

    def start(self, plan: dict[str, Any]) -> None:
        with self._lock:
            self.active, self.count = True, 0
            self.kill_at, self.pause_at = plan["kill_at"], plan["restart_at"]
            self.cut_at, self.cut_s = plan["cut_at"], plan["cut_s"]
            self.waits = plan["restart"] != "during"

    def stop(self) -> None:
        with self._lock:
            self.active = False

    def __call__(self, name: str) -> None:
        with self._lock:
            if not self.active:
                return
            self.count += 1
            number = self.count
            kill = self.kill_at in (number, name)
            pause = self.pause_at in (number, name)
            if pause:
                self.pause_at = None  # once
            if kill:
                self.kill_at = None
            cut = self.cut_at in (number, name)
            if cut:
                self.cut_at = None
        self.out(moment=name, n=number)
        if cut:
            self.out(cut=name, n=number)
            self.cut(self.cut_s)
        if pause and not self.waits:  # the parent restarts it as the kiosk goes on
            self.out(restart=name, n=number)
        elif pause:  # the parent stops the platform now, and says when to go on
            self.out(pause=name, n=number)
            sys.stdin.readline()
        if kill:
            self.out(killed=name, n=number)
            os.kill(os.getpid(), signal.SIGKILL)


def hook_calls(obj: object, moments: Moments, **labels: str) -> None:
    """Each named method of `obj` (a blocking one) reports a moment before and after."""
    for name, label in labels.items():
        call = getattr(obj, name)

        def wrapped(*args: Any, _call: Any = call, _label: str = label, **kwargs: Any) -> Any:
            moments(f"{_label}:sent")
            answer = _call(*args, **kwargs)
            moments(f"{_label}:answered")
            return answer

        setattr(obj, name, wrapped)


def hook_async(obj: object, moments: Moments, name: str, label: str) -> None:
    call = getattr(obj, name)

    async def wrapped(*args: Any, **kwargs: Any) -> Any:
        moments(f"{label}:before")
        answer = await call(*args, **kwargs)
        moments(f"{label}:done")
        return answer

    setattr(obj, name, wrapped)


class FakeTime:
    """`time` for `central.contract.signed_headers`: the bench's clock, from its file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def time(self) -> float:
        for _ in range(100):
            with contextlib.suppress(OSError, ValueError):
                return float(self.path.read_text())
            real_time.sleep(0.001)
        return real_time.time()


class Sandbox:
    """The gateway's admin API (`central.payments.sandbox.admin_api`), as a person's phone."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def _post(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        import requests

        response = requests.post(self.base_url + path, json=body, timeout=10)
        return response.status_code, response.json()

    def new_code(self, provider: str, balance: int, script: dict[str, Any]) -> str:
        status, answer = self._post("/sandbox/codes", {"provider": provider,
                                                       "balance": balance, "script": script})
        assert status == 200, answer
        return answer["code"]

    def script_qr(self, provider: str, out_trade_no: str, script: dict[str, Any]) -> None:
        status, answer = self._post(f"/sandbox/qr-orders/{provider}/{out_trade_no}/script",
                                    script)
        assert status == 200, answer

    def tap(self, qr: str) -> str:
        """确认支付 on the phone: "paid", or why not."""
        status, answer = self._post("/sandbox/phone/pay", {"qr": qr})
        return "paid" if status == 200 else str(answer.get("error"))


class Person:
    """The scripted person in front of the kiosk (the flows' `Ui` port): answers each screen
    as the run's plan says."""

    def __init__(self, plan: dict[str, Any], scanner: Any, sandbox: Sandbox,
                 moments: Moments, orders: list[str]) -> None:
        self.plan = plan
        self.scanner = scanner
        self.sandbox = sandbox
        self.moments = moments
        self.orders = orders  # the orders the kiosk was given, in turn
        self.walked = asyncio.Event()
        self.fees = 0  # fee screens answered
        self.codes: list[str] = []
        self.taps: list[str] = []
        self.problems: list[str] = []
        self.scanned_at: float | None = None
        self.gave_up = False
        self._side: set[asyncio.Future[Any]] = set()

    async def ask(self, step: Any) -> Any:
        from flows.steps import (
            BusyStep,
            Choose,
            MessageStep,
            PayCodeStep,
            PayingStep,
            PaymentStep,
            PayQrStep,
        )

        self.moments(f"ui:{type(step).__name__}")
        await asyncio.sleep(0)
        if isinstance(step, BusyStep):
            return await self._forever()
        if isinstance(step, PaymentStep):
            return await self._fee(step)
        if isinstance(step, PayCodeStep):
            return await self._code(step)
        if isinstance(step, PayingStep):
            return await self._paying()
        if isinstance(step, PayQrStep):
            return await self._qr(step)
        if isinstance(step, MessageStep):
            self.problems.append(_render(step.title))
            return Choose("next")
        raise AssertionError(f"the person did not expect {type(step).__name__}")

    @staticmethod
    async def _forever() -> Any:
        await asyncio.Event().wait()

    async def _walk(self) -> Any:
        self.gave_up = True
        self.walked.set()  # the session ends: the runtime cancels the flow
        return await self._forever()

    async def _fee(self, step: Any) -> Any:
        from flows.steps import PAY_CODE, PAY_LATER, PAY_QR, Choose

        self.fees += 1
        plan = self.plan
        if step.problem is not None:
            self.problems.append(_render(step.problem))
        if self.fees == 1:
            if plan["give_up"] == "later":
                return Choose(PAY_LATER)
            if plan["mode"] == "code":
                return Choose(PAY_CODE)
            if plan["qr_script"] and self.orders:
                from central.payments.numbers import out_trade_no

                await asyncio.to_thread(self.sandbox.script_qr, plan["channel"],
                                        out_trade_no(self.orders[-1], 1), plan["qr_script"])
            return Choose(PAY_QR[plan["channel"]])
        if self.fees > 3 or plan["then"] == "later":
            return Choose(PAY_LATER)
        if plan["then"] == "walk":
            return await self._walk()
        if plan["then"] == "code":
            return Choose(PAY_CODE)
        return Choose(PAY_QR[plan["channel"]])

    async def _code(self, step: Any) -> Any:
        from central.payments.sandbox.pay_codes import new_code

        plan = self.plan
        first = not self.codes and self.fees == 1
        if first and plan["code"] == "wrong":
            code = new_code(plan["channel"])  # of the channel's form, unknown to the gateway
        elif first and plan["code"] is not None:
            code = plan["code"]
        else:
            code = await asyncio.to_thread(
                self.sandbox.new_code, plan["channel"],
                plan["balance"] if first else PLENTY, plan["script"] if first else {})
        self.codes.append(code)
        if self.scanned_at is None:
            self.scanned_at = real_time.perf_counter()
        self.moments("scan")
        self.scanner.scan(code, "Code128")
        return await self._forever()

    async def _paying(self) -> Any:
        from flows.steps import Nav

        give_up = self.plan["give_up"]
        if give_up in ("back", "walk") and not self.gave_up:
            await asyncio.sleep(self.plan["give_up_after_s"])
            if give_up == "walk":
                return await self._walk()
            self.gave_up = True
            self.moments("back")
            return Nav.BACK
        return await self._forever()

    async def _qr(self, step: Any) -> Any:
        from flows.steps import Nav

        give_up = self.plan["give_up"] if not self.gave_up else None
        if give_up == "walk":
            return await self._walk()
        if give_up == "back":
            await asyncio.sleep(self.plan["give_up_after_s"])
            self.gave_up = True
            self.moments("back")
            return Nav.BACK
        if give_up == "back_and_tap":  # paid on the phone about when 返回 is pressed
            self.gave_up = True
            tap = asyncio.ensure_future(self._tap(step.qr_content,
                                                  self.plan["tap_after_s"] / 3))
            self._side.add(tap)
            tap.add_done_callback(self._side.discard)
            await asyncio.sleep(self.plan["give_up_after_s"] / 4)
            self.moments("back")
            return Nav.BACK
        await asyncio.sleep(self.plan["tap_after_s"])
        if self.scanned_at is None:
            self.scanned_at = real_time.perf_counter()
        if await self._tap(step.qr_content) != "paid":
            self.gave_up = True
            self.moments("back")
            return Nav.BACK  # the phone said no: the person gives up on this code
        return await self._forever()

    async def _tap(self, qr: str, after_s: float = 0.0) -> str:
        await asyncio.sleep(after_s)
        self.moments("tap")
        answer = await asyncio.to_thread(self.sandbox.tap, qr)
        self.taps.append(answer)
        return answer


def _render(text: Any) -> str:
    return text if isinstance(text, str) else text.render()


async def worker(data_dir: Path, base_url: str, sandbox_url: str, clock_file: Path) -> None:
    import central.contract
    from central.contract import VerificationRequest
    from devices.camera.simulated import SimulatedCodeScanner
    from devices.printer.simulated import SimulatedReceiptPrinter
    from flows.context import FlowContext, FlowDevices
    from flows.payment import hold_application, pay_fee, settle_application
    from kiosk.session import CitizenSession
    from kiosk.terminal import build_terminal
    from offline_cache.outbox import OutboxState
    from tests.central.citizen import good_face, id_card
    from tests.kiosk.citizen_platform import residence_permit, settings_for

    out = Out()
    central.contract.time = FakeTime(clock_file)  # type: ignore[assignment]
    # as config/default.toml: 5 s, two retries of a request that may be repeated
    terminal = build_terminal(settings_for(data_dir, timeout_s=5.0, retries=2), base_url)
    loop = asyncio.get_running_loop()
    restores: list[asyncio.TimerHandle] = []

    def cut(seconds: float) -> None:
        """From any thread: every request of the kiosk fails as with a pulled cable."""
        terminal.network.cut()
        loop.call_soon_threadsafe(lambda: restores.append(
            loop.call_later(seconds, terminal.network.restore)))

    moments = Moments(out, cut)
    payments, services, sync = terminal.payments, terminal.services, terminal.outbox_sync
    assert payments is not None and sync is not None
    orders: list[str] = []
    hook_calls(payments._client, moments, create_payment="create", pay_with_code="pay_code",
               payment_qr="qr", payment="wait", cancel_payment="cancel")
    create = payments._client.create_payment

    def noting_orders(*args: Any) -> Any:
        order = create(*args)
        orders.append(order.order_id)
        return order

    payments._client.create_payment = noting_orders  # type: ignore[method-assign]
    hook_calls(services._client, moments, submit_application="deliver")  # type: ignore[attr-defined]
    hook_async(payments, moments, "release", "release")
    hook_calls(payments.journal, moments, settle="journal_settle")
    sandbox = Sandbox(sandbox_url)
    while terminal.catalog.catalog is None:  # the platform may be restarting
        await terminal.catalog.start()
        if terminal.catalog.catalog is None:
            await asyncio.sleep(0.2)
    catalog = terminal.catalog.catalog
    loops = [asyncio.ensure_future(payments.run()), asyncio.ensure_future(sync.run())]
    out(ready=os.getpid())

    async def one_run(plan: dict[str, Any]) -> dict[str, Any]:
        service = catalog.service(plan["service"])
        assert service is not None
        scanner = SimulatedCodeScanner()
        scanner.events.bind(loop)
        printer = SimulatedReceiptPrinter(seconds_per_block=0)
        orders.clear()
        person = Person(plan, scanner, sandbox, moments, orders)
        ctx = FlowContext(ui=person, catalog=terminal.catalog, services=services,
                          devices=FlowDevices(code_scanner=scanner, receipt_printer=printer),
                          session=CitizenSession())
        while terminal.network.is_cut:  # the next person comes once the network is back
            await asyncio.sleep(0.05)
        moments.start(plan)
        result: dict[str, Any] = {"run": plan["run"]}
        verification = None
        for _ in range(5):  # as the identity flow: the platform may be restarting
            try:
                verification = await services.verify_identity(VerificationRequest(
                    evidence=id_card(), face=good_face()))
                break
            except Exception as exc:
                result["verify_error"] = str(exc)[:200]
                await asyncio.sleep(0.5)
        if verification is None or not verification.verification_id:
            moments.stop()
            return {**result, "outcome": "not_verified"}
        submission = residence_permit(service_id=plan["service"], materials=[],
                                      verification_id=verification.verification_id,
                                      form={"name": "张三", "id_no": "110101199003070011",
                                            **FORMS[plan["service"]]})
        local: list[str] = []

        async def visit() -> Any:
            number = await hold_application(ctx, submission)
            local.append(number)
            out(local=number)
            outcome = await pay_fee(ctx, service, local_number=number,
                                    verification_id=verification.verification_id)
            submitted = await settle_application(ctx, number, outcome)
            return outcome, submitted

        flow = asyncio.ensure_future(visit())
        walked = asyncio.ensure_future(person.walked.wait())
        await asyncio.wait({flow, walked}, return_when=asyncio.FIRST_COMPLETED)
        walked.cancel()
        if not flow.done():  # the person walked away: the session ends, the flow is cancelled
            flow.cancel()
        try:
            outcome, submitted = await flow
        except asyncio.CancelledError:
            result["outcome"] = "walked_away"
        except Exception as exc:
            result["outcome"] = "error"
            result["error"] = "".join(traceback.format_exception(exc))[-1500:]
        else:
            done = real_time.perf_counter()
            result["outcome"] = type(outcome).__name__
            order = outcome.order
            result["order"] = order.order_id if order is not None else None
            result["order_state"] = order.state if order is not None else None
            result["accepted"] = submitted.accepted.acceptance_number \
                if submitted.accepted else None
            if person.scanned_at is not None:
                result["scan_to_done_s"] = round(done - person.scanned_at, 4)
        moments.stop()
        result.update(local=local[0] if local else None, orders=list(orders),
                      codes=person.codes, taps=person.taps, problems=person.problems[-4:])
        return result

    async def settle() -> dict[str, Any]:
        """The kiosk's settler and the outbox, driven until nothing is held or waiting."""
        for handle in restores:
            handle.cancel()
        terminal.network.restore()
        for task in loops:
            task.cancel()
        await asyncio.gather(*loops, return_exceptions=True)
        loops.clear()
        waiting = await payments.settle_pass()
        await sync.deliver_due(ignore_backoff=True)
        held = await asyncio.to_thread(sync.outbox.items, OutboxState.HELD)
        refused = await asyncio.to_thread(sync.outbox.items, OutboxState.REFUSED)
        unsettled = await asyncio.to_thread(payments.journal.unsettled)
        return {"waiting": waiting, "held": len(held), "backlog": sync.backlog(),
                "refused": [item.local_number for item in refused],
                "unsettled": len(unsettled)}

    while True:
        line = await asyncio.to_thread(sys.stdin.readline)
        if not line:
            break
        command = json.loads(line)
        if "run" in command:
            out(result=await one_run(command["run"]))
        elif "settle" in command:
            out(settled=await settle())
        elif "quit" in command:
            break
    for task in loops:
        task.cancel()
    await asyncio.gather(*loops, return_exceptions=True)
    payments.close()
    out(bye=True)


# ==== the parent: platform, gateway, clock, the runs ==========================================

class BenchClock:
    """The gateway's `ManualClock`, also the platform's (`utc`), published to a file the kiosk
    signs its requests by."""

    def __init__(self, start: datetime, path: Path) -> None:
        from central.payments.sandbox import ManualClock

        self.manual = ManualClock(start)
        self.path = path
        self._lock = threading.Lock()
        self._publish()

    def now(self) -> datetime:
        return self.manual.now()

    def utc(self) -> datetime:
        return self.manual.now().astimezone(UTC)

    def advance(self, seconds: float) -> datetime:
        with self._lock:
            now = self.manual.advance(seconds)
            self._publish()
        return now

    def _publish(self) -> None:
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(repr(self.manual.now().timestamp()))
        os.replace(temporary, self.path)


class Pump(threading.Thread):
    """Moves the clock on by `speed` seconds per real second, in small steps."""

    def __init__(self, clock: BenchClock, speed: float) -> None:
        super().__init__(name="clock-pump", daemon=True)
        self.clock = clock
        self.speed = speed
        self.running = threading.Event()
        self.ending = threading.Event()

    def run(self) -> None:
        last = real_time.monotonic()
        while not self.ending.wait(0.005):
            now = real_time.monotonic()
            if self.running.is_set():
                self.clock.advance((now - last) * self.speed)
            last = now


@dataclass
class Run:
    plan: dict[str, Any]
    events: list[str] = field(default_factory=list)
    result: dict[str, Any] | None = None
    local: str | None = None
    killed_at: str | None = None
    restarted_at: str | None = None
    cut_at: str | None = None
    wall_s: float = 0.0


class Worker:
    """The kiosk process: started, told what to do, read, killed by itself, started again."""

    def __init__(self, work: Path, base_url: str, sandbox_url: str, clock_file: Path) -> None:
        self.args = [sys.executable, str(Path(__file__).resolve()), "--worker", str(work / "kiosk"),
                     base_url, sandbox_url, str(clock_file)]
        self.log = open(work / "kiosk.log", "ab")  # noqa: SIM115 (open for the bench's life)
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.starts = 0

    def start(self) -> None:
        self.process = subprocess.Popen(self.args, cwd=ROOT, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.log, text=True,
                                        bufsize=1)
        self.starts += 1
        self.lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self.lines), daemon=True).start()
        ready = self.next(120.0)
        if ready is None or "ready" not in ready:
            raise RuntimeError(f"the kiosk did not start: {ready}")

    @staticmethod
    def _read(process: subprocess.Popen[str], lines: queue.Queue[str | None]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send(self, **command: Any) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(command, ensure_ascii=False) + "\n")
        self.process.stdin.flush()

    def next(self, timeout: float) -> dict[str, Any] | None:
        """The next event; None when the process ended (its pipe closed)."""
        line = self.lines.get(timeout=timeout)
        return None if line is None else json.loads(line)

    def ended(self) -> int | None:
        if self.process is None:
            return None
        try:
            return self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def quit(self) -> None:
        if self.alive():
            with contextlib.suppress(BrokenPipeError, OSError):
                self.send(quit=True)
            with contextlib.suppress(queue.Empty):
                while (event := self.next(30.0)) is not None and "bye" not in event:
                    pass
        self.ended()
        self.log.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Bench:
    def __init__(self, work: Path, seed: int, speed: float, quiet: bool,
                 max_tries: int | None = None) -> None:
        import central.server
        from central.app import create_app
        from central.payments.sandbox import PaymentGateway, SandboxServer
        from central.payments.sandbox.clock import BEIJING
        from central.payments.settings import sandbox_settings
        from central.server import EmbeddedPlatform
        from tests.kiosk.citizen_platform import TERMINAL

        self.work, self.seed, self.speed, self.quiet = work, seed, speed, quiet
        today = datetime.now(BEIJING).date()
        self.start_day = today
        self.clock = BenchClock(datetime.combine(today, day_time(8, 0), BEIJING),
                                work / "clock")
        self.gateway = PaymentGateway(self.clock.manual)
        self.sandbox = SandboxServer(self.gateway, notify_in_background=True,
                                     notify_every_s=0.05)
        self.sandbox.start()
        port = _free_port()
        # the platform on the bench's clock; its resolver passes often (real time)
        central.server.create_app = functools.partial(create_app, clock=self.clock.utc)  # type: ignore[assignment]
        settings = sandbox_settings(self.gateway, self.sandbox, f"http://127.0.0.1:{port}",
                                    tick_s=0.02,
                                    **({"max_tries": max_tries} if max_tries else {}))
        self.platform = EmbeddedPlatform(f"sqlite:///{work}/central.db", port=port,
                                         terminals=[TERMINAL], sweep_interval_s=0,
                                         payments=settings)
        self.platform.start()
        self.terminal_id = TERMINAL.id
        self.pump = Pump(self.clock, speed)
        self.pump.start()
        self.pump.running.set()
        self.worker = Worker(work, self.platform.base_url, self.sandbox.base_url,
                             work / "clock")
        self.worker.start()
        self.runs: list[Run] = []
        self.used_codes: list[str] = []
        self.restarter: threading.Thread | None = None
        self.platform_restarts = 0

    # -- a run -----------------------------------------------------------------------------------

    def run(self, plan: dict[str, Any]) -> Run:
        run = Run(plan)
        self.runs.append(run)
        started = real_time.perf_counter()
        if not self.worker.alive():
            self.worker.start()
        self.worker.send(run=plan)
        deadline = real_time.monotonic() + RUN_LIMIT_S
        while True:
            try:
                event = self.worker.next(max(0.1, deadline - real_time.monotonic()))
            except queue.Empty:
                run.events.append("HUNG")
                run.result = {"outcome": "hung"}
                self.worker.process.kill()  # type: ignore[union-attr]
                self.worker.ended()
                break
            if event is None:  # the kiosk died
                code = self.worker.ended()
                if run.killed_at is None:
                    run.events.append(f"kiosk ended ({code})")
                    run.result = {"outcome": "kiosk_died", "code": code}
                break
            if "moment" in event:
                run.events.append(f"{event['moment']}@{real_time.perf_counter() - started:.2f}")
            elif "local" in event:
                run.local = event["local"]
            elif "pause" in event or "restart" in event:
                run.restarted_at = event.get("pause") or event["restart"]
                run.events.append(f"PLATFORM {plan['restart']}")
                self._restart_platform(plan)
                if "pause" in event:  # (killed meanwhile at a moment of another thread)
                    with contextlib.suppress(BrokenPipeError, OSError):
                        self.worker.send(go=True)
            elif "cut" in event:
                run.cut_at = event["cut"]
                run.events.append(f"NETWORK CUT {plan['cut_s']} s")
            elif "killed" in event:
                run.killed_at = event["killed"]
                run.events.append("KILL -9")
            elif "result" in event:
                run.result = event["result"]
                break
        if self.restarter is not None:
            self.restarter.join()
            self.restarter = None
        if run.result is not None:
            self.used_codes += [c for c in run.result.get("codes", []) if len(c) >= 16]
            run.local = run.local or run.result.get("local")
        run.wall_s = real_time.perf_counter() - started
        with open(self.work / "runs.jsonl", "a", encoding="utf-8") as log:
            log.write(json.dumps({"plan": run.plan, "events": run.events, "result": run.result,
                                  "killed_at": run.killed_at, "restarted_at": run.restarted_at,
                                  "cut_at": run.cut_at,
                                  "wall_s": round(run.wall_s, 3)}, ensure_ascii=False) + "\n")
        return run

    def _restart_platform(self, plan: dict[str, Any]) -> None:
        """Stopped now, started again at once ("bounce") or after a while ("down"); or stopped
        and started from another thread while the kiosk's request goes ("during")."""
        self.platform_restarts += 1

        def later() -> None:
            if plan["restart"] == "during":
                self.platform.stop()
            real_time.sleep(plan["down_s"] / (5 if plan["restart"] == "during" else 1))
            self.platform.start()

        if plan["restart"] != "during":
            self.platform.stop()
        if plan["restart"] == "bounce":
            self.platform.start()
            return
        self.restarter = threading.Thread(target=later, name="platform-restart")
        self.restarter.start()

    # -- after the runs -------------------------------------------------------------------------

    def open_work(self) -> int:
        from sqlalchemy import func, or_, select

        from central.db import PaymentAttemptRecord, PaymentRefundRecord
        from central.payments.machine import OPEN_STATES

        with self.platform.app.state.sessions() as session:
            attempts = session.scalar(select(func.count()).select_from(PaymentAttemptRecord)
                                      .where(or_(PaymentAttemptRecord.state.in_(OPEN_STATES),
                                                 PaymentAttemptRecord.watch_until.is_not(None))))
            refunds = session.scalar(select(func.count()).select_from(PaymentRefundRecord)
                                     .where(PaymentRefundRecord.state == "pending"))
        return (attempts or 0) + (refunds or 0)

    def settle(self) -> dict[str, Any]:
        """Resolver passes until nothing is open, the kiosk's settler until nothing is held."""
        if not self.worker.alive():
            self.worker.start()
        self.pump.speed = self.speed * 10
        kiosk: dict[str, Any] = {}
        rounds = 0
        for rounds in range(1, 200):  # noqa: B007 (reported)
            self.worker.send(settle=True)
            event = self.worker.next(120.0)
            assert event is not None and "settled" in event, event
            kiosk = event["settled"]
            machine = self.platform.app.state.payments
            machine.run_due()
            open_now = self.open_work()
            if not open_now and not kiosk["held"] and not kiosk["backlog"] \
                    and not kiosk["waiting"] and not kiosk["unsettled"]:
                break
            if open_now:
                self.clock.advance(60)
                machine.run_due()
        self.pump.running.clear()
        return {**kiosk, "rounds": rounds, "open": self.open_work()}

    def next_morning(self) -> None:
        """10:30 Beijing the day after the last day: every statement is to be had."""
        from central.payments.sandbox.clock import BEIJING

        target = datetime.combine(self.clock.now().astimezone(BEIJING).date()
                                  + timedelta(days=1), day_time(10, 30), BEIJING)
        self.clock.advance((target - self.clock.now()).total_seconds())
        machine = self.platform.app.state.payments
        for _ in range(5):
            machine.run_due()
            self.clock.advance(60)
        machine.run_due()

    def reconcile(self) -> list[dict[str, Any]]:
        from central.payments.reconciliation import Reconciler

        state = self.platform.app.state
        reconciler = Reconciler(state.sessions, state.write_lock, self.clock.utc,
                                state.payments.providers)
        reports = []
        last = self.clock.now().date() - timedelta(days=1)
        day = self.start_day
        while day <= last:
            report = reconciler.run(day, "bench")
            reports.append({"day": day.isoformat(),
                            "channels": {c.channel: c.outcome for c in report.channels},
                            "findings": len(report.new_findings)})
            day += timedelta(days=1)
        return reports

    def console(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The findings and today's totals as the console's JSON API gives them to an
        administrator."""
        import httpx

        from central.console.users import add_user

        with self.platform.app.state.sessions() as session:
            add_user(session, "bench-admin", PASSWORD, "administrator", None, self.clock.utc())
            session.commit()
        base = f"http://127.0.0.1:{self.platform.port}"
        with httpx.Client(base_url=base, timeout=30) as client:
            page = client.get("/console/login")
            found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert found, page.text[:500]
            login = client.post("/console/login", follow_redirects=False, data={
                "username": "bench-admin", "password": PASSWORD,
                "csrf_token": found.group(1), "next": "/console/"})
            assert login.status_code == 303, login.text[:500]
            findings = client.get("/console/api/payments/findings", params={"all": "true"})
            totals = client.get("/console/api/payments")
            assert findings.status_code == 200 and totals.status_code == 200
            return findings.json(), totals.json()

    def figures(self, settled: dict[str, Any], reports: list[dict[str, Any]],
                findings: list[dict[str, Any]], totals: dict[str, Any]) -> dict[str, Any]:
        from sqlalchemy import select

        from central.db import (
            ApplicationRecord,
            PaymentAttemptRecord,
            PaymentEventRecord,
            PaymentOrderRecord,
            PaymentRefundRecord,
        )

        net: dict[str, int] = {}
        charged = 0
        for movement in self.gateway.movements():
            sign = 1 if movement.kind == "charge" else -1
            net[movement.out_trade_no] = net.get(movement.out_trade_no, 0) + sign * movement.amount
            charged += sign * movement.amount
        with self.platform.app.state.sessions() as session:
            orders = {o.id: o for o in session.scalars(select(PaymentOrderRecord))}
            attempts = list(session.scalars(select(PaymentAttemptRecord)))
            refunds = list(session.scalars(select(PaymentRefundRecord)))
            applications = list(session.scalars(select(ApplicationRecord).where(
                ApplicationRecord.terminal_id == self.terminal_id)))
            events = _count(session.scalars(select(PaymentEventRecord.what)))
            session.expunge_all()
        by_trade = {a.out_trade_no: a for a in attempts}
        paid = sum(o.amount_fen for o in orders.values() if o.state == "paid")
        kept: dict[str, int] = {}
        for no, amount in net.items():
            attempt = by_trade.get(no)
            if attempt is not None:
                kept[attempt.order_id] = kept.get(attempt.order_id, 0) + amount
        double = sorted(o for o, amount in kept.items() if amount > orders[o].amount_fen)
        # by order (a trade that is no order's: by its number), each found once
        orphans: dict[str, str] = {}
        for no, amount in net.items():
            attempt = by_trade.get(no)
            if amount == 0:
                continue
            if attempt is None:
                orphans[no] = f"{no}: {amount} fen kept, no such attempt"
                continue
            order = orders[attempt.order_id]
            if order.state != "paid" or order.paid_attempt_id != attempt.id \
                    or amount != order.amount_fen:
                orphans[order.id] = (f"{no}: {amount} fen kept, the order {order.state}, the "
                                     f"attempt {attempt.state}")
        for order in orders.values():
            if order.state == "paid":
                attempt = next((a for a in attempts if a.id == order.paid_attempt_id), None)
                no = attempt.out_trade_no if attempt else "no attempt"
                if attempt is None or net.get(no, 0) != order.amount_fen:
                    orphans.setdefault(order.id, f"{no}: the order paid, the gateway kept "
                                                 f"{net.get(no, 0)} fen")
        by_reference = {o.reference: o.id for o in orders.values()}
        for finding in findings:
            if finding["kind"] in ("long", "short", "amount"):
                key = by_reference.get(finding["reference"], finding["reference"])
                orphans[key] = "; ".join(filter(None, [orphans.get(key),
                                                       f"对账: {finding['detail']}"]))
        left = [(a.order_id, a.out_trade_no, "attempt") for a in attempts
                if a.state == "unresolved"]
        left += [(r.order_id, r.out_refund_no, "refund") for r in refunds
                 if r.state == "unresolved"]
        on_console = {(f["reference"]) for f in findings
                      if f["kind"] in ("unresolved", "long") and f["resolved_at"] is None}
        visible = [item for item in left if orders[item[0]].reference in on_console]
        unclaimed = sorted(o.id for o in orders.values()
                           if o.state == "paid" and o.application_number is None)
        defects = self._defects(orders, applications, settled, double, orphans)
        clean_times = [run.result["scan_to_done_s"] for run in self.runs
                       if clean(run.plan) and run.result
                       and run.result.get("outcome") == "Paid"
                       and run.result.get("scan_to_done_s") is not None]
        by_fault: dict[str, int] = {}
        outcomes: dict[str, int] = {}
        for run in self.runs:
            label = f"{run.plan['mode']}:{run.plan['fault']}"
            by_fault[label] = by_fault.get(label, 0) + 1
            outcome = (run.result or {}).get("outcome", "killed")
            if run.killed_at is not None:
                outcome = "killed"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        by_fault["kiosk_killed"] = sum(run.killed_at is not None for run in self.runs)
        by_fault["platform_restarted"] = sum(run.restarted_at is not None for run in self.runs)
        by_fault["network_cut"] = sum(run.cut_at is not None for run in self.runs)
        return {
            "runs": len(self.runs), "seed": self.seed,
            "charged_cny": charged / 100, "paid_cny": paid / 100,
            "double_charges": len(double), "orphans": len(orphans),
            "unresolved": len(left), "unresolved_on_console": len(visible),
            "console_unresolved_orders": totals.get("unresolved_orders"),
            "p95_s": _p95(clean_times), "p50_s": _p50(clean_times), "clean_runs": len(clean_times),
            "by_fault": dict(sorted(by_fault.items())), "outcomes": dict(sorted(outcomes.items())),
            "channels": _count(f"{run.plan['channel']}:{run.plan['mode']}" for run in self.runs),
            "orders": len(orders), "orders_paid": sum(o.state == "paid" for o in orders.values()),
            "orders_refunded": sum(o.state == "refunded" for o in orders.values()),
            "applications": len(applications), "unclaimed_paid": len(unclaimed),
            "findings": _count(f["kind"] for f in findings),
            "movements": _count(m.kind for m in self.gateway.movements()),
            "refunds": _count(f"{r.reason}:{r.state}" for r in refunds),
            "platform_events": dict(sorted(events.items())),
            "reconciliation": reports, "kiosk_starts": self.worker.starts,
            "platform_restarts": self.platform_restarts, "settle": settled,
            "clock_hours": round((self.clock.now() - datetime.combine(
                self.start_day, day_time(8, 0), self.clock.now().tzinfo)).total_seconds()
                / 3600, 2),
            "defects": defects,
            "orphan_list": orphans, "double_list": double,
        }

    def _defects(self, orders: dict[str, Any], applications: list[Any], settled: dict[str, Any],
                 double: list[str], orphans: dict[str, str]) -> list[dict[str, Any]]:
        """The runs whose outcome breaks a rule, each with its plan and its moments."""
        by_local: dict[str, list[Any]] = {}
        for application in applications:
            by_local.setdefault(application.local_number, []).append(application)
        trouble_orders = set(double) | set(orphans)
        defects = []
        for run in self.runs:
            wrong: list[str] = []
            result = run.result or {}
            if result.get("outcome") in ("error", "hung", "kiosk_died", "not_verified"):
                wrong.append(f"the kiosk: {result.get('outcome')} {result.get('error', '')}")
            if run.local is not None:
                sent = by_local.get(run.local, [])
                if len(sent) != 1:
                    wrong.append(f"application {run.local} reached the platform {len(sent)} "
                                 "times")
                run_orders = [o for o in orders.values() if o.local_number == run.local]
                paid = [o for o in run_orders if o.state == "paid"]
                if len(paid) > 1:
                    wrong.append(f"{len(paid)} paid orders for one application")
                for order in paid:
                    if not sent or order.application_number != sent[0].number:
                        wrong.append(f"paid order {order.id} not named by application "
                                     f"{run.local}")
                if result.get("outcome") == "Paid" and not paid:
                    wrong.append("the person was told paid; no order of the application is "
                                 "paid")
                if result.get("outcome") == "NotPaid" and paid:
                    wrong.append("the person was told not paid; an order of theirs is paid")
                told = orders.get(result.get("order") or "")
                if result.get("outcome") == "NotPaid" and told is not None \
                        and told.state != "unpaid":
                    wrong.append(f"the receipt's 缴款码 is of order {told.id}, which is "
                                 f"{told.state} ({told.failure}): it cannot be paid with it")
                wrong += [f"order {o.id}: {o.state}, trouble with its money"
                          for o in run_orders if o.id in trouble_orders]
            if wrong:
                defects.append({"run": run.plan["run"], "wrong": wrong, "plan": run.plan,
                                "events": run.events, "result": result})
        if settled.get("refused"):
            defects.append({"run": None, "wrong": [f"refused at the platform and kept at the "
                                                   f"kiosk: {settled['refused']}"]})
        if settled.get("held") or settled.get("open") or settled.get("unsettled"):
            defects.append({"run": None, "wrong": [f"not settled at the end: {settled}"]})
        return defects

    def close(self) -> None:
        self.pump.ending.set()
        self.worker.quit()
        self.platform.stop()
        self.sandbox.stop()


def _p95(samples: list[float]) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 3)


def _p50(samples: list[float]) -> float | None:
    return round(statistics.median(samples), 3) if samples else None


def _count(values: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def bench(runs: int, seed: int, speed: float, work: Path, quiet: bool,
          only: str | None = None, max_tries: int | None = None) -> dict[str, Any]:
    import logging

    logging.basicConfig(filename=work / "platform.log", level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    started = real_time.perf_counter()
    rng = random.Random(seed)
    runner = Bench(work, seed, speed, quiet, max_tries)
    try:
        for number in range(1, runs + 1):
            plan = plan_run(rng, number, runner.used_codes, only)
            run = runner.run(plan)
            if not quiet:
                outcome = (run.result or {}).get("outcome", "-")
                extra = "".join([f" KILLED@{run.killed_at}" if run.killed_at else "",
                                 f" PLATFORM@{run.restarted_at}" if run.restarted_at else "",
                                 f" CUT@{run.cut_at}" if run.cut_at else ""])
                print(f"run {number:3d} {plan['channel']:6s} {plan['mode']:4s} "
                      f"{plan['fault']:16s} {outcome:12s} {run.wall_s:6.2f} s{extra}",
                      file=sys.stderr)
        settled = runner.settle()
        runner.next_morning()
        reports = runner.reconcile()
        findings, totals = runner.console()
        figures = runner.figures(settled, reports, findings, totals)
    finally:
        runner.close()
    figures["wall_s"] = round(real_time.perf_counter() - started, 1)
    return figures


def summary(figures: dict[str, Any]) -> str:
    lines = [
        f"seed {figures['seed']}, {figures['runs']} runs in {figures['wall_s']} s "
        f"({figures['clock_hours']} h on the bench's clock)",
        f"charged {figures['charged_cny']:.2f} 元 at the gateway, paid "
        f"{figures['paid_cny']:.2f} 元 at the platform "
        f"({'equal' if figures['charged_cny'] == figures['paid_cny'] else 'NOT EQUAL'})",
        f"double charges {figures['double_charges']}, orphans {figures['orphans']}, "
        f"unresolved {figures['unresolved']} ({figures['unresolved_on_console']} on the "
        "console)",
        f"clean runs: scan to release p50 {figures['p50_s']} s, p95 {figures['p95_s']} s "
        f"(n={figures['clean_runs']})",
        f"orders {figures['orders']}: paid {figures['orders_paid']}, refunded "
        f"{figures['orders_refunded']}; applications {figures['applications']}",
        "at the gateway: " + ", ".join(f"{k} {v}" for k, v in figures["movements"].items())
        + "; refunds: " + ", ".join(f"{k} {v}" for k, v in figures["refunds"].items()),
        f"kiosk started {figures['kiosk_starts']} times, platform restarted "
        f"{figures['platform_restarts']} times; findings {figures['findings']}",
        "faults: " + ", ".join(f"{k} {v}" for k, v in figures["by_fault"].items()),
        "channels: " + ", ".join(f"{k} {v}" for k, v in sorted(figures["channels"].items())),
        "outcomes: " + ", ".join(f"{k} {v}" for k, v in figures["outcomes"].items()),
    ]
    for defect in figures["defects"]:
        lines.append(f"DEFECT run {defect['run']}: {'; '.join(defect['wrong'])}")
        if defect.get("plan"):
            lines.append(f"  plan {json.dumps(defect['plan'], ensure_ascii=False)}")
            lines.append(f"  events {' → '.join(defect.get('events', []))}")
    for no, why in figures["orphan_list"].items():
        lines.append(f"ORPHAN {no}: {why}")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        data_dir, base_url, sandbox_url, clock_file = sys.argv[2:6]
        asyncio.run(worker(Path(data_dir), base_url, sandbox_url, Path(clock_file)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.add_argument("--speed", type=float, default=50.0,
                        help="clock seconds per real second while the runs go (default 50)")
    parser.add_argument("--fault", choices=[f"code:{f}" for f in CODE_FAULTS]
                        + [f"qr:{f}" for f in QR_FAULTS],
                        help="every run with this fault (kills and restarts as drawn)")
    parser.add_argument("--max-tries", type=int, default=None,
                        help="the platform's reverses or closes before an attempt is left to "
                             "staff (default: its own, 10); 1 leaves a late success to staff")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work directory (databases, logs) and say where")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-payments-"))
    try:
        figures = bench(args.runs, args.seed, args.speed, work, quiet=args.json,
                        only=args.fault, max_tries=args.max_tries)
    finally:
        if args.keep:
            print(f"work directory: {work}", file=sys.stderr)
        else:
            import shutil

            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, default=str))
    else:
        print(summary(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
