"""长辈模式 in the flows: the elder home's services, fewer decisions, truthful step counts.

The taps counted are the answers the person gives (a card placed or a face captured is no
tap): from home to the receipt of 养老金领取资格认证 (SS-005) in each mode.
"""

from __future__ import annotations

import contextlib

import pytest

from central.contract import FormField, Material, Service
from flows.certificate import CertificatePreviewStep, print_certificate
from flows.citizen import serve_citizen
from flows.declaration import declare
from flows.elder_home import DEFAULT_SERVICES, MOST, ElderHome
from flows.printing import PrintingStep
from flows.steps import (
    SUBMIT,
    BusyStep,
    Choose,
    Consented,
    ConsentStep,
    FormFilled,
    FormStep,
    GuideStep,
    HomeStep,
    Nav,
    OpenProgress,
    OpenService,
    OpenTheme,
    OpenThemes,
    Progress,
    ReceiptStep,
    ScanStep,
    Signed,
    Step,
    ThemesStep,
    ThemeStep,
)
from tests.flows.kiosk_harness import CARDS, Kiosk
from tests.flows.patient_ui import WAIT, PatientUi
from tests.flows.scripted_ui import ScriptedUi, ScriptEnded, Wait
from tests.flows.test_certificate import CATALOG, CertificatePlatform, insert

ALL = frozenset({"shared_data", "face", "materials"})


def progress_of(shown: list[Step]) -> list[Progress]:
    """The step counts as the person saw them, each screen once (a screen shown again after a
    capture or a busy moment counts once)."""
    seen: list[Progress] = []
    for step in shown:
        progress = getattr(step, "progress", None)
        if progress is not None and (not seen or seen[-1] != progress):
            seen.append(progress)
    return seen


def assert_truthful(counts: list[Progress]) -> None:
    """One total throughout, every number from 1 to it in order, none past it."""
    totals = {p.total for p in counts}
    assert len(totals) == 1, counts
    assert [p.number for p in counts] == list(range(1, counts[0].total + 1)), counts


def taps(script: list) -> int:
    return sum(1 for answer in script if not isinstance(answer, Wait))


def tile(service_id: str):
    """On the elder home: the tile of `service_id` (it must be there)."""
    def tap(step: HomeStep) -> OpenService:
        assert service_id in [t.service_id for t in step.services], step.services
        return OpenService(service_id)
    return tap


def start(step: GuideStep) -> Choose:
    assert step.start is not None, "the guide offers 开始办理"
    return Choose(step.start.key)


def ss005_to_receipt(kiosk: Kiosk, *, elder: bool) -> list:
    """The person's answers from home to the receipt of SS-005 (Wait: no tap)."""
    card = Wait(lambda step: kiosk.id_reader.insert(CARDS["elder"]))
    face = Wait()  # the camera captures by itself
    home = [tile("SS-005")] if elder else [OpenTheme("社保"), OpenService("SS-005")]
    form = [] if elder else [FormFilled({})]  # SS-005's form has only the card's values
    return [*home, start, card, face, Consented(ALL), *form, Signed(b"\x89PNG signature"),
            Choose(SUBMIT)]


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_ss005_from_home_to_receipt(seed_catalog, elder: bool) -> None:
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.session.elder_mode = elder
    kiosk.ui.script = ss005_to_receipt(kiosk, elder=elder)
    with pytest.raises(ScriptEnded):  # on the receipt, with nothing left to tap
        kiosk.run(serve_citizen)
    assert isinstance(kiosk.ui.shown[-1], ReceiptStep) and kiosk.ui.shown[-1].printed
    [submitted] = kiosk.platform.submissions
    assert submitted.service_id == "SS-005"
    assert submitted.form == {"name": "李秀英", "id_no": CARDS["elder"].id_number}
    assert bool(kiosk.ui.of_type(FormStep)) is not elder
    assert_truthful(progress_of(kiosk.ui.shown))


def test_ss005_takes_fewer_taps_in_elder_mode(seed_catalog, capsys) -> None:
    counted = {}
    for elder in (False, True):
        kiosk = Kiosk(ScriptedUi([]), seed_catalog)
        kiosk.session.elder_mode = elder
        script = ss005_to_receipt(kiosk, elder=elder)
        kiosk.ui.script = list(script)
        with pytest.raises(ScriptEnded):
            kiosk.run(serve_citizen)
        assert isinstance(kiosk.ui.shown[-1], ReceiptStep), "every answer was needed"
        counted["elder" if elder else "standard"] = taps(script)
    with capsys.disabled():
        print(f"\nSS-005 养老金领取资格认证, taps from home to receipt: "
              f"standard {counted['standard']}, elder {counted['elder']}")
    assert counted["elder"] < counted["standard"]
    assert counted == {"standard": 7, "elder": 5}


