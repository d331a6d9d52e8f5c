"""An app that mounts a mock under a prefix, as the contract service does (run by uvicorn in a test)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import Mount

from mocks import create_app
from tests.support.paths import CONTRACTS
from validator.loader import load

PREFIX = "/mocks/recommendation-api/1.1.0"


def app() -> Starlette:
    """Starlette app with the mock of recommendation-api 1.1.0 mounted at PREFIX."""
    return Starlette(routes=[Mount(PREFIX, app=create_app(load("recommendation-api@1.1.0", CONTRACTS)))])
