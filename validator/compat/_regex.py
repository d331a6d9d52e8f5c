"""Strings that match a regular expression, built from its parse tree (fast and deterministic).

Used for witness candidates only: every string is checked with the validator's own engine
(:mod:`validator.patterns`, step-bounded) before it is returned, and the compiled validators confirm
any witness, so a construct this does not model only means fewer samples. Python's parser only
reads the pattern's shape; Python's matcher (which backtracks without bound) never runs.
Hypothesis' ``from_regex`` is exact but takes about a second per pattern.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from .. import patterns

# The standard library's own regex parser (``re._parser`` since 3.11); typeshed does not describe it.
sre_parse: Any = importlib.import_module("re._parser")

_CATEGORY = {
    "CATEGORY_DIGIT": "0",
    "CATEGORY_WORD": "a",
    "CATEGORY_SPACE": " ",
    "CATEGORY_NOT_DIGIT": "a",
    "CATEGORY_NOT_WORD": "-",
    "CATEGORY_NOT_SPACE": "a",
}
VARIANTS = 4
MAX_SAMPLE = 512  # longer samples are not built: `(a{1000}){1000}` would take memory, not find breaks


def samples(pattern: str, avoid: str | None = None) -> list[str]:
    """Up to a few strings matching ``pattern``; those not matching ``avoid`` come first."""
    if len(pattern) > MAX_SAMPLE or not patterns.compiles(pattern):
        return []
    try:
        tree = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return []
    out: list[str] = []
    for variant in range(VARIANTS):
        try:
            text = _emit(tree, variant)
        except (ValueError, RecursionError, KeyError, TypeError, OverflowError):
            continue
        if text not in out and patterns.search(pattern, text):
            out.append(text)
    if avoid:
        out.sort(key=lambda s: patterns.search(avoid, s))
    return out


def matches(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches in ``text`` (False for a pattern the engine refuses)."""
    return patterns.search(pattern, text)


def _emit(items: Any, variant: int) -> str:
    text = "".join(_one(op, arg, variant) for op, arg in items)
    if len(text) > MAX_SAMPLE:
        raise ValueError("sample too long")
    return text


def _one(op: Any, arg: Any, variant: int) -> str:
    name = str(op)
    if name == "LITERAL":
        return chr(arg)
    if name == "NOT_LITERAL":
        return "a" if chr(arg) != "a" else "b"
    if name == "ANY":
        return "a"
    if name == "AT":
        return ""
    if name == "IN":
        return _choose(arg, variant)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, body = arg
        count = low if variant % 2 == 0 else min(high, low + 2 + variant)
        piece = _emit(body, variant)  # the same text every time: built once, its size checked first
        if len(piece) * count > MAX_SAMPLE:
            raise ValueError("sample too long")
        return piece * int(count)
    if name == "SUBPATTERN":
        return _emit(arg[-1], variant)
    if name == "BRANCH":
        branches = arg[1]
        return _emit(branches[variant % len(branches)], variant)
    if name == "CATEGORY":
        return _CATEGORY[str(arg)]
    if name in ("ASSERT", "ASSERT_NOT", "GROUPREF"):
        return ""
    raise ValueError(name)


def _choose(items: Any, variant: int) -> str:
    """One character from a character class (not modelled: negated classes of classes)."""
    if items and str(items[0][0]) == "NEGATE":
        excluded = {chr(a) for op, a in items[1:] if str(op) == "LITERAL"}
        return next(c for c in "aZ0_-" if c not in excluded)
    options: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            options.append(chr(arg))
        elif name == "RANGE":
            options += [chr(arg[0]), chr(arg[1])]
        elif name == "CATEGORY":
            options.append(_CATEGORY[str(arg)])
    return options[variant % len(options)]
