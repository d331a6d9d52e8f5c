"""The product's ``x-`` keywords in words, read from the contract document as written.

Each function takes the keyword's raw value (its syntax is fixed in INTERFACE.md) and returns a
sentence for a product owner; a value it cannot read is shown as written rather than dropped.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

SCHEMA_KEYWORDS = ("x-tensor", "x-sum", "x-sorted")


def as_written(value: Any) -> str:
    """A keyword value we cannot put in words, as compact JSON."""
    return json.dumps(value, ensure_ascii=False, default=str)


def location(text: Any) -> str:
    """``body:/scores`` -> ``body /scores``; ``header:X-Id`` -> ``header X-Id``."""
    if not isinstance(text, str) or ":" not in text:
        return as_written(text)
    where, _, what = text.partition(":")
    if where in ("query", "path"):
        return f"{where} parameter {what}"
    return f"{where} {what or '/'}"


def tensor(value: Any) -> str:
    """``{name: input-0, datatype: FP32, shape: [batch, 4]}`` -> ``tensor input-0: FP32, batch x 4``."""
    if not isinstance(value, Mapping):
        return as_written(value)
    shape = value.get("shape")
    dims = [_dim(d) for d in shape] if isinstance(shape, list) else []
    text = f"tensor {value.get('name', '(any name)')}: {value.get('datatype', '(any type)')}"
    if dims:
        text += ", " + " x ".join(dims)
    named = [d for d in shape or [] if isinstance(d, str)] if isinstance(shape, list) else []
    if named:
        text += f" ({', '.join(named)}: one value per exchange, the same in request and response)"
    return text


def _dim(dim: Any) -> str:
    if dim == -1:
        return "any"
    return str(dim)


def total(value: Any, *, on_object: bool = False) -> str:
    """``{equals: 1, tolerance: 1e-6, of: /probability}`` -> ``the /probability values add up to 1 (± 1e-06)``."""
    if not isinstance(value, Mapping):
        return as_written(value)
    of = value.get("of")
    what = f"the {of} of the items" if of else ("the values of the members" if on_object else "the items")
    text = f"{what} add up to {_number(value.get('equals'))}"
    if value.get("tolerance") is not None:
        text += f" (± {_number(value['tolerance'])})"
    return text


def ordering(value: Any) -> str:
    """``{order: desc, by: /score}`` -> ``sorted by /score, highest first (ties allowed)``."""
    if not isinstance(value, Mapping):
        return as_written(value)
    order = {"asc": "lowest first", "desc": "highest first"}.get(str(value.get("order")), str(value.get("order")))
    by = value.get("by")
    return f"sorted {'by ' + str(by) + ', ' if by else ''}{order} (ties allowed)"


def schema_keywords(schema: Mapping[str, Any]) -> list[str]:
    """The sentences for every ML keyword on one schema."""
    out = []
    if "x-tensor" in schema:
        out.append(tensor(schema["x-tensor"]))
    if "x-sum" in schema:
        out.append(total(schema["x-sum"], on_object=schema.get("type") == "object"))
    if "x-sorted" in schema:
        out.append(ordering(schema["x-sorted"]))
    return out


def relation(value: Any) -> str:
    """One ``x-relations`` entry as a sentence naming both sides."""
    if not isinstance(value, Mapping):
        return as_written(value)
    kind = value.get("kind")
    req, resp = location(value.get("request")), location(value.get("response"))
    if kind == "batch":
        text = f"one {resp} item per {req} item"
        order = value.get("order")
        if order == "preserved":
            text += ", in the same order"
        elif order == "any":
            text += ", in any order"
        key = value.get("key")
        if isinstance(key, str):
            text += f", each carrying its item's {key}"
        elif isinstance(key, Mapping):
            text += f", request {key.get('request')} matching response {key.get('response')}"
        return text
    if kind == "echo":
        return f"when the request has {req}, the response carries the same value in {resp}"
    if kind == "at-most":
        return f"{resp} has at most as many items as {req} says"
    if kind == "stable":
        return f"{resp} is the same in every response of one test run"
    if kind == "variant":
        text = f"{resp} names the A/B variant"
        if value.get("forced-by"):
            text += f"; a request with {location(value['forced-by'])} gets that variant"
        if value.get("sticky-by"):
            text += f"; the same {location(value['sticky-by'])} always gets the same variant"
        return text
    return as_written(value)


def relations(value: Any) -> list[str]:
    """Every entry of an operation's ``x-relations``."""
    if not isinstance(value, Sequence) or isinstance(value, str):
        return [as_written(value)] if value is not None else []
    return [relation(v) for v in value]


def slo(value: Any) -> list[str]:
    """``x-slo`` -> ``95% of requests answered within 150 ms``, one line per percentile."""
    if not isinstance(value, Mapping):
        return [as_written(value)] if value is not None else []
    out = []
    for key, share in (("latency_p50_ms", "50%"), ("latency_p95_ms", "95%"), ("latency_p99_ms", "99%")):
        if key in value:
            out.append(f"{share} of requests answered within {_number(value[key])} ms")
    known = ("latency_p50_ms", "latency_p95_ms", "latency_p99_ms")
    out += [f"{k}: {as_written(v)}" for k, v in value.items() if k not in known]
    return out


def match(value: Any) -> str:
    """``x-match`` -> how the expected output is compared."""
    if value == "exact":
        return "exactly as written"
    if isinstance(value, Mapping):
        parts = []
        if value.get("tolerance") is not None:
            parts.append(f"numbers within ± {_number(value['tolerance'])}")
        ignore = value.get("ignore")
        if isinstance(ignore, list) and ignore:
            parts.append("ignoring " + ", ".join(str(p) for p in ignore))
        return "; ".join(parts) or "as written"
    return as_written(value)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
