"""The money: pay codes with balances, charges keyed by out_trade_no, reversals, closes,
refunds, and every movement of money in order. Provider-neutral; `wechat_api` and
`alipay_api` put it into each provider's words.

Rules modelled (each provider's API documents, as cited in those modules):

- an out_trade_no is single-use per provider: sent again with the same parameters it answers
  the charge as it stands (no second debit); with other parameters it is refused
  (`Reason.OUT_TRADE_NO_USED`);
- a pay code is single-use, lives `CODE_LIFETIME` on the gateway's clock, and pays only for its
  own provider; otherwise `Reason.CODE_INVALID`;
- a balance below the amount is `Reason.NOT_ENOUGH`, and nothing is charged;
- WeChat Pay takes a reverse only `WECHAT_REVERSE_AFTER` after the charge was made (its guide:
  "请勿扣款后立即调用撤销订单API，建议至少15秒后再调用"), modelled as a refusal on the
  gateway's clock (`Reason.REVERSE_TOO_EARLY`);
- a reverse (撤销) of a paying charge closes it; of a paid one, gives the money back;
- a refund gives back at most what is left of the charge.

What a pay code or a QR order does is scripted (`Script`, `QrScript`). Every operation runs
under one lock and answers a snapshot (`copy.copy` of the charge), so the server's thread, the
notifier and a test may use the ledger at once.
"""

from __future__ import annotations

import copy
import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

from central.payments.sandbox.clock import BEIJING, Clock
from central.payments.sandbox.pay_codes import Provider, new_code

CODE_LIFETIME = timedelta(seconds=60)
WECHAT_REVERSE_AFTER = timedelta(seconds=15)
PHONE_BALANCE = 100_000_000  # fen: what the phone that scans a QR code holds unless scripted
UNTIL_REVERSED = 1_000_000  # queries: "typing a password" for as long as anyone will ask

ReverseRule = Literal["honest", "late_success", "fake"]


@dataclass(frozen=True)
class Script:
    """What happens when a pay code is presented.

    - `system_errors`: the first N charge attempts with the code answer a system error and
      charge nothing (the merchant is to call again with the same parameters);
    - `paying_for`: None charges at once; N answers USERPAYING / 10003 (the person is typing a
      password) and then N queries say so, the next one finds it decided;
    - `password_ok`: after those queries the charge is made (True) or fails (False: PAYERROR,
      Alipay TRADE_CLOSED);
    - `lost_responses`: the first N charge attempts do their work, but their answers are never
      sent (the connection is closed instead);
    - `reverse`: "honest"; "late_success": a reverse that finds it still paying answers "try
      again" and the charge is made anyway; "fake": a reverse answers success and does nothing.
      Either trick is played once; later reverses are honest;
    - `notify`: whether the provider notifies the merchant's notify_url when it is paid.
    """

    system_errors: int = 0
    paying_for: int | None = None
    password_ok: bool = True
    lost_responses: int = 0
    reverse: ReverseRule = "honest"
    notify: bool = True

    def __post_init__(self) -> None:
        _counts(self, "system_errors", "lost_responses", "paying_for")
        _flags(self, "password_ok", "notify")
        if self.reverse not in ("honest", "late_success", "fake"):
            raise ValueError("reverse is honest, late_success or fake")

    @classmethod
    def user_paying(cls, queries: int, *, succeeds: bool = True) -> Script:
        return cls(paying_for=queries, password_ok=succeeds)

    @classmethod
    def system_error(cls, calls: int) -> Script:
        return cls(system_errors=calls)

    @classmethod
    def lost_response(cls, calls: int = 1) -> Script:
        return cls(lost_responses=calls)

    @classmethod
    def late_success(cls) -> Script:
        """Paying until a reverse comes; the reverse is told to retry, the charge is made."""
        return cls(paying_for=UNTIL_REVERSED, reverse="late_success")

    @classmethod
    def fake_reverse(cls) -> Script:
        return cls(reverse="fake")


