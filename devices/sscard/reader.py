"""The social-security-card reader on PC/SC (pyscard), as the kiosk runs it for years unattended.

One worker thread owns the PC/SC context and waits in `SCardGetStatusChange` (0.4 s timeout) on
the configured reader and on pcscd's reader-list notification. Waiting in pcscd rather than
polling our own timer means an inserted card is seen at once, the timeout bounds how long a
vanished reader or a stop request goes unnoticed, and `stop()` cancels the wait outright.

pyscard's `CardMonitor`/`ReaderMonitor` die for good when pcscd goes away, so the worker uses the
low-level API and rebuilds its context instead: any answer that means "no service" (pcscd
stopped, restarted, never started) drops the context, reports health offline
`PCSC_UNAVAILABLE` and establishes a new one every `retry_s` until pcscd answers again. No reader
(or none matching `DeviceSettings.port`, a case-insensitive part of the PC/SC reader name; empty:
the first reader) is health offline `NO_DEVICE`, the code every family uses for "unplugged".

A card is announced once: `CardPresent` with the data, or `CardReadFailed` (health error
`CARD_READ_FAILED` until it leaves), then exactly one `CardRemoved` when it is taken out, when the
reader disappears or pcscd stops. pcsc-lite counts card events in the top 16 bits of the reader
state; a jump of two while a card is present means it was swapped between two looks.

The card is reset when a read ends, so a verified PIN or an opened key never outlives the read.
Logs name steps, status words, lengths and reader names, never what the card holds.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from smartcard import scard

from devices.cards import CardEvents, CardPresent, CardReadFailed, CardRemoved, SsCardData
from devices.health import HEALTHY, Health, HealthReporter, HealthState
from devices.sscard.access import AccessStep
from devices.sscard.apdu import Transmit
from devices.sscard.application import read_ss_card
from devices.sscard.errors import CARD_READ_FAILED, SsCardError, TransportError

log = logging.getLogger(__name__)

PCSC_UNAVAILABLE = "PCSC_UNAVAILABLE"  # offline: pcscd not running or not answering
NO_DEVICE = "NO_DEVICE"  # offline: pcscd runs but the reader is not there

PNP_NOTIFICATION = "\\\\?PnP?\\Notification"

# answers that mean the context is dead: pcscd stopped, restarted or never ran
_SERVICE_GONE = frozenset((
    scard.SCARD_E_NO_SERVICE,
    scard.SCARD_E_SERVICE_STOPPED,
    scard.SCARD_E_INVALID_HANDLE,
    scard.SCARD_F_COMM_ERROR,
    scard.SCARD_F_INTERNAL_ERROR,
))
_READER_GONE = frozenset((scard.SCARD_E_UNKNOWN_READER, scard.SCARD_E_READER_UNAVAILABLE))

T = TypeVar("T")


class _ServiceLost(Exception):
    """The PC/SC context no longer works; the worker starts over with a new one."""


def _text(code: int) -> str:
    return f"{scard.SCardGetErrorMessage(code)} (0x{code & 0xFFFFFFFF:08X})"


def _call(function: Callable[..., T], *args: Any) -> T:
    try:
        return function(*args)
    except SystemError:
        # pyscard raises this (after printing "Failed to SCardFreeMemory!") when a call fails on
        # a context pcscd no longer knows
        raise _ServiceLost(f"{function.__name__} failed on a dead context") from None


def _where(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


def choose_reader(readers: list[str], wanted: str) -> str | None:
    """The first reader whose name contains `wanted` (any case); any reader when it is empty."""
    candidates = [r for r in readers if r != PNP_NOTIFICATION]
    return next((r for r in candidates if wanted.casefold() in r.casefold()), None)


class PcscSsCardReader(HealthReporter):
    def __init__(self, reader_name: str = "", *, access: AccessStep | None = None,
                 family: str = "sscard", poll_s: float = 0.4, retry_s: float = 0.5) -> None:
        super().__init__(family)
        self.reader_name = reader_name
        self.events = CardEvents()
        self._access = access
        self._poll_ms = int(poll_s * 1000)
        self._retry_s = retry_s
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._context_lock = threading.Lock()
        self._context: int | None = None
        # the worker's own state
        self._reader: str | None = None
        self._reader_state = scard.SCARD_STATE_UNAWARE
        self._pnp_state = scard.SCARD_STATE_UNAWARE
        self._card_in = False

    # --- the port ------------------------------------------------------------------------------

    def start(self) -> None:
        thread = self._thread
        if thread is not None and thread.is_alive():
            if not self._stopping.is_set():
                return
            thread.join(timeout=2.0)  # a stop still winding down (a PIN source, a slow card)
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name=f"{self.family}-pcsc", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        # a cancel sent just before the worker enters pcscd's wait is lost, so it is sent again
        # until the worker has gone, for at most 0.9 s
        for _ in range(9):
            with self._context_lock:
                if self._context is not None:
                    scard.SCardCancel(self._context)
            if self._thread is None:
                return
            self._thread.join(timeout=0.1)
            if not self._thread.is_alive():
                return

    def probe(self) -> Health:
        """Check pcscd and the reader once without starting the worker (for `selftest`).
        While the reader runs: its current health."""
        if self._thread is not None and self._thread.is_alive():
            return self.health()
        try:
            result, context = _call(scard.SCardEstablishContext, scard.SCARD_SCOPE_USER)
            if result != scard.SCARD_S_SUCCESS:
                raise _ServiceLost(f"pcscd: {_text(result)}")
            try:
                result, readers = _call(scard.SCardListReaders, context, [])
                if result not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_NO_READERS_AVAILABLE):
                    raise _ServiceLost(f"listing readers: {_text(result)}")
            finally:
                scard.SCardReleaseContext(context)
        except _ServiceLost as exc:
            self._set_health(Health(HealthState.OFFLINE, PCSC_UNAVAILABLE, str(exc)))
            return self.health()
        found = list(readers or [])
        if choose_reader(found, self.reader_name) is None:
            self._set_health(Health(HealthState.OFFLINE, NO_DEVICE, self._no_reader(found)))
        else:
            self._set_health(HEALTHY)
        return self.health()

    def identify(self) -> tuple[str | None, bytes | None]:
        """The PC/SC name of the reader this driver uses and the ATR of the card in it (None:
        no such reader / no card), asked of pcscd without connecting to the card."""
        try:
            result, context = _call(scard.SCardEstablishContext, scard.SCARD_SCOPE_USER)
        except _ServiceLost:
            return None, None
        if result != scard.SCARD_S_SUCCESS:
            return None, None
        try:
            result, readers = _call(scard.SCardListReaders, context, [])
            reader = choose_reader(list(readers or []), self.reader_name) if (
                result == scard.SCARD_S_SUCCESS) else None
            if reader is None:
                return None, None
            result, states = _call(scard.SCardGetStatusChange, context, 0,
                                   [(reader, scard.SCARD_STATE_UNAWARE)])
            if result != scard.SCARD_S_SUCCESS or not states:
                return reader, None
            _name, event, atr = states[0]
            present = event & scard.SCARD_STATE_PRESENT and atr
            return reader, bytes(atr[:33]) if present else None  # an ATR has at most 33 bytes
        except _ServiceLost:
            return None, None
        finally:
            with contextlib.suppress(SystemError):
                scard.SCardReleaseContext(context)

    def _no_reader(self, found: list[str]) -> str:
        wanted = f"matching {self.reader_name!r}" if self.reader_name else "at all"
        return f"no PC/SC reader {wanted}; found {len(found)}"

    # --- the worker ----------------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self._watch()
                except _ServiceLost as exc:
                    self._lose_service(str(exc))
                    self._stopping.wait(self._retry_s)
                except Exception:
                    log.exception("%s: unexpected error in the reader thread", self.family)
                    self._lose_service("driver error; see the log")
                    self._stopping.wait(self._retry_s)
        finally:
            self._release_context()
            self._card_in = False  # started again, the worker reads the card that is in

    def _watch(self) -> None:
        """One look: find the reader, wait up to `poll_s` for a change, act on it."""
        context = self._establish()
        reader = self._find_reader(context)
        if reader is None:
            return
        if reader != self._reader:
            log.info("%s: using reader %r", self.family, reader)
            self._reader, self._reader_state = reader, scard.SCARD_STATE_UNAWARE
        if self.health().state is HealthState.OFFLINE:
            self._set_health(HEALTHY)
        result, states = _call(scard.SCardGetStatusChange, context, self._poll_ms,
                               [(reader, self._reader_state), (PNP_NOTIFICATION, self._pnp_state)])
        if result in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
            return
        if result in _READER_GONE:
            self._reader = None
            return
        if result != scard.SCARD_S_SUCCESS:
            raise _ServiceLost(f"waiting for a card: {_text(result)}")
        for name, event, _atr in states:
            if name == PNP_NOTIFICATION:
                self._pnp_state = event & ~scard.SCARD_STATE_CHANGED
            else:
                self._on_reader_state(context, name, event)

    def _establish(self) -> int:
        if self._context is not None:
            return self._context
        result, context = _call(scard.SCardEstablishContext, scard.SCARD_SCOPE_USER)
        if result != scard.SCARD_S_SUCCESS:
            raise _ServiceLost(f"pcscd: {_text(result)}")
        with self._context_lock:
            self._context = context
        log.info("%s: connected to pcscd", self.family)
        return context

    def _release_context(self) -> None:
        with self._context_lock:
            context, self._context = self._context, None
        if context is not None:
            with contextlib.suppress(SystemError):
                scard.SCardReleaseContext(context)
        self._reader, self._reader_state = None, scard.SCARD_STATE_UNAWARE
        self._pnp_state = scard.SCARD_STATE_UNAWARE

    def _find_reader(self, context: int) -> str | None:
        result, readers = _call(scard.SCardListReaders, context, [])
        if result in _SERVICE_GONE:
            raise _ServiceLost(f"listing readers: {_text(result)}")
        if result not in (scard.SCARD_S_SUCCESS, scard.SCARD_E_NO_READERS_AVAILABLE):
            raise _ServiceLost(f"listing readers: {_text(result)}")
        reader = choose_reader(list(readers or []), self.reader_name)
        if reader is None:
            self._lose_reader(self._no_reader(list(readers or [])))
            # wait for pcscd's reader-list notification rather than spin
            result, states = _call(scard.SCardGetStatusChange, context, self._poll_ms,
                                   [(PNP_NOTIFICATION, self._pnp_state)])
            if result in _SERVICE_GONE:
                raise _ServiceLost(f"waiting for a reader: {_text(result)}")
            if result == scard.SCARD_S_SUCCESS:
                self._pnp_state = states[0][1] & ~scard.SCARD_STATE_CHANGED
            elif result not in (scard.SCARD_E_TIMEOUT, scard.SCARD_E_CANCELLED):
                self._stopping.wait(self._retry_s)
        return reader

    def _on_reader_state(self, context: int, reader: str, event: int) -> None:
        if event & (scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_UNAVAILABLE):
            self._reader = None
            return
        previous = self._reader_state
        self._reader_state = event & ~scard.SCARD_STATE_CHANGED
        present = bool(event & scard.SCARD_STATE_PRESENT)
        swapped = (previous != scard.SCARD_STATE_UNAWARE
                   and ((event >> 16) - (previous >> 16)) % 0x10000 >= 2)
        if self._card_in and (not present or swapped):
            self._card_left()
        if present and not self._card_in:
            self._card_in = True
            if event & scard.SCARD_STATE_MUTE:
                self._read_failed(TransportError("the card does not answer (no ATR)"))
            else:
                self._read(context, reader)

    def _read(self, context: int, reader: str) -> None:
        try:
            card = self._read_card(context, reader)
        except SsCardError as exc:
            self._read_failed(exc)
            return
        except _ServiceLost as exc:
            self._read_failed(TransportError(f"pcscd went away during the read: {exc}"))
            raise
        except Exception as exc:
            # a bug, or an access step's PIN source failing: the message could quote card bytes,
            # so only the type and the place are told
            self._read_failed(SsCardError(f"unexpected {type(exc).__name__} at {_where(exc)}"))
            return
        if self.health().code == CARD_READ_FAILED:
            self._set_health(HEALTHY)
        log.info("%s: card read", self.family)
        self.events.publish(CardPresent(card))

    def _read_card(self, context: int, reader: str) -> SsCardData:
        result, card, protocol = _call(scard.SCardConnect, context, reader,
                                       scard.SCARD_SHARE_SHARED,
                                       scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1)
        if result in _SERVICE_GONE:
            raise _ServiceLost(f"connecting to the card: {_text(result)}")
        if result != scard.SCARD_S_SUCCESS:
            raise TransportError(f"connecting to the card: {_text(result)}")
        try:
            result = scard.SCardBeginTransaction(card)
            if result != scard.SCARD_S_SUCCESS:
                raise TransportError(f"locking the card: {_text(result)}")
            try:
                return read_ss_card(self._transmitter(card, protocol), self._access)
            finally:
                scard.SCardEndTransaction(card, scard.SCARD_LEAVE_CARD)
        finally:
            scard.SCardDisconnect(card, scard.SCARD_RESET_CARD)

    @staticmethod
    def _transmitter(card: int, protocol: int) -> Transmit:
        def transmit(apdu: bytes) -> tuple[bytes, int, int]:
            result, response = _call(scard.SCardTransmit, card, protocol, list(apdu))
            if result in _SERVICE_GONE:
                raise _ServiceLost(f"INS {apdu[1]:02X}: {_text(result)}")
            if result != scard.SCARD_S_SUCCESS:
                raise TransportError(f"INS {apdu[1]:02X}: {_text(result)}")
            if len(response) < 2:
                raise TransportError(f"INS {apdu[1]:02X}: {len(response)}-byte answer")
            return bytes(response[:-2]), response[-2], response[-1]

        return transmit

    # --- what the kiosk hears ------------------------------------------------------------------

    def _read_failed(self, error: SsCardError) -> None:
        log.warning("%s: card read failed: %s %s", self.family, error.code, error.detail)
        detail = f"{error.code}: {error.detail}"
        self._set_health(Health(HealthState.ERROR, CARD_READ_FAILED, detail))
        self.events.publish(CardReadFailed(error.code, error.message, error.detail))

    def _card_left(self) -> None:
        self._card_in = False
        if self.health().code == CARD_READ_FAILED:
            self._set_health(HEALTHY)
        log.info("%s: card removed", self.family)
        self.events.publish(CardRemoved())

    def _lose_reader(self, detail: str) -> None:
        self._reader, self._reader_state = None, scard.SCARD_STATE_UNAWARE
        if self._card_in:
            self._card_left()
        self._set_health(Health(HealthState.OFFLINE, NO_DEVICE, detail))

    def _lose_service(self, detail: str) -> None:
        self._release_context()
        if self._card_in:
            self._card_left()
        self._set_health(Health(HealthState.OFFLINE, PCSC_UNAVAILABLE, detail))

    def _set_health(self, health: Health) -> None:
        before = self.health()
        if (before.state, before.code) != (health.state, health.code):
            log.info("%s: health %s %s %s", self.family, health.state.value, health.code,
                     health.detail)
        self.report(health)
