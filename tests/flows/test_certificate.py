"""The certificate flow without Qt: card → face → options → the platform issues → preview →
A4 → slip with the verification code. Refusals and a platform that is down print nothing; a
certificate whose A4 print failed gets no slip.

The platform's identity check is the harness's fake; the certificate itself comes from the
platform's own development-only issuer (`central.certificates.DemoIssuer`), run in process, so
the PDF on the simulated printer is a real certificate."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field, replace

import pdfplumber
import pytest

from central.certificates import CertificateOrder, DemoIssuer, Refusal, new_code
from central.contract import CertificateRequest, Service
from central.identity.id_number import check_character
from devices.printer.receipt import Receipt
from flows.certificate import CertificatePreviewStep, print_certificate
from flows.printing import PrintingStep
from flows.steps import (
    BusyStep,
    Choose,
    FormFilled,
    FormStep,
    IdentityStep,
    MessageStep,
    Nav,
)
from kiosk.platform_client import (
    CERTIFICATE_NEEDS_NETWORK,
    CertificateNotIssued,
    IssuedCertificate,
    PlatformErrorKind,
)
from tests.conftest import load_seed_catalog
from tests.flows.kiosk_harness import CARDS, NOW, FakePlatform, Kiosk
from tests.flows.patient_ui import WAIT, For, PatientUi

CATALOG = load_seed_catalog()
VERIFY = "https://zwfw.example.gov.cn/verify/"


@dataclass
class CertificatePlatform(FakePlatform):
    """The fake platform, issuing certificates with the platform's demo issuer."""

    issued: list[IssuedCertificate] = field(default_factory=list)
    requests: list[CertificateRequest] = field(default_factory=list)

    async def issue_certificate(self, request: CertificateRequest,
                                idempotency_key: str) -> IssuedCertificate:
        self.requests.append(request)
        await asyncio.sleep(0)
        if self.down:
            raise CertificateNotIssued(PlatformErrorKind.UNREACHABLE, "connection refused",
                                       reason=CERTIFICATE_NEEDS_NETWORK)
        service = CATALOG.service(request.service_id)
        assert service is not None
        code = new_code()
        result = DemoIssuer().issue(CertificateOrder(
            service=service, holder=request.holder, options=request.options, code=code,
            verify_url=VERIFY + code, issued_at=NOW))
        if isinstance(result, Refusal):
            raise CertificateNotIssued(PlatformErrorKind.CLIENT_ERROR, result.code, 422,
                                       reason=result.reason, advice=result.advice)
        issued = IssuedCertificate(code, result.title, VERIFY + code, NOW, result.pdf)
        self.issued.append(issued)
        return issued


def card_with_no_records():
    """A made-up holder whose 17th character is 7: the demo issuer has no records for them."""
    first17 = "11010119851201017"
    return replace(CARDS["resident"], name="王小明", id_number=first17 + check_character(first17))


def insert(kiosk: Kiosk, card):
    """On the identity screen: the card on the reader, then wait for the flow to move on."""
    def place(_step):
        kiosk.id_reader.insert(card)
        return WAIT
    return place


def remove_card(kiosk: Kiosk):
    def take(_step):
        kiosk.id_reader.remove()
        return WAIT
    return take


