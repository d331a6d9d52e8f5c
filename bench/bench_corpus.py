"""The round trip on the corpus of public descriptions: `contracts test` against `contracts mock` of each.

For every description of tests/support/corpus.py the mock can serve (and for large descriptions of the same
shape written by tests/support/corpus_generator.py), it times: lint, the mock's start until it answers,
and `contracts test` (10 examples per operation, seed 1) against it; it prints the cases run, what the test
reported, and each time against the same round trip on the project's own recommendation-api@1.1.0 in the
same run (the machine is shared: the ratio means more than the seconds).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support import corpus_generator
from tests.support.corpus import CORPUS
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve

BIN = Path(sys.executable).parent
MAX_EXAMPLES, SEED = 10, 1
LARGE = (8, 120)  # resources of the generated descriptions: ~60 and ~740 files


def _timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    return time.perf_counter() - started, done


@dataclass(frozen=True)
class Trip:
    """One description's round trip: seconds of each stage, cases run, what the test reported."""

    lint_s: float
    lint_ok: bool
    start_s: float
    test_s: float
    cases: int
    failures: int
    checks: tuple[str, ...]
    exit: int

    @property
    def total_s(self) -> float:
        """The round trip: the mock's start and the contract test."""
        return self.start_s + self.test_s


def round_trip(ref: str, headers: tuple[str, ...] = (), contracts_dir: Path | None = None) -> Trip:
    """Lint, mock start and `contracts test` of one description."""
    where = ["--contracts-dir", str(contracts_dir)] if contracts_dir else []
    lint_s, linted = _timed(contracts_cmd("lint", ref, *where, "--format", "json"))
    started = time.perf_counter()
    with serve(contracts_cmd("mock", ref, *where, "--port", "{port}"), ready_path="/__mock/health") as base:
        start_s = time.perf_counter() - started
        sent = [arg for header in headers for arg in ("--header", header)]
        argv = contracts_cmd("test", ref, *where, "--base-url", base, "--max-examples", str(MAX_EXAMPLES))
        argv += ["--seed", str(SEED), "--format", "json", "--exclude-check", "latency_slo", *sent]
        test_s, tested = _timed(argv)
    report = json.loads(tested.stdout) if tested.stdout.strip().startswith("{") else {}
    failures = report.get("failures", [])
    checks = tuple(sorted({str(f["check"]) for f in failures}))
    return Trip(
        lint_s,
        linted.returncode == 0,
        start_s,
        test_s,
        int(report.get("cases", 0)),
        len(failures),
        checks,
        tested.returncode,
    )


def _row(name: str, trip: Trip, baseline: float) -> str:
    verdict = "clean" if trip.exit == 0 else f"exit {trip.exit}: {trip.failures} failures {list(trip.checks)}"
    return (
        f"{name:34} lint {trip.lint_s:6.2f}s  mock up {trip.start_s:5.2f}s  test {trip.test_s:6.2f}s "
        f"({trip.cases:5} cases)  round trip {trip.total_s:6.2f}s = {trip.total_s / baseline:4.2f}x baseline  {verdict}"
    )


def main() -> None:
    """Print one line per description."""
    base = round_trip("recommendation-api@1.1.0", contracts_dir=CONTRACTS)
    baseline = base.total_s
    print(_row("baseline recommendation-api@1.1.0", base, baseline), flush=True)
    for description in CORPUS:
        if not description.valid and description.folder != "tgi":
            print(f"{description.folder:34} not served: invalid as published ({'; '.join(description.problems)})")
            continue
        result = round_trip(str(description.path), description.headers)
        print(_row(description.folder, result, baseline), flush=True)
    for resources in LARGE:
        with tempfile.TemporaryDirectory() as tmp:
            folder = corpus_generator.write(Path(tmp), resources=resources)
            files = sum(1 for p in folder.rglob("*") if p.is_file())
            result = round_trip(str(folder), (corpus_generator.BEARER,))
            print(_row(f"generated {resources * 4} ops, {files} files", result, baseline), flush=True)
