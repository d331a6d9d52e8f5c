"""Contract-test checks for what a prediction promises about its request (``x-relations``, ``x-sum``, ``x-sorted``).

Per exchange: one check per relation kind (``relation_batch``, ``relation_echo``, ``relation_at_most``,
``relation_variant`` for a forced variant) and one per output keyword (``x_sum``, ``x_sorted``). Over
the whole run: ``relation_stable`` and the sticky half of ``relation_variant``, and the metamorphic
``relation_batch`` case (the same batch reversed must get the same answers reversed). The run-level
verdicts report the values seen, which ``--publish`` records as the model versions and variants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..compiled import CompiledContract, is_json_content_type
from ..contract import Operation
from ..extensions import Exchange
from ..payload import PayloadError, parse_json
from ..problems import Problem
from ..relations import MISSING, Side, judge_run, observed, read
from ..relations.exchange import check_relations, relations_for, sides
from .cases import Case, request_data
from .exchange import WireResponse
from .relation_cases import AS_SENT, REVERSED

RELATION_CHECKS = ("relation_batch", "relation_echo", "relation_at_most", "relation_stable", "relation_variant")
OUTPUT_CHECKS = ("x_sum", "x_sorted")


def check_name(keyword: str | None) -> str | None:
    """The check that reports a problem of this keyword (``x-relations/at-most`` -> ``relation_at_most``)."""
    if keyword is None:
        return None
    if keyword.startswith("x-relations/"):
        return "relation_" + keyword.removeprefix("x-relations/").replace("-", "_")
    if keyword in ("x-sum", "x-sorted"):
        return keyword.replace("-", "_")
    return None


def response_body(response: WireResponse) -> Any:
    """The response body as JSON, or MISSING when there is none or it is not JSON."""
    if not response.body or not is_json_content_type(response.content_type or ""):
        return MISSING
    try:
        return parse_json(response.body)
    except PayloadError:
        return MISSING


def exchange_sides(case: Case, response: WireResponse) -> tuple[Side, Side]:
    """The request and the response of one exchange as the relations read them."""
    data, _ = request_data(case.operation, case.request)
    return sides(data, response.headers, response_body(response))


def relation_findings(compiled: CompiledContract, case: Case, response: WireResponse) -> list[Problem]:
    """Every exchange-level relation problem of one valid request and its 2xx response."""
    if not case.valid or not 200 <= response.status < 300:
        return []
    data, _ = request_data(case.operation, case.request)
    exchange = Exchange(case.operation, data, response.status, response.headers, response_body(response))
    return check_relations(compiled, exchange)


# -- run level ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RunVerdict:
    """A run-level finding: the check, the problem, and the exchange that shows it."""

    check: str
    problem: Problem
    case: Case
    response: WireResponse


Sent = tuple[Case, WireResponse]


def judge(compiled: CompiledContract, op: Operation, sent: Sequence[Sent]) -> list[RunVerdict]:
    """``stable``, sticky ``variant`` and the reversed-batch case over every 2xx exchange of one operation."""
    declared = relations_for(compiled, op)
    if not declared:
        return []
    answered = [(c, r) for c, r in sent if c.valid and 200 <= r.status < 300]
    pairs = [exchange_sides(c, r) for c, r in answered]
    out = []
    for finding in judge_run(declared, pairs):
        case, response = answered[finding.index]
        name = check_name(finding.problem.keyword) or "relation_stable"
        out.append(RunVerdict(name, finding.problem, case, response))
    out.extend(_metamorphic(compiled, op, answered, pairs))
    return out


def _metamorphic(
    compiled: CompiledContract, op: Operation, answered: Sequence[Sent], pairs: Sequence[tuple[Side, Side]]
) -> list[RunVerdict]:
    """The answers to a batch sent reversed, reversed back, are the answers to the batch as sent."""
    out = []
    by_label = {c.description: i for i, (c, _) in enumerate(answered)}
    for rel in relations_for(compiled, op):
        if rel.kind != "batch" or rel.order != "preserved" or rel.request is None:
            continue
        label = f"{AS_SENT} ({rel.request})"
        mirrored = f"{REVERSED} ({rel.request})"
        if label not in by_label or mirrored not in by_label:
            continue
        first, second = pairs[by_label[label]][1], pairs[by_label[mirrored]][1]
        a, b = read(first, rel.response), read(second, rel.response)
        asked = read(pairs[by_label[label]][0], rel.request)
        if not isinstance(a, list) or not isinstance(b, list) or not isinstance(asked, list):
            continue
        if not len(a) == len(b) == len(asked):
            continue  # the per-exchange batch check reports the count mismatch: rows shifted by it are the same bug
        for index, (x, y) in enumerate(zip(a, list(reversed(b)), strict=True)):
            if x != y:
                where = f"{rel.response.pointer}/{len(b) - 1 - index}"
                message = (
                    f"{where}: the batch sent reversed got {_short(y)} for request item {index}, "
                    f"the batch as sent got {_short(x)} ({rel.request} reversed, {rel.response} not)"
                )
                case, response = answered[by_label[mirrored]]
                out.append(
                    RunVerdict(
                        "relation_batch", Problem(where, message, keyword=rel.keyword, location="body"), case, response
                    )
                )
                break
    return out


def seen(compiled: CompiledContract, operations: Sequence[Operation], sent: Sequence[Sent]) -> dict[str, Any]:
    """What the run observed: ``model_versions`` (stable values), ``variants`` and every location's values."""
    locations: dict[str, list[Any]] = {}
    for op in operations:
        declared = relations_for(compiled, op)
        if not declared:
            continue
        answered = [
            exchange_sides(c, r) for c, r in sent if c.operation.key == op.key and c.valid and 200 <= r.status < 300
        ]
        for key, values in observed(declared, answered).items():
            bucket = locations.setdefault(f"{op.label} {key}", [])
            bucket.extend(v for v in values if v not in bucket)
    model_versions = _union(v for k, v in locations.items() if " stable:" in k)
    variants = _union(v for k, v in locations.items() if " variant:" in k)
    return {"model_versions": model_versions, "variants": variants, "values": locations} if locations else {}


def _union(groups: Any) -> list[Any]:
    out: list[Any] = []
    for values in groups:
        out.extend(v for v in values if v not in out)
    return out


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
