"""`contracts test` vs plain `schemathesis run`: wall time, cases per second, violations found.

Both run as the commands a user types, against the reference recommendation service and against
each deliberately faulty variant (tests/verify/variants.py), with the same contract (bundled into
one file for Schemathesis), the same --max-examples, the same seed and 4 workers each.
Targets (issue 4): at least as many faulty variants caught as plain Schemathesis, and no more
than 1.5x its wall time on the reference service.
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
from pathlib import Path

from tests.support.servers import serve
from tests.verify.variants import COMPLIANT, FAULTY
from validator.bundle import bundle
from validator.loader import load
from validator.verify.cases import ENGINE_STRIP

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
REF = "recommendation-api@1.1.0"
MAX_EXAMPLES, SEED, WORKERS, ROUNDS = 30, 7, 4, 3
TIME_TARGET = 1.5


def _ours(base: str) -> tuple[float, int, bool]:
    argv = [
        str(BIN / "contracts"),
        "test",
        REF,
        "--base-url",
        base,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        str(WORKERS),
        "--format",
        "json",
        "--contracts-dir",
        str(ROOT / "contracts"),
    ]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    doc = json.loads(done.stdout)
    return wall, int(doc["cases"]), done.returncode != 0


def _schemathesis(schema: Path, base: str) -> tuple[float, int, bool]:
    argv = [
        str(BIN / "schemathesis"),
        "run",
        str(schema),
        "--url",
        base,
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        str(WORKERS),
        "--checks",
        "all",
    ]
    started = time.perf_counter()
    done = subprocess.run(
        argv, capture_output=True, text=True, check=False, env={**os.environ, "NO_COLOR": "1"}, cwd=schema.parent
    )
    wall = time.perf_counter() - started
    found = re.search(r"(\d+) generated", done.stdout)
    return wall, int(found.group(1)) if found else 0, done.returncode != 0


def main() -> None:
    """Print wall times, cases per second and caught variants for both tools."""
    with tempfile.TemporaryDirectory() as tmp:
        schema = Path(tmp) / "recommendation-api.json"
        schema.write_text(json.dumps(bundle(load(REF, ROOT / "contracts"), strip=ENGINE_STRIP)))
        with serve(
            [sys.executable, "-m", "tests.verify.variants", "{port}"], ready_path="/reference/v1/models/current"
        ) as base:
            walls: dict[str, list[float]] = {"contracts test": [], "schemathesis run": []}
            cases: dict[str, int] = {}
            for _ in range(ROUNDS):  # interleaved, so machine noise hits both alike
                for name in walls:
                    target = base + "/reference"
                    wall, count, failed = _ours(target) if name == "contracts test" else _schemathesis(schema, target)
                    walls[name].append(wall)
                    cases[name] = count
                    if failed:
                        print(f"  note: {name} reported violations on the reference service")
            print(
                f"reference service, --max-examples {MAX_EXAMPLES}, seed {SEED}, {WORKERS} workers "
                f"(median of {ROUNDS} runs, process start included):"
            )
            for name, values in walls.items():
                wall = statistics.median(values)
                print(f"  {name:17} {wall:6.2f} s wall  {cases[name]:5d} cases  {cases[name] / wall:7.1f} cases/s")
            ratio = statistics.median(walls["contracts test"]) / statistics.median(walls["schemathesis run"])
            verdict = "meets" if ratio <= TIME_TARGET else "MISSES"
            print(f"  wall-time ratio   {ratio:6.2f}x   (target <= {TIME_TARGET}x: {verdict})")

            caught = {"contracts test": 0, "schemathesis run": 0}
            false_alarms = {"contracts test": 0, "schemathesis run": 0}
            print("faulty variants (caught = the run reports a violation):")
            print(f"  {'variant':28} {'contracts test':>15} {'schemathesis':>13}")
            for name in [*FAULTY, *COMPLIANT]:
                ours = _ours(f"{base}/{name}")[2]
                theirs = _schemathesis(schema, f"{base}/{name}")[2]
                if name in FAULTY:
                    caught["contracts test"] += ours
                    caught["schemathesis run"] += theirs
                else:
                    false_alarms["contracts test"] += ours
                    false_alarms["schemathesis run"] += theirs
                label = "compliant: " + name if name in COMPLIANT else name
                print(f"  {label:28} {'flagged' if ours else '-':>15} {'flagged' if theirs else '-':>13}")
            print(
                f"  caught: contracts test {caught['contracts test']}/{len(FAULTY)}, "
                f"schemathesis run {caught['schemathesis run']}/{len(FAULTY)}   (target: at least as many: "
                f"{'meets' if caught['contracts test'] >= caught['schemathesis run'] else 'MISSES'})"
            )
            print(
                f"  false alarms on {len(COMPLIANT)} compliant variants: contracts test "
                f"{false_alarms['contracts test']}, schemathesis run {false_alarms['schemathesis run']}"
            )
