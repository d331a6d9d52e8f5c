"""The one rejection-status rule: which status answers a request that breaks the contract.

A schema violation is a validation failure, so it is answered with the operation's documented
validation status: 422, else 400, else under ``4XX``, else under ``default``, else 400. Statuses that
mean something else (401 and 403 for credentials, 404 for a missing resource, 429 for a rate limit)
never answer a violation, even when they are the only client errors the operation documents.
"""

from __future__ import annotations

from .contract import Operation

# Statuses that mean "your input is wrong", in the order a schema violation prefers them.
VALIDATION_STATUSES = ("422", "400")
_FALLBACK = 400  # also the status answered under a documented `4XX` or `default`


def rejection_status(op: Operation, *, malformed: bool = False) -> int:
    """The status answering an invalid request of ``op``; ``malformed`` (unreadable JSON) prefers 400."""
    order = tuple(reversed(VALIDATION_STATUSES)) if malformed else VALIDATION_STATUSES
    for status in order:
        if status in op.responses:
            return int(status)
    return _FALLBACK


def documents_validation_status(op: Operation) -> bool:
    """Whether ``op`` documents a status for rejected input: 422, 400, ``4XX`` or ``default``."""
    return any(s in op.responses for s in (*VALIDATION_STATUSES, "4XX", "4xx", "default"))
