"""A NovoSGA server as its public source shows its API answering, real HTTP on 127.0.0.1, for
the NovoSGA queue driver's tests (kiosk.novosga_queue).

NovoSGA itself (PHP 8.2, Symfony, Doctrine, MySQL/PostgreSQL, a Mercure hub) is not started
for the tests: apt offers php 8.2 and composer, but the application needs its composer
dependencies from packagist and a database server, which the test runs must not depend on. So
this server answers as the source does, route by route:

- github.com/novosga/novosga (2.2, commit e683e6b, 2024-10-21):
  `config/routes/league_oauth2_server.yaml` (POST /api/token, the deprecated alias of
  /oauth2/token), `config/packages/security.yaml` (/api behind the oauth2 firewall),
  `src/Controller/Api/UnidadesController.php` (/unidades/{id}/servicos: the enabled
  ServicoUnidade; /unidades/{id}/atendimentos: the unity's tickets by id),
  `src/Controller/Api/TriagemController.php` (POST /distribui: NovaSenha {unidade, servico,
  prioridade, cliente}; the issued Atendimento, or {"error": message} from its catch),
  `src/Controller/Api/AtendimentosController.php` + `ApiCrudController::find`
  (GET /atendimentos/{id}, 404 when unknown), `src/Controller/Api/DefaultController.php`
  (GET /api: {"status": "ok", "time", "mercureUrl"});
  the JSON fields from the entities' jsonSerialize(): `src/Entity/AbstractAtendimento.php`,
  `Atendimento.php` (+ "hash": sha1("{id}:{arrival timestamp}")), `Senha.php` (sigla, numero,
  format: sigla + number padded to Senha::LENGTH), `ServicoUnidade.php`, `Servico.php`,
  `Prioridade.php`;
  the ticket states of `AtendimentoServiceInterface` (novosga/core): emitida, chamado, …;
  `src/Service/AtendimentoService.php::distribuiSenha` (an inactive or unknown priority, a
  service not enabled: an \\Exception the controller's catch does not catch, so a 500).
- github.com/novosga/core (commit 8e65098, 2022: the entities of NovoSGA 2.0/2.1): the same
  fields in `Entity/AbstractAtendimento.php`, `Atendimento.php` ("hash"), `Senha.php`
  (LENGTH = 3), and the ticket states in `Service/AtendimentoService.php`.
- `tests/Controller/Api/OAuthTokenTest.php` of novosga/novosga: the token endpoint's form
  fields and its error bodies exactly ({"error": "invalid_client", "error_description": "Client
  authentication failed", "message": …} with 401; "invalid_grant" / "The user credentials
  were incorrect." with 400), 405 for GET, 403 without a token and 401 with a wrong one.
- github.com/thephpleague/oauth2-server-bundle `src/Security/EntryPoint/OAuth2EntryPoint.php`:
  the 401 is an empty body with `WWW-Authenticate: Bearer`; thephpleague/oauth2-server's
  BearerTokenResponse: {"token_type": "Bearer", "expires_in", "access_token",
  "refresh_token"}; thephpleague/oauth2-server @ 9d2f6fc `src/Exception/OAuthServerException.php`
  and `src/Grant/RefreshTokenGrant.php`: a refresh token revoked is 400 "invalid_grant", "The
  refresh token is invalid.", hint "Token has been revoked" (401 "invalid_request" before 8.0,
  its CHANGELOG: both modes here).
- github.com/novosga/triage-app `src/renderer/services/api.js`: NovoSGA's own touch kiosk
  (triagem) asks exactly these routes with `Authorization: Bearer`.

Steering for tests: `mode` ("up", "slow", "nonsense", "wrong_shape", "oversize", "error"),
`slow_only` (one path slow), `revoke_access()` / `revoke_all()` / `revoke_at` (tokens NovoSGA
no longer accepts: expired, revoked, keys rotated), `refuse_next` (the
controller's {"error": …} answer), `waiting(...)` (tickets already in the queue), `call(id)`,
and `requests` (what the kiosk sent, passwords included: tests only).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl

CLIENT_ID, CLIENT_SECRET = "2_kiosk", "kiosk-client-secret"
USERNAME, PASSWORD = "triagem.hall1", "triagem-password"
UNITY = 1
ARRIVAL = datetime(2026, 12, 7, 9, 0, 0)  # NovoSGA writes local time without a zone
Mode = Literal["up", "slow", "nonsense", "wrong_shape", "oversize", "error"]


def _servico(sid: int, nome: str) -> dict[str, Any]:
    return {"id": sid, "nome": nome, "descricao": nome, "peso": 1, "ativo": True, "macro": None,
            "createdAt": "2026-01-05T08:00:00", "updatedAt": None, "deletedAt": None}


SERVICES = {1: _servico(1, "Previdência Social"), 2: _servico(2, "Documentos"),
            3: _servico(3, "Protocolo")}
SIGLAS = {1: "A", 2: "B", 3: "C"}
ENABLED = {1: True, 2: True, 3: False}
PRIORITIES = {pid: {"id": pid, "nome": nome, "descricao": nome, "peso": peso, "cor": "#ff0000",
                    "ativo": True, "createdAt": "2026-01-05T08:00:00", "updatedAt": None,
                    "deletedAt": None}
              for pid, nome, peso in ((1, "Normal", 0), (2, "Idoso 70+", 1), (3, "Gestante", 1),
                                      (4, "Pessoa com deficiência", 1), (5, "Agendamento", 2))}


@dataclass
class Sent:
    method: str
    path: str
    body: dict[str, Any]
    authorization: str


@dataclass
class NovoSgaServer:
    mode: Mode = "up"
    token_lifetime: int = 3600
    refuse_next: str = ""  # distribui answers {"error": this} once
    slow_only: str = ""  # mode "slow" for this path only ("": every path)
    revoke_at: str = ""  # the access tokens revoked when this path is next asked (once)
    siglas: dict[int, str] = field(default_factory=lambda: dict(SIGLAS))  # per service
    # a refresh token refused as oauth2-server answers it since 8.0 (400 invalid_grant), or
    # before (401 invalid_request): its CHANGELOG, PR #1042
    refresh_refusal: Literal["current", "before_8"] = "current"
    requests: list[Sent] = field(default_factory=list)
    tickets: list[dict[str, Any]] = field(default_factory=list)
    _access: set[str] = field(default_factory=set)
    _refresh: set[str] = field(default_factory=set)
    _numbers: dict[int, int] = field(default_factory=dict)
    _release: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _http: ThreadingHTTPServer | None = None

    # -- life -------------------------------------------------------------------------------

    def start(self) -> NovoSgaServer:
        server = self

        class Handler(_Handler):
            novosga = server

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._release.set()  # a slow answer ends now
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()

    @property
    def url(self) -> str:
        assert self._http is not None
        return f"http://127.0.0.1:{self._http.server_address[1]}"

    # -- steering ---------------------------------------------------------------------------

    def revoke_access(self) -> None:
        """Access tokens refused from now on (expired or revoked); refresh tokens still good."""
        with self._lock:
            self._access.clear()

    def revoke_all(self) -> None:
        with self._lock:
            self._access.clear()
            self._refresh.clear()

    def waiting(self, service: int, priority: int = 1, count: int = 1) -> None:
        for _ in range(count):
            self._issue(service, priority)

    def call(self, ticket_id: int) -> None:
        with self._lock:
            next(t for t in self.tickets if t["id"] == ticket_id)["status"] = "chamado"

    def sent(self, path: str) -> list[Sent]:
        return [r for r in self.requests if r.path == path]

    # -- NovoSGA's behaviour ----------------------------------------------------------------

    def _issue(self, service: int, priority: int) -> dict[str, Any]:
        with self._lock:
            ticket_id = len(self.tickets) + 1
            number = self._numbers.get(service, 0) + 1
            self._numbers[service] = number
            sigla = self.siglas[service]
            arrival = ARRIVAL.replace(minute=ticket_id % 60)
            ticket = {
                "id": ticket_id,
                "senha": {"sigla": sigla, "numero": number, "format": f"{sigla}{number:03d}"},
                "servico": {"id": service, "nome": SERVICES[service]["nome"]},
                "observacao": None,
                "dataChegada": arrival.strftime("%Y-%m-%dT%H:%M:%S"),
                "dataChamada": None, "dataInicio": None, "dataFim": None,
                "dataAgendamento": None, "tempoEspera": "00:00:00",
                "prioridade": PRIORITIES[priority], "status": "emitida", "resolucao": None,
                "cliente": None, "triagem": USERNAME, "usuario": None,
                "hash": hashlib.sha1(f"{ticket_id}:{int(arrival.timestamp())}".encode()
                                     ).hexdigest(),
            }
            self.tickets.append(ticket)
            return ticket

    def _grant(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return 401, _oauth_error("invalid_client", "Client authentication failed")
        grant = form.get("grant_type")
        with self._lock:
            if grant == "password":
                if (form.get("username"), form.get("password")) != (USERNAME, PASSWORD):
                    return 400, _oauth_error("invalid_grant",
                                             "The user credentials were incorrect.")
            elif grant == "refresh_token":
                if form.get("refresh_token") not in self._refresh:
                    if self.refresh_refusal == "before_8":
                        return 401, _oauth_error("invalid_request",
                                                 "The refresh token is invalid.",
                                                 "Token has been revoked")
                    return 400, _oauth_error("invalid_grant", "The refresh token is invalid.",
                                             "Token has been revoked")
                self._refresh.discard(form["refresh_token"])  # a refresh token is used once
            else:
                return 400, _oauth_error("unsupported_grant_type",
                                         "The authorization grant type is not supported by "
                                         "the authorization server.",
                                         "Check that all required parameters have been provided")
            access, refresh = secrets.token_urlsafe(48), secrets.token_urlsafe(48)
            self._access.add(access)
            self._refresh.add(refresh)
        return 200, {"token_type": "Bearer", "expires_in": self.token_lifetime,
                     "access_token": access, "refresh_token": refresh}

    def _api(self, method: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        parts = path.strip("/").split("/")[1:]  # after "api"
        if method == "GET" and parts == []:
            return 200, {"status": "ok", "time": int(time.time()), "mercureUrl": None}
        if method == "GET" and len(parts) == 3 and parts[0] == "unidades":
            if parts[1] != str(UNITY):
                return 404, None
            if parts[2] == "servicos":
                return 200, [_servico_unidade(sid, self.siglas[sid]) for sid in SERVICES
                             if ENABLED[sid]]
            if parts[2] == "atendimentos":
                with self._lock:
                    return 200, [dict(t) for t in self.tickets]
        if method == "GET" and len(parts) == 2 and parts[0] == "atendimentos":
            with self._lock:
                found = [t for t in self.tickets if str(t["id"]) == parts[1]]
            return (200, dict(found[0])) if found else (404, None)
        if method == "POST" and parts == ["distribui"]:
            return self._distribui(body)
        return 404, None

    def _distribui(self, body: dict[str, Any]) -> tuple[int, Any]:
        if self.refuse_next:
            error, self.refuse_next = self.refuse_next, ""
            return 200, {"error": error}
        service, priority = body.get("servico"), body.get("prioridade")
        if (body.get("unidade") != UNITY or service not in SERVICES or not ENABLED[service]
                or priority not in PRIORITIES):
            return 500, None  # distribuiSenha's \Exception escapes the controller's catch
        return 200, self._issue(service, priority)


def _servico_unidade(sid: int, sigla: str) -> dict[str, Any]:
    return {"sigla": sigla, "peso": 1, "servico": SERVICES[sid], "departamento": None,
            "ativo": ENABLED[sid], "tipo": 1, "mensagem": "", "numeroInicial": 1,
            "numeroFinal": None, "incremento": 1, "maximo": None}


def _oauth_error(error: str, description: str, hint: str = "") -> dict[str, str]:
    """OAuthServerException's payload (error, error_description, hint if any) with the
    bundle's "message", as NovoSGA's OAuthTokenTest shows it."""
    payload = {"error": error, "error_description": description}
    return {**payload, **({"hint": hint} if hint else {}), "message": description}


SYMFONY_500 = (b"<!DOCTYPE html>\n<html><head><title>An Error Occurred: Internal Server Error"
               b"</title></head><body><h1>Oops! An Error Occurred</h1><h2>The server returned "
               b"a \"500 Internal Server Error\".</h2></body></html>")


class _Handler(BaseHTTPRequestHandler):
    novosga: NovoSgaServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        server = self.novosga
        path = self.path.split("?")[0]
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        form = self.headers.get("Content-Type", "").startswith("application/x-www-form")
        try:
            body = dict(parse_qsl(raw.decode())) if form else json.loads(raw or b"{}")
        except ValueError:
            body = {}
        authorization = self.headers.get("Authorization", "")
        server.requests.append(Sent(method, path, body, authorization))
        if server.mode == "slow" and server.slow_only in ("", path):
            server._release.wait(10)
        if server.revoke_at == path:
            server.revoke_at = ""
            server.revoke_access()
        if server.mode == "error":
            return self._send(500, SYMFONY_500, "text/html; charset=UTF-8")
        if server.mode == "nonsense":
            return self._send(200, b"<html><body>Bem-vindo ao NovoSGA</body></html>",
                              "text/html; charset=UTF-8")
        if server.mode == "wrong_shape":
            return self._json(200, {"data": [{"id": "one"}], "total": "many"})
        if server.mode == "oversize":
            return self._flood()
        if path == "/api/token":
            if method != "POST":
                return self._send(405, b"", "text/html")
            return self._json(*server._grant({k: str(v) for k, v in body.items()}))
        if not path.startswith("/api"):
            return self._send(404, b"", "text/html")
        if not authorization:
            return self._send(403, b"", "text/html")  # no token: access denied (403)
        with server._lock:
            known = authorization.removeprefix("Bearer ") in server._access
        if not known:
            self.send_response(401)
            self.send_header("WWW-Authenticate", "Bearer")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        status, answer = server._api(method, path, body)
        if status == 500:
            return self._send(500, SYMFONY_500, "text/html; charset=UTF-8")
        if status == 404:
            return self._send(404, b"<html><body>Not Found</body></html>", "text/html")
        return self._json(status, answer)

    def _json(self, status: int, answer: Any) -> None:
        self._send(status, json.dumps(answer).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _flood(self) -> None:
        """A body far over any bound, its length not declared (read until closed)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(b"[")
            for _ in range(160):  # 10 MiB
                self.wfile.write(b"0," * 32768)
        except OSError:
            pass  # the kiosk stopped reading: as it should
