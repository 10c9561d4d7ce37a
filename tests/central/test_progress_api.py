"""Progress lookup: by acceptance number, by a receipt's QR code (genuine only), by the verified
holder; status changes as timeline events; the 办结通知书 as a PDF."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

from central.app import KnownTerminal
from central.applications import StatusChangeRefused, set_status
from central.contract import (
    HEADER_VERIFICATION,
    ApplicationList,
    ApplicationProgress,
    receipt_code,
)
from central.identity.reference import LI_XIUYING, ZHANG_SAN
from tests.central.citizen import (
    APPLICATIONS,
    apply,
    good_face,
    id_card,
    qr_code,
    submission,
    verified_application,
    verify,
)
from tests.central.conftest import TEST_TERMINAL, SignAsTerminal, signed_client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def client(clocked_client):
    return clocked_client


def get_progress(client, path: str) -> ApplicationProgress:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return ApplicationProgress.model_validate_json(response.content)


def change(client, number: str, status: str, note: str = "") -> ApplicationProgress:
    with client.app.state.sessions() as session:
        answer = set_status(session, number, status, note, client.app.state.clock())
        session.commit()
    return answer


def test_an_application_by_its_number_shows_the_masked_name_and_the_timeline(client) -> None:
    accepted = verified_application(client)
    progress = get_progress(client, f"{APPLICATIONS}/{accepted.acceptance_number}")
    assert progress.applicant_masked == "张*"
    assert (progress.service_id, progress.service_name) == ("SS-015", "居住证申领")
    assert [e.status for e in progress.timeline] == ["已受理"] and progress.status == "已受理"
    assert ZHANG_SAN.name not in client.get(
        f"{APPLICATIONS}/{accepted.acceptance_number}").text


def test_an_unknown_number_is_404(client) -> None:
    response = client.get(f"{APPLICATIONS}/SL20260101000000")
    assert response.status_code == 404 and response.json()["code"] == "NOT_FOUND"


def test_a_receipt_code_finds_its_application_and_a_tampered_one_does_not(client) -> None:
    accepted = verified_application(client)
    found = get_progress(client, f"{APPLICATIONS}/by-receipt-code/{accepted.receipt_code}")
    assert found.acceptance_number == accepted.acceptance_number
    number, signature = accepted.receipt_code.split(":")[1:]
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for forged in (receipt_code(number, flipped),
                   receipt_code(number[:-1] + str((int(number[-1]) + 1) % 10), signature),
                   "ZWRC:" + number, "ZWRC::" + signature, "SL-not-a-receipt",
                   f"ZWRC:{number}:{signature} x"):  # sent as %20, signed as sent
        response = client.get(f"{APPLICATIONS}/by-receipt-code/{forged}")
        assert response.status_code == 404, forged
        assert response.json()["code"] == "NOT_FOUND"


def token(verification_id: str) -> dict[str, str]:
    return {HEADER_VERIFICATION: verification_id}


def test_the_verified_holder_sees_their_own_applications_only(client) -> None:
    first = verified_application(client)
    second = verified_application(client)
    verified_application(client, LI_XIUYING)  # someone else's
    verification = verify(client, id_card(), good_face())
    response = client.get(APPLICATIONS, headers=token(verification.verification_id))
    assert response.status_code == 200, response.text
    listed = ApplicationList.model_validate_json(response.content).applications
    assert [a.acceptance_number for a in listed] == [second.acceptance_number,
                                                    first.acceptance_number]
    assert {a.applicant_masked for a in listed} == {"张*"}


def test_the_verification_token_stays_out_of_the_url(client) -> None:
    """In the query (where proxies and access logs keep it) it is not even read."""
    verified_application(client)
    verification = verify(client, id_card(), good_face())
    in_url = client.get(APPLICATIONS, params={"verification_id": verification.verification_id})
    assert in_url.status_code == 422
    assert verification.verification_id not in in_url.text


def test_a_holder_found_through_a_citizen_code_sees_the_same_applications(client) -> None:
    accepted = verified_application(client)
    by_code = verify(client, id_card(), good_face())
    by_qr = verify(client, qr_code("DEMO-EID-ZHANGSAN"), good_face())
    for verification in (by_code, by_qr):
        response = client.get(APPLICATIONS,
                              headers=token(verification.verification_id))
        numbers = [a.acceptance_number
                   for a in ApplicationList.model_validate_json(response.content).applications]
        assert numbers == [accepted.acceptance_number]


def test_an_expired_unknown_or_foreign_verification_is_403(client, clock) -> None:
    verified_application(client)
    verification = verify(client, id_card(), good_face())
    clock.advance(31 * 60)
    expired = client.get(APPLICATIONS, headers=token(verification.verification_id))
    assert expired.status_code == 403 and expired.json()["code"] == "FORBIDDEN"
    unknown = client.get(APPLICATIONS, headers=token("made-up-token"))
    assert unknown.status_code == 403

    from central.app import KnownTerminal
    from tests.central.helpers import register

    other = KnownTerminal("TEST-0002", "另一大厅", "another-terminal-key-0123456789")
    register(client.app, other)
    fresh = verify(client, id_card(), good_face())
    foreign = client.get(APPLICATIONS, headers=token(fresh.verification_id),
                         auth=SignAsTerminal(other, clock))
    assert foreign.status_code == 403


def test_lookups_must_be_signed(client) -> None:
    accepted = verified_application(client)
    for path in (f"{APPLICATIONS}/{accepted.acceptance_number}",
                 f"{APPLICATIONS}/by-receipt-code/{accepted.receipt_code}",
                 APPLICATIONS):
        response = client.get(path, auth=None, headers=token("x"))
        assert response.status_code == 401, path


def test_status_changes_appear_in_the_timeline_with_their_notes(client) -> None:
    accepted = verified_application(client)
    number = accepted.acceptance_number
    change(client, number, "在办")
    change(client, number, "补齐补正", "请补充提交劳动合同原件扫描件")
    change(client, number, "在办")
    progress = get_progress(client, f"{APPLICATIONS}/{number}")
    assert [e.status for e in progress.timeline] == ["已受理", "在办", "补齐补正", "在办"]
    assert progress.timeline[2].note == "请补充提交劳动合同原件扫描件"
    assert progress.status == "在办" and progress.documents == []


def test_a_final_status_cannot_be_changed_and_nonsense_is_refused(client) -> None:
    number = verified_application(client).acceptance_number
    with pytest.raises(StatusChangeRefused):
        change(client, number, "已办好")
    with pytest.raises(StatusChangeRefused):
        change(client, "SL20260101000000", "在办")
    change(client, number, "不予许可", "不符合申领条件")
    with pytest.raises(StatusChangeRefused):
        change(client, number, "在办")
    assert get_progress(client, f"{APPLICATIONS}/{number}").status == "不予许可"


def test_a_finished_application_has_a_completion_notice_pdf(client) -> None:
    number = verified_application(client).acceptance_number
    change(client, number, "在办")
    change(client, number, "办结")
    progress = get_progress(client, f"{APPLICATIONS}/{number}")
    [document] = progress.documents
    assert document.name == "办结通知书"
    response = client.get(document.path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "办结通知书" in text and number in text and "张*" in text
    assert "居住证申领" in text and ZHANG_SAN.name not in text
    missing = client.get(f"{APPLICATIONS}/{number}/documents/0000")
    assert missing.status_code == 404


def test_a_document_is_only_found_under_its_own_application(client) -> None:
    first = verified_application(client).acceptance_number
    second = verified_application(client).acceptance_number
    change(client, first, "办结")
    [document] = get_progress(client, f"{APPLICATIONS}/{first}").documents
    response = client.get(f"{APPLICATIONS}/{second}/documents/{document.id}")
    assert response.status_code == 404


def test_the_cli_moves_an_application_on(tmp_path, make_app) -> None:
    url = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    app = make_app(url)
    with signed_client(app) as terminal:
        number = apply(terminal, submission(evidence=id_card(), face=good_face())
                       ).acceptance_number

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", "central", "set-status",
                               "--database-url", url, *args], cwd=ROOT, text=True,
                              capture_output=True, timeout=120)

    done = cli(number, "办结", "--note", "请到窗口领取")
    assert done.returncode == 0, done.stderr
    assert f"{number}: 办结" in done.stdout and "办结通知书" in done.stdout
    refused = cli(number, "在办")
    assert refused.returncode == 2 and "final" in refused.stderr
    with signed_client(app) as terminal:
        progress = get_progress(terminal, f"{APPLICATIONS}/{number}")
    assert progress.timeline[-1].note == "请到窗口领取"


OTHER_HALL = KnownTerminal("OTHER-0001", "另一个政务服务中心", "other-hall-key-0123456789abcdef")
SAME_HALL = KnownTerminal("SAME-0002", TEST_TERMINAL.hall, "same-hall-key-0123456789abcdef")


def test_by_number_a_terminal_sees_only_its_own_halls_applications(make_app, database_url,
                                                                   clock) -> None:
    # an acceptance number is a date and six random digits: another hall's kiosk asking by
    # number is answered as for a number that does not exist; its receipt code works anywhere
    app = make_app(database_url, clock=clock,
                   terminals=[TEST_TERMINAL, SAME_HALL, OTHER_HALL])
    with signed_client(app) as here:
        here.auth = SignAsTerminal(clock=clock)
        accepted = verified_application(here)
        by_number = f"{APPLICATIONS}/{accepted.acceptance_number}"
        by_code = f"{APPLICATIONS}/by-receipt-code/{accepted.receipt_code}"
        assert here.get(by_number, auth=SignAsTerminal(SAME_HALL, clock)).status_code == 200
        elsewhere = here.get(by_number, auth=SignAsTerminal(OTHER_HALL, clock))
        missing = here.get(f"{APPLICATIONS}/SL20260101000000",
                           auth=SignAsTerminal(OTHER_HALL, clock))
        assert (elsewhere.status_code, elsewhere.json()) == (404, missing.json())
        found = here.get(by_code, auth=SignAsTerminal(OTHER_HALL, clock))
        assert found.status_code == 200
        assert found.json()["acceptance_number"] == accepted.acceptance_number


def test_look_ups_by_number_are_limited_per_terminal(client) -> None:
    from central.app import LOOKUPS_PER_MINUTE

    answers = [client.get(f"{APPLICATIONS}/SL20261206{n:06d}").status_code
               for n in range(LOOKUPS_PER_MINUTE + 5)]
    assert answers[:LOOKUPS_PER_MINUTE] == [404] * LOOKUPS_PER_MINUTE
    assert answers[LOOKUPS_PER_MINUTE:] == [429] * 5
    refused = client.get(f"{APPLICATIONS}/SL20261206999999")
    assert int(refused.headers["Retry-After"]) > 0
    accepted = verified_application(client)  # by receipt code: not this limit
    assert client.get(f"{APPLICATIONS}/by-receipt-code/{accepted.receipt_code}"
                      ).status_code == 200
