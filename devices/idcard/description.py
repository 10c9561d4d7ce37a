"""What an ID-card reader says about itself, for self-tests, audits and `devices check`.

Nothing personal: the SAM number names the reader's security module (public-security issued,
one per reader), so it is shown in full.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReaderDescription:
    family: str
    driver: str  # "ga467" or "simulator"
    transport: str  # "serial /dev/ttyUSB0, 115200 baud", "USB HID /dev/hidraw0", "none"
    sam_id: str | None  # "05.01-20101015-0000012345-1234567890"; None until a SAM has answered

    @property
    def summary(self) -> str:
        """One line: `ga467 on serial /dev/ttyUSB0, 115200 baud, SAM 05.01-…`."""
        sam = f"SAM {self.sam_id}" if self.sam_id else "no SAM number (yet)"
        return f"{self.driver} on {self.transport}, {sam}"