@dataclass(frozen=True)
class QrScript:
    """What happens to a QR (主扫) order, scripted by its out_trade_no before it is created.

    `system_errors` / `lost_responses` as in `Script`, for the precreate calls; `notify`: False
    never notifies (the merchant must query); `phone_balance`: what the phone that pays it holds
    (fen; None: plenty), so a tap can be refused for the balance.
    """

    system_errors: int = 0
    lost_responses: int = 0
    notify: bool = True
    phone_balance: int | None = None

    def __post_init__(self) -> None:
        _counts(self, "system_errors", "lost_responses", "phone_balance")
        _flags(self, "notify")


def _counts(script: object, *names: str) -> None:
    for name in names:
        value = getattr(script, name)
        optional = name in ("paying_for", "phone_balance")
        if not ((optional and value is None) or (
                isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10**10)):
            raise ValueError(f"{name} is a whole number from 0" + (" or None" if optional else ""))


def _flags(script: object, *names: str) -> None:
    for name in names:
        if not isinstance(getattr(script, name), bool):
            raise ValueError(f"{name} is true or false")


class State(StrEnum):
    NOTPAY = "NOTPAY"  # a QR order nobody has paid
    PAYING = "PAYING"  # the person is typing a password
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"  # the password was wrong, the bank said no
    CLOSED = "CLOSED"  # closed by the merchant
    REVOKED = "REVOKED"  # reversed (撤销)


FINAL_UNPAID = (State.FAILED, State.CLOSED, State.REVOKED)


class Reason(StrEnum):
    SYSTEM_ERROR = "SYSTEM_ERROR"
    CODE_INVALID = "CODE_INVALID"
    NOT_ENOUGH = "NOT_ENOUGH"
    OUT_TRADE_NO_USED = "OUT_TRADE_NO_USED"
    ORDER_NOT_FOUND = "ORDER_NOT_FOUND"
    ORDER_CLOSED = "ORDER_CLOSED"
    ORDER_PAID = "ORDER_PAID"
    NOT_PAID = "NOT_PAID"
    REFUND_TOO_MUCH = "REFUND_TOO_MUCH"
    REFUND_NO_USED = "REFUND_NO_USED"
    REVERSE_TOO_EARLY = "REVERSE_TOO_EARLY"
    NOT_REVERSIBLE = "NOT_REVERSIBLE"


class Refused(Exception):
    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else str(reason))
        self.reason = reason
        self.detail = detail


@dataclass
class Account:
    payer_id: str  # openid / buyer_user_id
    balance: int  # fen


@dataclass
class PayCode:
    code: str
    provider: Provider
    account: Account
    script: Script
    expires_at: datetime
    used_by: str | None = None  # the out_trade_no it paid or is paying
    system_errors_left: int = 0
    lost_left: int = 0


@dataclass(frozen=True)
class Refund:
    out_refund_no: str
    refund_id: str
    amount: int
    at: datetime
    reason: str = ""


@dataclass
class Charge:
    provider: Provider
    out_trade_no: str
    trade_no: str  # WeChat transaction_id / Alipay trade_no
    kind: Literal["code", "qr"]
    amount: int  # fen
    description: str
    fingerprint: tuple[object, ...]
    created_at: datetime
    state: State
    notify_url: str | None = None
    attach: str = ""
    code: str | None = None
    payer_id: str | None = None
    qr: str | None = None
    scanned: bool = False  # an Alipay QR order exists for queries only once it was scanned
    paid_at: datetime | None = None
    ended_at: datetime | None = None  # closed, revoked or failed
    queries_left: int = 0
    password_ok: bool = True
    reverse_rule: ReverseRule = "honest"
    notify: bool = True
    refunds: tuple[Refund, ...] = ()

    @property
    def refunded(self) -> int:
        return sum(refund.amount for refund in self.refunds)


