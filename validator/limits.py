"""The declared bounds of analysing an untrusted document: time, memory, schema expansion, regex steps.

Every command that reads a contract (lint, diff, check, validate, mock) and the service's analysis
workers run under one :class:`Limits`, read from ``CONTRACTS_MAX_*`` environment variables (the CLI's
global options and the service's settings set the same values). Past a limit the answer is a
:class:`~validator.errors.TooComplexError` naming the limit and where it was reached, never a hang.

- ``expansion``: subschemas one schema location may reach in place (``$ref``, ``allOf``, ``anyOf``,
  ``oneOf``, ``not``, ``if``/``then``/``else``, ``dependentSchemas``); what a validator evaluates for
  one value. Checked statically when a contract is loaded (:mod:`validator.complexity`).
- ``regex_steps``: backtracking steps one ``pattern`` match may take (the validator's engine,
  fancy-regex, stops there; the same engine matches everywhere, see :mod:`validator.compat._regex`).
- ``seconds``: CPU time of one analysis (checked as the diff and the witness search go, and by a
  CPU-time timer the CLI arms; the service's workers are also stopped past it in wall time). CPU time,
  not wall time: a busy CI machine slows a large but ordinary document down, and must not refuse it.
- ``memory_mb``: address space of the process doing the analysis (the CLI and the service's workers).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from .errors import TooComplexError, UsageError

ENV_PREFIX = "CONTRACTS_MAX_"


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds of one analysis; the defaults keep a hostile document to seconds and a few hundred MB."""

    seconds: float = 60.0
    memory_mb: int = 2048
    expansion: int = 10_000
    regex_steps: int = 100_000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """Limits from ``CONTRACTS_MAX_SECONDS``, ``..._MEMORY_MB``, ``..._EXPANSION``, ``..._REGEX_STEPS``."""
        env = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for f in fields(cls):
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is None or not raw.strip():
                continue
            values[f.name] = _parse(f.name, raw, float if f.type == "float" else int)
        return cls(**values)  # type: ignore[arg-type]

    def with_values(self, **values: float | int | None) -> Limits:
        """These limits with the given ones replaced (None keeps the current value)."""
        given = {k: v for k, v in values.items() if v is not None}
        for name, value in given.items():
            if value <= 0:
                raise UsageError(f"limit {name} must be positive, not {value}")
        return replace(self, **given)  # type: ignore[arg-type]


def _parse(name: str, raw: str, kind: type[float] | type[int]) -> float | int:
    variable = ENV_PREFIX + name.upper()
    try:
        value = kind(raw.strip())
    except ValueError:
        raise UsageError(f"{variable}={raw!r} is not a number", hint=f"e.g. {variable}=30") from None
    if value <= 0:
        raise UsageError(f"{variable} must be positive, not {raw!r}")
    return value


DEFAULTS = Limits()
_current = DEFAULTS
_deadline: float | None = None


def current() -> Limits:
    """The limits in force in this process."""
    return _current


def configure(limits: Limits) -> None:
    """Set the limits of this process (the CLI at start, a service worker at start)."""
    global _current
    _current = limits


@contextmanager
def bounded(seconds: float | None = None) -> Iterator[None]:
    """Run one analysis with a deadline in this process's CPU time: :func:`check` raises once it has passed."""
    global _deadline
    previous = _deadline
    _deadline = time.process_time() + (seconds if seconds is not None else _current.seconds)
    try:
        yield
    finally:
        _deadline = previous


def check(pointer: str = "", file: str | None = None) -> None:
    """Raise :class:`TooComplexError` when the running analysis has passed its deadline."""
    if _deadline is not None and time.process_time() > _deadline:
        raise TooComplexError(
            f"too complex: the analysis took longer than {_current.seconds:g} s",
            limit="seconds",
            pointer=pointer,
            file=file,
        )


def cap_memory(megabytes: int) -> Callable[[], None]:
    """Lower this process's address-space limit to ``megabytes`` (never raise it); returns the undo."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = megabytes * 1024 * 1024
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return lambda: None
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
