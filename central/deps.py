"""What a route asks FastAPI for, in the way of the FastAPI full-stack template's `deps`:

    PlatformDep  the platform's parts (`PlatformState`)
    NowDep       the time of the request, by the platform's clock (one per request)
    SessionDep   a database session, closed when the route returns
    SignerDep    the platform's signing key, loaded (or made) on first use
    PaymentsDep  the payment state machines (`central.payments.machine`)

`app.state` is a `PlatformState`, made by `central.app.create_app`; this module is the one
place that names what it holds, and routes read it only through these dependencies. The
routes terminals sign add theirs in `central.routes.signed` (the body, the terminal).
"""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import State

from central.certificates import CertificateIssuer
from central.console.login_guard import LoginGuard
from central.convenience.desk import ConvenienceDesk
from central.identity.verifier import IdentityVerifier
from central.knowledge import KnowledgeDesk
from central.payments.machine import PaymentMachine
from central.platform_secret import CitizenKeys
from central.signing import PlatformSigner, load_or_create
from central.sms import OutboxGateway, SmsGateway
from central.throttle import SlidingWindow

if TYPE_CHECKING:  # central.metrics reads the state through these dependencies
    from central.metrics import ProcessCounter

LIVE_SECONDS = 3  # how often the console's live parts reload, in seconds (a test makes it less)


class PlatformState(State):
    """What one platform keeps for its requests, as `app.state` (still a Starlette `State`:
    a test may swap a part, e.g. the clock, and every request after sees the new one)."""

    def __init__(self, *, engine: Engine, sessions: sessionmaker[Session],
                 write_lock: AbstractContextManager[object], clock: Callable[[], datetime],
                 sweep: Callable[[], None], metrics_token: str | None, demo: bool,
                 number_lookups: SlidingWindow, verifier: IdentityVerifier,
                 citizen_keys: CitizenKeys, knowledge: KnowledgeDesk, public_url: str | None,
                 certificate_issuer: CertificateIssuer,
                 heartbeats_received: ProcessCounter, payments: PaymentMachine) -> None:
        super().__init__()
        self.engine = engine
        self.in_process_database = engine.dialect.name == "sqlite"
        self.sessions = sessions
        # taken around the writes of a request; see create_app
        self.write_lock = write_lock
        self.clock = clock
        self.sweep = sweep  # one sweep for offline terminals, as the sweeper does it
        self.metrics_token = metrics_token
        self.demo = demo  # the demo's public terminal key is accepted
        self.number_lookups = number_lookups  # look-ups by acceptance number, per terminal
        self.verifier = verifier
        self.citizen_keys = citizen_keys
        self.knowledge = knowledge
        self.public_url = public_url  # None: the address each request came to
        self.certificate_issuer = certificate_issuer
        self.heartbeats_received = heartbeats_received  # since the process started
        self.payments = payments
        self.catalog_json: dict[str, bytes] = {}  # version -> serialized catalog
        self.login_guard = LoginGuard()  # the console's login throttles and hashing cap
        self.live_seconds: float = LIVE_SECONDS
        self.signer: PlatformSigner | None = None  # see `platform_signer`
        # 便民服务's third parties (central.convenience): none configured here; the demo and
        # tests put a desk over the simulator in its place
        self.convenience = ConvenienceDesk()
        # results texted to a person's phone (central.sms); a real provider's adapter plugs in
        self.sms_gateway: SmsGateway = OutboxGateway()

    @contextmanager
    def writing(self, session: Session) -> Iterator[Session]:
        """`session`'s writes in turn with the others' (the write lock): committed at the end,
        rolled back on an error before the lock is let go."""
        with self.write_lock:
            try:
                yield session
            except BaseException:
                session.rollback()
                raise
            session.commit()


async def _platform(request: Request) -> PlatformState:
    state = request.app.state
    assert isinstance(state, PlatformState), "an app made by central.app.create_app"
    return state


PlatformDep = Annotated[PlatformState, Depends(_platform)]


async def _now(platform: PlatformDep) -> datetime:
    return platform.clock()


NowDep = Annotated[datetime, Depends(_now)]


async def _session(platform: PlatformDep) -> AsyncIterator[Session]:
    session = platform.sessions()  # no connection yet: taken at the first query
    try:
        yield session
    finally:
        # a session that still holds a connection gives it back with a rollback, a round trip
        # to a database server: not on the event loop. SQLite's is a call in this process.
        if session.in_transaction() and not platform.in_process_database:
            await run_in_threadpool(session.close)
        else:
            session.close()


# closed when the route function returns, before the answer is sent
SessionDep = Annotated[Session, Depends(_session, scope="function")]

_signer_lock = threading.Lock()


def platform_signer(platform: PlatformState) -> PlatformSigner:
    """The platform's signing key, loaded once (created on first use)."""
    with _signer_lock:
        if platform.signer is None:
            with platform.sessions() as session:
                platform.signer = load_or_create(session, platform.clock())
        return platform.signer


def _signer(platform: PlatformDep) -> PlatformSigner:
    return platform_signer(platform)


SignerDep = Annotated[PlatformSigner, Depends(_signer)]


async def _payments(platform: PlatformDep) -> PaymentMachine:
    return platform.payments


PaymentsDep = Annotated[PaymentMachine, Depends(_payments)]
