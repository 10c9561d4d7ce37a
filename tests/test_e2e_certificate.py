"""Issue 7 acceptance, end to end: an SS-001 social-insurance certificate printed through the
flow on simulated card and face devices, against the real platform (EmbeddedPlatform over
HTTP, signed requests, its reference verifier and demo issuer), to the CUPS-PDF printer of a
CUPS of the tests' own. The PDF that arrives is the certificate the person saw (masked name,
verification code); its QR code opens the platform's page, which says 真实有效; a code with
one character changed is not genuine.

The CUPS filter chain rasterises what it prints, so the arrived PDF holds page images, not
text: the text is read from the certificate as issued, and the arrived pages are shown to be
those pages (same count, the same picture, and the QR code decoded from the arrived page).
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
import requests
import zxingcpp
from PIL import Image

from central.app import KnownTerminal
from central.certificates import CODE_ALPHABET
from central.server import EmbeddedPlatform
from devices.camera.simulated import SimulatedFaceCamera
from devices.printer.a4_printer import CupsA4Printer
from flows.certificate import CertificatePreviewStep, print_certificate
from flows.printing import PrintingStep
from flows.steps import BusyStep, Choose, FormFilled, MessageStep
from kiosk.citizen_services import PlatformCitizenServices, send_outbox_item
from kiosk.platform_client import PlatformClient, TerminalCredentials
from offline_cache.outbox import Outbox
from offline_cache.outbox_sync import OutboxSync
from offline_cache.sealed import Sealer, load_or_create_key
from tests.devices.printer.conftest import cups  # noqa: F401  (the session's CUPS)
from tests.flows.kiosk_harness import CARDS, Kiosk
from tests.flows.patient_ui import WAIT, PatientUi

TERMINAL = KnownTerminal("HALL-E2E-01", "东城区政务服务中心", "e2e-terminal-key-0123456789abcdef")


@pytest.fixture
def platform(tmp_path: Path):
    with EmbeddedPlatform(f"sqlite:///{tmp_path / 'central.sqlite3'}", terminals=[TERMINAL],
                          sweep_interval_s=0) as running:
        yield running


@pytest.fixture
def services(platform: EmbeddedPlatform, tmp_path: Path):
    client = PlatformClient(platform.base_url, timeout_s=10,
                            credentials=TerminalCredentials(TERMINAL.id, TERMINAL.key))
    outbox = Outbox(tmp_path / "outbox.sqlite3",
                    Sealer(load_or_create_key(tmp_path / "outbox.key")), TERMINAL.id)
    yield PlatformCitizenServices(client, OutboxSync(outbox, partial(send_outbox_item, client)))
    client.close()


def arrived(cups, before: set[Path]) -> Path:  # noqa: F811
    """The one PDF cups-pdf wrote since `before`, written to the end (it writes after the job
    is reported done)."""
    return cups.finished_pdf(lambda path: path not in before)


def page_images(pdf: bytes | Path, resolution: int = 100) -> list[Image.Image]:
    source = io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf
    with pdfplumber.open(source) as document:
        return [page.to_image(resolution=resolution).original.convert("L")
                for page in document.pages]


def likeness(a: Image.Image, b: Image.Image) -> float:
    """Correlation of two page pictures at the same small size: 1.0 is the same page."""
    x = np.asarray(a.resize((300, 424)), dtype=np.float64).ravel()
    y = np.asarray(b.resize((300, 424)), dtype=np.float64).ravel()
    return float(np.corrcoef(x, y)[0, 1])


def test_ss001_certificate_printed_to_cups_pdf_and_verified_by_its_qr(
        cups, platform, services, seed_catalog):  # noqa: F811
    face = SimulatedFaceCamera()  # blinks by itself every couple of seconds
    face.show_face()
    # busy and printing screens are watched, not answered: the person just waits there
    kiosk = Kiosk(PatientUi([], watch=(BusyStep, PrintingStep)), seed_catalog, face_camera=face,
                  a4_printer=CupsA4Printer(cups.uri))
    kiosk.platform = services  # the real platform behind the kiosk's own citizen services
    def place_card(_step):
        kiosk.id_reader.insert(CARDS["resident"])
        return WAIT

    kiosk.ui.script = [place_card,
                       WAIT,  # the face camera answers the face screen
                       FormFilled({"period": ("2025-01-01", "2025-12-31")}),
                       Choose("print"),
                       Choose("home")]
    before = set(cups.pdfs())
    try:
        kiosk.run(print_certificate, kiosk.service("SS-001"))
    finally:
        face.stop()

    done = kiosk.ui.shown[-1]
    assert isinstance(done, MessageStep) and done.tone == "success", kiosk.ui.shown[-3:]
    [preview] = kiosk.ui.of_type(CertificatePreviewStep)
    code = preview.code

    # what the platform issued says what the citizen should see, and nothing unmasked
    with pdfplumber.open(io.BytesIO(preview.pdf)) as issued:
        text = "\n".join(page.extract_text() or "" for page in issued.pages)
    assert "张*" in text and "110***********0011" in text and code in text
    assert "张三" not in text and "110101199003070011" not in text
    assert "2025年01月至2025年12月" in text

    # the PDF that arrived at the printer is that certificate, page for page
    printed = arrived(cups, before)
    sent, came = page_images(preview.pdf), page_images(printed)
    assert len(came) == len(sent)
    for original, out in zip(sent, came, strict=True):
        assert likeness(original, out) > 0.9
    codes = [r.text for r in zxingcpp.read_barcodes(page_images(printed, resolution=200)[-1])]
    assert codes == [f"http://127.0.0.1:{platform.port}/verify/{code}"]

    # the slip carries the same code and address
    slip = kiosk.receipt_printer.receipts[-1]
    assert slip.qr.payload == codes[0] and code in kiosk.receipt_printer.last_text()

    # a counter clerk scans the QR code: genuine, and what it said
    page = requests.get(codes[0], timeout=10)
    assert page.status_code == 200
    assert "真实有效" in page.text
    assert "社会保险个人参保证明" in page.text and "张*" in page.text
    assert TERMINAL.hall in page.text

    # one character changed: not genuine
    position = code.index("-") + 1
    swapped = next(c for c in CODE_ALPHABET if c != code[position])
    tampered = codes[0].replace(code, code[:position] + swapped + code[position + 1:])
    forged = requests.get(tampered, timeout=10)
    assert "未查询到该证明" in forged.text and "真实有效" not in forged.text
