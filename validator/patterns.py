"""The one regular-expression engine of the product: the validator's own (fancy-regex, step-bounded).

JSON Schema ``pattern``s are matched by jsonschema-rs everywhere: in payload validation, in the witness
search of ``contracts diff`` and in the mock's generated values. Its engine runs plain patterns in
linear time and backtracks only for lookarounds and back-references, where it stops after
``regex_steps`` (:mod:`validator.limits`). One engine also means one dialect: a pattern means the same
in every command. (Measured against Python ``re``, ``regex`` with timeouts and RE2: bench/bench_regex.py.)
"""

from __future__ import annotations

import functools
from typing import Any

import jsonschema_rs

from . import limits
from .errors import TooComplexError

STEPS_EXCEEDED: Any = jsonschema_rs.ValidationErrorKind.BacktrackLimitExceeded


def options() -> Any:
    """The engine options every compiled validator takes (the step limit in force)."""
    return jsonschema_rs.FancyRegexOptions(backtrack_limit=limits.current().regex_steps)


def search(pattern: str, text: str, pointer: str = "") -> bool:
    """Whether ``pattern`` matches somewhere in ``text`` (False for a pattern the engine refuses).

    Past the step limit: :class:`TooComplexError` (the answer is unknown, not False).
    """
    matcher = _matcher(pattern, limits.current().regex_steps)
    if matcher is None:
        return False
    if matcher.is_valid(text):
        return True
    for error in matcher.iter_errors(text):
        if isinstance(error.kind, STEPS_EXCEEDED):
            raise too_many_steps(pattern, pointer)
    return False


def compiles(pattern: str) -> bool:
    """Whether the engine accepts ``pattern``."""
    return _matcher(pattern, limits.current().regex_steps) is not None


def too_many_steps(pattern: str | None, pointer: str = "") -> TooComplexError:
    """The error of a match that went past the step limit (``pointer``: the value matched)."""
    shown = "a pattern" if pattern is None else f"pattern {pattern if len(pattern) <= 80 else pattern[:77] + '...'!r}"
    return TooComplexError(
        f"too complex: {shown} needs more than {limits.current().regex_steps} backtracking steps",
        limit="regex_steps",
        pointer=pointer,
    )


@functools.lru_cache(maxsize=2048)
def _matcher(pattern: str, steps: int) -> Any:
    try:
        return jsonschema_rs.Draft202012Validator(
            {"type": "string", "pattern": pattern},
            pattern_options=jsonschema_rs.FancyRegexOptions(backtrack_limit=steps),
        )
    except (jsonschema_rs.ValidationError, ValueError):
        return None
