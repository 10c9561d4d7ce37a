"""What a GA 467 SAM answers, as pure state: a request in, an answer out, no line at all.

`SamModel.respond(request)` is the SAM of `sam_emulator.SamEmulator` (which puts it on a pty or
a USB HID link) and of the transcript test, which checks it against answers as public code
publishes them, byte for byte (tests/devices/idcard/sam_transcripts.json).

Sources, all public; the emulator was written from them, never from our driver:

- Command table and answer unpacking: libzhouyb, Zhyioo/libzhouyb
  zhou_yb/device/idcard/SdtApiDevAdapter.h (10 FF reset, 11 FF status, 12 FF SAM number,
  60 xx baud, 20 01 find, 20 02 select, 30 01 text + photo, 30 03 newest appended information,
  30 10 with fingerprints; an answer is `SW1 SW2 SW3 data`, 9F and 90 the successes) and
  zhou_yb/device/idcard/ISdtApi.h (the SW3 table: 80 find failed, 81 select failed, 41 read
  failed, 91 nothing on the card for this item, 60 self-check failed, 66 not authorised).
- Request frames: Yangyuanxin/BearPi 10.ZKT_BearPi/ZKT_SDK/IDReader.c (header 00 03, XOR of
  LEN through PARA) and the libusb test of a 0400:C35A reader that opens with 12 FF
  (`AA AA AA 96 69 00 03 12 FF EE`).
- Answers as bytes: an STC15 firmware that talks to a SAM module over a UART and keeps the
  answers it expects as tables (find: `00 08 00 00 9F 00 00 00 00 97` / `00 04 00 00 80 84`,
  select: `00 0C 00 00 90` + 8 bytes + `9C` / `00 04 00 00 81 85`, read failed
  `00 04 00 00 41 45`); the text + photo answer `01 00 04 00` + 256 + 1024 bytes (libzhouyb
  SdtApiDevAdapter.h ReadBaseMsg, and a Linux libusb reader that checks those four bytes).
- The SAM number: 16 bytes, printed `%02d.%02d-%08d-%010d-%010d` (see `sam_id`).
- The appended address (30 03): UCS-2 text like the card's own address field; VB and C# SDK
  samples show it as text after `SDT_ReadNewAppMsg` answered 0x90, and nothing when it did not.
- Presence after a read, which SAMs and SDKs differ on (`AfterRead`): Routon's Android SDK
  sample (c786909486/JingLunReader idCardReader/src/main/java/com/yyt/idcardreader/presenter/
  ReaderTask.java) never asks "find card" about a card it has read: in its loop mode it waits
  200 ms and reads the card's management number or its appended information
  (`SDT_ReadIINSNDN`, `RTN_ReadNewAppMsg`) and takes a failure for "card removed"; libzhouyb's
  IDCardParser.h retries find, then select, each until a deadline. A card that has been
  selected (ISO 14443-B ATTRIB) no longer answers the find request, so a SAM may say 80 while it
  still lies there; each published behaviour is one `AfterRead` mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from devices.cards import IdCardData
from devices.idcard.card_text import (
    PHOTO_SIZE,
    encode_appended_addresses,
    encode_card_text,
    encode_read_data,
)
from devices.idcard.frame import (
    SW3_CARD_FOUND,
    SW3_NO_CARD,
    SW3_NO_CONTENT,
    SW3_OK,
    SW3_READ_FAILED,
    SW3_SELECT_FAILED,
    Answer,
    Command,
    Request,
)
from devices.idcard.sam_id import sam_id_bytes

SW3_UNKNOWN_REQUEST = 0x21
SAM_ID = "05.01-20101015-0000012345-1234567890"  # a made-up SAM number
# the manager information a find answer carries (4 bytes) and a select answer (8 bytes); the
# published answers hold zeros there
FIND_DATA = bytes(4)
SELECT_DATA = bytes(8)


class AfterRead(Enum):
    """What the SAM answers to "find card" about a card it has already read, while the card
    stays on the reader."""

    KEEPS_FOUND = "keeps_found"  # 9F as long as it lies there
    NO_CARD_SELECT_WORKS = "no_card_select_works"  # 80; select 90 and reads still work
    NO_CARD_SELECT_FAILS = "no_card_select_fails"  # 80, select 81; the card still reads
    ALTERNATES = "alternates"  # 80 and 9F in turn ("find twice" in SDK samples)


@dataclass(frozen=True)
class EmulatedCard:
    """A card on the emulated reader: its text block and photo, and how it misbehaves."""

    text: bytes = field(repr=False)
    photo: bytes = field(default=bytes(PHOTO_SIZE), repr=False)
    appended_addresses: tuple[str, ...] = field(default=(), repr=False)  # oldest first
    read_fails: bool = False  # the SAM answers 0x41 to every read
    select_fails: bool = False  # the SAM answers 0x81 to select
    pulled_after_select: bool = False  # leaves the field between select and read

    @classmethod
    def of(cls, card: IdCardData, *, pass_number: str = "", issue_count: str = "",
           appended_addresses: tuple[str, ...] = (), **behaviour: bool) -> EmulatedCard:
        """The card that decodes to `card` (a resident card or an HMT residence permit)."""
        text = encode_card_text(card, pass_number=pass_number, issue_count=issue_count)
        return cls(text, card.photo_wlt or bytes(PHOTO_SIZE), appended_addresses, **behaviour)


class SamModel:
    """One SAM and the card on it. Not thread-safe: the emulator holds its own lock around it."""

    def __init__(self, after_read: AfterRead = AfterRead.KEEPS_FOUND,
                 sam_id: str = SAM_ID) -> None:
        self.after_read = after_read
        self.sam_id = sam_id
        self.card: EmulatedCard | None = None
        self.selected = False
        self.read_done = False  # the card on the reader has been read since it was placed
        self._finds_after_read = 0

    def place(self, card: EmulatedCard | None) -> None:
        """A card is placed (None: taken away); a new placement is found afresh."""
        self.card, self.selected, self.read_done = card, False, False
        self._finds_after_read = 0

    def respond(self, request: Request) -> Answer:
        match request.command:
            case Command.RESET_SAM | Command.SAM_STATUS:
                return Answer(0, 0, SW3_OK)
            case Command.SAM_ID:
                return Answer(0, 0, SW3_OK, sam_id_bytes(self.sam_id))
            case Command.FIND_CARD:
                return self._find()
            case Command.SELECT_CARD:
                return self._select()
            case Command.READ_TEXT_AND_PHOTO:
                return self._read_text_and_photo()
            case Command.READ_APPENDED_ADDRESS:
                return self._read_appended()
            case _:
                return Answer(0, 0, SW3_UNKNOWN_REQUEST)

    def _find(self) -> Answer:
        if self.card is None:
            return Answer(0, 0, SW3_NO_CARD)
        if not self.read_done or self.after_read is AfterRead.KEEPS_FOUND:
            return Answer(0, 0, SW3_CARD_FOUND, FIND_DATA)
        if self.after_read is AfterRead.ALTERNATES:
            self._finds_after_read += 1
            if self._finds_after_read % 2 == 0:
                return Answer(0, 0, SW3_CARD_FOUND, FIND_DATA)
        return Answer(0, 0, SW3_NO_CARD)

    def _select(self) -> Answer:
        card = self.card
        if card is None or card.select_fails:
            return Answer(0, 0, SW3_SELECT_FAILED)
        if self.read_done and self.after_read is AfterRead.NO_CARD_SELECT_FAILS:
            return Answer(0, 0, SW3_SELECT_FAILED)
        self.selected = True
        if card.pulled_after_select:
            self.card = None
        return Answer(0, 0, SW3_OK, SELECT_DATA)

    def _readable(self) -> EmulatedCard | None:
        card = self.card
        if card is None or not self.selected or card.read_fails:
            return None
        return card

    def _read_text_and_photo(self) -> Answer:
        card = self._readable()
        if card is None:
            return Answer(0, 0, SW3_READ_FAILED)
        self.read_done = True
        return Answer(0, 0, SW3_OK, encode_read_data(card.text, card.photo))

    def _read_appended(self) -> Answer:
        card = self._readable()
        if card is None:
            return Answer(0, 0, SW3_READ_FAILED)
        if not card.appended_addresses:
            return Answer(0, 0, SW3_NO_CONTENT)
        return Answer(0, 0, SW3_OK, encode_appended_addresses(list(card.appended_addresses)))
