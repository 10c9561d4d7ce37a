"""取号 over a hall's NovoSGA: its services as our groups, regular and priority tickets issued
with the configured prioridade, tokens renewed, a ticket looked up with the people ahead, and
NovoSGA down, slow, talking nonsense or flooding as the port's one error.

Against the recorded-API server `tests.kiosk.novosga_server` (built from NovoSGA's public
source, cited there): NovoSGA itself cannot be installed on the test machine."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, get_args

import pytest

from central.contract import Catalog
from central.contract.queue import PriorityReason
from common.queue_service import ServiceUnavailable
from flows.queue_ticket import DISABILITY, QUEUE_DOWN, QueueTicketStep, take_queue_ticket
from flows.steps import Choose, MessageStep
from kiosk.novosga_queue import NovoSgaQueue
from kiosk.settings import (
    ConfigError,
    DataSettings,
    NovoSgaSettings,
    QueueSettings,
    Settings,
    TerminalSettings,
    load_settings,
)
from kiosk.terminal import build_terminal
from tests.flows.kiosk_harness import Kiosk
from tests.flows.scripted_ui import ScriptedUi
from tests.kiosk.novosga_server import (
    CLIENT_ID,
    CLIENT_SECRET,
    PASSWORD,
    UNITY,
    USERNAME,
    Mode,
    NovoSgaServer,
)

# NovoSGA's prioridade ids of the recorded server: regular 1, age_70 2, pregnant 3, disability 4,
# and 5 (Agendamento) for any reason added after them
PRIORITIES = {"regular": 1, **{reason: min(number, 5) for number, reason
                               in enumerate(get_args(PriorityReason), start=2)}}


def settings_for(url: str, **changes: Any) -> NovoSgaSettings:
    raw: dict[str, Any] = {
        "url": url, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "username": USERNAME, "password": PASSWORD, "unity": UNITY, "timeout_s": 2.0,
        "groups": {"A": {"service": 1, "name": "社保医保", "window_area": "一楼 A 区 1-4 号窗口"},
                   "B": {"service": 2, "window_area": "一楼 B 区 5-8 号窗口",
                         "minutes_per_person": 10},
                   "C": {"service": 3, "window_area": "二楼"}},
        "priorities": PRIORITIES, **changes}
    return NovoSgaSettings.model_validate(raw)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def novosga() -> Iterator[NovoSgaServer]:
    server = NovoSgaServer().start()
    yield server
    server.stop()


def queue_at(server: NovoSgaServer, clock: Clock | None = None, **changes: Any) -> NovoSgaQueue:
    return NovoSgaQueue(settings_for(server.url, **changes), clock=clock or Clock())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_groups_are_the_unitys_enabled_services_with_their_waiting(novosga: NovoSgaServer) -> None:
    novosga.waiting(service=1, count=2)
    groups = asyncio.run(queue_at(novosga).groups())
    # C's service is not enabled at the unity: not offered
    assert [(g.group_id, g.name, g.window_area, g.waiting) for g in groups] == [
        ("A", "社保医保", "一楼 A 区 1-4 号窗口", 2),
        ("B", "Documentos", "一楼 B 区 5-8 号窗口", 0)]


def test_a_service_whose_numbers_are_not_one_letter_is_not_offered(
        novosga: NovoSgaServer) -> None:
    novosga.siglas[2] = "DOC"  # DOC001: not a number the ticket can carry as the panel calls it
    groups = asyncio.run(queue_at(novosga).groups())
    assert [g.group_id for g in groups] == ["A"]


def test_a_regular_ticket_is_novosgas_number_with_the_people_ahead(novosga: NovoSgaServer) -> None:
    novosga.waiting(service=2, count=3)
    ticket = asyncio.run(queue_at(novosga).take_ticket("B", None, "k" * 32))
    (sent,) = novosga.sent("/api/distribui")
    assert sent.body == {"unidade": UNITY, "servico": 2, "prioridade": 1}
    assert sent.authorization.startswith("Bearer ")
    assert (ticket.number, ticket.window_area) == ("B004", "一楼 B 区 5-8 号窗口")
    assert ticket.priority is None and not ticket.verify_at_window
    assert (ticket.people_ahead, ticket.wait_minutes, ticket.state) == (3, 30, "waiting")
    assert ticket.follow_url == "" and ticket.taken_at.tzinfo is not None


@pytest.mark.parametrize(("reason", "priority_id"), [("age_70", 2), ("pregnant", 3),
                                                     ("disability", 4)])
def test_a_priority_ticket_sends_the_configured_prioridade(
        novosga: NovoSgaServer, reason: PriorityReason, priority_id: int) -> None:
    novosga.waiting(service=1, count=4)  # regular ones: a priority ticket goes before them
    ticket = asyncio.run(queue_at(novosga).take_ticket("A", reason, "p" * 32))
    assert novosga.sent("/api/distribui")[0].body["prioridade"] == priority_id
    assert ticket.priority == reason and ticket.number == "A005"
    assert ticket.verify_at_window == (reason != "age_70")
    assert ticket.people_ahead == 0


def test_the_same_key_is_the_same_ticket_and_never_a_second_number(novosga: NovoSgaServer) -> None:
    queue = queue_at(novosga)

    async def twice():
        return (await queue.take_ticket("A", None, "s" * 32),
                await queue.take_ticket("A", None, "s" * 32))

    first, again = asyncio.run(twice())
    assert first == again and len(novosga.sent("/api/distribui")) == 1


def test_an_answer_lost_is_not_issued_again(novosga: NovoSgaServer) -> None:
    queue = queue_at(novosga, timeout_s=0.3)
    novosga.mode, novosga.slow_only = "slow", "/api/distribui"  # only the issuing answer lost
    with pytest.raises(ServiceUnavailable):
        asyncio.run(queue.take_ticket("A", None, "l" * 32))
    novosga.mode = "up"
    with pytest.raises(ServiceUnavailable) as again:
        asyncio.run(queue.take_ticket("A", None, "l" * 32))
    assert again.value.refused and again.value.health_code == "QUEUE_ANSWER_LOST"
    assert len(novosga.sent("/api/distribui")) == 1  # NovoSGA was not asked a second time


def test_an_expired_token_is_refreshed_before_asking(novosga: NovoSgaServer) -> None:
    clock = Clock()
    queue = queue_at(novosga, clock)
    asyncio.run(queue.groups())
    clock.now += 3600  # NovoSGA's expires_in has passed
    asyncio.run(queue.groups())
    grants = [r.body["grant_type"] for r in novosga.sent("/api/token")]
    assert grants == ["password", "refresh_token"]


@pytest.mark.parametrize("refresh_refusal", ["current", "before_8"])
def test_a_401_gets_a_new_token_and_the_question_asked_again(
        novosga: NovoSgaServer, refresh_refusal: Literal["current", "before_8"]) -> None:
    novosga.refresh_refusal = refresh_refusal
    queue = queue_at(novosga)
    asyncio.run(queue.groups())
    novosga.revoke_at = "/api/distribui"  # refused by the firewall: the controller never ran
    novosga.waiting(service=1)
    ticket = asyncio.run(queue.take_ticket("A", None, "r" * 32))
    assert ticket.number == "A002" and len(novosga.sent("/api/distribui")) == 2
    novosga.revoke_all()  # the refresh token too: the password grant again
    assert asyncio.run(queue.groups())
    grants = [r.body["grant_type"] for r in novosga.sent("/api/token")]
    assert grants == ["password", "refresh_token", "refresh_token", "password"]


def test_credentials_refused_say_so_without_the_password(novosga: NovoSgaServer) -> None:
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue_at(novosga, password="wrong-password").groups())
    assert caught.value.health_code == "QUEUE_AUTH_REFUSED" and caught.value.refused
    assert "invalid_grant" in str(caught.value) and "wrong-password" not in str(caught.value)
    with pytest.raises(ServiceUnavailable) as client:
        asyncio.run(queue_at(novosga, client_secret="wrong").groups())
    assert "invalid_client" in str(client.value)


def test_the_log_names_the_fault_never_the_credentials(
        novosga: NovoSgaServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    queue = queue_at(novosga)
    asyncio.run(queue.take_ticket("A", None, "g" * 32))
    novosga.revoke_all()
    with pytest.raises(ServiceUnavailable):
        asyncio.run(queue_at(novosga, password="not-the-password").groups())
    assert "POST /token: 400 invalid_grant (QUEUE_AUTH_REFUSED)" in caplog.text
    for secret in (PASSWORD, "not-the-password", CLIENT_SECRET, "Bearer"):
        assert secret not in caplog.text


def test_a_follow_url_too_long_for_a_ticket_is_a_configuration_fault(
        novosga: NovoSgaServer) -> None:
    queue = queue_at(novosga, follow_url="https://hall.example/" + "{hash}" * 8)  # 8 x 40
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue.take_ticket("A", None, "f" * 32))
    assert caught.value.health_code == "QUEUE_CONFIG" and "follow_url" in str(caught.value)


def test_a_ticket_looked_up_with_the_people_ahead_now(novosga: NovoSgaServer) -> None:
    queue = queue_at(novosga, follow_url="https://hall.example/fila/{id}?h={hash}")
    novosga.waiting(service=1, count=2)
    taken = asyncio.run(queue.take_ticket("A", None, "t" * 32))
    assert taken.people_ahead == 2
    assert taken.follow_url.startswith("https://hall.example/fila/3?h=")
    novosga.call(1)
    now = asyncio.run(queue.ticket(taken.token))
    assert now is not None and (now.number, now.people_ahead, now.state) == ("A003", 1, "waiting")
    novosga.call(3)
    called = asyncio.run(queue.ticket(taken.token))
    assert called is not None and (called.state, called.people_ahead) == ("called", 0)


def test_unknown_and_forged_tokens_are_no_ticket(novosga: NovoSgaServer) -> None:
    queue = queue_at(novosga)
    taken = asyncio.run(queue.take_ticket("A", None, "u" * 32))
    ticket_id = taken.token.split("-")[0]
    assert asyncio.run(queue.ticket("99-" + "0" * 40)) is None  # NovoSGA: 404
    assert asyncio.run(queue.ticket(f"{ticket_id}-{'0' * 40}")) is None  # not its hash
    assert asyncio.run(queue.ticket("not-a-novosga-token")) is None


def test_novosgas_own_refusal_is_service_unavailable(novosga: NovoSgaServer) -> None:
    novosga.refuse_next = "Quantidade máxima de atendimentos atingida"
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue_at(novosga).take_ticket("A", None, "x" * 32))
    assert caught.value.refused and "máxima" in str(caught.value)


def test_a_service_novosga_does_not_serve_is_refused(novosga: NovoSgaServer) -> None:
    with pytest.raises(ServiceUnavailable) as caught:  # C's service is disabled: a 500
        asyncio.run(queue_at(novosga).take_ticket("C", None, "c" * 32))
    assert caught.value.health_code == "QUEUE_ERROR"


def test_a_unity_novosga_does_not_know_is_a_configuration_fault(novosga: NovoSgaServer) -> None:
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue_at(novosga, unity=7).groups())
    assert caught.value.health_code == "QUEUE_CONFIG" and "404" in str(caught.value)


@pytest.mark.parametrize(("mode", "health_code"), [
    ("error", "QUEUE_ERROR"), ("nonsense", "QUEUE_BAD_RESPONSE"),
    ("wrong_shape", "QUEUE_BAD_RESPONSE"), ("oversize", "QUEUE_BAD_RESPONSE"),
    ("slow", "QUEUE_TIMEOUT")])
def test_a_misbehaving_novosga_is_service_unavailable(novosga: NovoSgaServer, mode: Mode,
                                                  health_code: str) -> None:
    novosga.mode = mode
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue_at(novosga, timeout_s=0.3).groups())
    assert caught.value.health_code == health_code
    assert caught.value.user_message == "排队系统暂时无法连接，请到服务台取号。"


def test_a_misbehaving_api_after_a_good_token_is_service_unavailable(
        novosga: NovoSgaServer) -> None:
    queue = queue_at(novosga)
    asyncio.run(queue.groups())
    novosga.mode = "wrong_shape"
    with pytest.raises(ServiceUnavailable):
        asyncio.run(queue.take_ticket("A", None, "w" * 32))
    assert novosga.sent("/api/distribui") == []  # the list before issuing was already nonsense


def test_novosga_down_is_service_unavailable_and_transient() -> None:
    queue = NovoSgaQueue(settings_for(f"http://127.0.0.1:{free_port()}"))
    with pytest.raises(ServiceUnavailable) as caught:
        asyncio.run(queue.take_ticket("A", "age_70", "d" * 32))
    assert caught.value.transient and caught.value.health_code == "QUEUE_UNREACHABLE"
    assert "Connection refused" in str(caught.value)


def test_the_queue_flow_with_novosga_down_sends_the_person_to_the_desk(
        seed_catalog: Catalog) -> None:
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    queue = NovoSgaQueue(settings_for(f"http://127.0.0.1:{free_port()}"))
    kiosk.ui.script = [Choose("home")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=queue)))
    (told,) = kiosk.ui.of_type(MessageStep)
    assert told.lines == (QUEUE_DOWN,)
    assert QUEUE_DOWN.render() == "排队系统暂时无法连接，请到服务台取号。"


def test_the_queue_flow_over_novosga_prints_its_number_without_a_qr(
        novosga: NovoSgaServer, seed_catalog: Catalog) -> None:
    novosga.waiting(service=1, count=2)
    kiosk = Kiosk(ScriptedUi([]), seed_catalog)
    kiosk.ui.script = [Choose("A"), Choose(DISABILITY), Choose("done")]
    kiosk.run(lambda ctx: take_queue_ticket(replace(ctx, queue=queue_at(novosga))))
    (shown,) = kiosk.ui.of_type(QueueTicketStep)
    assert (shown.number, shown.people_ahead, shown.follow_url) == ("A003", 0, "")
    assert shown.printed
    slip = kiosk.receipt_printer.last_text()
    assert "排队号 A003" in slip and "一楼 A 区 1-4 号窗口" in slip and "需窗口核验" in slip
    assert kiosk.receipt_printer.receipts[-1].qr is None  # NovoSGA has no page to follow


def test_a_terminal_configured_for_novosga_takes_its_numbers_there(
        novosga: NovoSgaServer, tmp_path: Path) -> None:
    settings = Settings(
        terminal=TerminalSettings(id="T-1", hall="大厅", key="0123456789abcdef0123"),
        data=DataSettings(dir=tmp_path),
        queue=QueueSettings(driver="novosga", novosga=settings_for(novosga.url)))
    # the platform is not there: the ticket can only have come from NovoSGA
    terminal = build_terminal(settings, f"http://127.0.0.1:{free_port()}/api/v1")
    assert terminal.queue is not None
    ticket = asyncio.run(terminal.queue.take_ticket("A", "age_70", "e" * 32))
    assert ticket.number == "A001" and ticket.priority == "age_70"
    assert novosga.sent("/api/distribui")[0].body["prioridade"] == 2
    # no platform numbers are leased or issued offline beside NovoSGA's
    assert terminal.offline_queue is None


# -- configuration -------------------------------------------------------------------------

NOVOSGA_PROFILE = """
[terminal]
id = "T-1"
hall = "大厅"
key = "0123456789abcdef0123"
[queue]
driver = "novosga"
[queue.novosga]
url = "https://sga.example.gov.cn"
client_id = "c"
client_secret = "s"
username = "u"
password = "p"
unity = 1
priorities = {{ {} }}
[queue.novosga.groups]
A = {{ service = 1, window_area = "一楼 A 区" }}
""".format(", ".join(f"{reason} = {pid}" for reason, pid in PRIORITIES.items()))


def test_a_novosga_profile_loads(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(NOVOSGA_PROFILE, encoding="utf-8")
    settings = load_settings(path)
    assert settings.queue.driver == "novosga" and settings.queue.novosga is not None
    shown = repr(settings.queue.novosga)
    assert "password=" not in shown and "client_secret=" not in shown


@pytest.mark.parametrize(("change", "says"), [
    (('driver = "novosga"', 'driver = "sga"'), "queue.driver: expected one of"),
    (("age_70 = 2, ", ""), "queue.novosga.priorities: expected a NovoSGA prioridade id"),
    (('A = { service = 1, window_area = "一楼 A 区" }', 'AB = { service = 1, window_area = "x" }'),
     "queue.novosga.groups.AB"),
    (("unity = 1\n", ""), "queue.novosga.unity: required key is missing"),
    (('driver = "novosga"', 'drive = "novosga"'), "queue.drive: unknown key"),
])
def test_a_wrong_queue_table_stops_the_kiosk_naming_the_key(tmp_path: Path, change: tuple[str, str],
                                                           says: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(NOVOSGA_PROFILE.replace(*change), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"kiosk\.toml: " + says.replace(".", r"\.")):
        load_settings(path)


def test_driver_novosga_without_its_table_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(NOVOSGA_PROFILE.split("[queue.novosga]")[0], encoding="utf-8")
    with pytest.raises(ConfigError, match=r'queue: expected a \[queue.novosga\] table'):
        load_settings(path)
