"""The ``x-relations`` kinds judged over a run (``stable``, the sticky half of ``variant``), across the
exchanges of one proxy run.

The contract tests judge these once, over a finished run. A proxy's run never finishes, so it keeps what
it needs as exchanges pass, bounded: per ``stable`` relation, the first value served and how often each
value came (at most ``max_values`` distinct ones); per sticky ``variant``, the variant each key got first
(the ``max_keys`` most recently seen keys). An exchange that breaks one is a finding of that exchange,
under the contract tests' check name; it is never replaced in ``enforce`` (the proxy cannot tell which of
two answers is the wrong one). What the run saw is the report's ``observed``, as ``contracts test``
reports it: the model versions, the variants, and the values at each location.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from validator.compiled import CompiledContract, RequestData
from validator.contract import Operation
from validator.payload import dumps
from validator.problems import Problem
from validator.relations import MISSING, Relation, read
from validator.relations.exchange import relations_for, sides
from validator.verify.exchange import WireResponse
from validator.verify.relation_checks import response_body

from .checking import RESPONSE, Finding

OTHER = "(other values)"  # where counts go once a location has shown max_values distinct values


@dataclass(slots=True)
class _Values:
    """The values one location has shown in this run: the first one, and how often each came."""

    first: str
    counts: dict[str, int] = field(default_factory=dict)
    kept: list[Any] = field(default_factory=list)  # the distinct plain values, in the order first seen


class RunJudge:
    """Judges ``stable`` and sticky ``variant`` relations across the exchanges of one proxy run."""

    def __init__(self, compiled: CompiledContract, *, max_keys: int = 10_000, max_values: int = 100) -> None:
        self._compiled = compiled
        self._max_keys = max_keys
        self._max_values = max_values
        self._relations: dict[str, tuple[Relation, ...]] = {}
        self._values: dict[tuple[str, str], _Values] = {}  # (operation, kind:location)
        self._sticky: dict[tuple[str, str], OrderedDict[str, str]] = {}  # key token -> first variant token

    def relations(self, op: Operation) -> tuple[Relation, ...]:
        """The operation's relations judged over a run (worked out once)."""
        found = self._relations.get(op.key)
        if found is None:
            found = tuple(r for r in relations_for(self._compiled, op) if r.kind in ("stable", "variant"))
            self._relations[op.key] = found
        return found

    def judge(self, op: Operation, request: RequestData, response: WireResponse) -> list[Finding]:
        """The run-level findings one valid request and its answer add (only 2xx answers count)."""
        declared = self.relations(op)
        if not declared or not 200 <= response.status < 300:
            return []
        request_side, response_side = sides(request, response.headers, response_body(response))
        out: list[Finding] = []
        for rel in declared:
            value = read(response_side, rel.response)
            if value is MISSING:
                continue
            token = _token(value)
            seen = self._seen(op, rel, value, token)
            if rel.kind == "stable" and token != seen.first:
                out.append(Finding(RESPONSE, "relation_stable", self._unstable(rel, token, seen)))
            elif rel.kind == "variant" and rel.sticky_by is not None:
                if rel.forced_by is not None and read(request_side, rel.forced_by) not in (MISSING, ""):
                    continue  # a forced variant is not the sticky one
                key = read(request_side, rel.sticky_by)
                if key is MISSING:
                    continue
                first = self._sticky_variant(op, rel, _token(key), token)
                if first != token:
                    message = (
                        f"{rel.response}: {rel.sticky_by} {_token(key)} got {token} here and {first} earlier "
                        "in this proxy run (a sticky variant stays the same for one key)"
                    )
                    problem = rel.problem(message)
                    out.append(Finding(RESPONSE, "relation_variant", problem))
        return out

    def observed(self) -> dict[str, Any]:
        """What the run served: ``model_versions`` (stable values), ``variants``, every location's values."""
        values = {f"{label} {where}": list(seen.kept) for (label, where), seen in self._values.items()}
        if not values:
            return {}
        return {
            "model_versions": _union(v for k, v in values.items() if " stable:" in k),
            "variants": _union(v for k, v in values.items() if " variant:" in k),
            "values": values,
            "counts": {f"{label} {where}": dict(seen.counts) for (label, where), seen in self._values.items()},
        }

    def _seen(self, op: Operation, rel: Relation, value: Any, token: str) -> _Values:
        key = (op.label, f"{rel.kind}:{rel.response}")
        seen = self._values.get(key)
        if seen is None:
            seen = self._values[key] = _Values(token)
        if token in seen.counts:
            seen.counts[token] += 1
        elif len(seen.counts) < self._max_values:
            seen.counts[token] = 1
            if isinstance(value, str | int | float | bool) or value is None:
                seen.kept.append(value)
        else:
            seen.counts[OTHER] = seen.counts.get(OTHER, 0) + 1
        return seen

    def _sticky_variant(self, op: Operation, rel: Relation, key: str, variant: str) -> str:
        """The variant ``key`` got first in this run (``variant`` when it is new), keeping the latest keys."""
        keys = self._sticky.setdefault((op.label, str(rel.response)), OrderedDict())
        first = keys.get(key)
        if first is None:
            keys[key] = first = variant
            if len(keys) > self._max_keys:
                keys.popitem(last=False)
        else:
            keys.move_to_end(key)
        return first

    @staticmethod
    def _unstable(rel: Relation, token: str, seen: _Values) -> Problem:
        listing = ", ".join(f"{value} ({count})" for value, count in sorted(seen.counts.items(), key=lambda kv: -kv[1]))
        message = (
            f"{rel.response}: {token} here, {seen.first} in the first answer of this proxy run "
            f"(answers so far: {listing})"
        )
        return rel.problem(message)


def _token(value: Any) -> str:
    try:
        return dumps(value).decode()
    except Exception:
        return repr(value)


def _union(groups: Any) -> list[Any]:
    out: list[Any] = []
    for values in groups:
        out.extend(v for v in values if v not in out)
    return out