def test_the_elder_home_offers_the_halls_services_and_more_leads_to_every_theme(
        seed_catalog) -> None:
    kiosk = Kiosk(ScriptedUi([OpenThemes(), OpenTheme("社保"), Nav.BACK, Nav.HOME]),
                  seed_catalog)
    kiosk.session.elder_mode = True
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)
    home = kiosk.ui.shown[0]
    assert isinstance(home, HomeStep)
    assert [t.service_id for t in home.services] == list(DEFAULT_SERVICES)
    assert [t.name for t in home.services][:3] == ["养老金领取资格认证", "医保参保凭证打印",
                                                   "社保参保证明打印"]
    assert [t.progress for t in home.services] == [False] * 5 + [True]  # SS-090: the lookup
    kinds = [type(step) for step in kiosk.ui.shown]
    assert kinds == [HomeStep, ThemesStep, ThemeStep, ThemesStep, HomeStep]
    themes = kiosk.ui.shown[1]
    assert themes.tiles == home.tiles  # every theme, as on the standard home


def test_the_configured_list_wins_and_unknown_ids_are_left_out(seed_catalog) -> None:
    home = ElderHome(("SS-029", "SS-999", "SS-005"), most_used=lambda: ["SS-018"])
    assert [t.service_id for t in home.tiles(seed_catalog)] == ["SS-029", "SS-005"]


def test_the_halls_most_used_come_first_topped_up_from_the_default(seed_catalog) -> None:
    home = ElderHome(most_used=lambda: ["SS-018", "SS-001"])
    ids = [t.service_id for t in home.tiles(seed_catalog)]
    assert ids == ["SS-018", "SS-001", "SS-005", "SS-008", "SS-029", "SS-091"]
    assert len(ids) == MOST


def test_the_progress_tile_opens_the_lookup(seed_catalog) -> None:
    kiosk = Kiosk(ScriptedUi([OpenProgress()]), seed_catalog)
    kiosk.session.elder_mode = True
    with pytest.raises(ScriptEnded):
        kiosk.run(serve_citizen)
    assert not isinstance(kiosk.ui.shown[-1], HomeStep)  # the lookup's first screen


def with_extra_fields(service: Service) -> Service:
    """SS-005 with a mobile number to fill in, an optional field and a choice of one, as a
    hall's catalog may have them."""
    extra = [FormField(key="mobile", label="手机号码", type="tel", mask="mobile", required=True),
             FormField(key="remark", label="备注", type="text", required=False),
             FormField(key="payout", label="发放方式", type="radio", required=True,
                       options=["社保卡"])]
    return service.model_copy(update={"form_fields": [*service.form_fields, *extra]})


def with_optional_material(service: Service) -> Service:
    """SS-005 with a page that is brought only when someone else applies for the person."""
    proxy = Material(name="授权委托书（委托他人代办时）", source="申请人自备", shared=False,
                     type="原件", form="纸质", copies=0, required=False,
                     tolerance_missing=False)
    return service.model_copy(update={"materials": [*service.materials, proxy]})


def identified(kiosk: Kiosk) -> list:
    return [Wait(lambda step: kiosk.id_reader.insert(CARDS["elder"])), Wait()]


@pytest.mark.parametrize("elder", [False, True], ids=["standard", "elder"])
def test_elder_mode_asks_only_what_must_be_filled_in(seed_catalog, elder: bool) -> None:
    service = with_extra_fields(seed_catalog.service("SS-005"))
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.session.elder_mode = elder
    kiosk.ui.script = [*identified(kiosk), Consented(ALL), FormFilled({"mobile": "13812345678"}),
                       Signed(b"\x89PNG signature"), Choose(SUBMIT)]
    with pytest.raises(ScriptEnded):
        kiosk.run(declare, service)
    [form] = kiosk.ui.of_type(FormStep)
    shown = [f.key for f in form.fields]
    if elder:
        assert shown == ["mobile"]
    else:
        assert shown == ["name", "id_no", "mobile", "remark", "payout"]
    [submitted] = kiosk.platform.submissions
    assert submitted.form["mobile"] == "13812345678"
    assert submitted.form["payout"] == "社保卡"  # the only choice, made for them
    assert "remark" not in submitted.form
    assert_truthful(progress_of(kiosk.ui.shown))


