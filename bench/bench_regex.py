"""Which regular-expression engine matches JSON Schema ``pattern``s (validator/patterns.py), by measurement.

Contenders: Python ``re`` (what the witness sampler used), ``regex`` with its per-match timeout,
google-re2 (linear, no lookarounds or back-references), and jsonschema-rs's two engines: fancy-regex
with a backtracking step limit (default 1,000,000 and ours, 100,000) and the ``regex`` crate (linear, no
lookarounds). For each hostile pattern: the time to answer on a 40-character run of ``a`` (or that the
engine refuses the pattern); Python ``re`` runs in a child process killed after a few seconds. Then
matches per second on ordinary patterns. ``regex`` and ``google-re2`` are not dependencies: the
figures for them appear when they are importable (``pip install regex google-re2`` beside the bench).

Run: ``python -m bench regex``.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import jsonschema_rs

from bench._timing import interleaved

HOSTILE = {
    "^(a+)+(?=b)": "a" * 40,
    "^(a|aa)+(?!a)b": "a" * 40,
    r"^(a*)*\1b$": "a" * 40,
    "^(a+)+$": "a" * 40 + "!",
}
ORDINARY = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "recommendation-api-v2",
    r"^\d{4}-\d{2}-\d{2}$": "2026-12-07",
    r"^[a-z]{2}-[A-Z]{2}$": "en-GB",
    r"^(?=.*\d)[A-Za-z0-9_]{8,64}$": "client_0001234",
}
KILL_AFTER = 5.0
Matcher = Callable[[str], bool]


def _jsonschema_rs(options: Any) -> Callable[[str], Matcher]:
    def compile_(pattern: str) -> Matcher:
        validator = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": pattern}, pattern_options=options)
        return lambda text: bool(validator.is_valid(text))

    return compile_


def _engines() -> dict[str, Callable[[str], Matcher] | None]:
    engines: dict[str, Callable[[str], Matcher] | None] = {
        "jsonschema-rs fancy-regex, 100k steps (ours)": _jsonschema_rs(
            jsonschema_rs.FancyRegexOptions(backtrack_limit=100_000)
        ),
        "jsonschema-rs fancy-regex, default 1M steps": _jsonschema_rs(None),
        "jsonschema-rs regex crate": _jsonschema_rs(jsonschema_rs.RegexOptions()),
    }
    try:
        regex: Any = importlib.import_module("regex")
        engines["regex (timeout 1 s)"] = _compiler(regex.compile, _with_timeout)
    except ImportError:
        engines["regex (timeout 1 s)"] = None
    try:
        re2: Any = importlib.import_module("re2")
        engines["google-re2"] = _compiler(re2.compile, _searching)
    except ImportError:
        engines["google-re2"] = None
    return engines


def _compiler(compile_: Callable[[str], Any], wrap: Callable[[Any], Matcher]) -> Callable[[str], Matcher]:
    return lambda pattern: wrap(compile_(pattern))


def _with_timeout(compiled: Any) -> Matcher:
    return lambda text: compiled.search(text, timeout=1.0) is not None


def _searching(compiled: Any) -> Matcher:
    return lambda text: compiled.search(text) is not None


def _python_re(pattern: str, text: str) -> str:
    """Python ``re`` on a hostile pattern, in a child process (it cannot be interrupted)."""
    code = f"import re,time; t=time.perf_counter(); re.search({pattern!r}, {text!r}); print(time.perf_counter()-t)"
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=KILL_AFTER, check=False
        )
    except subprocess.TimeoutExpired:
        return f"> {KILL_AFTER:g} s (killed)"
    return f"{float(done.stdout) * 1000:9.2f} ms"


def _answer(compile_: Callable[[str], Matcher], pattern: str, text: str) -> str:
    try:
        matcher = compile_(pattern)
    except Exception:
        return "refuses the pattern"
    started = time.perf_counter()
    try:
        matcher(text)
    except Exception as exc:  # regex's TimeoutError
        return f"{(time.perf_counter() - started) * 1000:9.2f} ms ({type(exc).__name__})"
    return f"{(time.perf_counter() - started) * 1000:9.2f} ms"


def _bound(matcher: Callable[[str], object], text: str) -> Callable[[], object]:
    return lambda: matcher(text)


def main() -> None:
    """Print the figures."""
    engines = _engines()
    print("hostile patterns: time to answer on a run of 40 'a' (or why not)")
    for pattern, text in HOSTILE.items():
        print(f"  {pattern}")
        print(f"    {'Python re':46} {_python_re(pattern, text)}")
        for name, compile_ in engines.items():
            shown = "not installed" if compile_ is None else _answer(compile_, pattern, text)
            print(f"    {name:46} {shown}")
    print("\nordinary patterns: matches per second (interleaved rounds, median)")
    import re

    for pattern, text in ORDINARY.items():
        contenders: dict[str, Callable[[], object]] = {"Python re": _bound(re.compile(pattern).search, text)}
        for name, compile_ in engines.items():
            if compile_ is None:
                continue
            try:
                contenders[name] = _bound(compile_(pattern), text)
            except Exception:
                continue
        rates = interleaved(contenders, rounds=3, seconds=0.2)
        print(f"  {pattern}")
        for name, per_second in rates.items():
            print(f"    {name:46} {per_second / 1e6:6.2f} M/s")
