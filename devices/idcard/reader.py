"""The real ID-card reader driver: a GA 467 SAM on a serial port (pyserial).

One worker thread owns the port. Every poll (at most every 0.3 s) it asks the SAM to find a
card; a new card is selected and read (text + photo) and published once as `CardPresent`; a card
that leaves is published once as `CardRemoved` after it has been missed on two polls in a row
(a card at the edge of the field must not end a citizen's session). A card that cannot be read
is published once as `CardReadFailed` and retried only after it has left the field.

Faults and what they become:

- port missing or gone: health offline `NO_DEVICE`; the port is reopened every second, and
  health is ok again after the first good answer (no restart needed);
- no answer within the deadline, or a malformed answer: asked again once; a second failure is
  health error `SAM_NO_ANSWER` or `SAM_BAD_ANSWER` (during a card read: `CardReadFailed`
  instead); the next poll starts afresh, resynchronising on the next frame;
- SW3 0x81 (select failed), 0x41 (read failed), a card pulled between select and read, or a
  text block that does not decode: `CardReadFailed` with code `CARD_READ_FAILED`, and health
  error `CARD_READ_FAILED` until the card has left or a card is read;
- a card whose layout is not decoded (foreign permanent-resident card): `CardReadFailed` with
  code `CARD_TYPE_UNSUPPORTED`; the reader's health stays ok, the reader is fine;
- any other SW3 to find-card: health error `SAM_ERROR` with the status byte.

Until a SAM has answered, health is offline `NO_DEVICE` ("not started"); `probe()` checks a
reader once without starting it. When the port goes while a card lies on the reader, that card
is reported removed: it can no longer be vouched for, and it is read afresh once the port is
back.

Assumption to check on hardware: the SAM keeps answering find-card with "card found" while a
card lies in the field, also after it was read. Should a SAM answer "no card" for a card it has
already read, that card would be reported removed after two polls.

Logs carry command codes, SW bytes, lengths and card types, never what the card says.
"""

from __future__ import annotations

import contextlib
import logging
import termios
import threading
import time
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType

import serial

from devices.cards import CardEvents, CardPresent, CardReadFailed, CardRemoved
from devices.health import HEALTHY, Health, HealthReporter, HealthState
from devices.idcard.card_text import decode_read_answer
from devices.idcard.errors import CardTextError, FrameError, NoAnswer, UnsupportedCardLayout
from devices.idcard.frame import (
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_OK,
    Answer,
    Command,
    FrameDecoder,
    describe_sw3,
    encode_command,
)
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
from devices.worker import Worker

log = logging.getLogger(__name__)

DEFAULT_BAUD = 115200
MIN_POLL_INTERVAL_S = 0.3  # the floor: never poll the SAM faster than this
REOPEN_INTERVAL_S = 1.0
REMOVAL_MISSES = 2  # polls in a row without the card before it counts as removed
SERIAL_READ_TIMEOUT_S = 0.05  # how long one read may block: bounds how fast stop() is seen

