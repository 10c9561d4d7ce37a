"""What a print returns: whether it was printed, the printer's status, and what to tell the person.

Paper out, a cover left open or an unplugged printer are expected outcomes at a kiosk, so they
come back as a `PrintResult` the flow must look at, never as an exception; `printed` is True only
when the printer took the whole job without reporting a fault.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from common.i18n import QT_TR_NOOP
from devices.health import Health

_MESSAGES = {
    "PAPER_OUT": QT_TR_NOOP("打印机缺纸，未能打印。请联系工作人员。"),
    "COVER_OPEN": QT_TR_NOOP("打印机纸仓盖未关好，未能打印。请联系工作人员。"),
    "PAPER_JAM": QT_TR_NOOP("打印机卡纸，未能打印。请联系工作人员。"),
    "TONER_OUT": QT_TR_NOOP("打印机墨粉用完，未能打印。请联系工作人员。"),
    "NO_DEVICE": QT_TR_NOOP("打印机未连接，未能打印。请联系工作人员。"),
    "PRINT_TIMEOUT": QT_TR_NOOP("打印机长时间没有完成打印，已取消。请联系工作人员。"),
}
_FAILED = QT_TR_NOOP("打印机故障，未能打印。请联系工作人员。")
# the roll ran out with part of the slip printed: say so, the person may hold a torn piece
_PAPER_OUT_PART_PRINTED = QT_TR_NOOP("打印机缺纸，凭条没有打印完整。请联系工作人员补打。")
RECEIPT_PRINTED = QT_TR_NOOP("凭条已打印，请取走。")
DOCUMENT_PRINTED = QT_TR_NOOP("文件已打印，请在出纸口取走。")


def failure_message(code: str, started: bool = False) -> str:
    """The sentence for the person when a print failed with health `code`; `started`: part of
    the job may already be on paper."""
    if started and code == "PAPER_OUT":
        return _PAPER_OUT_PART_PRINTED
    return _MESSAGES.get(code, _FAILED)


def new_job_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass(frozen=True)
class PrintResult:
    job_id: str
    printed: bool
    health: Health  # the printer's status when the job ended (code PAPER_OUT …)
    message: str  # Simplified Chinese for the person, marked for translation
    preview: bytes = field(default=b"", repr=False)  # PNG of the receipt / PDF of the document
    status_known: bool = True  # False: the link cannot report the printer's status (a file)
    pages: int = 0  # A4 only: the document's pages (copies included)
    # A4 only: the document's pages that have come out, counting from its first page (also
    # those of earlier jobs when this one resumed at `first_page`); a retry starts after them
    pages_done: int = 0
    # receipt only: the printer said the whole slip came out (GS r 1 answered after the cut)
    confirmed: bool = False

    @property
    def code(self) -> str:
        return self.health.code
