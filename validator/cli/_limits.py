"""The CLI's side of the analysis limits: global options, and a timer and memory cap around one analysis.

The library checks the deadline as it goes (:func:`validator.limits.check`) and so reports where it
stopped. The timer is the backstop for code that does not check: past the deadline plus a grace (both
in CPU time) it prints the same error and exits 2 at once, so no document can hold a CI job.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import typer

from .. import limits
from ..errors import TooComplexError
from ._common import Format, render_error

GRACE_SECONDS = 2.0


def configure(seconds: float | None, memory_mb: int | None, expansion: int | None, regex_steps: int | None) -> None:
    """Set this process's limits: ``CONTRACTS_MAX_*`` variables, overridden by the global options.

    Options given are also exported, so that ``contracts serve`` and its workers run under them too.
    """
    given = {"seconds": seconds, "memory_mb": memory_mb, "expansion": expansion, "regex_steps": regex_steps}
    limits.configure(limits.Limits.from_env().with_values(**given))
    for name, value in given.items():
        if value is not None:
            os.environ[limits.ENV_PREFIX + name.upper()] = str(value)


SECONDS_OPTION = typer.Option(
    None, "--max-seconds", help="CPU-time limit of one analysis (CONTRACTS_MAX_SECONDS, default 60)", show_default=False
)
MEMORY_OPTION = typer.Option(
    None,
    "--max-memory-mb",
    help="memory limit of the process (CONTRACTS_MAX_MEMORY_MB, default 2048)",
    show_default=False,
)
EXPANSION_OPTION = typer.Option(
    None,
    "--max-expansion",
    help="subschemas one schema may reach through $ref/allOf/anyOf/oneOf (CONTRACTS_MAX_EXPANSION, default 10000)",
    show_default=False,
)
REGEX_STEPS_OPTION = typer.Option(
    None,
    "--max-regex-steps",
    help="backtracking steps of one pattern match (CONTRACTS_MAX_REGEX_STEPS, default 100000)",
    show_default=False,
)


@contextmanager
def analysis(fmt: Format) -> Iterator[None]:
    """Run the body under the limits in force: a deadline, a backstop timer, a memory cap."""
    bound = limits.current()
    restore_memory = limits.cap_memory(bound.memory_mb)

    def expired(_signum: int, _frame: FrameType | None) -> None:
        render_error(
            fmt, TooComplexError(f"too complex: the analysis took longer than {bound.seconds:g} s", limit="seconds")
        )
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(2)  # past every handler that might catch an exception: the limit is the limit

    # ITIMER_PROF counts the process's CPU time, as the library's own deadline does.
    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, bound.seconds + GRACE_SECONDS)
    try:
        with limits.bounded():
            yield
    except MemoryError:
        raise TooComplexError(
            f"too complex: the analysis needs more than {bound.memory_mb} MB", limit="memory_mb"
        ) from None
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        restore_memory()
