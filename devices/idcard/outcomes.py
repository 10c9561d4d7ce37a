"""What an ID-card read can come to: the codes a manager sees and the sentences a person reads.

Shared by the real driver and the simulator, so a flow tested on the simulator meets the same
codes and text on the hardware.
"""

from __future__ import annotations

from common.i18n import QT_TR_NOOP

# health codes, and CardReadFailed codes
NO_DEVICE = "NO_DEVICE"  # offline: the serial port is missing or gone
CARD_READ_FAILED = "CARD_READ_FAILED"  # a card lies there but could not be read
CARD_TYPE_UNSUPPORTED = "CARD_TYPE_UNSUPPORTED"  # read, but a kind of card we do not decode
SAM_NO_ANSWER = "SAM_NO_ANSWER"  # nothing (complete) came back: wrong port, SAM dead
SAM_BAD_ANSWER = "SAM_BAD_ANSWER"  # only malformed frames came back: wrong baud, bad cable
SAM_ERROR = "SAM_ERROR"  # the SAM reported a fault of its own

READ_FAILED_MESSAGE = QT_TR_NOOP("读取身份证失败，请把身份证平放在感应区后重试。")
FOREIGN_CARD_MESSAGE = QT_TR_NOOP("本机暂不能读取外国人永久居留身份证，请联系工作人员办理。")
UNKNOWN_CARD_MESSAGE = QT_TR_NOOP("本机暂不能读取这种证件，请联系工作人员办理。")
