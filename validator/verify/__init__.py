"""Contract tests against a live API: plan cases, send them, check each exchange, report.

The public names below are loaded on first use (the pytest plugin imports this package early).
"""

from __future__ import annotations

from .._exports import lazy

# name -> module that defines it
_PUBLIC = {
    "Options": "runner",
    "run": "runner",
    "RunReport": "result",
    "Failure": "result",
    "CHECK_NAMES": "checks",
}

__all__ = sorted(_PUBLIC)

__getattr__ = lazy(__name__, _PUBLIC)
