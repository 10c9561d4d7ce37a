"""The queue port (`common.queue_service`) over a hall's NovoSGA server (novosga.org), the
open-source queue system, through its REST API (NovoSGA 2.x, `src/Controller/Api` of
github.com/novosga/novosga):

    POST /api/token                         OAuth2 password grant (and refresh_token), form
    GET  /api/unidades/{unity}/servicos     the unity's enabled services (ServicoUnidade)
    GET  /api/unidades/{unity}/atendimentos the unity's tickets of the day (Atendimento)
    POST /api/distribui                     issue a ticket: {unidade, servico, prioridade}
    GET  /api/atendimentos/{id}             one ticket

No personal data goes to NovoSGA: the ticket request names no cliente. Our groups are NovoSGA
services named by configuration (`[queue.novosga]`: a letter, a window area, a service id), our
priority reasons NovoSGA prioridade ids. A ticket's token is
"<atendimento id>-<its hash>" (NovoSGA's sha1 of id and arrival), so tokens cannot be guessed
and a lookup of an id NovoSGA reused after its daily reset is no ticket of ours. The number is
NovoSGA's own (sigla and number, as its panel calls it): a priority ticket keeps its service's
sequence there, so no "P" is added here.

People ahead: NovoSGA's /api/filas/{unity} is the queue of the asking user's own services (an
attendant's desk), so they are counted from the unity's tickets of the day as NovoSGA's default
ordering puts them (`DefaultQueueOrderingHandler`: priority weight first): the waiting
('emitida') tickets of the same service with a higher priority weight, or the same weight and
issued before. A hall may plug in its own ordering there, so this is an estimate; the wait is
people ahead times the group's minutes per person. For a new ticket the list is fetched before
issuing, so a list that cannot be had never costs a person a number already issued.

No second number for a lost answer: NovoSGA takes no idempotency key. The POST that issues is
never repeated once it may have been sent; it is tried again only when the connection itself
could not be made (nothing reached NovoSGA), or after a 401 (NovoSGA's firewall refused the
token before the controller ran). A key whose answer was lost is remembered and refused when
asked again (the person takes a number at the desk) rather than issued twice; a key answered
gives the same ticket again.

Everything that goes wrong (no connection, too slow, 5xx, credentials refused, an answer that
is not what NovoSGA's source serialises, a body over its bound) is `ServiceUnavailable` with a
plain reason for the log; credentials and tokens are never logged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Literal, TypeVar, cast

import requests
import urllib3.exceptions
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from central.contract.queue import (
    DECLARED_REASONS,
    PriorityReason,
    QueueGroup,
    Ticket,
    TicketState,
)
from common.citizen_services import ServiceUnavailable
from common.i18n import QT_TR_NOOP
from kiosk.http_body import BodyRefused, network_reason, read_bounded
from kiosk.settings import NovoSgaGroup, NovoSgaSettings

log = logging.getLogger(__name__)

M = TypeVar("M")
SMALL_BODY = 64 * 1024  # a token, a ticket
LIST_BODY = 4 * 1024 * 1024  # the unity's tickets of a day: ~600 bytes each
MAX_TICKETS = 5000  # in one answer: a day of a busy hall
MAX_SERVICES = 500
REMEMBERED_KEYS = 64
TOKEN_MARGIN_S = 30  # a token this close to expiry is renewed first
TOKEN = re.compile(r"^(\d{1,18})-([0-9a-f]{40})$")
NUMBER = re.compile(r"^[A-Z]\d{3,4}$")
# NovoSGA's ticket states (AtendimentoServiceInterface) as ours
STATES: Mapping[str, TicketState] = {
    "emitida": "waiting", "chamado": "called", "iniciado": "called", "encerrado": "served",
    "nao_compareceu": "gone", "cancelada": "gone", "erro_triagem": "gone",
}
USER_MESSAGE = QT_TR_NOOP("排队系统暂时无法连接，请到服务台取号。")


class QueueDown(ServiceUnavailable):
    """NovoSGA could not be asked, or answered what cannot be used."""

    def __init__(self, reason: str, health_code: str = "QUEUE_UNREACHABLE", *,
                 transient: bool = False, refused: bool = False) -> None:
        super().__init__(f"NovoSGA: {reason}", user_message=USER_MESSAGE,
                         health_code=health_code, transient=transient, refused=refused)


# -- NovoSGA's answers, as its entities' jsonSerialize() write them; extra fields ignored ------

class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _TokenAnswer(_Answer):  # league/oauth2-server's BearerTokenResponse
    access_token: str = Field(min_length=1, max_length=8192)
    expires_in: int = Field(ge=0, le=10**8)
    refresh_token: str | None = Field(default=None, max_length=8192)


class _Servico(_Answer):
    id: int
    nome: str = Field(max_length=200)


class _ServicoUnidade(_Answer):
    sigla: str = Field(max_length=3)
    ativo: bool
    servico: _Servico


class _Senha(_Answer):
    sigla: str = Field(max_length=3)
    numero: int = Field(ge=0)
    format: str = Field(default="", max_length=20)


class _Prioridade(_Answer):
    id: int
    peso: int


class _Atendimento(_Answer):
    id: int = Field(ge=1, le=10**18 - 1)
    senha: _Senha
    servico: _Servico
    prioridade: _Prioridade
    status: str = Field(max_length=40)
    dataChegada: datetime  # NovoSGA's field name
    hash: str = Field(pattern=r"^[0-9a-f]{40}$")


class _Waiting(_Answer):  # the fields of a day's ticket the count needs
    id: int
    servico: _Servico
    prioridade: _Prioridade
    status: str = Field(max_length=40)


_SERVICES = TypeAdapter(Annotated[list[_ServicoUnidade], Field(max_length=MAX_SERVICES)])
_ATENDIMENTO = TypeAdapter(_Atendimento)
_TOKEN_ANSWER = TypeAdapter(_TokenAnswer)
_TICKETS = TypeAdapter(Annotated[list[_Waiting], Field(max_length=MAX_TICKETS)])


class NovoSgaQueue:
    def __init__(self, settings: NovoSgaSettings, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._api = settings.url.rstrip("/") + "/api"
        self._clock = clock
        self._http = requests.Session()
        self._lock = threading.Lock()  # one conversation at a time: the token is shared
        self._access: str | None = None
        self._refresh: str | None = None
        self._expires_at = 0.0
        self._answered: OrderedDict[str, Ticket | None] = OrderedDict()  # None: answer lost
        self._group_of = {g.service: letter for letter, g in settings.groups.items()}
        self._reason_of = {pid: reason for reason, pid in settings.priorities.items()}

    async def groups(self) -> list[QueueGroup]:
        return await asyncio.to_thread(self._locked, self._groups)

    async def take_ticket(self, group_id: str, priority: PriorityReason | None,
                          idempotency_key: str) -> Ticket:
        return await asyncio.to_thread(self._locked, self._take, group_id, priority,
                                       idempotency_key)

    async def ticket(self, token: str) -> Ticket | None:
        return await asyncio.to_thread(self._locked, self._lookup, token)

    def _locked(self, call: Callable[..., M], *args: object) -> M:
        with self._lock:
            try:
                return call(*args)
            except QueueDown as exc:  # the installer's one line: the flow only says "desk"
                log.warning("%s (%s)", exc, exc.health_code)
                raise

    # -- the three questions -------------------------------------------------------------

    def _groups(self) -> list[QueueGroup]:
        unity = self._settings.unity
        enabled = {su.servico.id: su for su in self._get(f"/unidades/{unity}/servicos",
                                                         _SERVICES, LIST_BODY)
                   if su.ativo}
        tickets = self._day_tickets()
        groups = []
        for letter, group in sorted(self._settings.groups.items()):
            service = enabled.get(group.service)
            if service is None:
                log.warning("NovoSGA: service %d of group %s is not enabled at unity %d",
                            group.service, letter, unity)
                continue
            if not re.fullmatch(r"[A-Z]", service.sigla):
                # its numbers (AB001) could not be printed as NovoSGA's panel calls them
                log.warning("NovoSGA: service %d of group %s has the sigla %r, not one capital "
                            "letter: not offered", group.service, letter, service.sigla)
                continue
            waiting = sum(1 for t in tickets
                          if t.status == "emitida" and t.servico.id == group.service)
            groups.append(QueueGroup(group_id=letter, name=self._name(group, service.servico),
                                     window_area=group.window_area, waiting=waiting))
        return groups

    def _take(self, group_id: str, priority: PriorityReason | None, key: str) -> Ticket:
        if key in self._answered:
            if (known := self._answered[key]) is not None:
                return known
            raise QueueDown("the answer to this ticket request was lost: not issued again",
                            "QUEUE_ANSWER_LOST", refused=True)
        group = self._settings.groups.get(group_id)
        if group is None:
            raise QueueDown(f"no group {group_id!r} configured", "QUEUE_CONFIG", refused=True)
        tickets = self._day_tickets()  # before issuing: see the module's docstring
        body = {"unidade": self._settings.unity, "servico": group.service,
                "prioridade": self._settings.priorities[priority or "regular"]}
        self._remember(key, None)
        issued = self._call("POST", "/distribui", json_body=body, limit=SMALL_BODY)
        if isinstance(issued, dict) and "error" in issued and "id" not in issued:
            # TriagemController::distribui's no (no such priority, the maximum reached)
            raise QueueDown(f"POST /distribui refused: {str(issued['error'])[:200]}",
                            "QUEUE_REFUSED", refused=True)
        answer = _parsed(issued, "POST /distribui", _ATENDIMENTO)
        ticket = self._ticket(answer, group_id, group, _ahead(answer, tickets))
        self._remember(key, ticket)
        return ticket

    def _lookup(self, token: str) -> Ticket | None:
        shape = TOKEN.fullmatch(token)
        if shape is None:
            return None
        found = self._call("GET", f"/atendimentos/{int(shape[1])}", limit=SMALL_BODY,
                           missing_is_none=True)
        if found is None:
            return None  # NovoSGA knows no such ticket (404), e.g. after its daily reset
        answer = _parsed(found, "GET /atendimentos/{id}", _ATENDIMENTO)
        group_id = self._group_of.get(answer.servico.id)
        if answer.hash != shape[2] or group_id is None:
            return None  # an id reused after NovoSGA's daily reset, or not a ticket of ours
        ahead = (_ahead(answer, self._day_tickets()) if answer.status == "emitida" else 0)
        return self._ticket(answer, group_id, self._settings.groups[group_id], ahead)

    # -- mapping ---------------------------------------------------------------------------

    def _ticket(self, answer: _Atendimento, group_id: str, group: NovoSgaGroup,
                ahead: int) -> Ticket:
        number = answer.senha.format or f"{answer.senha.sigla}{answer.senha.numero:03d}"
        if not NUMBER.fullmatch(number):
            # the service's sigla in NovoSGA is not one capital letter: an installer's fix
            raise QueueDown(f"ticket number {number[:20]!r} is not a letter and 3-4 digits",
                            "QUEUE_BAD_RESPONSE")
        reason = self._reason_of.get(answer.prioridade.id, "regular")
        priority = None if reason == "regular" else cast("PriorityReason", reason)
        template = self._settings.follow_url
        try:
            return Ticket(
                number=number, group_id=group_id, group_name=self._name(group, answer.servico),
                window_area=group.window_area, priority=priority,
                verify_at_window=priority in DECLARED_REASONS, people_ahead=ahead,
                wait_minutes=ahead * group.minutes_per_person,
                state=STATES.get(answer.status, "gone"),
                taken_at=answer.dataChegada.astimezone(),  # NovoSGA's local time, the hall's
                token=f"{answer.id}-{answer.hash}",
                follow_url=template.format(id=answer.id, hash=answer.hash) if template else "")
        except ValidationError as exc:  # e.g. a follow_url template that makes it too long
            where = ".".join(str(part) for part in exc.errors()[0]["loc"])
            raise QueueDown(f"ticket {number} does not fit the contract at {where}",
                            "QUEUE_CONFIG") from None

    @staticmethod
    def _name(group: NovoSgaGroup, service: _Servico) -> str:
        return group.name or service.nome[:40]

    def _day_tickets(self) -> list[_Waiting]:
        return self._get(f"/unidades/{self._settings.unity}/atendimentos", _TICKETS, LIST_BODY)

    def _remember(self, key: str, ticket: Ticket | None) -> None:
        self._answered[key] = ticket
        self._answered.move_to_end(key)
        while len(self._answered) > REMEMBERED_KEYS:
            self._answered.popitem(last=False)

    # -- HTTP ------------------------------------------------------------------------------

    def _get(self, path: str, shape: TypeAdapter[M], limit: int) -> M:
        return _parsed(self._call("GET", path, limit=limit), f"GET {path}", shape)

    def _call(self, method: Literal["GET", "POST"], path: str, *,
              json_body: dict[str, int] | None = None, limit: int,
              missing_is_none: bool = False) -> object:
        """The JSON answer of an API route, with a token renewed once if NovoSGA says 401;
        None for a 404 when `missing_is_none` (NotFoundHttpException: no such entity)."""
        for attempt in (1, 2):
            status, body = self._send(method, self._api + path, limit,
                                      headers={"Authorization": f"Bearer {self._token()}"},
                                      json_body=json_body)
            if status == 401 and attempt == 1:
                self._access = None  # refused before the controller ran: safe to send again
                continue
            if status == 401:
                raise QueueDown(f"{method} {path}: 401 with a new token",
                                "QUEUE_AUTH_REFUSED", refused=True)
            if status == 404 and missing_is_none:
                return None
            if status == 404:  # no such unity, or a NovoSGA without this route
                raise QueueDown(f"{method} {path}: 404", "QUEUE_CONFIG", refused=True)
            if status >= 500:
                raise QueueDown(f"{method} {path}: {status}", "QUEUE_ERROR", transient=True)
            if status != 200:
                raise QueueDown(f"{method} {path}: {status}", "QUEUE_ERROR", refused=True)
            return _json(body, f"{method} {path}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _token(self) -> str:
        if self._access is not None and self._clock() < self._expires_at - TOKEN_MARGIN_S:
            return self._access
        s = self._settings
        form = {"client_id": s.client_id, "client_secret": s.client_secret}
        answer: _TokenAnswer | None = None
        if self._refresh is not None:
            answer = self._grant({**form, "grant_type": "refresh_token",
                                  "refresh_token": self._refresh}, quiet=True)
        if answer is None:
            answer = self._grant({**form, "grant_type": "password", "username": s.username,
                                  "password": s.password}, quiet=False)
        assert answer is not None  # a refused password grant raised
        self._access, self._refresh = answer.access_token, answer.refresh_token
        self._expires_at = self._clock() + answer.expires_in
        return self._access

    def _grant(self, form: dict[str, str], *, quiet: bool) -> _TokenAnswer | None:
        """A token, or None for a refused refresh (`quiet`): the password grant follows."""
        status, body = self._send("POST", self._api + "/token", SMALL_BODY, form=form)
        if status == 200:
            return _parsed(_json(body, "POST /token"), "POST /token", _TOKEN_ANSWER)
        if status >= 500:
            raise QueueDown(f"POST /token: {status}", "QUEUE_ERROR", transient=True)
        if quiet and status in (400, 401):
            return None
        raise QueueDown(f"POST /token: {status} {_oauth_error(body)}", "QUEUE_AUTH_REFUSED",
                        refused=True)

    def _send(self, method: str, url: str, limit: int, *, headers: dict[str, str] | None = None,
              json_body: dict[str, int] | None = None,
              form: dict[str, str] | None = None) -> tuple[int, bytes]:
        """Status and body. Sent again once only when no connection could be made."""
        timeout = self._settings.timeout_s
        what = f"{method} {url.removeprefix(self._api)}"
        for attempt in (1, 2):
            try:
                with self._http.request(method, url, headers=headers, json=json_body,
                                        data=form, timeout=(timeout, timeout), stream=True,
                                        allow_redirects=False) as response:
                    body = _bounded(response, limit, time.monotonic() + timeout * 2, what)
                    return response.status_code, body
            except requests.ConnectionError as exc:
                if attempt == 1 and _not_connected(exc):
                    continue
                raise QueueDown(f"{what}: {network_reason(exc)}", transient=True) from None
            except (requests.Timeout, urllib3.exceptions.ReadTimeoutError):
                raise QueueDown(f"{what}: no answer in {timeout:g} s", "QUEUE_TIMEOUT",
                                transient=True) from None
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError) as exc:
                # the body is read from urllib3 directly: its errors come unwrapped
                raise QueueDown(f"{what}: {network_reason(exc)}", transient=True) from None
        raise QueueDown(f"{what}: no connection")


def _bounded(response: requests.Response, limit: int, deadline: float, what: str) -> bytes:
    """The body, at most `limit` bytes, arrived by `deadline` (a trickle is a timeout)."""
    try:
        return read_bounded(response, limit, deadline)
    except BodyRefused as exc:
        if exc.why == "too_large":
            raise QueueDown(f"{what}: {exc}", "QUEUE_BAD_RESPONSE") from None
        raise QueueDown(f"{what}: {exc}", "QUEUE_TIMEOUT", transient=True) from None


def _json(body: bytes, what: str) -> object:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise QueueDown(f"{what}: not JSON", "QUEUE_BAD_RESPONSE") from None


def _parsed(answer: object, what: str, shape: TypeAdapter[M]) -> M:
    try:
        return shape.validate_python(answer)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise QueueDown(f"{what}: not NovoSGA's shape at {where or 'top'}: {first['type']}",
                        "QUEUE_BAD_RESPONSE") from None


def _ahead(mine: _Atendimento | _Waiting, tickets: list[_Waiting]) -> int:
    weight = mine.prioridade.peso
    return sum(1 for t in tickets
               if t.id != mine.id and t.status == "emitida" and t.servico.id == mine.servico.id
               and (t.prioridade.peso > weight or (t.prioridade.peso == weight and t.id < mine.id)))


def _oauth_error(body: bytes) -> str:
    """The OAuth2 error code ("invalid_client", "invalid_grant"): never the request."""
    try:
        error = json.loads(body).get("error", "")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return ""
    return error[:40] if isinstance(error, str) else ""


def _not_connected(exc: requests.ConnectionError) -> bool:
    """True when the connection was never made, so nothing of the request was sent."""
    seen: list[BaseException | None] = [exc]
    while seen:
        err = seen.pop()
        if isinstance(err, urllib3.exceptions.NewConnectionError | ConnectionRefusedError):
            return True
        if isinstance(err, BaseException):
            seen += [getattr(err, "reason", None), err.__cause__, err.__context__,
                     *(a for a in err.args if isinstance(a, BaseException))]
    return False
