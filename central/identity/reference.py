"""The reference identity verifier. DEVELOPMENT ONLY: it compares no faces.

It checks what can be checked without the public-security services: the ID number's check
character, the document's expiry date, and the kiosk's own figures for the face sample
(quality and liveness). For the face comparison it follows a documented rule instead, so the
demo and the tests can make a comparison fail on purpose:

- **"Someone else's face"**: a holder whose ID number has the sequence code (digits 15-17)
  998 or 999 never matches the live face, whatever the face. The demo's "someone else" people
  are built that way (`SOMEONE_ELSE`); any other valid number matches.
- **Citizen QR codes** (居民身份电子凭证) resolve through `DEMO_CODES`, a fixed table of
  readable strings the simulator panel can show; any other code is CODE_UNKNOWN.

A deployment replaces this class with one that calls the real comparison service.
"""

from __future__ import annotations

import base64
import binascii
import logging
from datetime import date

from central.contract import (
    Holder,
    IdentityEvidenceIn,
    VerificationFailure,
    VerificationRequest,
)
from central.contract.id_number import age_on
from central.identity.id_number import birth_date
from central.identity.verifier import IdentityCheck

log = logging.getLogger(__name__)

MIN_FACE_QUALITY = 0.35  # of the 0..1 score; the kiosk's own gates pass nothing below about 0.38
ELDERLY_AGE = 60
SOMEONE_ELSE_SEQUENCES = ("998", "999")

ZHANG_SAN = Holder(name="张三", id_number="110101199003070011")  # the simulator's resident card
LI_XIUYING = Holder(name="李秀英", id_number="310101195008150028")  # its 60+ card
# people whose face never matches (sequence code 999 / 998): hold their card or code up to
# the kiosk and the comparison fails, as with a card that is not yours
SOMEONE_ELSE = Holder(name="刘建国", id_number="110105198506129995")
SOMEONE_ELSE_ELDERLY = Holder(name="周桂兰", id_number="310104195203019980")

DEMO_CODES: dict[str, Holder] = {
    "DEMO-EID-ZHANGSAN": ZHANG_SAN,
    "DEMO-EID-LIXIUYING": LI_XIUYING,
    "DEMO-EID-LIUJIANGUO": SOMEONE_ELSE,
    "DEMO-EID-ZHOUGUILAN": SOMEONE_ELSE_ELDERLY,
}


class ReferenceVerifier:
    """DEVELOPMENT ONLY: checks documents and the face sample's figures, compares no faces
    (see the module docstring for the rule that stands in for the comparison)."""

    def __init__(self, min_face_quality: float = MIN_FACE_QUALITY) -> None:
        self.min_face_quality = min_face_quality
        log.warning("identity verification uses the REFERENCE verifier: DEVELOPMENT ONLY, it "
                    "compares no faces; a deployment must plug in a real one")

    def verify(self, request: VerificationRequest, today: date) -> IdentityCheck:
        evidence = request.evidence
        holder, failure = self._holder(evidence, today)
        if holder is None:
            return IdentityCheck(verified=False, level=0, failure=failure)
        face_failure = self._face_failure(request, holder)
        with_face = 5 if evidence.kind == "id_card" and evidence.dedicated_reader else 4
        relaxed = False
        if face_failure is None:
            level = with_face
        elif request.elderly_relaxed and request.face is not None and _elderly(holder, today):
            # GB/T 40756 §9.8.5.2: captured, not compared; the service allows it
            level, relaxed, face_failure = with_face, True, None
        else:
            level = 3
        if level < request.required_level:
            return IdentityCheck(verified=False, level=level, failure=face_failure or
                                 "FACE_QUALITY", holder=holder)
        return IdentityCheck(verified=True, level=level, elderly_relaxed_applied=relaxed,
                             holder=holder)

    def _holder(self, evidence: IdentityEvidenceIn, today: date
                ) -> tuple[Holder | None, VerificationFailure | None]:
        if evidence.kind == "qr_code":
            holder = DEMO_CODES.get((evidence.code or "").strip())
            return (holder, None) if holder else (None, "CODE_UNKNOWN")
        number = evidence.id_number.strip().upper()
        if not evidence.name.strip() or birth_date(number) is None:
            return None, "DOCUMENT_INVALID"
        if evidence.valid_to is not None and evidence.valid_to < today:
            return None, "DOCUMENT_EXPIRED"
        return Holder(name=evidence.name.strip(), id_number=number), None

    def _face_failure(self, request: VerificationRequest, holder: Holder
                      ) -> VerificationFailure | None:
        face = request.face
        if face is None or not face.liveness_passed or face.quality < self.min_face_quality:
            return "FACE_QUALITY"
        if not _is_jpeg(face.jpeg_b64):
            return "FACE_QUALITY"
        if holder.id_number[14:17] in SOMEONE_ELSE_SEQUENCES:
            return "FACE_MISMATCH"
        return None


def _elderly(holder: Holder, today: date) -> bool:
    born = birth_date(holder.id_number)
    return born is not None and age_on(born, today) >= ELDERLY_AGE


def _is_jpeg(data_b64: str) -> bool:
    try:
        head = base64.b64decode(data_b64[:8], validate=True)
    except (binascii.Error, ValueError):
        return False
    return head.startswith(b"\xff\xd8\xff")
