"""The FastAPI app factory of ``contracts serve``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from .. import limits
from .analysis import AnalysisPool
from .catalogue import Catalogue
from .db import Database, DatabaseUnavailable
from .edge import Edge
from .limits import BodySizeLimit
from .mock_host import MockHost, mock_factory
from .observability import AccessLog, Metrics
from .problem_details import install
from .routes import admin, catalogue, compatibility, ops, validation, verifications
from .settings import Settings, redact_url
from .ui import router as ui_router

log = logging.getLogger("contracts.service")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the service: catalogue from the contracts folder, database migrated at start-up, routes."""
    settings = settings or Settings()
    limits.configure(settings.limits())  # validation here, and the catalogue's loads, use them too
    analysis = AnalysisPool(
        settings.limits(), settings.analysis_workers, settings.analysis_max_pending, settings.retry_after_seconds
    )
    db = Database(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout,
        statement_timeout=settings.db_statement_timeout,
    )
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        log.info("starting", extra={"settings": settings.public_dict()})
        if not settings.api_tokens:
            log.warning(
                "no write token set: every write (POST /api/v1/verifications, contracts test --publish) "
                "is refused with 401; set CONTRACTS_API_TOKENS=<token>[,<token>...] to accept them"
            )
        try:
            await run_in_threadpool(_migrate_creating, db)
        except DatabaseUnavailable as exc:
            # Not fatal: /readyz says 503 and the first request after the database returns migrates.
            log.warning("database unavailable at start-up; will retry", extra={"reason": str(exc)})
        analysis.warm_up()
        try:
            yield
        finally:
            analysis.close()
            db.dispose()

    # The API is described by its own contract (contracts/contracts-service), not by FastAPI's generator.
    app = FastAPI(title="contracts service", lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.db = db
    app.state.metrics = metrics
    app.state.analysis = analysis
    shared = settings.runtime_dir / "catalogue-generation" if settings.runtime_dir else None
    app.state.catalogue = Catalogue(settings.contracts_dir, shared)
    install(app, settings.retry_after_seconds)
    for module in (ops, catalogue, validation, compatibility, verifications, admin):
        app.include_router(module.router)
    app.include_router(ui_router)
    app.mount("/mocks", MockHost(app.state.catalogue, metrics, lambda: mock_factory(settings.max_body_bytes)))
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(Edge, settings=settings)
    app.add_middleware(AccessLog, metrics=metrics)
    return app


def _migrate_creating(db: Database) -> None:
    """Migrate; a PostgreSQL database the URL names but nobody created is created first."""
    try:
        db.migrate()
    except DatabaseUnavailable as exc:
        if "does not exist" not in str(exc) or not db.create_if_missing():
            raise
        log.info("created the database the URL names", extra={"database": redact_url(db.url)})
        db.migrate()
