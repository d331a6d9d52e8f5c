"""Checks across one request and its response, run by every command that sees both."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..problems import Problem
from ._types import Exchange

if TYPE_CHECKING:
    from ..compiled import CompiledContract


def exchange_problems(compiled: CompiledContract, exchange: Exchange) -> list[Problem]:
    """Every problem the registered exchange checks find in one request/response pair."""
    from .catalogue import EXCHANGE_CHECKS

    problems: list[Problem] = []
    for entry in EXCHANGE_CHECKS:
        problems.extend(entry.check(compiled, exchange))
    return problems
