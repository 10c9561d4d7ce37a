"""The real ID-card reader driver: a GA 467 SAM on a serial port (pyserial) or on USB HID.

One worker thread owns the line. When the line opens, the SAM is asked for its number (12 FF):
that is the reader's self-test, and the number is kept for audits and the console
(`sam_id`, `describe()`). A serial SAM that does not answer at the configured baud is looked
for at 115200, 57600, 38400, 19200 and 9600 baud; the one that answers is used and logged.

Every poll (at most every 0.3 s) asks the SAM to find a card; a new card is selected and read
(text + photo, then its newest appended address, 30 03, which then is the address shown) and
published once as `CardPresent`. A card that cannot be read is published once as
`CardReadFailed` and retried only after it has left the field.

Presence after a read does not rest on "find card": SAMs differ there (a card once selected no
longer answers the find request, so some SAMs say "no card" while it still lies there; see
`sam_model.AfterRead`). When find does not find a card the reader knows of, the reader selects
it, and failing that reads its appended information (as Routon's SDK checks presence); only when
all three fail is that a miss, and two misses in a row are `CardRemoved`, within about 0.7 s of
the card leaving. A SAM that stops answering is a health error, never a removal.

Faults and what they become:

- port missing or gone: health offline `NO_DEVICE`; the port is reopened every second, and
  health is ok again after the SAM answers (no restart needed);
- no SAM answer at any baud: health error `SAM_NO_ANSWER`, naming the bauds tried;
- no answer within the deadline, or a malformed answer: asked again once; a second failure is
  health error `SAM_NO_ANSWER` or `SAM_BAD_ANSWER` (during a card read: `CardReadFailed`
  instead); the next poll starts afresh, resynchronising on the next frame;
- SW3 0x81 (select failed), 0x41 (read failed), a card pulled between select and read, or a
  text block that does not decode: `CardReadFailed` with code `CARD_READ_FAILED`, and health
  error `CARD_READ_FAILED` until the card has left or a card is read;
- a card whose layout is not decoded (foreign permanent-resident cards, 2017 "I" and 2023
  "Y"): `CardReadFailed` with code `CARD_TYPE_UNSUPPORTED`; the reader's health stays ok;
- any other SW3 to find-card: health error `SAM_ERROR` with the status byte.

Until a SAM has answered, health is offline `NO_DEVICE` ("not started"); `probe()` checks a
reader once without starting it. When the port goes while a card lies on the reader, that card
is reported removed: it can no longer be vouched for, and it is read afresh once the port is
back.

Logs carry command codes, SW bytes, lengths, card types and the SAM number, never what the card
says.
"""

from __future__ import annotations

import contextlib
import logging
import termios
import threading
import time
from collections.abc import Callable, Mapping
from enum import Enum
from types import MappingProxyType

import serial

from devices.cards import CardEvents, CardPresent, CardReadFailed, CardRemoved, IdCardData
from devices.health import Health, HealthReporter, HealthState
from devices.idcard.card_text import (
    FOREIGN_MARKERS,
    decode_appended_address,
    decode_read_answer,
    with_current_address,
)
from devices.idcard.description import ReaderDescription
from devices.idcard.errors import CardTextError, FrameError, NoAnswer, UnsupportedCardLayout
from devices.idcard.frame import (
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_NO_CONTENT,
    SW3_OK,
    Answer,
    Command,
    FrameDecoder,
    describe_sw3,
    encode_command,
)
from devices.idcard.links import HidLink, Link, SerialLink, is_hid_port
from devices.idcard.outcomes import (
    CARD_READ_FAILED,
    CARD_TYPE_UNSUPPORTED,
    FOREIGN_CARD_MESSAGE,
    NO_DEVICE,
    READ_FAILED_MESSAGE,
    SAM_BAD_ANSWER,
    SAM_ERROR,
    SAM_NO_ANSWER,
    UNKNOWN_CARD_MESSAGE,
)
from devices.idcard.poll_clock import SYSTEM_CLOCK, PollClock
from devices.idcard.sam_id import format_sam_id
from devices.worker import Worker

