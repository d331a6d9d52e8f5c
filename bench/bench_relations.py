"""What promises about the request cost: relation checking per exchange, and `contracts test` with and without them.

1. One exchange of client-scoring 1.1.0 with a 200-client batch: the relation checks (``x-relations``:
   two batch alignments with keys, an echo) and the response validation with and without its
   schema-level ``x-sum`` sites (200 probability rows), measured in interleaved rounds.
2. ``contracts test`` wall time on the same budget (--max-examples, seed, workers) against the reference
   scoring service, for the contract as shipped and for a copy with every ``x-relations``, ``x-sum`` and
   ``x-sorted`` removed (no relation checks, no planned relation cases), after one untimed run of each
   (the first run of a process pays for imports, the generator's strategies and the server's warm-up,
   which once made the first contender look four times slower), then in rounds alternating which goes
   first; medians of the rounds.
"""

from __future__ import annotations

import functools
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

from tests.support.servers import serve
from validator.compiled import CompiledContract, RequestData
from validator.extensions import Exchange
from validator.loader import load
from validator.relations.exchange import check_relations
from validator.verify.runner import Options, run

from ._timing import interleaved

ROOT = Path(__file__).resolve().parents[1]
REF = "client-scoring@1.1.0"
BATCH, MAX_EXAMPLES, SEED, WORKERS, ROUNDS = 200, 20, 7, 4, 5
_PROMISES = ("x-relations", "x-sum", "x-sorted")


def exchange(size: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """A request of ``size`` clients and the aligned answer (the reference model's own numbers)."""
    sys.path.insert(0, str(ROOT / "examples" / "client-scoring-service"))
    from scoring_service import MODEL_VERSION, score_batch

    clients = [
        {"client_id": str(uuid.UUID(int=i + 1)), "recency_days": i % 365, "frequency": i % 12, "monetary": i * 1.5}
        for i in range(size)
    ]
    rows, segments = score_batch(clients)
    answer = {
        "campaign_id": "spring-sale-2026",
        "model_version": MODEL_VERSION,
        "scored_at": "2026-03-01T08:00:00Z",
        "scores": rows,
        "segment_probabilities": segments,
    }
    return {"clients": clients}, answer


def per_exchange() -> None:
    """Microseconds per exchange: relation checks, response validation with and without x-sum sites."""
    compiled = CompiledContract(load(REF, ROOT / "contracts"))
    op = compiled.contract.operation("scoreClients")
    request, answer = exchange(BATCH)
    data = RequestData({"campaign_id": "spring-sale-2026"}, [], {}, "application/json", request)
    one = Exchange(op, data, 200, {}, answer)
    assert check_relations(compiled, one) == []
    schema_uri = op.responses["200"].content["application/json"].schema_uri
    assert schema_uri is not None and compiled.check(schema_uri, answer, location="body") == []
    plain = compiled.validator(schema_uri)
    rates = interleaved(
        {
            "relations": functools.partial(check_relations, compiled, one),
            "schema + x-sum": functools.partial(compiled.check, schema_uri, answer, location="body"),
            "schema only": functools.partial(plain.is_valid, answer),
        }
    )
    print(f"one exchange, {BATCH}-client batch (median of interleaved rounds):")
    for name, per_second in rates.items():
        print(f"  {name:15} {1e6 / per_second:10.1f} µs/exchange")
    extra = 1e6 / rates["schema + x-sum"] - 1e6 / rates["schema only"]
    print(
        f"  x-sum sites add {extra:.1f} µs; the relations cost "
        f"{rates['schema only'] / rates['relations']:.2f}x a schema-only check"
    )


def _without_promises(target: Path) -> Path:
    """A copy of the contracts folder whose client-scoring 1.1.0 declares no x-relations, x-sum or x-sorted."""
    shutil.copytree(ROOT / "contracts", target)
    path = target / "client-scoring" / "1.1.0" / "openapi.yaml"
    path.write_text(yaml.safe_dump(_stripped(yaml.safe_load(path.read_text())), sort_keys=False))
    return target


def _stripped(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _stripped(v) for k, v in node.items() if k not in _PROMISES}
    if isinstance(node, list):
        return [_stripped(v) for v in node]
    return node


def wall_times() -> None:
    """`contracts test` against the reference scoring service, with and without relation checks."""
    with tempfile.TemporaryDirectory() as tmp:
        bare = _without_promises(Path(tmp) / "contracts")
        refs = {"with relations": ROOT / "contracts", "without": bare}
        argv = [
            sys.executable,
            str(ROOT / "examples" / "client-scoring-service" / "serve_scores.py"),
            "--port",
            "{port}",
        ]
        with serve(argv, ready_path="/v1/campaigns/c/model") as base:

            def once(name: str) -> tuple[float, int, bool]:
                # A fresh compile per run, as `contracts test` does: compiling is part of its wall time.
                started = time.perf_counter()
                compiled = CompiledContract(load(REF, refs[name]))
                options = Options(base_url=base, max_examples=MAX_EXAMPLES, seed=SEED, workers=WORKERS)
                report = run(compiled, options)
                return time.perf_counter() - started, report.cases, report.ok

            for name in refs:
                once(name)  # warm-up, not timed
            walls: dict[str, list[float]] = {name: [] for name in refs}
            cases: dict[str, int] = {}
            for round_ in range(ROUNDS):
                order = list(refs) if round_ % 2 == 0 else list(reversed(refs))
                for name in order:
                    wall, cases[name], ok = once(name)
                    assert ok, f"{name}: the reference service failed its contract test"
                    walls[name].append(wall)
        print(
            f"contracts test {REF}, --max-examples {MAX_EXAMPLES}, seed {SEED}, {WORKERS} workers "
            f"(median of {ROUNDS} rounds after a warm-up run of each):"
        )
        for name, values in walls.items():
            spread = f"{min(values):.2f}-{max(values):.2f}"
            print(f"  {name:15} {statistics.median(values):6.2f} s wall ({spread})  {cases[name]:5d} cases")
        with_, without = statistics.median(walls["with relations"]), statistics.median(walls["without"])
        print(
            f"  wall-time ratio {with_ / without:.2f}x, {with_ - without:+.2f} s for "
            f"{cases['with relations'] - cases['without']} more cases (the planned batches, up to 1000 clients)"
        )


def main() -> None:
    """Print both figures."""
    per_exchange()
    wall_times()
