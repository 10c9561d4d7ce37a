"""The platform as a FastAPI application: database brought up to date, catalog published.

`create_app` does the slow, fallible work (migrations, seed checks) before returning, so a bad
database URL or a broken seed file fails at start with a clear message, not at first request.
While it runs, a sweeper raises offline alerts for terminals that stopped sending heartbeats,
and the payment resolver (`central.payments.resolver`) moves every open payment on; with a
`ReconcileSchedule`, each day's payment statements are reconciled (`central.payments.
reconcile_daily`).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from central.catalog import publish
from central.certificates import CertificateIssuer, DemoIssuer
from central.console import api as console_api
from central.console import convenience as console_convenience
from central.console import hall_map_pages
from central.console import pages as console_pages
from central.console.web import CONSOLE, NotLoggedIn, SecurityHeaders, login_redirect
from central.contract import API_PREFIX
from central.db import open_engine, session_factory
from central.deps import PlatformState
from central.errors import error_response, install_error_handlers
from central.heartbeats import sweep
from central.identity.reference import ReferenceVerifier
from central.identity.verifier import IdentityVerifier
from central.knowledge import KnowledgeDesk, load_faq
from central.metrics import ProcessCounter
from central.metrics import router as metrics_router
from central.migrate import migrate
from central.openapi import install as install_openapi
from central.payments import einvoice
from central.payments.machine import PaymentMachine
from central.payments.reconcile_daily import DailyReconciliation, ReconcileSchedule
from central.payments.reconciliation import Reconciler
from central.payments.resolver import Resolver
from central.payments.settings import PaymentSettings
from central.platform_secret import load_citizen_keys
from central.routes import (
    applications,
    catalog,
    certificates,
    convenience,
    evaluations,
    health,
    heartbeats,
    identity,
    knowledge,
    nontax,
    queue,
    readiness,
    releases,
    terminal_events,
    usage,
    verify,
)
from central.routes import appointments as appointment_routes
from central.routes import (
    einvoice as einvoice_routes,
)
from central.routes import hall_map as hall_map_routes
from central.routes import payments as payment_routes
from central.routes import sms as sms_routes
from central.seed import SEED_FILE, load_seed
from central.terminal_auth import DEMO_TERMINAL_KEY
from central.terminals import ensure_terminal
from central.throttle import SlidingWindow

log = logging.getLogger(__name__)

TITLE = "政务服务中心平台 (reference)"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@dataclass(frozen=True)
class KnownTerminal:
    """A terminal to register at start with a key chosen elsewhere (the embedded demo)."""

    id: str
    hall: str
    key: str


def _utc_now() -> datetime:
    return datetime.now(UTC)


LOOKUPS_PER_MINUTE = 30  # by acceptance number, per terminal

class DevelopmentOnly(RuntimeError):
    """The platform was asked to run with a part that must not serve a real hall."""


def create_app(database_url: str, *, seed_file: Path = SEED_FILE,
               terminals: Iterable[KnownTerminal] = (), sweep_interval_s: float = 5.0,
               metrics_token: str | None = None,
               verifier: IdentityVerifier | None = None,  # None: the development-only one
               clock: Callable[[], datetime] = _utc_now,
               public_url: str | None = None,
               certificate_issuer: CertificateIssuer | None = None,
               payments: PaymentSettings | None = None,
               reconciliation: ReconcileSchedule | None = None,
               development: bool = False, demo: bool = False) -> FastAPI:
    """Migrate the database, publish the seed catalog, and return the application.

    `public_url` is where citizens and banks reach the platform (certificates' QR codes);
    None: the address each request came to. `certificate_issuer` None: the
    development-only `DemoIssuer`. `payments`: the payment providers and their timing (None:
    orders are priced and given a 缴款码, nothing is charged here); their notifications reach
    `payments.notify_base_url`, or `public_url`. `reconciliation`: when each day's statements
    of those providers are reconciled (None: never by itself; `main.py central reconcile`
    does a day by hand). The development-only parts (that verifier and
    issuer) are refused unless `development`; the demo's public terminal key unless `demo`
    (the embedded demo platform), so neither reaches a real hall by a forgotten option.
    """
    if not development and (verifier is None or certificate_issuer is None):
        missing = "identity verifier" if verifier is None else "certificate issuer"
        raise DevelopmentOnly(f"no {missing} was given and the reference one is for "
                              "development only (main.py central --development)")
    if not demo and any(known.key == DEMO_TERMINAL_KEY for known in terminals):
        raise DevelopmentOnly("the demo's public terminal key is accepted by the demo only")
    payment_settings = (payments or PaymentSettings()).with_notify_base(public_url)
    providers = payment_settings.providers()  # a misconfiguration fails here, at start
    seed = load_seed(seed_file)
    faq = load_faq()
    engine = open_engine(database_url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        with sessions() as session:
            release = publish(session, seed)
            citizen_keys = load_citizen_keys(session, clock())
            for known in terminals:
                ensure_terminal(session, known.id, known.hall, known.key, clock())
            session.commit()
    except Exception:
        engine.dispose()
        raise
    log.info("central platform on %s, catalog version %s",
             engine.url.render_as_string(hide_password=True), release.version)

    def sweep_once() -> None:
        with sessions() as session:
            sweep(session, state.clock())

    async def sweeper() -> None:
        while True:
            await asyncio.sleep(sweep_interval_s)
            try:
                await run_in_threadpool(sweep_once)
            except Exception:  # the database may be restarting; try again next time
                log.exception("sweep failed")

    # SQLite has one writer at a time and makes the others sleep and retry; taking turns in the
    # process instead keeps the heartbeats' latency flat (PostgreSQL needs no such thing)
    write_lock = (threading.Lock() if engine.dialect.name == "sqlite"
                  else contextlib.nullcontext())
    machine = PaymentMachine(payment_settings, sessions=sessions, write_lock=write_lock,
                             clock=lambda: state.clock(), providers=providers,
                             issue_receipt=functools.partial(
                                 einvoice.issue, keys=citizen_keys,
                                 region=payment_settings.notice_region,
                                 base_url=public_url or payment_settings.notify_base_url
                                 or "http://127.0.0.1"))
    resolver = Resolver(machine, payment_settings.tick_s)
    daily = (DailyReconciliation(Reconciler(sessions, write_lock, lambda: state.clock(),
                                            machine.providers),
                                 reconciliation, lambda: state.clock())
             if reconciliation is not None else None)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        task = asyncio.ensure_future(sweeper()) if sweep_interval_s > 0 else None
        resolver.start()
        if daily is not None:
            daily.start()
        try:
            yield
        finally:
            await resolver.stop()
            if daily is not None:
                await daily.stop()
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            engine.dispose()

    app = FastAPI(
        title=TITLE,
        version="1.0",
        description="Reference central platform for government self-service terminals: "
        "the service catalog (事项), terminal heartbeats and commands, and the hall-manager "
        "console at /console.",
        lifespan=lifespan,
    )
    state = app.state = PlatformState(
        engine=engine, sessions=sessions, write_lock=write_lock, clock=clock, sweep=sweep_once,
        metrics_token=metrics_token, demo=demo,
        # look-ups by acceptance number, per terminal (routes/applications.py): a kiosk
        # serving a queue of people asks a few a minute; someone walking the number space
        # asks thousands
        number_lookups=SlidingWindow(LOOKUPS_PER_MINUTE, 60.0),
        verifier=verifier or ReferenceVerifier(), citizen_keys=citizen_keys,
        knowledge=KnowledgeDesk(faq), public_url=public_url,
        certificate_issuer=certificate_issuer or DemoIssuer(),
        heartbeats_received=ProcessCounter(), payments=machine)
    install_openapi(app)
    install_error_handlers(app)
    app.add_exception_handler(NotLoggedIn, _not_logged_in)
    app.add_middleware(SecurityHeaders)
    app.include_router(catalog.router, prefix=API_PREFIX)
    app.include_router(knowledge.router, prefix=API_PREFIX)
    app.include_router(usage.router, prefix=API_PREFIX)
    app.include_router(health.router, prefix=API_PREFIX)
    app.include_router(heartbeats.router, prefix=API_PREFIX)
    app.include_router(terminal_events.router, prefix=API_PREFIX)
    app.include_router(readiness.router, prefix=API_PREFIX)
    app.include_router(releases.router, prefix=API_PREFIX)
    app.include_router(identity.router, prefix=API_PREFIX)
    app.include_router(applications.router, prefix=API_PREFIX)
    app.include_router(evaluations.router, prefix=API_PREFIX)
    app.include_router(console_api.router)
    app.include_router(console_pages.router)
    app.include_router(certificates.router, prefix=API_PREFIX)
    app.include_router(payment_routes.router, prefix=API_PREFIX)
    app.include_router(nontax.router, prefix=API_PREFIX)
    app.include_router(verify.router)
    app.include_router(queue.router, prefix=API_PREFIX)
    app.include_router(queue.page_router)
    app.include_router(convenience.router, prefix=API_PREFIX)  # 便民服务
    app.include_router(console_convenience.router)
    app.include_router(hall_map_routes.router, prefix=API_PREFIX)
    app.include_router(sms_routes.router, prefix=API_PREFIX)
    app.include_router(hall_map_pages.router)
    app.include_router(appointment_routes.router, prefix=API_PREFIX)  # 预约
    app.include_router(appointment_routes.page_router)
    app.include_router(einvoice_routes.router)
    app.include_router(metrics_router)
    app.mount(f"{CONSOLE}/static", StaticFiles(directory=STATIC_DIR), name="console-static")
    return app


async def _not_logged_in(request: Request, _exc: Exception) -> Response:
    if request.url.path.startswith(f"{CONSOLE}/api") or request.method != "GET":
        return error_response(401, "log in to the console first")
    return login_redirect(request)
