"""Worker processes for analysing untrusted documents, so that no document can starve the other routes.

A compatibility request runs :func:`validator.compat.candidate.judge` in a pool of processes (pebble),
each started with the analysis limits (:mod:`validator.limits`): a lower CPU priority, an address-space
cap, the regex step limit, and a deadline the job checks as it goes. A job still running at the
deadline plus a grace is killed with its process (pebble restarts one), and the client gets 422
"too complex". The event loop only awaits the job, so ``/healthz`` and every other route keep
answering; at most ``max_pending`` jobs wait or run at once, beyond that 503 with ``Retry-After``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

from .. import limits
from ..compat.candidate import judge
from ..errors import TooComplexError
from .problem_details import ServiceError

T = TypeVar("T")
GRACE_SECONDS = 2.0
WORKER_NICENESS = 10  # the event loop's process wins the CPU over an analysis
log = logging.getLogger("contracts.service")


class AnalysisPool:
    """A bounded pool of worker processes running analysis jobs under one :class:`~validator.limits.Limits`."""

    def __init__(self, bound: limits.Limits, workers: int, max_pending: int, retry_after: int) -> None:
        self.bound = bound
        self.max_pending = max_pending
        self.retry_after = retry_after
        self._pending = 0
        # A fork server, not fork: the service has threads (and a database pool) that a forked copy would
        # inherit broken. The server imports the analysis once; each worker is a cheap fork of it.
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([judge.__module__])
        self._pool = ProcessPool(max_workers=workers, initializer=_start_worker, initargs=(bound,), context=context)

    def warm_up(self) -> None:
        """Start the workers now (a first request would otherwise wait for their start)."""
        self._pool.schedule(_nothing)

    async def run(self, job: Callable[..., T], *args: Any) -> T:
        """Run ``job(*args)`` in a worker; TooComplexError past the time or memory limit, 503 when full."""
        if self._pending >= self.max_pending:
            raise ServiceError(
                503,
                "Analysis busy",
                f"{self.max_pending} analyses are already running or waiting; try again shortly",
                headers={"Retry-After": str(self.retry_after)},
            )
        self._pending += 1
        try:
            future = self._pool.schedule(job, args=args, timeout=self.bound.seconds + GRACE_SECONDS)
            return await asyncio.wrap_future(future)
        except (TimeoutError, concurrent.futures.TimeoutError):
            raise TooComplexError(
                f"too complex: the analysis took longer than {self.bound.seconds:g} s", limit="seconds"
            ) from None
        except ProcessExpired as exc:
            # The worker died under the job: the address-space cap (an allocation the engine could not
            # survive) is the one way an analysis ends a process.
            log.warning("analysis worker ended", extra={"exit_code": exc.exitcode})
            raise TooComplexError(
                f"too complex: the analysis needs more than {self.bound.memory_mb} MB", limit="memory_mb"
            ) from None
        finally:
            self._pending -= 1

    def close(self) -> None:
        """Stop the workers (jobs still running are ended)."""
        self._pool.stop()  # type: ignore[no-untyped-call]
        try:
            self._pool.join(timeout=5)
        except TimeoutError:
            log.warning("analysis workers did not stop within 5 s")


def _start_worker(bound: limits.Limits) -> None:
    """A worker's start: its limits, a lower priority, and no reaction to the terminal's Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the service stops its workers itself
    os.nice(WORKER_NICENESS)
    limits.configure(bound)
    limits.cap_memory(bound.memory_mb)


def _nothing() -> None:
    """A job that only makes a worker start."""
