"""Commands whose dependencies are an optional extra say how to install it instead of failing on import."""

from __future__ import annotations

from importlib.util import find_spec

from .._version import DISTRIBUTION
from ..errors import UsageError

EXTRAS = {
    "test": ("schemathesis", "hypothesis", "httpx"),
    "service": ("fastapi", "pydantic_settings", "sqlalchemy", "alembic", "jinja2"),
    "proxy": ("aiohttp", "prometheus_client", "brotli"),
}


def require_extra(extra: str, command: str) -> None:
    """UsageError (exit 2) naming the ``pip install`` line when ``extra``'s packages are not installed."""
    missing = [name for name in EXTRAS[extra] if find_spec(name) is None]
    if missing:
        raise UsageError(
            f"`contracts {command}` needs the optional {extra!r} dependencies (missing: {', '.join(missing)})",
            hint=f"pip install '{DISTRIBUTION}[{extra}]' (or [all])",
        )