log = logging.getLogger(__name__)

DEFAULT_BAUD = 115200
PROBE_BAUDS = (115200, 57600, 38400, 19200, 9600)
MIN_POLL_INTERVAL_S = 0.3  # the floor: never poll the SAM faster than this
REOPEN_INTERVAL_S = 1.0
REMOVAL_MISSES = 2  # confirmed misses in a row before a card counts as removed
HID_NOMINAL_BAUD = 115200  # for answer deadlines: a full-speed HID link is faster than this

# How long the SAM may take to act on a command before its answer starts, on top of the line
# time of the answer itself (waited for twice over). Public SDKs: libzhouyb's HID adapter waits
# 1 s after a 30 xx command before it reads; a libusb reader gives find and select 200 ms and
# text + photo 2 s; a serial C reader waits 2 s for text + photo; Heiher's D-Bus reader allows
# 5 s for any command.
SAM_TIME_S: Mapping[Command, float] = MappingProxyType({
    Command.RESET_SAM: 5.0,
    Command.SAM_STATUS: 1.5,
    Command.SAM_ID: 1.5,
    Command.FIND_CARD: 1.5,
    Command.SELECT_CARD: 1.5,
    Command.READ_TEXT_AND_PHOTO: 3.0,
    Command.READ_APPENDED_ADDRESS: 3.0,
})
# the longest answers on the wire
ANSWER_BYTES: Mapping[Command, int] = MappingProxyType({
    Command.RESET_SAM: 11,
    Command.SAM_STATUS: 11,
    Command.SAM_ID: 27,
    Command.FIND_CARD: 15,
    Command.SELECT_CARD: 19,
    Command.READ_TEXT_AND_PHOTO: 1295,
    Command.READ_APPENDED_ADDRESS: 291,
})


class _CardState(Enum):
    NONE = "none"  # no card, or the last one has left
    PRESENT = "present"  # read and published
    FAILED = "failed"  # could not be read; waiting for it to leave


class _PortLost(Exception):
    pass


class _Stopping(Exception):
    pass


class _SamError(Exception):
    pass


_LINE_ERRORS = (serial.SerialException, OSError, termios.error)


