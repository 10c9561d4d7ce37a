"""The platform as a FastAPI application: database brought up to date, catalog published.

`create_app` does the slow, fallible work (migrations, seed checks) before returning, so a bad
database URL or a broken seed file fails at start with a clear message, not at first request.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from central.catalog import publish
from central.contract import API_PREFIX
from central.db import open_engine, session_factory
from central.errors import install_error_handlers
from central.migrate import migrate
from central.routes import catalog, health
from central.seed import SEED_FILE, load_seed

log = logging.getLogger(__name__)

TITLE = "政务服务中心平台 (reference)"


def create_app(database_url: str, *, seed_file: Path = SEED_FILE) -> FastAPI:
    """Migrate the database, publish the seed catalog, and return the application."""
    seed = load_seed(seed_file)
    engine = open_engine(database_url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        with sessions() as session:
            release = publish(session, seed)
    except Exception:
        engine.dispose()
        raise
    log.info("central platform on %s, catalog version %s",
             engine.url.render_as_string(hide_password=True), release.version)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title=TITLE,
        version="1.0",
        description="Reference central platform for government self-service terminals: "
        "the service catalog (事项) and, later, applications, payments and evaluations.",
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.sessions = sessions
    app.state.catalog_json = {}  # version -> serialized catalog, see routes.catalog
    install_error_handlers(app)
    app.include_router(catalog.router, prefix=API_PREFIX)
    app.include_router(health.router, prefix=API_PREFIX)
    return app
