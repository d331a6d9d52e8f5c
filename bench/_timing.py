"""Timing helpers shared by the benchmarks: interleaved rounds, medians, ratios."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def rate(fn: Callable[[], object], seconds: float = 0.4, clock: Callable[[], float] = time.perf_counter) -> float:
    """Calls per second of ``fn`` over about ``seconds`` (of ``clock``: wall time, or ``time.process_time``
    for the CPU the calls used, which other processes on a loaded machine do not inflate)."""
    calls, batch = 0, 1
    start = clock()
    while True:
        for _ in range(batch):
            fn()
        calls += batch
        elapsed = clock() - start
        if elapsed >= seconds:
            return calls / elapsed
        batch = min(batch * 2, 10_000)


def interleaved(
    contenders: dict[str, Callable[[], object]],
    rounds: int = 5,
    seconds: float = 0.4,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, float]:
    """Median calls per second of each contender, measured in alternating rounds (noise hits all alike)."""
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, fn in contenders.items():
            samples[name].append(rate(fn, seconds, clock))
    return {name: statistics.median(values) for name, values in samples.items()}