# How long the SAM may take to act on a command before its answer starts, on top of the line
# time of the answer itself (waited for twice over). Reading text and photo means talking to
# the card and checking it; GA 467 readers take up to about a second for that.
SAM_TIME_S: Mapping[Command, float] = MappingProxyType({
    Command.RESET_SAM: 2.0,
    Command.SAM_STATUS: 0.5,
    Command.SAM_ID: 0.5,
    Command.FIND_CARD: 0.5,
    Command.SELECT_CARD: 0.5,
    Command.READ_TEXT_AND_PHOTO: 1.5,
})
# answer sizes on the wire
ANSWER_BYTES: Mapping[Command, int] = MappingProxyType({
    Command.RESET_SAM: 11,
    Command.SAM_STATUS: 11,
    Command.SAM_ID: 27,
    Command.FIND_CARD: 15,
    Command.SELECT_CARD: 19,
    Command.READ_TEXT_AND_PHOTO: 1295,
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


class Ga467Reader(HealthReporter):
    """`CardReader` for a GA 467 SAM on `port` (a serial device path, e.g. /dev/ttyUSB0)."""

    def __init__(self, port: str, baud: int = DEFAULT_BAUD, *, family: str = "idcard",
                 poll_interval: float = MIN_POLL_INTERVAL_S,
                 reopen_interval: float = REOPEN_INTERVAL_S,
                 sam_time: Mapping[Command, float] = SAM_TIME_S) -> None:
        if poll_interval < MIN_POLL_INTERVAL_S:
            raise ValueError(f"poll interval must be at least {MIN_POLL_INTERVAL_S} s")
        super().__init__(family)
        self.port = port
        self.baud = baud
        self.poll_interval = poll_interval
        self.reopen_interval = reopen_interval
        sam_time = {**SAM_TIME_S, **sam_time}
        self.answer_deadlines = {command: sam_time[command] + 2 * size * 10 / baud
                                 for command, size in ANSWER_BYTES.items()}
        self.events = CardEvents()
        self._worker = Worker(f"{family}-reader", join_s=1.0)
        self._decoder = FrameDecoder()
        self._state = _CardState.NONE
        self._misses = 0
        self._card_failure: Health | None = None
        # not known to work until a SAM has answered
        self.report(Health(HealthState.OFFLINE, NO_DEVICE, "not started"))

    # -- the port (CardReader) -------------------------------------------------------------------

    def start(self) -> None:
        self._worker.start(self._run)

    def stop(self) -> None:
        self._worker.stop()

    def probe(self) -> Health:
        """Check the reader once without starting it (for `selftest`): open the port, ask the
        SAM for its status, close. While the reader runs: its current health."""
        if self._worker.running:
            return self.health()
        port = self._open()
        if port is None:
            return self.health()
        try:
            status = self._exchange(port, Command.SAM_STATUS, threading.Event())
            self._report(HEALTHY if status.sw3 == SW3_OK else Health(
                HealthState.ERROR, SAM_ERROR, f"SAM status answered {describe_sw3(status.sw3)}"))
        except NoAnswer as exc:
            self._report(Health(HealthState.ERROR, SAM_NO_ANSWER, str(exc)))
        except FrameError as exc:
            self._report(Health(HealthState.ERROR, SAM_BAD_ANSWER, str(exc)))
        except _PortLost:
            self._report(Health(HealthState.OFFLINE, NO_DEVICE, f"{self.port}: lost"))
        finally:
            self._close(port)
        return self.health()

    # -- the worker --------------------------------------------------------------------------------

    def _run(self, stop: threading.Event) -> None:
        port: serial.Serial | None = None
        next_poll = time.monotonic()
        try:
            while not stop.is_set():
                if port is None:
                    port = self._open()
                    if port is None:
                        stop.wait(self.reopen_interval)
                        continue
                if stop.wait(max(0.0, next_poll - time.monotonic())):
                    break
                next_poll = time.monotonic() + self.poll_interval
                try:
                    self._poll(port, stop)
                except _PortLost as exc:
                    log.warning("%s reader: port %s lost (%s)", self.family, self.port, exc)
                    self._close(port)
                    port = None
                    self._lose_card()
                    self._report(Health(HealthState.OFFLINE, NO_DEVICE, f"{self.port}: lost"))
        except _Stopping:
            pass
        except Exception:  # a bug must not silently kill the reader: say so, and show it
            log.exception("%s reader stopped by an unexpected error", self.family)
            self._report(Health(HealthState.ERROR, SAM_ERROR, "driver error; see the log"))
        finally:
            if port is not None:
                self._close(port)

    def _open(self) -> serial.Serial | None:
        if not self.port:
            self._report(Health(HealthState.OFFLINE, NO_DEVICE, "no port configured"))
            return None
        try:
            port = serial.Serial(self.port, self.baud, timeout=SERIAL_READ_TIMEOUT_S,
                                 write_timeout=1.0)
        except (serial.SerialException, OSError, ValueError) as exc:
            self._report(Health(HealthState.OFFLINE, NO_DEVICE,
                                f"{self.port}: cannot open ({type(exc).__name__})"))
            return None
        log.info("%s reader: opened %s at %d baud", self.family, self.port, self.baud)
        self._misses = 0
        return port

    @staticmethod
    def _close(port: serial.Serial) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            port.close()

    def _poll(self, port: serial.Serial, stop: threading.Event) -> None:
        try:
            found = self._exchange(port, Command.FIND_CARD, stop)
            if found.sw3 not in (SW3_NO_CARD, SW3_CARD_FOUND):
                raise _SamError(f"find card answered {describe_sw3(found.sw3)}")
            self._report(self._card_failure or HEALTHY)  # the SAM answers as it should
            if found.sw3 == SW3_NO_CARD:
                self._card_absent()
                return
            self._misses = 0
            if self._state is _CardState.NONE:
                self._read_card(port, stop)
        except NoAnswer as exc:
            self._report(Health(HealthState.ERROR, SAM_NO_ANSWER, str(exc)))
        except FrameError as exc:
            self._report(Health(HealthState.ERROR, SAM_BAD_ANSWER, str(exc)))
        except _SamError as exc:
            self._report(Health(HealthState.ERROR, SAM_ERROR, str(exc)))

    def _read_card(self, port: serial.Serial, stop: threading.Event) -> None:
        selected = self._exchange(port, Command.SELECT_CARD, stop)
        if selected.sw3 != SW3_OK:
            self._fail(f"select card answered {describe_sw3(selected.sw3)}")
            return
        try:
            answer = self._exchange(port, Command.READ_TEXT_AND_PHOTO, stop)
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
            message = FOREIGN_CARD_MESSAGE if exc.marker == "I" else UNKNOWN_CARD_MESSAGE
            self.events.publish(CardReadFailed(CARD_TYPE_UNSUPPORTED, message, str(exc)))
            return
        except CardTextError as exc:
            self._fail(f"card text: {exc}")
            return
        self._state = _CardState.PRESENT
        self._card_failure = None
        self._report(HEALTHY)  # health first: whoever handles the event sees it current
        log.info("%s reader: %s card read (%d data bytes, photo %d bytes)", self.family,
                 card.card_type, len(answer.data), len(card.photo_wlt))
        self.events.publish(CardPresent(card))

    def _fail(self, detail: str) -> None:
        self._state = _CardState.FAILED
        self._card_failure = Health(HealthState.ERROR, CARD_READ_FAILED, detail)
        self._report(self._card_failure)
        log.warning("%s reader: card read failed: %s", self.family, detail)
        self.events.publish(CardReadFailed(CARD_READ_FAILED, READ_FAILED_MESSAGE, detail))

    def _card_absent(self) -> None:
        if self._state is _CardState.NONE:
            return
        self._misses += 1
        if self._misses < REMOVAL_MISSES:
            return
        was_present = self._state is _CardState.PRESENT
        self._state, self._misses, self._card_failure = _CardState.NONE, 0, None
        self._report(HEALTHY)
        if was_present:
            log.info("%s reader: card removed", self.family)
            self.events.publish(CardRemoved())

    def _lose_card(self) -> None:
        """The port is gone: whatever lay on the reader can no longer be vouched for."""
        if self._state is _CardState.PRESENT:
            self.events.publish(CardRemoved())
        self._state, self._misses, self._card_failure = _CardState.NONE, 0, None

    # -- one exchange ----------------------------------------------------------------------------

    def _exchange(self, port: serial.Serial, command: Command, stop: threading.Event) -> Answer:
        """Send `command` and return its answer; asks once more after a lost or spoilt answer."""
        try:
            return self._exchange_once(port, command, stop)
        except (NoAnswer, FrameError) as exc:
            log.info("%s reader: %s: %s; asking again", self.family, command.label, exc)
        return self._exchange_once(port, command, stop)

    def _exchange_once(self, port: serial.Serial, command: Command,
                       stop: threading.Event) -> Answer:
        deadline_s = self.answer_deadlines[command]
        try:
            port.reset_input_buffer()  # a late answer to an earlier request is stale now
            self._decoder.reset()
            port.write(encode_command(command))
            deadline = time.monotonic() + deadline_s
            while time.monotonic() < deadline:
                if stop.is_set():
                    raise _Stopping
                chunk = port.read(max(1, port.in_waiting))
                for item in self._decoder.feed(chunk) if chunk else ():
                    if isinstance(item, FrameError):
                        raise FrameError(f"answer to {command.label}: {item}")
                    log.debug("%s reader: %s -> %s", self.family, command.label, item.status)
                    return item
        except (serial.SerialException, OSError, termios.error) as exc:
            raise _PortLost(f"{type(exc).__name__}") from exc
        raise NoAnswer(f"no complete answer to {command.label} within {deadline_s:.2f} s "
                       f"({self._decoder.pending} bytes pending)")

    def _report(self, health: Health) -> None:
        if health != self.health():
            log.log(logging.INFO if health.ok else logging.WARNING, "%s reader: health %s %s %s",
                    self.family, health.state.value, health.code, health.detail)
        self.report(health)