class Ga467Reader(HealthReporter):
    """`CardReader` for a GA 467 SAM on `port`: a serial device path (/dev/ttyUSB0), or a USB HID
    reader (`hid:/dev/hidraw0`, or any /dev/hidraw* path)."""

    def __init__(self, port: str, baud: int = DEFAULT_BAUD, *, family: str = "idcard",
                 poll_interval: float = MIN_POLL_INTERVAL_S,
                 reopen_interval: float = REOPEN_INTERVAL_S,
                 sam_time: Mapping[Command, float] = SAM_TIME_S,
                 clock: PollClock = SYSTEM_CLOCK,
                 open_link: Callable[[], Link] | None = None) -> None:
        if poll_interval < MIN_POLL_INTERVAL_S:
            raise ValueError(f"poll interval must be at least {MIN_POLL_INTERVAL_S} s")
        super().__init__(family)
        self.port = port
        self.baud = baud
        self.poll_interval = poll_interval
        self.reopen_interval = reopen_interval
        self.sam_time = {**SAM_TIME_S, **sam_time}
        self.clock = clock
        self._open_link = open_link or self._open_port
        self.events = CardEvents()
        self._worker = Worker(f"{family}-reader", join_s=1.0)
        self._decoder = FrameDecoder()
        self._state = _CardState.NONE
        self._misses = 0
        self._card_failure: Health | None = None
        self._sam_id: str | None = None
        self._answering_baud: int | None = None  # where the SAM last answered: tried first
        self._transport = port or "no port"
        # not known to work until a SAM has answered
        self.report(Health(HealthState.OFFLINE, NO_DEVICE, "not started"))

    # -- the port (CardReader) and what the reader says about itself ----------------------------

    def start(self) -> None:
        self._worker.start(self._run)

    def stop(self) -> None:
        self._worker.stop()

    @property
    def sam_id(self) -> str | None:
        """The SAM's number once it has answered (`05.01-20101015-0000012345-1234567890`)."""
        return self._sam_id

    def describe(self) -> ReaderDescription:
        return ReaderDescription(self.family, "ga467", self._transport, self._sam_id)

    def probe(self) -> Health:
        """Check the reader once without starting it (for `selftest`): open the line, ask the
        SAM for its number (trying the other bauds when it does not answer), close. While the
        reader runs: its current health."""
        if self._worker.running:
            return self.health()
        link = self._open()
        if link is None:
            return self.health()
        try:
            self._greet(link, threading.Event())
        except _PortLost:
            self._report(Health(HealthState.OFFLINE, NO_DEVICE, f"{self.port}: lost"))
        finally:
            self._close(link)
        return self.health()

    # -- the worker --------------------------------------------------------------------------------

    def _run(self, stop: threading.Event) -> None:
        link: Link | None = None
        next_poll = self.clock.now()
        try:
            while not stop.is_set():
                if link is None:
                    link = self._open()
                    if link is not None and not self._greet(link, stop):
                        self._close(link)
                        link = None
                    if link is None:
                        self.clock.wait(stop, self.reopen_interval)
                        continue
                if self.clock.wait(stop, next_poll - self.clock.now()):
                    break
                next_poll = self.clock.now() + self.poll_interval
                try:
                    self._poll(link, stop)
                except _PortLost as exc:
                    log.warning("%s reader: port %s lost (%s)", self.family, self.port, exc)
                    self._close(link)
                    link = None
                    self._lose_card()
                    self._report(Health(HealthState.OFFLINE, NO_DEVICE, f"{self.port}: lost"))
        except _Stopping:
            pass
        except Exception:  # a bug must not silently kill the reader: say so, and show it
            log.exception("%s reader stopped by an unexpected error", self.family)
            self._report(Health(HealthState.ERROR, SAM_ERROR, "driver error; see the log"))
        finally:
            if link is not None:
                self._close(link)

    def _open_port(self) -> Link:
        if is_hid_port(self.port):
            return HidLink.open_path(self.port)
        return SerialLink(self.port, self._answering_baud or self.baud)

    def _open(self) -> Link | None:
        if not self.port and self._open_link == self._open_port:
            self._report(Health(HealthState.OFFLINE, NO_DEVICE, "no port configured"))
            return None
        try:
            link = self._open_link()
        except (*_LINE_ERRORS, ValueError) as exc:
            self._report(Health(HealthState.OFFLINE, NO_DEVICE,
                                f"{self.port}: cannot open ({type(exc).__name__})"))
            return None
        self._misses = 0
        return link

    @staticmethod
    def _close(link: Link) -> None:
        with contextlib.suppress(*_LINE_ERRORS):
            link.close()

    def _greet(self, link: Link, stop: threading.Event) -> bool:
        """Ask the SAM for its number, at the configured baud and then at the others; True once
        it answered. Health says what came of it."""
        first = link.baud
        bauds = [first] if first is None else \
            [first, *(baud for baud in (self.baud, *PROBE_BAUDS) if baud != first)]
        bauds = list(dict.fromkeys(bauds))
        failures: list[str] = []
        spoilt = False
        for baud in bauds:
            try:
                if baud is not None and baud != link.baud:
                    link.set_baud(baud)
                answer = self._exchange_once(link, Command.SAM_ID, stop)
                if answer.sw3 != SW3_OK:
                    self._report(Health(HealthState.ERROR, SAM_ERROR,
                                        f"SAM number answered {describe_sw3(answer.sw3)}"))
                    return False
                self._sam_id = format_sam_id(answer.data)
            except (NoAnswer, FrameError) as exc:
                spoilt = spoilt or isinstance(exc, FrameError)
                failures.append(f"{baud} baud: {exc}" if baud else str(exc))
                continue
            except _LINE_ERRORS as exc:
                raise _PortLost(type(exc).__name__) from exc
            self._transport = link.description + (f", {baud} baud" if baud else "")
            self._answering_baud = baud
            if baud is not None and baud != self.baud:
                log.warning("%s reader: the SAM answers at %d baud, not the configured %d",
                            self.family, baud, self.baud)
            log.info("%s reader: %s", self.family, self.describe().summary)
            self._report(self._ok())
            return True
        tried = ", ".join(str(baud) for baud in bauds if baud) or link.description
        # frames that came spoilt: the baud is right and the line is not; none: no SAM there
        code, what = (SAM_BAD_ANSWER, "no good SAM answer") if spoilt else \
            (SAM_NO_ANSWER, "no SAM answer")
        self._report(Health(HealthState.ERROR, code,
                            f"{what} on {link.description} (tried {tried}); "
                            f"last: {failures[-1] if failures else '-'}"))
        return False

    def _ok(self) -> Health:
        return Health(HealthState.OK, "OK", f"SAM {self._sam_id}" if self._sam_id else "")

    def _poll(self, link: Link, stop: threading.Event) -> None:
        try:
            found = self._exchange(link, Command.FIND_CARD, stop)
            if found.sw3 not in (SW3_NO_CARD, SW3_CARD_FOUND):
                raise _SamError(f"find card answered {describe_sw3(found.sw3)}")
            self._report(self._card_failure or self._ok())  # the SAM answers as it should
            if self._state is _CardState.NONE:
                if found.sw3 == SW3_CARD_FOUND:
                    self._read_card(link, stop)
                return
            if found.sw3 == SW3_CARD_FOUND or self._still_there(link, stop):
                self._misses = 0
            else:
                self._card_missed()
        except NoAnswer as exc:
            self._report(Health(HealthState.ERROR, SAM_NO_ANSWER, str(exc)))
        except FrameError as exc:
            self._report(Health(HealthState.ERROR, SAM_BAD_ANSWER, str(exc)))
        except _SamError as exc:
            self._report(Health(HealthState.ERROR, SAM_ERROR, str(exc)))

    def _still_there(self, link: Link, stop: threading.Event) -> bool:
        """Find did not find the card we know of: does it still answer select, or a read?"""
        if self._exchange(link, Command.SELECT_CARD, stop).sw3 == SW3_OK:
            return True
        appended = self._exchange(link, Command.READ_APPENDED_ADDRESS, stop)
        return appended.sw3 in (SW3_OK, SW3_NO_CONTENT)

    def _read_card(self, link: Link, stop: threading.Event) -> None:
        selected = self._exchange(link, Command.SELECT_CARD, stop)
        if selected.sw3 != SW3_OK:
            self._fail(f"select card answered {describe_sw3(selected.sw3)}")
            return
        try:
            answer = self._exchange(link, Command.READ_TEXT_AND_PHOTO, stop)
            appended = self._exchange(link, Command.READ_APPENDED_ADDRESS, stop) \
                if answer.sw3 == SW3_OK else None
        except (NoAnswer, FrameError) as exc:
            self._fail(str(exc))
            return
        if answer.sw3 != SW3_OK:
            self._fail(f"read answered {describe_sw3(answer.sw3)}")
            return
        try:
            card = decode_read_answer(answer.data)
        except UnsupportedCardLayout as exc:
            self._state = _CardState.FAILED
            log.warning("%s reader: card not supported: %s", self.family, exc)
            message = FOREIGN_CARD_MESSAGE if exc.marker in FOREIGN_MARKERS \
                else UNKNOWN_CARD_MESSAGE
            self.events.publish(CardReadFailed(CARD_TYPE_UNSUPPORTED, message, str(exc)))
            return
        except CardTextError as exc:
            self._fail(f"card text: {exc}")
            return
        card = self._with_appended_address(card, appended)
        if card is None:
            return
        self._state = _CardState.PRESENT
        self._card_failure = None
        self._report(self._ok())  # health first: whoever handles the event sees it current
        log.info("%s reader: %s card read (%d data bytes, photo %d bytes, address %s)",
                 self.family, card.card_type, len(answer.data), len(card.photo_wlt),
                 "appended" if card.printed_address else "as printed")
        self.events.publish(CardPresent(card))

    def _with_appended_address(self, card: IdCardData,
                               appended: Answer | None) -> IdCardData | None:
        """The card with its current address; None (and a read failure) when the appended
        address could not be read: a moved person must not be shown the old one."""
        if appended is None or appended.sw3 == SW3_NO_CONTENT:
            return card
        if appended.sw3 != SW3_OK:
            self._fail(f"appended address answered {describe_sw3(appended.sw3)}")
            return None
        try:
            return with_current_address(card, decode_appended_address(appended.data))
        except CardTextError as exc:
            self._fail(f"card text: {exc}")
            return None

    def _fail(self, detail: str) -> None:
        self._state = _CardState.FAILED
        self._card_failure = Health(HealthState.ERROR, CARD_READ_FAILED, detail)
        self._report(self._card_failure)
        log.warning("%s reader: card read failed: %s", self.family, detail)
        self.events.publish(CardReadFailed(CARD_READ_FAILED, READ_FAILED_MESSAGE, detail))

    def _card_missed(self) -> None:
        self._misses += 1
        if self._misses < REMOVAL_MISSES:
            return
        was_present = self._state is _CardState.PRESENT
        self._state, self._misses, self._card_failure = _CardState.NONE, 0, None
        self._report(self._ok())
        if was_present:
            log.info("%s reader: card removed", self.family)
            self.events.publish(CardRemoved())

    def _lose_card(self) -> None:
        """The port is gone: whatever lay on the reader can no longer be vouched for."""
        if self._state is _CardState.PRESENT:
            self.events.publish(CardRemoved())
        self._state, self._misses, self._card_failure = _CardState.NONE, 0, None

    # -- one exchange ----------------------------------------------------------------------------

    def _exchange(self, link: Link, command: Command, stop: threading.Event) -> Answer:
        """Send `command` and return its answer; asks once more after a lost or spoilt answer."""
        try:
            return self._exchange_once(link, command, stop)
        except (NoAnswer, FrameError) as exc:
            log.info("%s reader: %s: %s; asking again", self.family, command.label, exc)
        return self._exchange_once(link, command, stop)

    def _deadline_s(self, link: Link, command: Command) -> float:
        baud = link.baud or HID_NOMINAL_BAUD
        return self.sam_time[command] + 2 * ANSWER_BYTES[command] * 10 / baud

    def _exchange_once(self, link: Link, command: Command, stop: threading.Event) -> Answer:
        deadline_s = self._deadline_s(link, command)
        try:
            link.discard_input()
            self._decoder.reset()
            link.write(encode_command(command))
            deadline = time.monotonic() + deadline_s
            while time.monotonic() < deadline:
                if stop.is_set():
                    raise _Stopping
                chunk = link.read()
                for item in self._decoder.feed(chunk) if chunk else ():
                    if isinstance(item, FrameError):
                        raise FrameError(f"answer to {command.label}: {item}")
                    log.debug("%s reader: %s -> %s", self.family, command.label, item.status)
                    return item
        except _LINE_ERRORS as exc:
            raise _PortLost(f"{type(exc).__name__}") from exc
        raise NoAnswer(f"no complete answer to {command.label} within {deadline_s:.2f} s "
                       f"({self._decoder.pending} bytes pending)")

    def _report(self, health: Health) -> None:
        if health != self.health():
            log.log(logging.INFO if health.ok else logging.WARNING, "%s reader: health %s %s %s",
                    self.family, health.state.value, health.code, health.detail)
        self.report(health)
