"""The JSON documents of INTERFACE.md that more than one caller builds (CLI and service)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..errors import ContractsError
from ..problems import Display, Problem, as_given


def validate_document(
    contract: str, operation: str, problems: Sequence[Problem], display: Display = as_given
) -> dict[str, Any]:
    """`contracts validate --format json` and the service's validate answer: ``{ok, contract, operation, problems}``."""
    return {
        "ok": not problems,
        "contract": contract,
        "operation": operation,
        "problems": [p.to_dict(display) for p in problems],
    }


def error_document(exc: ContractsError, display: Display = as_given) -> dict[str, Any]:
    """A command that could not proceed, as one JSON document (``error`` and the same entry as a problem)."""
    entry = exc.to_dict(display)
    return {"ok": False, "error": entry, "problems": [entry]}
