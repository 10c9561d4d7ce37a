"""Serving a `PaymentGateway` on a loopback port from a thread (as `central.server`'s
`EmbeddedPlatform` serves the platform), with the platform's connection limits.

Routes: WeChat Pay under `/v3/` (the SDK's `_gate_way` is `base_url`), Alipay at `/gateway.do`
(the SDK's `_gateway` is `alipay_gateway`) and its bill files at `/downloadBillFile.resource`,
the phone page at `/phone`, the admin API under `/sandbox/`. A body is at most 64 KiB; what is
refused is refused in the shape of the API it was sent to, never as a 500.

A "lost response" needs the connection closed without an answer, which an ASGI application
cannot do by itself; the server's HTTP protocol (the platform's limited httptools protocol)
therefore hands each request a way to close its connection, `scope["extensions"]["sandbox.close"]`.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
import urllib.parse
from types import TracebackType

import uvicorn
from starlette.types import Message, Receive, Scope, Send

from central.connection_limits import LIMITS, RequestLimits, limited_httptools
from central.payments.sandbox.admin_api import AdminApi
from central.payments.sandbox.gateway import PaymentGateway
from central.payments.sandbox.wire import MAX_BODY, Answer, compact_json

log = logging.getLogger(__name__)
CLOSE_EXTENSION = "sandbox.close"


class SandboxStartError(RuntimeError):
    """The sandbox could not start listening."""


def _closable_httptools() -> type:
    base = limited_httptools(LIMITS)

    class Closable(base):
        def on_headers_complete(self) -> None:
            extensions = self.scope.setdefault("extensions", {})
            extensions[CLOSE_EXTENSION] = {"close": self.transport.close}
            super().on_headers_complete()

    return Closable


class TooLarge(Exception):
    pass


class SandboxApp:
    """The ASGI application: HTTP in, the gateway's answers out."""

    def __init__(self, gateway: PaymentGateway) -> None:
        self.gateway = gateway
        self.admin = AdminApi(gateway)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        method, path = scope["method"], scope["path"]
        raw_path = scope.get("raw_path") or path.encode()
        query = scope.get("query_string", b"").decode("latin-1")
        target = raw_path.decode("latin-1") + (f"?{query}" if query else "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope["headers"]}
        try:
            body = await self._body(receive)
        except TooLarge:
            answer = self._too_large(path)
        else:  # off the event loop: RSA work, and the admin API may POST notifications
            answer = await asyncio.to_thread(self._dispatch, method, path, target, query,
                                             headers, body)
        if answer.drop:
            closer = scope.get("extensions", {}).get(CLOSE_EXTENSION)
            if closer is not None:
                closer["close"]()
                while (await receive())["type"] != "http.disconnect":
                    pass
                return
        await self._send(send, answer)

    def _dispatch(self, method: str, path: str, target: str, query: str,
                  headers: dict[str, str], body: bytes) -> Answer:
        gateway = self.gateway
        if path.startswith("/v3/"):
            return gateway.wechat.handle(method, target, headers, body)
        if path == "/gateway.do":
            pairs = urllib.parse.parse_qsl(query, keep_blank_values=True)
            if method == "POST":
                pairs += urllib.parse.parse_qsl(body.decode("utf-8", "replace"),
                                                keep_blank_values=True)
            return gateway.alipay.handle(pairs)
        if path == "/downloadBillFile.resource" and method == "GET":
            return gateway.alipay.bill_file(dict(urllib.parse.parse_qsl(query)))
        if path == "/phone" and method == "GET":
            return gateway.phone.show(dict(urllib.parse.parse_qsl(query)).get("code", ""))
        if path == "/phone/pay" and method == "POST":
            form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace")))
            return gateway.phone.pay(form.get("code", ""))
        if path.startswith("/sandbox/"):
            return self.admin.handle(method, path, body)
        return Answer(404, b"not found", {"Content-Type": "text/plain; charset=utf-8"})

    @staticmethod
    async def _body(receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b""
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > MAX_BODY:
                raise TooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _too_large(self, path: str) -> Answer:
        if path.startswith("/v3/"):
            text = compact_json({"code": "PARAM_ERROR", "message": "请求体过大"})
            return Answer(400, text.encode(), {"Content-Type": "application/json; charset=utf-8"})
        if path == "/gateway.do":
            text = compact_json({"error_response": {
                "code": "40002", "msg": "Invalid Arguments", "sub_code": "isv.invalid-parameter",
                "sub_msg": "请求过大"}})
            return Answer(200, text.encode(), {"Content-Type": "text/html;charset=utf-8"})
        return Answer(413, b'{"error":"body too large"}', {"Content-Type": "application/json"})

    @staticmethod
    async def _send(send: Send, answer: Answer) -> None:
        headers = [(k.lower().encode("latin-1"), v.encode("latin-1"))
                   for k, v in answer.headers.items()]
        start: Message = {"type": "http.response.start", "status": answer.status,
                          "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": answer.body})


class SandboxServer:
    """The gateway served by uvicorn in a daemon thread on loopback.

    `notify_in_background` sends due notifications from a thread every `notify_every_s` of
    real time; tests that look at retries leave it off and call
    `gateway.deliver_notifications()` themselves.
    """

    def __init__(self, gateway: PaymentGateway, host: str = "127.0.0.1", port: int = 0, *,
                 notify_in_background: bool = False, notify_every_s: float = 0.2) -> None:
        self.gateway = gateway
        self.host = host
        self._port = port
        self.notify_in_background = notify_in_background
        self.notify_every_s = notify_every_s
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._notifier: threading.Thread | None = None
        self._stopping = threading.Event()
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        """WeChat Pay's gateway (wechatpayv3's `_gate_way`)."""
        return f"http://{self.host}:{self._port}"

    @property
    def alipay_gateway(self) -> str:
        """Alipay's gateway (python-alipay-sdk's `_gateway`)."""
        return self.base_url + "/gateway.do"

    def start(self, timeout: float = 10.0) -> None:
        if self._thread is not None:
            raise RuntimeError("the sandbox is already serving")
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self._port))
            listener.listen(128)
        except OSError as exc:
            listener.close()
            raise SandboxStartError(f"cannot listen on {self.host}:{self._port}: {exc}") from exc
        self._port = listener.getsockname()[1]
        self.gateway.base_url = self.base_url
        config = uvicorn.Config(RequestLimits(SandboxApp(self.gateway), LIMITS),
                                http=_closable_httptools(), loop="asyncio", lifespan="off",
                                log_config=None, access_log=False,
                                timeout_keep_alive=LIMITS.keep_alive_s,
                                timeout_graceful_shutdown=1)
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]},
                                  name=f"payment-sandbox:{self._port}", daemon=True)
        self._server, self._thread, self._socket = server, thread, listener
        thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise SandboxStartError(f"the payment sandbox on {self.base_url} did not start")
            time.sleep(0.01)
        if self.notify_in_background:
            self._stopping.clear()
            self._notifier = threading.Thread(target=self._notify_loop, daemon=True,
                                              name="payment-sandbox-notifier")
            self._notifier.start()
        log.info("payment sandbox at %s", self.base_url)

    def _notify_loop(self) -> None:
        while not self._stopping.wait(self.notify_every_s):
            try:
                self.gateway.deliver_notifications()
            except Exception:  # a merchant's endpoint must not end the loop
                log.exception("delivering payment notifications")

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout)
        if self._notifier is not None:
            self._notifier.join(timeout)
            self._notifier = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def __enter__(self) -> SandboxServer:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
