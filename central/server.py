"""Running the platform: in the foreground (`serve`) or in a background thread on loopback
(`EmbeddedPlatform`, for the kiosk demo and for tests; with `payment_sandbox=True` it also serves
the payment gateway sandbox on loopback and takes payments there, as the demo does).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

import uvicorn

from central.app import DevelopmentOnly, KnownTerminal, create_app
from central.connection_limits import LIMITS, ConnectionLimits, uvicorn_config
from central.contract import API_PREFIX
from central.convenience.demo import start_demo
from central.convenience.desk import ConvenienceDesk, ThirdParties
from central.convenience.simulator import ThirdPartySimulator
from central.faults import FaultInjector, FaultKind
from central.payments.reconcile_daily import ReconcileSchedule
from central.payments.sandbox import PaymentGateway, SandboxServer
from central.payments.settings import PaymentSettings, sandbox_settings
from central.seed import SEED_FILE

LOOPBACK = ("127.0.0.1", "::1", "localhost")
log = logging.getLogger(__name__)


class PlatformStartError(RuntimeError):
    """The embedded platform could not start listening."""


class EmbeddedPlatform:
    """The platform served by uvicorn in a daemon thread.

    Restartable: `stop()` then `start()` serves again on the same port, which is how tests
    simulate the platform going down and coming back. With `faults=True` a test/demo fault
    injector is put in front of the app and steered with `set_fault`; the fault set stays in
    force across restarts until `set_fault(None)`.

    Payments: `payments` are the providers' settings; `payment_sandbox=True` serves the payment
    gateway sandbox (`central.payments.sandbox`, `self.sandbox`: its `/sandbox/` API makes pay
    codes, `/phone` pays a QR code) on loopback beside the platform, and takes payments there:
    the same gateway, ledger and port across restarts, its notifications sent to this platform.
    """

    def __init__(self, database_url: str, host: str = "127.0.0.1", port: int = 0, *,
                 faults: bool = False, slow_seconds: float = 5.0,
                 seed_file: Path = SEED_FILE, start_timeout: float = 10.0,
                 terminals: Iterable[KnownTerminal] = (), sweep_interval_s: float = 5.0,
                 demo: bool = False, limits: ConnectionLimits = LIMITS,
                 payments: PaymentSettings | None = None,
                 payment_sandbox: bool = False) -> None:
        self.database_url = database_url
        self.demo = demo  # the demo's public terminal key is accepted (main.py's demo only)
        self.terminals = list(terminals)  # registered with their keys at every start
        self.sweep_interval_s = sweep_interval_s
        self.limits = limits  # what a client may cost before it is refused (tests shorten it)
        self.host = host
        self._port = port
        self._seed_file = seed_file
        self._start_timeout = start_timeout
        self._faults = FaultInjector(_no_app, slow_seconds) if faults else None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.app = None  # the FastAPI application while running (tests steer its clock)
        self.payments = payments
        self.payment_sandbox = payment_sandbox
        self.gateway: PaymentGateway | None = None  # the sandbox's, made at the first start
        self.sandbox: SandboxServer | None = None  # while serving
        self._sandbox_port = 0
        self._convenience: ThirdPartySimulator | None = None  # the demo's 便民服务 third parties

    @property
    def port(self) -> int:
        """The port served (known after the first `start()` when constructed with port 0)."""
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self._port}{API_PREFIX}"

    @property
    def console_url(self) -> str:
        return f"http://{self.host}:{self._port}/console"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Serve, returning once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the embedded platform is already running")
        listener = self._listen()  # first: the sandbox notifies this port
        try:
            # embedded: the demo and the tests, where the development-only parts belong
            make = functools.partial(create_app, self.database_url, seed_file=self._seed_file,
                                     terminals=self.terminals,
                                     sweep_interval_s=self.sweep_interval_s, development=True,
                                     demo=self.demo)
            payments = self._payments()
            app = make() if payments is None else make(payments=payments)
        except BaseException:
            listener.close()
            self._stop_sandbox()
            raise
        self.app = app
        if self.demo:  # 便民服务 over the simulated third parties, sample tiles per hall
            self._convenience, app.state.convenience = start_demo(
                app.state.sessions, (t.hall for t in self.terminals), app.state.clock())
        asgi = app
        if self._faults is not None:
            self._faults.app = app
            self._faults.delays_released = False
            asgi = self._faults
        config = uvicorn_config(
            asgi, self.limits, loop="asyncio", lifespan="on",
            log_config=None,  # leave the host program's logging alone
            access_log=False,
            timeout_graceful_shutdown=1,  # don't let a slow request hold up stop()
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]},
                                  name=f"central-platform:{self._port}", daemon=True)
        self._server, self._thread, self._socket = server, thread, listener
        thread.start()

        deadline = time.monotonic() + self._start_timeout
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                reason = ("stopped during start-up (see the log)" if not thread.is_alive()
                          else f"did not start within {self._start_timeout:g}s")
                self.stop()
                raise PlatformStartError(f"central platform on {self.host}:{self.port} {reason}")
            time.sleep(0.01)
        log.info("embedded central platform at %s", self.base_url)

    def _payments(self) -> PaymentSettings | None:
        """The payment settings of this start; the sandbox started for them if asked."""
        if not self.payment_sandbox:
            return self.payments
        if self.gateway is None:
            self.gateway = PaymentGateway()  # new test keys: a few RSA keys, once
        if self.sandbox is None:
            sandbox = SandboxServer(self.gateway, self.host, self._sandbox_port,
                                    notify_in_background=True)
            sandbox.start()
            self.sandbox, self._sandbox_port = sandbox, int(sandbox.base_url.rsplit(":", 1)[1])
        return sandbox_settings(self.gateway, self.sandbox, f"http://{self.host}:{self._port}")

    def _stop_sandbox(self) -> None:
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            sandbox.stop()

    def _listen(self) -> socket.socket:
        # bound here rather than by uvicorn so that port 0 gives us the real port at once
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # the port is still in TIME_WAIT right after a stop(); allow binding it again
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind((self.host, self._port))
            listener.listen(128)
        except OSError as exc:
            listener.close()
            raise PlatformStartError(
                f"central platform cannot listen on {self.host}:{self._port}: {exc.strerror}"
            ) from exc
        self._port = listener.getsockname()[1]
        return listener

    def stop(self, timeout: float = 5.0) -> None:
        """Shut down cleanly and wait for the server thread; safe to call when stopped."""
        server, thread, listener = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if self._faults is not None:
            self._faults.delays_released = True
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout)
            if thread.is_alive():
                log.error("embedded central platform thread did not stop within %gs", timeout)
        if listener is not None:
            listener.close()
        self._stop_sandbox()
        if self._convenience is not None:
            self._convenience.stop()
            self._convenience = None

    def set_fault(self, kind: FaultKind | None, *, slow_seconds: float | None = None) -> None:
        """TEST/DEMO ONLY: answer /api/v1 with `kind` from now on (None = behave again).

        Kinds: "http500" (500 with ErrorBody), "malformed_json" (200, body is not JSON),
        "unexpected_json" (200, valid JSON of the wrong shape), "slow" (answers after
        `slow_seconds`).
        """
        if self._faults is None:
            raise RuntimeError("fault injection is off; construct with faults=True")
        self._faults.set(kind, slow_seconds)

    def __enter__(self) -> EmbeddedPlatform:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


async def _no_app(scope: object, receive: object, send: object) -> None:
    raise RuntimeError("fault injector used before the platform started")


def serve(database_url: str, host: str, port: int, *, development: bool = False) -> None:
    """Run the platform in the foreground until interrupted (`python main.py central`).

    With CENTRAL_METRICS_TOKEN set, /metrics wants it as a bearer token; without it the
    platform listens on loopback only (what /metrics tells is for the hall's eyes). Raises
    `DevelopmentOnly` for a setup that must not serve a hall.
    """
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    metrics_token = os.environ.get("CENTRAL_METRICS_TOKEN") or None
    if metrics_token is None and host not in LOOPBACK:
        raise DevelopmentOnly(f"listening on {host} needs CENTRAL_METRICS_TOKEN for /metrics")
    # each day's payment statements reconciled from 10:00 (with payment providers configured)
    app = create_app(database_url, metrics_token=metrics_token, development=development,
                     reconciliation=ReconcileSchedule())
    # 便民服务's third parties, from the environment (central.convenience.desk.ThirdParties)
    app.state.convenience = ConvenienceDesk(ThirdParties.from_environ(os.environ))
    log.info("console at http://%s:%d/console (python main.py central add-user to log in)",
             host, port)
    server = uvicorn.Server(uvicorn_config(app, host=host, port=port))
    with contextlib.suppress(KeyboardInterrupt):  # as uvicorn.run: how it is ended
        server.run()
    if not server.started:  # could not listen: uvicorn.run's exit, the reason is in the log
        raise SystemExit(3)
