"""Contract tests against a live API: plan cases, send them, check each exchange, report.

The public names below are loaded on first use (the pytest plugin imports this package early).
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> module that defines it
_PUBLIC = {
    "Options": "runner",
    "run": "runner",
    "RunReport": "result",
    "Failure": "result",
    "CHECK_NAMES": "checks",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'validator.verify' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