@dataclass(frozen=True)
class Movement:
    """Money that moved, as the statements show it."""

    at: datetime
    provider: Provider
    kind: Literal["charge", "refund", "reversal"]
    out_trade_no: str
    trade_no: str
    amount: int  # fen, positive
    description: str
    payer_id: str
    trade_type: Literal["MICROPAY", "NATIVE"]
    attach: str = ""
    out_refund_no: str = ""
    refund_id: str = ""


@dataclass(frozen=True)
class CodeCharge:
    charge: Charge
    drop_answer: bool = False  # the work is done; the answer is never sent


@dataclass(frozen=True)
class Reversal:
    charge: Charge
    action: Literal["close", "refund"]
    retry: bool = False  # the provider says: call the reverse again


@dataclass
class _QrState:
    script: QrScript
    system_errors_left: int
    lost_left: int


def _digits(count: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(count))


class Ledger:
    def __init__(self, clock: Clock, on_paid: Callable[[Charge], None] | None = None) -> None:
        self.clock = clock
        self.on_paid = on_paid  # called (under the lock, with a snapshot) when a charge is paid
        self._lock = threading.RLock()
        self._codes: dict[str, PayCode] = {}
        self._charges: dict[tuple[Provider, str], Charge] = {}
        self._by_trade_no: dict[tuple[Provider, str], Charge] = {}
        self._by_qr: dict[str, Charge] = {}
        self._qr_scripts: dict[tuple[Provider, str], _QrState] = {}
        self._refund_nos: dict[tuple[Provider, str], tuple[str, Refund]] = {}
        self._movements: list[Movement] = []
        self._phones = {provider: Account(self._payer_id(provider), PHONE_BALANCE)
                        for provider in ("wechat", "alipay")}

    # --- set-up and inspection -----------------------------------------------------------

    def add_code(self, provider: Provider, balance: int, script: Script = Script(),
                 code: str | None = None, lifetime: timedelta = CODE_LIFETIME) -> PayCode:
        """`lifetime`: how long the wallet shows it before it refreshes (0: already stale,
        as a code shown on a phone left open too long)."""
        if balance < 0:
            raise ValueError("a balance is never negative")
        if lifetime < timedelta(0):
            raise ValueError("a lifetime is never negative")
        with self._lock:
            code = code or new_code(provider)
            if code in self._codes:
                raise ValueError(f"pay code {code} exists")
            pay_code = PayCode(code, provider, Account(self._payer_id(provider), balance),
                               script, self.clock.now() + lifetime,
                               system_errors_left=script.system_errors,
                               lost_left=script.lost_responses)
            self._codes[code] = pay_code
            return copy.copy(pay_code)

    def script_qr_order(self, provider: Provider, out_trade_no: str, script: QrScript) -> None:
        with self._lock:
            self._qr_scripts[(provider, out_trade_no)] = _QrState(
                script, script.system_errors, script.lost_responses)

    def pay_code(self, code: str) -> PayCode | None:
        with self._lock:
            found = self._codes.get(code)
            return copy.deepcopy(found) if found else None

    def balance(self, code: str) -> int:
        with self._lock:
            return self._codes[code].account.balance

    def charge(self, provider: Provider, out_trade_no: str) -> Charge | None:
        with self._lock:
            found = self._charges.get((provider, out_trade_no))
            return copy.copy(found) if found else None

    def charges(self) -> list[Charge]:
        with self._lock:
            return [copy.copy(charge) for charge in self._charges.values()]

    def movements(self) -> list[Movement]:
        with self._lock:
            return list(self._movements)

    # --- 付款码 (the kiosk scans the person's code) ------------------------------------------

    def charge_code(self, provider: Provider, out_trade_no: str, amount: int, description: str,
                    auth_code: str, *, attach: str = "",
                    notify_url: str | None = None) -> CodeCharge:
        now = self.clock.now()
        with self._lock:
            fingerprint = ("code", amount, auth_code, description)
            existing = self._existing(provider, out_trade_no, fingerprint)
            if existing is not None:
                return CodeCharge(existing)
            code = self._codes.get(auth_code)
            if code is None or code.provider != provider:
                raise Refused(Reason.CODE_INVALID, "unknown pay code")
            if code.used_by is not None:
                raise Refused(Reason.CODE_INVALID, "the pay code was used")
            if now >= code.expires_at:
                raise Refused(Reason.CODE_INVALID, "the pay code expired")
            if code.system_errors_left > 0:
                code.system_errors_left -= 1
                raise Refused(Reason.SYSTEM_ERROR, "scripted system error")
            if code.account.balance < amount:
                raise Refused(Reason.NOT_ENOUGH, "balance below the amount")
            script = code.script
            charge = Charge(provider, out_trade_no, self._trade_no(provider), "code", amount,
                            description, fingerprint, now, State.PAYING, notify_url=notify_url,
                            attach=attach, code=auth_code, payer_id=code.account.payer_id,
                            queries_left=script.paying_for or 0,
                            password_ok=script.password_ok, reverse_rule=script.reverse,
                            notify=script.notify)
            code.used_by = out_trade_no
            self._add(charge)
            if script.paying_for is None:
                self._settle(charge, code.account)
            drop = code.lost_left > 0
            if drop:
                code.lost_left -= 1
            return CodeCharge(copy.copy(charge), drop_answer=drop)

    # --- 主扫 (the person scans the kiosk's QR code) ----------------------------------------

    def precreate(self, provider: Provider, out_trade_no: str, amount: int, description: str,
                  notify_url: str | None, qr_for: Callable[[str], str], *,
                  attach: str = "") -> CodeCharge:
        """An order to be paid by scanning `qr_for(token)`."""
        now = self.clock.now()
        with self._lock:
            existing = self._existing(provider, out_trade_no, ("qr", amount, description))
            if existing is not None:
                return CodeCharge(existing)
            scripted = self._qr_scripts.get((provider, out_trade_no))
            if scripted is not None and scripted.system_errors_left > 0:
                scripted.system_errors_left -= 1
                raise Refused(Reason.SYSTEM_ERROR, "scripted system error")
            qr = qr_for(secrets.token_urlsafe(12))
            charge = Charge(provider, out_trade_no, self._trade_no(provider), "qr", amount,
                            description, ("qr", amount, description), now, State.NOTPAY,
                            notify_url=notify_url, attach=attach, qr=qr,
                            notify=scripted.script.notify if scripted else True)
            self._add(charge)
            self._by_qr[qr] = charge
            drop = scripted is not None and scripted.lost_left > 0
            if scripted is not None and drop:
                scripted.lost_left -= 1
            return CodeCharge(copy.copy(charge), drop_answer=drop)

    def scan(self, qr: str) -> Charge | None:
        """The phone opened the QR code: the order as the phone sees it (None: no such code)."""
        with self._lock:
            charge = self._by_qr.get(qr)
            if charge is None:
                return None
            charge.scanned = True
            return copy.copy(charge)

    def pay_qr(self, qr: str) -> Charge:
        """The person tapped 确认支付 on the phone."""
        with self._lock:
            charge = self._by_qr.get(qr)
            if charge is None:
                raise Refused(Reason.ORDER_NOT_FOUND)
            charge.scanned = True
            if charge.state == State.SUCCESS:
                raise Refused(Reason.ORDER_PAID)
            if charge.state != State.NOTPAY:
                raise Refused(Reason.ORDER_CLOSED)
            scripted = self._qr_scripts.get((charge.provider, charge.out_trade_no))
            account = self._phones[charge.provider]
            if scripted is not None and scripted.script.phone_balance is not None:
                account = Account(account.payer_id, scripted.script.phone_balance)
            if account.balance < charge.amount:
                raise Refused(Reason.NOT_ENOUGH)
            charge.payer_id = account.payer_id
            self._settle(charge, account)
            return copy.copy(charge)

    # --- after the charge ----------------------------------------------------------------

    def find(self, provider: Provider, out_trade_no: str | None = None,
             trade_no: str | None = None) -> Charge:
        """The charge as it stands, without counting as a query (`Reason.ORDER_NOT_FOUND`)."""
        with self._lock:
            return copy.copy(self._find(provider, out_trade_no, trade_no))

    def query(self, provider: Provider, out_trade_no: str | None = None,
              trade_no: str | None = None) -> Charge:
        """The charge as a query finds it; a query is what moves a paying charge on."""
        with self._lock:
            charge = self._find(provider, out_trade_no, trade_no)
            if charge.state == State.PAYING:
                if charge.queries_left > 0:
                    charge.queries_left -= 1
                else:
                    self._decide(charge)
            return copy.copy(charge)

    def reverse(self, provider: Provider, out_trade_no: str) -> Reversal:
        now = self.clock.now()
        with self._lock:
            charge = self._find(provider, out_trade_no, None)
            if provider == "wechat" and charge.kind != "code":
                raise Refused(Reason.NOT_REVERSIBLE, "only a pay-code charge is reversed")
            if provider == "wechat" and now < charge.created_at + WECHAT_REVERSE_AFTER:
                raise Refused(Reason.REVERSE_TOO_EARLY,
                              f"reverse at least {WECHAT_REVERSE_AFTER.seconds} s after paying")
            rule, charge.reverse_rule = charge.reverse_rule, "honest"
            paid = charge.state == State.SUCCESS
            if rule == "fake":
                return Reversal(copy.copy(charge), "refund" if paid else "close")
            if charge.state == State.PAYING and rule == "late_success":
                self._settle(charge, self._codes[charge.code or ""].account)
                return Reversal(copy.copy(charge), "close", retry=True)
            if paid:
                self._give_back(charge, charge.amount - charge.refunded, "reversal")
            elif charge.state in (State.PAYING, State.NOTPAY):
                charge.ended_at = now
            charge.state = State.REVOKED
            return Reversal(copy.copy(charge), "refund" if paid else "close")

    def close(self, provider: Provider, out_trade_no: str) -> tuple[Charge, bool]:
        """Close an unpaid charge; answers it and whether this call closed it."""
        with self._lock:
            charge = self._find(provider, out_trade_no, None)
            if charge.state == State.SUCCESS:
                raise Refused(Reason.ORDER_PAID)
            if charge.state in FINAL_UNPAID:
                return copy.copy(charge), False
            charge.state, charge.ended_at = State.CLOSED, self.clock.now()
            return copy.copy(charge), True

    def refund(self, provider: Provider, out_refund_no: str, amount: int, *,
               out_trade_no: str | None = None, trade_no: str | None = None,
               reason: str = "") -> tuple[Charge, Refund]:
        with self._lock:
            charge = self._find(provider, out_trade_no, trade_no)
            known = self._refund_nos.get((provider, out_refund_no))
            if known is not None:
                if known[0] != charge.out_trade_no or known[1].amount != amount:
                    raise Refused(Reason.REFUND_NO_USED)
                return copy.copy(charge), known[1]
            if charge.state != State.SUCCESS:
                raise Refused(Reason.NOT_PAID)
            if amount <= 0 or amount > charge.amount - charge.refunded:
                raise Refused(Reason.REFUND_TOO_MUCH)
            refund = self._give_back(charge, amount, "refund", out_refund_no, reason)
            return copy.copy(charge), refund

    # --- inside ----------------------------------------------------------------------------

    def _existing(self, provider: Provider, out_trade_no: str,
                  fingerprint: tuple[object, ...]) -> Charge | None:
        charge = self._charges.get((provider, out_trade_no))
        if charge is None:
            return None
        if charge.fingerprint != fingerprint:
            raise Refused(Reason.OUT_TRADE_NO_USED, "out_trade_no was used with other parameters")
        if charge.state in FINAL_UNPAID:
            raise Refused(Reason.ORDER_CLOSED)
        return copy.copy(charge)

    def _find(self, provider: Provider, out_trade_no: str | None,
              trade_no: str | None) -> Charge:
        charge = (self._charges.get((provider, out_trade_no)) if out_trade_no is not None
                  else self._by_trade_no.get((provider, trade_no or "")))
        # Alipay knows a precreated trade only once someone scanned it (alipay.trade.query
        # answers ACQ.TRADE_NOT_EXIST before that)
        if charge is None or (provider == "alipay" and charge.kind == "qr" and not charge.scanned):
            raise Refused(Reason.ORDER_NOT_FOUND)
        return charge

    def _add(self, charge: Charge) -> None:
        self._charges[(charge.provider, charge.out_trade_no)] = charge
        self._by_trade_no[(charge.provider, charge.trade_no)] = charge

    def _decide(self, charge: Charge) -> None:
        account = self._codes[charge.code or ""].account
        if charge.password_ok and account.balance >= charge.amount:
            self._settle(charge, account)
        else:
            charge.state, charge.ended_at = State.FAILED, self.clock.now()

    def _settle(self, charge: Charge, account: Account) -> None:
        now = self.clock.now()
        account.balance -= charge.amount
        charge.state, charge.paid_at = State.SUCCESS, now
        self._movements.append(Movement(
            now, charge.provider, "charge", charge.out_trade_no, charge.trade_no, charge.amount,
            charge.description, account.payer_id,
            "MICROPAY" if charge.kind == "code" else "NATIVE", charge.attach))
        if self.on_paid is not None and charge.notify and charge.notify_url:
            self.on_paid(copy.copy(charge))

    def _give_back(self, charge: Charge, amount: int, kind: Literal["refund", "reversal"],
                   out_refund_no: str = "", reason: str = "") -> Refund:
        now = self.clock.now()
        account = (self._codes[charge.code].account if charge.code is not None
                   else self._phones[charge.provider])
        if charge.code is None and charge.payer_id != account.payer_id:
            account = Account(charge.payer_id or "", 0)  # a scripted phone: not kept
        account.balance += amount
        refund = Refund(out_refund_no or f"reverse-{charge.out_trade_no}",
                        self._refund_id(charge.provider), amount, now, reason)
        if kind == "refund":
            charge.refunds = (*charge.refunds, refund)
            self._refund_nos[(charge.provider, out_refund_no)] = (charge.out_trade_no, refund)
        self._movements.append(Movement(
            now, charge.provider, kind, charge.out_trade_no, charge.trade_no, amount,
            charge.description, charge.payer_id or "",
            "MICROPAY" if charge.kind == "code" else "NATIVE", charge.attach,
            out_refund_no=refund.out_refund_no if kind == "refund" else "",
            refund_id=refund.refund_id))
        return refund

    def _trade_no(self, provider: Provider) -> str:
        day = self.clock.now().astimezone(BEIJING).strftime("%Y%m%d")
        if provider == "wechat":  # 4200001234202401011234567890: 28 digits
            return "42000" + _digits(5) + day + _digits(10)
        return day + "22001" + _digits(15)  # Alipay: 2024010122001412341234567890

    @staticmethod
    def _refund_id(provider: Provider) -> str:
        return "50" + _digits(27) if provider == "wechat" else ""

    @staticmethod
    def _payer_id(provider: Provider) -> str:
        if provider == "wechat":
            alphabet = string.ascii_letters + string.digits + "-_"
            return "o" + "".join(secrets.choice(alphabet) for _ in range(27))
        return "2088" + _digits(12)
