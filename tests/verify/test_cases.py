"""The plan of a seed is the seed's alone: the same cases whatever the process imported before planning."""

from __future__ import annotations

import subprocess
import sys

from tests.support.paths import QA_CONTRACTS, ROOT

# Prints a digest of the boundary and generated requests of getRecommendations at seed 7.
_PLAN_DIGEST = f"""
import hashlib, sys
from pathlib import Path
for name in sys.argv[1:]:
    __import__(name)
from validator.compiled import CompiledContract
from validator.loader import load
from validator.verify import cases
compiled = CompiledContract(load("recommendation-qa@1.0.0", Path({str(QA_CONTRACTS)!r})))
op = compiled.contract.operation("getRecommendations")
plan = cases.plan(compiled, [op], max_examples=15, seed=7)
sent = [c.request for c in plan.cases if c.source in (cases.BOUNDARY, cases.GENERATED)]
print(len(sent), hashlib.sha256(repr(sent).encode()).hexdigest())
"""


def _digest(*imported_first: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _PLAN_DIGEST, *imported_first],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_seed_plans_the_same_cases_whatever_was_imported_before() -> None:
    # Hypothesis draws constants from every local module loaded; importing the CLI (every command,
    # templates, compat) or the test helpers used to change seed 7's cases, and with them which
    # optional members the run reached.
    alone = _digest()
    assert int(alone.split()[0]) > 50
    assert _digest("validator.cli") == alone
    assert _digest("validator.templates.rest", "tests.support.cli") == alone