def test_elder_mode_asks_for_the_address_beside_the_choice_of_delivery(seed_catalog) -> None:
    """SS-004: 邮寄地址 is optional in the catalog, but needed once 邮寄到家 is chosen; the
    catalog cannot say so, so elder mode asks it beside the choice instead of leaving it out."""
    service = seed_catalog.service("SS-004")
    assert {"delivery", "mail_addr"} <= {f.key for f in service.form_fields}
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.session.elder_mode = True
    kiosk.ui.script = [*identified(kiosk), Consented(ALL)]
    with contextlib.suppress(ScriptEnded):
        kiosk.run(declare, service)
    [form] = kiosk.ui.of_type(FormStep)
    shown = [f.key for f in form.fields]
    assert "delivery" in shown and "mail_addr" in shown


def test_a_refused_scan_consent_takes_the_pages_out_of_the_count(seed_catalog) -> None:
    service = with_optional_material(seed_catalog.service("SS-005"))
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [*identified(kiosk), Consented(frozenset({"shared_data", "face"})),
                       FormFilled({}), Signed(b"\x89PNG signature"), Choose(SUBMIT)]
    with pytest.raises(ScriptEnded):
        kiosk.run(declare, service)
    counts = progress_of(kiosk.ui.shown)
    assert counts == [Progress(1, 6), Progress(2, 6), Progress(3, 5), Progress(4, 5),
                      Progress(5, 5)]


def test_elder_mode_does_not_ask_for_a_page_that_is_not_required(seed_catalog) -> None:
    service = with_optional_material(seed_catalog.service("SS-005"))
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.session.elder_mode = True
    kiosk.ui.script = [*identified(kiosk), Consented(frozenset({"shared_data", "face"})),
                       Signed(b"\x89PNG signature"), Choose(SUBMIT)]
    with pytest.raises(ScriptEnded):
        kiosk.run(declare, service)
    [consent] = kiosk.ui.of_type(ConsentStep)
    assert "materials" not in [item.key for item in consent.items]
    assert not kiosk.ui.of_type(ScanStep)
    assert_truthful(progress_of(kiosk.ui.shown))
    assert progress_of(kiosk.ui.shown)[-1] == Progress(4, 4)


@pytest.fixture
def certificate_kiosk() -> Kiosk:
    ui = PatientUi([], watch=(BusyStep, PrintingStep))
    return Kiosk(ui=ui, catalog=CATALOG, platform=CertificatePlatform())


def test_an_elder_certificate_is_issued_with_the_defaults_and_back_changes_them(
        certificate_kiosk: Kiosk) -> None:
    kiosk = certificate_kiosk
    kiosk.session.elder_mode = True
    kiosk.ui.script = [insert(kiosk, CARDS["elder"]), WAIT, Nav.BACK,
                       FormFilled({"insurance_types": ("企业职工基本养老保险",)}),
                       Choose("print"), Choose("home")]
    kiosk.run(print_certificate, CATALOG.service("SS-001"))
    first, second = kiosk.platform.requests
    types = next(f for f in CATALOG.service("SS-001").form_fields if f.key == "insurance_types")
    assert first.options == {"period": ["2025-11-01", "2026-10-31"],  # the last 12 months
                             "insurance_types": types.options}  # and every type
    assert second.options["insurance_types"] == ["企业职工基本养老保险"]
    [options] = kiosk.ui.of_type(FormStep)  # asked only after 返回 from the preview
    assert options.progress == Progress(2, 5)
    previews = kiosk.ui.of_type(CertificatePreviewStep)
    assert [p.progress for p in previews] == [Progress(3, 4), Progress(4, 5)]
    assert len(kiosk.a4_printer.previews) == 1


def test_a_certificate_without_options_counts_four_steps(certificate_kiosk: Kiosk) -> None:
    kiosk = certificate_kiosk  # SS-008 has nothing to choose, in either mode
    kiosk.ui.script = [insert(kiosk, CARDS["resident"]), WAIT, Choose("print"), Choose("home")]
    kiosk.run(print_certificate, CATALOG.service("SS-008"))
    assert_truthful(progress_of(kiosk.ui.shown))
    assert progress_of(kiosk.ui.shown)[-1] == Progress(4, 4)
