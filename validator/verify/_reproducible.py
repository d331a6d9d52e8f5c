"""Generation that depends on the seed alone: the same ``--seed`` gives the same cases in any process.

Hypothesis mixes into its draws, now and then, constants it reads from the *local* modules found in
``sys.modules`` (anything outside site-packages and the standard library). For a contract test those
constants are noise, and worse, they make a seed's cases depend on what happened to be imported
first: the project's own modules when run from a checkout, a pytest session's conftest, the caller's
code beside the pytest plugin. Seed 7 stopped reaching the optional ``context`` members once more
of the project was imported before planning. Both engine phases (boundary and generated) therefore
run with an empty local pool; Hypothesis's global constants (boundary numbers, odd strings) stay.

This reaches into Hypothesis internals (``_get_local_constants``, ``CONSTANTS_CACHE``), pinned in
uv.lock; if they move, generation goes on as before and the reproducibility test fails.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOCK = threading.Lock()


@contextmanager
def seed_only() -> Iterator[None]:
    """Within the block, Hypothesis draws no constants from local modules (one block at a time)."""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:  # pragma: no cover - a Hypothesis without the local pool
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    cache: Any = getattr(providers, "CONSTANTS_CACHE", None)
    if original is None or cache is None:  # pragma: no cover - internals moved; the test says so
        yield
        return
    empty = Constants()
    with _LOCK:
        # The cache holds the permitted local constants per choice kind: drawn before, they would leak in.
        cache.cache.clear()
        providers._get_local_constants = lambda: empty
        try:
            yield
        finally:
            providers._get_local_constants = original
            cache.cache.clear()