def text_of(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


@pytest.fixture
def kiosk() -> Kiosk:
    # busy and printing screens are watched, not answered: the person just waits there
    ui = PatientUi([], watch=(BusyStep, PrintingStep))
    return Kiosk(ui=ui, catalog=CATALOG, platform=CertificatePlatform())


def ss001() -> Service:
    service = CATALOG.service("SS-001")
    assert service is not None
    return service


def test_ss001_printed_on_a4_then_a_slip_with_the_verification_code(kiosk: Kiosk) -> None:
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT,  # card, then the face
                       FormFilled({"insurance_types": ("企业职工基本养老保险", "失业保险")}),
                       Choose("print"), Choose("home")]
    kiosk.run(print_certificate, ss001())

    form = kiosk.ui.of_type(FormStep)[0]
    shown = {f.key: f for f in form.fields}
    assert shown["name"].locked and shown["name"].value == "张*"
    assert shown["id_no"].locked and shown["id_no"].value == "110***********0011"
    assert shown["period"].value == ("2025-11-01", "2026-10-31")  # the last 12 full months
    [request] = kiosk.platform.requests
    assert request.holder.id_number == "110101199003070011"
    assert request.options == {"period": ["2025-11-01", "2026-10-31"],
                               "insurance_types": ["企业职工基本养老保险", "失业保险"]}

    [certificate] = kiosk.platform.issued
    [preview] = kiosk.ui.of_type(CertificatePreviewStep)
    assert preview.code == certificate.code and preview.pdf == certificate.pdf
    assert preview.masked_name == "张*"

    [printed] = kiosk.a4_printer.previews
    text = text_of(printed.preview)
    assert "张*" in text and certificate.code in text and "张三" not in text
    assert "失业保险" in text and "工伤保险" not in text
    slip = kiosk.receipt_printer.last_text()
    assert certificate.code in slip and "张*" in slip
    assert kiosk.receipt_printer.receipts[-1].qr.payload == certificate.verify_url
    done = kiosk.ui.shown[-1]
    assert isinstance(done, MessageStep) and done.tone == "success"
    assert any(certificate.code in line.render() for line in done.lines)
    assert kiosk.counts.count("services") == 1 and kiosk.counts.count("prints") == 2


def test_no_records_says_why_and_what_to_do_and_prints_nothing(kiosk: Kiosk) -> None:
    kiosk.ui.script = [insert(kiosk, card_with_no_records()), WAIT, FormFilled({}),
                       Choose("home")]
    kiosk.run(print_certificate, ss001())

    refusal = kiosk.ui.shown[-1]
    assert isinstance(refusal, MessageStep) and refusal.title.render() == "未能开具证明"
    words = " ".join(line if isinstance(line, str) else line.render() for line in refusal.lines)
    assert "没有查询到您的参保记录" in words and "12333" in words
    assert not kiosk.ui.of_type(CertificatePreviewStep)
    assert not kiosk.a4_printer.previews and not kiosk.receipt_printer.receipts
    assert "services" not in kiosk.counts and "prints" not in kiosk.counts


def test_platform_down_says_a_certificate_needs_the_network_and_prints_nothing(kiosk) -> None:
    # verified a moment ago; the network dropped before the certificate was asked for
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, FormFilled({}),
                       Choose("home")]

    original = kiosk.platform.issue_certificate

    async def goes_down(request, key):
        kiosk.platform.down = True
        return await original(request, key)

    kiosk.platform.issue_certificate = goes_down
    kiosk.run(print_certificate, ss001())

    message = kiosk.ui.shown[-1]
    assert isinstance(message, MessageStep)
    words = " ".join(line if isinstance(line, str) else line.render() for line in message.lines)
    assert "证明需要联网开具，请稍后再试或到窗口办理" in words
    assert not kiosk.a4_printer.previews and not kiosk.receipt_printer.receipts
    assert "prints" not in kiosk.counts


def test_offline_kiosk_refuses_before_asking_for_a_card(kiosk: Kiosk) -> None:
    kiosk.status.online = False
    kiosk.ui.script = [Choose("home")]
    kiosk.run(print_certificate, ss001())
    assert not kiosk.ui.of_type(IdentityStep)
    assert kiosk.ui.shown[0].title.render() == "网络中断，暂不能开具证明"


def test_a_certificate_whose_a4_print_failed_gets_no_slip(kiosk: Kiosk) -> None:
    kiosk.a4_printer.run_out_of_paper()
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, FormFilled({}),
                       Choose("print"), Choose("stop"), Choose("home")]
    kiosk.run(print_certificate, ss001())

    assert not kiosk.a4_printer.previews
    assert not kiosk.receipt_printer.receipts  # the slip would say "printed"
    assert "prints" not in kiosk.counts
    told = [s for s in kiosk.ui.of_type(MessageStep) if s.tone in ("warning", "error")]
    assert any("打印机没纸了" in (line if isinstance(line, str) else line.render())
               for step in told for line in step.lines)


