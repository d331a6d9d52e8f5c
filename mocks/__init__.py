"""The mock server: a contract version served at its own paths, strict, faithful and fast.

``create_app(contract, options)`` builds the ASGI app (mountable under a prefix); ``run`` serves it.
"""

from __future__ import annotations

from .app import MockApp, create_app
from .generate import GenerationError, Generator
from .interactions import Preference, Reply
from .options import Latency, MockOptions, parse_latency
from .server import run

__all__ = [
    "GenerationError",
    "Generator",
    "Latency",
    "MockApp",
    "MockOptions",
    "Preference",
    "Reply",
    "create_app",
    "parse_latency",
    "run",
]
