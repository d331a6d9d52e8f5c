"""`contracts test` vs plain `schemathesis run`: wall time on one service, distinct faults found over all variants.

Both run as the commands a user types, with the same contract (recommendation-qa, bundled into one file
for Schemathesis), the same --max-examples, the same seed, 4 workers and the same bearer token, against
the reference recommendation service and each deliberately faulty variant (tests/verify/variants.py).
Schemathesis runs its examples, coverage and fuzzing phases (stateful is off: its links are not in
the contract, and it is not a budget ``--max-examples`` bounds).

A fault is found when the run reports something it does not report on the reference service: for
`contracts test` the variant's own check (operation and check), for Schemathesis a failure code more
often than on the reference. The two-bugs variant holds two faults; each tool is credited with as
many of them as it reports distinct schema failures there.
Targets (issue 12): wall time at most 1.5x Schemathesis's on the reference; faults found reported.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from tests.support.servers import serve
from tests.verify.variants import COMPLIANT, FAULTY
from validator.bundle import bundle
from validator.loader import load
from validator.verify.cases import ENGINE_STRIP

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
QA_DIR = ROOT / "tests" / "verify" / "contracts"
REF = "recommendation-qa@1.0.0"
MAX_EXAMPLES, SEED, WORKERS, ROUNDS = 10, 7, 4, 3
TOKEN = "Authorization: Bearer qa-token"
TWO_BUGS = "two-bugs-in-one-operation"
TIME_TARGET = 1.5
RUN_TIMEOUT = 900  # s per tool run: a guard against a hang, far above a run on a loaded machine (~2.5 min)
# What both tools are given alike: the budget, the seed, the concurrency and the token (same spelling in both CLIs).
SAME_FOR_BOTH = ("--max-examples", str(MAX_EXAMPLES), "--seed", str(SEED), "--workers", str(WORKERS), "--header", TOKEN)


def _ours(base: str) -> tuple[float, dict[str, Any]]:
    argv = [
        str(BIN / "contracts"),
        "test",
        REF,
        "--base-url",
        base,
        *SAME_FOR_BOTH,
        "--format",
        "json",
        "--contracts-dir",
        str(QA_DIR),
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        print(f"  (contracts test timed out on {base})", flush=True)
        return RUN_TIMEOUT, {"ok": False, "cases": 0, "failures": []}
    wall = time.perf_counter() - started
    return wall, json.loads(done.stdout)


def _schemathesis(schema: Path, base: str) -> tuple[float, int, dict[str, int]]:
    argv = [
        str(BIN / "schemathesis"),
        "run",
        str(schema),
        "--url",
        base,
        *SAME_FOR_BOTH,
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
    ]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "NO_COLOR": "1"},
            cwd=schema.parent,
            timeout=RUN_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        print(f"  (schemathesis run timed out on {base})", flush=True)
        return RUN_TIMEOUT, 0, {}
    wall = time.perf_counter() - started
    found = re.search(r"(\d+) generated", done.stdout)
    # The summary's "Failures:" block: one line per failure code with its count of unique failures.
    codes = {m.group(1): int(m.group(2)) for m in re.finditer(r"(ST\d+)[^:\n]*: (\d+)", done.stdout)}
    return wall, int(found.group(1)) if found else 0, codes


def _our_faults(name: str, doc: dict[str, Any], reference: set[tuple[str, str, str]]) -> int:
    failures = [f for f in doc["failures"] if isinstance(f, dict)]
    new = {(f["operation"], f["check"], f["signature"]) for f in failures} - reference
    if name == TWO_BUGS:
        return min(2, sum(1 for op, check, _ in new if (op, check) == ("getRecommendations", "response_schema")))
    operation, check, _ = FAULTY[name]
    return int(any((op, ch) == (operation, check) for op, ch, _ in new))


def _their_faults(name: str, codes: dict[str, int], reference: dict[str, int]) -> int:
    extra = sum(max(0, n - reference.get(code, 0)) for code, n in codes.items())
    return min(2 if name == TWO_BUGS else 1, extra)


def main() -> None:
    """Print wall times and cases per second on the reference, then faults found per variant by both tools."""
    with tempfile.TemporaryDirectory() as tmp:
        schema = Path(tmp) / "recommendation-qa.json"
        schema.write_text(json.dumps(bundle(load(REF, QA_DIR), strip=ENGINE_STRIP)))
        with serve(
            [sys.executable, "-m", "tests.verify.variants", "{port}"], ready_path="/reference/v1/models/current"
        ) as base:
            walls: dict[str, list[float]] = {"contracts test": [], "schemathesis run": []}
            cases: dict[str, int] = {}
            target = base + "/reference"
            ref_ours: set[tuple[str, str, str]] = set()
            ref_theirs: dict[str, int] = {}
            for _ in range(ROUNDS):  # interleaved, so machine noise hits both alike
                wall, doc = _ours(target)
                walls["contracts test"].append(wall)
                cases["contracts test"] = int(doc["cases"])
                ref_ours = {(f["operation"], f["check"], f["signature"]) for f in doc["failures"]}
                wall, count, codes = _schemathesis(schema, target)
                walls["schemathesis run"].append(wall)
                cases["schemathesis run"] = count
                ref_theirs = codes
            print(
                f"reference service, --max-examples {MAX_EXAMPLES}, seed {SEED}, {WORKERS} workers "
                f"(median of {ROUNDS} interleaved runs, process start included):"
            )
            for name, values in walls.items():
                wall = statistics.median(values)
                print(f"  {name:17} {wall:6.2f} s wall  {cases[name]:5d} cases  {cases[name] / wall:7.1f} cases/s")
            ratio = statistics.median(walls["contracts test"]) / statistics.median(walls["schemathesis run"])
            verdict = "meets" if ratio <= TIME_TARGET else "MISSES"
            print(f"  wall-time ratio   {ratio:6.2f}x   (target <= {TIME_TARGET}x: {verdict})")
            print(f"  on the reference: contracts test {len(ref_ours)} finding(s), schemathesis {ref_theirs or 'none'}")

            found = {"contracts test": 0, "schemathesis run": 0}
            false_alarms = {"contracts test": 0, "schemathesis run": 0}
            total = len(FAULTY) + 1  # the two-bugs variant holds two
            print("faulty variants (faults found = reported beyond what the reference gets):")
            print(f"  {'variant':34} {'contracts test':>15} {'schemathesis':>13}")
            with ThreadPoolExecutor(max_workers=2) as pool:  # the sweep is not timed: both tools side by side
                for name in [*FAULTY, *COMPLIANT]:
                    mine = pool.submit(_ours, f"{base}/{name}")
                    theirs = pool.submit(_schemathesis, schema, f"{base}/{name}")
                    doc = mine.result()[1]
                    codes = theirs.result()[2]
                    if name in FAULTY:
                        ours_n, theirs_n = _our_faults(name, doc, ref_ours), _their_faults(name, codes, ref_theirs)
                        found["contracts test"] += ours_n
                        found["schemathesis run"] += theirs_n
                        print(f"  {name:34} {ours_n:>15} {theirs_n:>13}", flush=True)
                    else:
                        ours_flag = not doc["ok"]
                        theirs_flag = any(n > ref_theirs.get(c, 0) for c, n in codes.items())
                        false_alarms["contracts test"] += ours_flag
                        false_alarms["schemathesis run"] += theirs_flag
                        label = "compliant: " + name
                        marks = ["flagged" if flag else "-" for flag in (ours_flag, theirs_flag)]
                        print(f"  {label:34} {marks[0]:>15} {marks[1]:>13}", flush=True)
            print(
                f"  distinct faults found over all variants: contracts test {found['contracts test']}/{total}, "
                f"schemathesis run {found['schemathesis run']}/{total}"
            )
            print(
                f"  false alarms on {len(COMPLIANT)} compliant variants: contracts test "
                f"{false_alarms['contracts test']}, schemathesis run {false_alarms['schemathesis run']}"
            )
