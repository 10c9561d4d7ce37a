"""The SAM's own number (12 FF), as reader SDKs print it: `05.01-20101015-0000012345-1234567890`.

The 16 bytes of the answer are two little-endian 16-bit numbers and three little-endian 32-bit
numbers, printed `%02d.%02d-%08d-%010d-%010d` (the layout SDKs decode it with before handing it
to `SDT_GetSAMIDToStr` callers; some print only the first four parts). It names the security
module, not a person: managers see it in full in self-tests, audits and the console.
"""

from __future__ import annotations

from devices.idcard.errors import FrameError

SAM_ID_SIZE = 16


def format_sam_id(data: bytes) -> str:
    """The printed SAM ID of a 12 FF answer's data; `FrameError` for any other length."""
    if len(data) != SAM_ID_SIZE:
        raise FrameError(f"SAM ID of {len(data)} bytes, expected {SAM_ID_SIZE}")
    head1 = int.from_bytes(data[0:2], "little")
    head2 = int.from_bytes(data[2:4], "little")
    parts = [int.from_bytes(data[i:i + 4], "little") for i in (4, 8, 12)]
    return f"{head1:02d}.{head2:02d}-{parts[0]:08d}-{parts[1]:010d}-{parts[2]:010d}"


def sam_id_bytes(printed: str) -> bytes:
    """The 16 bytes a SAM answers for `printed` (emulators and tests)."""
    head, date, first, second = printed.split("-")
    head1, head2 = head.split(".")
    return (int(head1).to_bytes(2, "little") + int(head2).to_bytes(2, "little")
            + b"".join(int(part).to_bytes(4, "little") for part in (date, first, second)))
