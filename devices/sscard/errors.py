"""Every way reading a social-security card can fail, as one exception hierarchy.

Each error carries the code a `CardReadFailed` event gets, the sentence for the person at the
kiosk (Simplified Chinese, marked for translation) and a detail for staff. Details name steps,
status words and lengths, never what the card holds.
"""

from __future__ import annotations

from typing import ClassVar

from common.i18n import QT_TR_NOOP

# Codes a `CardReadFailed` event can carry. The reader's health code for all of them is
# CARD_READ_FAILED; these tell the flow what to say next.
CARD_READ_FAILED = "CARD_READ_FAILED"  # transport fault, malformed data, unexpected answer
CARD_NOT_SUPPORTED = "CARD_NOT_SUPPORTED"  # no social-security application: another kind of card
CARD_ACCESS_DENIED = "CARD_ACCESS_DENIED"  # the card wants a PIN or an authentication first
CARD_PIN_WRONG = "CARD_PIN_WRONG"
CARD_LOCKED = "CARD_LOCKED"  # PIN or key blocked: only the issuing office can help


class SsCardError(Exception):
    """Reading the card failed; `str()` is the detail (no personal data)."""

    code: ClassVar[str] = CARD_READ_FAILED
    message: ClassVar[str] = QT_TR_NOOP("社保卡读取失败，请取出后重新插入。")

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class TransportError(SsCardError):
    """PC/SC could not carry a command: the card was pulled, the link or the service dropped."""


class CardDataError(SsCardError):
    """The card answered, but what it holds is not laid out as the specification says."""


class TlvError(CardDataError):
    """A record is not a well-formed tag-length-value sequence."""


class BcdError(CardDataError):
    """A BCD-coded field (a date, a region code) holds something other than a valid value."""


class CardProtocolError(SsCardError):
    """The card broke the T=0 rules (endless 61xx, a second 6Cxx)."""


class CardStatusError(SsCardError):
    """The card answered a command with a status word other than 9000."""

    def __init__(self, sw1: int, sw2: int, step: str) -> None:
        self.sw1, self.sw2, self.step = sw1, sw2, step
        super().__init__(f"{step}: SW {sw1:02X}{sw2:02X}")

    @property
    def sw(self) -> int:
        return self.sw1 << 8 | self.sw2


class WrongLength(CardStatusError):  # 6700
    pass


class SecurityNotSatisfied(CardStatusError):  # 6982
    code = CARD_ACCESS_DENIED
    message = QT_TR_NOOP("此社保卡需验证后才能读取，请到人工窗口办理。")


class AuthenticationFailed(CardStatusError):  # 6300: external authentication refused
    code = CARD_ACCESS_DENIED
    message = QT_TR_NOOP("此社保卡需验证后才能读取，请到人工窗口办理。")


class AuthenticationBlocked(CardStatusError):  # 6983
    code = CARD_LOCKED
    message = QT_TR_NOOP("社保卡密码已锁定，请到人工窗口办理。")


class PinIncorrect(CardStatusError):  # 63Cx
    code = CARD_PIN_WRONG
    message = QT_TR_NOOP("社保卡密码错误。")

    @property
    def tries_left(self) -> int:
        return self.sw2 & 0x0F


class ConditionsNotSatisfied(CardStatusError):  # 6985
    pass


# A file or record the card does not have, or a way of asking it does not take: taking the card
# out and in again will not help, staff can (read it on their own reader, report the card kind)
_NOT_READABLE_HERE = QT_TR_NOOP("此社保卡暂无法在本机读取，请到人工窗口办理。")


class FileNotFound(CardStatusError):  # 6A82
    code = CARD_NOT_SUPPORTED
    message = _NOT_READABLE_HERE


class RecordNotFound(CardStatusError):  # 6A83
    code = CARD_NOT_SUPPORTED
    message = _NOT_READABLE_HERE


class WrongParameters(CardStatusError):  # 6A86: P1 or P2 not taken (another way of addressing)
    code = CARD_NOT_SUPPORTED
    message = _NOT_READABLE_HERE


class UnreadableRecord(CardStatusError):
    """A record the card gave neither by its tag (P2 = 00) nor by its position (P2 = 04)."""

    code = CARD_NOT_SUPPORTED
    message = _NOT_READABLE_HERE

    def __init__(self, first: CardStatusError, second: CardStatusError) -> None:
        super().__init__(second.sw1, second.sw2, second.step)
        self.detail = f"{first.detail}; {second.detail}"
        self.args = (self.detail,)


class NotSocialSecurityCard(CardStatusError):
    """Selecting the social-security application failed: some other card was inserted."""

    code = CARD_NOT_SUPPORTED
    message = QT_TR_NOOP("无法识别此卡，请插入社会保障卡。")


_BY_STATUS_WORD: dict[int, type[CardStatusError]] = {
    0x6300: AuthenticationFailed,
    0x6700: WrongLength,
    0x6982: SecurityNotSatisfied,
    0x6983: AuthenticationBlocked,
    0x6985: ConditionsNotSatisfied,
    0x6A82: FileNotFound,
    0x6A83: RecordNotFound,
    0x6A86: WrongParameters,
}


def status_error(sw1: int, sw2: int, step: str) -> CardStatusError:
    """The defined error for a status word that is not 9000."""
    if sw1 == 0x63 and sw2 & 0xF0 == 0xC0:
        return PinIncorrect(sw1, sw2, step)
    return _BY_STATUS_WORD.get(sw1 << 8 | sw2, CardStatusError)(sw1, sw2, step)