def test_paper_loaded_after_a_fault_prints_the_certificate_once_then_the_slip(kiosk) -> None:
    kiosk.a4_printer.run_out_of_paper()

    def load_paper(_step):
        kiosk.a4_printer.load_paper()
        return WAIT  # 继续打印 is offered once the printer says it has paper

    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, FormFilled({}),
                       Choose("print"), load_paper, Choose("resume"), Choose("home")]
    kiosk.run(print_certificate, ss001())

    assert len(kiosk.a4_printer.previews) == 1
    pages = {sheet.page for sheet in kiosk.a4_printer.sheets}
    assert len(kiosk.a4_printer.sheets) == len(pages)  # no page came out twice
    assert len(kiosk.receipt_printer.receipts) == 1
    assert kiosk.counts.count("prints") == 2


def test_back_on_the_preview_changes_the_options_and_nothing_is_printed(kiosk) -> None:
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, FormFilled({}),
                       Nav.BACK, Nav.HOME]
    kiosk.run(print_certificate, ss001())
    assert len(kiosk.ui.of_type(FormStep)) == 2  # back at the options
    assert not kiosk.a4_printer.previews and not kiosk.receipt_printer.receipts


def test_services_without_options_go_straight_to_the_certificate(kiosk) -> None:
    service = CATALOG.service("SS-010")  # 公积金缴存证明: nothing to choose
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, Choose("print"),
                       Choose("home")]
    kiosk.run(print_certificate, service)
    assert not kiosk.ui.of_type(FormStep)
    assert "住房公积金缴存证明" in text_of(kiosk.a4_printer.previews[0].preview)
    assert isinstance(kiosk.receipt_printer.receipts[0], Receipt)


def test_busy_and_printing_screens_are_shown_in_order(kiosk) -> None:
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, FormFilled({}),
                       Choose("print"), Choose("home")]
    kiosk.run(print_certificate, ss001())
    kinds = [type(step) for step in kiosk.ui.shown]
    issue = next(i for i, s in enumerate(kiosk.ui.shown)
                 if isinstance(s, BusyStep) and "开具" in s.message.render())
    assert kinds.index(CertificatePreviewStep) > issue
    assert kinds.index(PrintingStep) > kinds.index(CertificatePreviewStep)


def test_the_guide_offers_certificates_only_for_certificate_services(kiosk) -> None:
    from flows.browse import FlowStarts
    from flows.citizen import SERVICE_FLOWS, SERVICE_TAKES, START_LABELS

    starts = FlowStarts(kiosk.context(), SERVICE_FLOWS, None, START_LABELS, SERVICE_TAKES)

    def start(service_id: str):
        service = CATALOG.service(service_id)
        assert service is not None
        return starts.choice(service, offline=False)

    for certificate in ("SS-001", "SS-008", "SS-010", "SS-023"):
        choice = start(certificate)
        assert choice is not None and choice.key == "打印", certificate
        assert choice.label.render() == "开具并打印"
    assert start("SS-017").key == "自助申报"  # an application that prints its result later
    assert start("SS-090") is None  # progress lookup prints results from home's 进度查询


def test_taking_the_card_before_printing_ends_the_visit_and_prints_nothing(kiosk) -> None:
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT,
                       remove_card(kiosk)]  # on the options form
    reminder = kiosk.run(print_certificate, ss001())
    assert reminder is not None and "取走证件" in reminder.render()
    assert not kiosk.platform.requests
    assert not kiosk.a4_printer.previews and not kiosk.receipt_printer.receipts


def test_taking_the_card_while_it_prints_still_gives_the_certificate_and_slip(kiosk) -> None:
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, FormFilled({}),
                       Choose("print"), For(PrintingStep, remove_card(kiosk)),
                       Choose("home")]
    kiosk.run(print_certificate, ss001())
    assert len(kiosk.a4_printer.previews) == 1 and len(kiosk.receipt_printer.receipts) == 1
    assert kiosk.counts.count("prints") == 2
