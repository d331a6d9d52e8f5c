"""Values near what a schema admits, and values that break a target schema's constraints.

Used by the witness search (witness.py): candidates only; every one is checked with the compiled
validators before it is used, so a value that misses its aim only costs a check.
"""

from __future__ import annotations

import math
from typing import Any

from .. import limits
from ..errors import TooComplexError
from . import _regex
from ._schema import Schemas, View

MAX_DEPTH = 8
_budget = [0]  # values minimal() may still build in the current top-level call
FORMAT_SAMPLES = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "10:00:00Z",
    "duration": "P1D",
    "email": "someone@example.com",
    "hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "uri": "https://example.com/a",
    "uri-reference": "/a",
    "uuid": "6f1c2f0e-3a8e-4b7a-9d0e-2b9f3c1d4e5f",
}
ANY_VALUES: tuple[Any, ...] = ("x", "", 0, 1, -1, 1.5, True, False, None, [], {}, "not a date")


def unique(values: list[Any]) -> list[Any]:
    """The values without repeats (``1`` and ``True`` differ, ``1`` and ``1.0`` too)."""
    seen: set[str] = set()
    out = []
    for v in values:
        key = repr(v) + type(v).__name__
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


# -- sample values ------------------------------------------------------------------------------
def samples(view: View, schemas: Schemas, *, avoid: str | None = None, depth: int = 0) -> list[Any]:
    """Varied values near what a schema admits: enum values, bounds and neighbours, typed probes."""
    out: list[Any] = list(view.enum or ())
    out.append(minimal(view, schemas, depth))
    types = (
        sorted(view.types)
        if view.types is not None
        else ["object", "array", "string", "integer", "number", "boolean", "null"]
    )
    for t in types:
        out.extend(_typed(t, view, schemas, avoid, depth))
    for node in (*view.any_of, *view.one_of)[:6]:
        branch = schemas.view(node)
        out.extend([*(branch.enum or ()), minimal(branch, schemas, depth + 1)])
    if view.not_ is not None:  # a value the exclusion matches
        out.append(minimal(schemas.view(view.not_), schemas, depth + 1))
    return out


def _typed(t: str, view: View, schemas: Schemas, avoid: str | None, depth: int) -> list[Any]:
    if t in ("integer", "number"):
        lo = view.lower.value if view.lower else 0.0
        hi = view.upper.value if view.upper else lo + 100
        ints = [
            math.ceil(lo),
            math.floor(hi),
            math.ceil(lo) - 1,
            math.floor(hi) + 1,
            0,
            1,
            -1,
            2,
            10,
            1000000,
        ]
        if view.multiple_of:
            ints.append(int(view.multiple_of * max(1, math.ceil(lo / view.multiple_of))))
        extra = [lo, hi, lo + 0.5, hi - 0.5, 0.5, -0.5] if t == "number" else []
        return [*ints, *extra]
    if t == "string":
        texts = ["", "a", "x", "x y", "0", *FORMAT_SAMPLES.values()]
        if view.min_length:
            texts.append("a" * view.min_length)
        if view.max_length is not None and view.max_length < 10000:
            texts += ["a" * view.max_length, "a" * (view.max_length + 1)]
        if view.pattern:
            texts += pattern_samples(view.pattern, avoid)
        return texts
    if t == "array":
        item = minimal(schemas.view(view.items), schemas, depth + 1) if view.items is not None else "x"
        lists = [[], [item], [item, item]]
        if view.items is None:
            lists += [[v] for v in ANY_VALUES]
        if view.min_items:
            lists.append([item] * view.min_items)
        if view.max_items is not None and view.max_items < 1000:
            lists += [[item] * view.max_items, [item] * (view.max_items + 1)]
        if view.prefix_items:
            lists.append([minimal(schemas.view(n), schemas, depth + 1) for n in view.prefix_items])
        if view.contains is not None:
            lists.append([minimal(schemas.view(view.contains), schemas, depth + 1)])
        if view.items is not None and depth < 3:
            lists += [[s] for s in samples(schemas.view(view.items), schemas, depth=depth + 1)[:20]]
        return lists
    if t == "object":
        full = _full(view, schemas, depth)
        objects = [full, {**full, "extra": "x"}] if isinstance(full, dict) else [{}, {"extra": "x"}]
        if depth < 3:
            for name, node in list(view.properties.items())[:20]:
                base = minimal(view, schemas, depth)
                if isinstance(base, dict):
                    objects += [{**base, name: s} for s in samples(schemas.view(node), schemas, depth=depth + 1)[:12]]
        return objects
    fixed: dict[str, list[Any]] = {"boolean": [True, False], "null": [None]}
    return fixed.get(t, [])


def minimal(view: View, schemas: Schemas, depth: int = 0) -> Any:
    """A small value meant to satisfy the schema: required members, minimum lengths, bounds."""
    if depth == 0:
        _budget[0] = limits.current().expansion
    _budget[0] -= 1
    if _budget[0] < 0:
        # Ten required members nesting ten levels deep: the smallest valid value has 10^10 parts.
        file, _, pointer = view.uri.partition("#")
        raise TooComplexError(
            f"too complex: the smallest value of the schema has more than {limits.current().expansion} parts",
            limit="expansion",
            pointer=pointer,
            file=file,
        )
    if depth > MAX_DEPTH:
        return None
    if view.enum:
        return view.enum[0]
    if view.all_of:
        merged: dict[str, Any] = {}
        for node in view.all_of:
            part = minimal(schemas.view(node), schemas, depth + 1)
            if isinstance(part, dict):
                merged.update(part)
        if merged:
            base = _object(view, schemas, depth) if view.admits("object") else {}
            return {**merged, **base}
    if (view.one_of or view.any_of) and view.types is None and not view.properties:
        return minimal(schemas.view((view.one_of or view.any_of)[0]), schemas, depth + 1)
    kind = _kind(view)
    if kind == "object":
        return _object(view, schemas, depth)
    if kind == "array":
        item = minimal(schemas.view(view.items), schemas, depth + 1) if view.items is not None else "x"
        prefix = [minimal(schemas.view(n), schemas, depth + 1) for n in view.prefix_items]
        if view.contains is not None:  # the items contains asks for, after the tuple
            match = minimal(schemas.view(view.contains), schemas, depth + 1)
            prefix += [match] * (1 if view.min_contains is None else view.min_contains)
        return prefix + [item] * max(0, (view.min_items or 0) - len(prefix))
    if kind == "string":
        if view.pattern:
            found = pattern_samples(view.pattern, None)
            if found:
                return found[0]
        if view.format in FORMAT_SAMPLES:
            return FORMAT_SAMPLES[view.format]
        return "a" * max(view.min_length or 0, 1)
    if kind in ("integer", "number"):
        lo = view.lower.value + (1 if view.lower.exclusive else 0) if view.lower else None
        hi = view.upper.value - (1 if view.upper.exclusive else 0) if view.upper else None
        value = 0 if lo is None else max(lo, 0)
        if hi is not None and value > hi:  # zero is out of range: the nearest bound that is in it
            value = hi if lo is None else lo
        if view.multiple_of:
            step = view.multiple_of
            up = step * math.ceil(value / step)
            value = up if hi is None or up <= hi else step * math.floor(value / step)
        return int(value) if float(value).is_integer() else value
    return {"boolean": False, "null": None}.get(kind, "x")


def _kind(view: View) -> str:
    if view.types is not None:
        for t in ("object", "array", "string", "integer", "number", "boolean", "null"):
            if t in view.types:
                return t
    if view.properties or view.required or view.closed:
        return "object"
    if view.items is not None or view.prefix_items or view.min_items:
        return "array"
    if view.pattern or view.format or view.min_length or view.max_length is not None:
        return "string"
    if view.lower or view.upper or view.multiple_of:
        return "number"
    return "any"


def _object(view: View, schemas: Schemas, depth: int) -> dict[str, Any]:
    names = set(view.required)
    for key in list(names):
        names |= view.dependent_required.get(key, frozenset())
    for name in view.properties:  # minProperties asks for more members than are required
        if len(names) >= (view.min_properties or 0):
            break
        names.add(name)
    out = {name: member_value(view, name, schemas, depth) for name in sorted(names)}
    for i in range(len(out), view.min_properties or 0):
        out[f"extra{i}"] = member_value(view, f"extra{i}", schemas, depth)
    return out


def member_value(view: View, name: str, schemas: Schemas, depth: int) -> Any:
    """A minimal value for member ``name`` of an object schema (declared, pattern or additional)."""
    if name in view.properties:
        return minimal(schemas.view(view.properties[name]), schemas, depth + 1)
    for pattern, node in view.pattern_properties.items():
        if _regex.matches(pattern, name):
            return minimal(schemas.view(node), schemas, depth + 1)
    if view.additional is not None:
        return minimal(schemas.view(view.additional), schemas, depth + 1)
    return "x"


def member_names(view: View) -> list[str]:
    """Names to try as object members: declared, matching each pattern, constrained by propertyNames."""
    names = [*view.properties, "extra", "Extra-1", "1", "_x", "a" * 40]
    for pattern in view.pattern_properties:
        names += pattern_samples(pattern, None)[:2]
    return unique(names)


def violators(tgt: View, src: View, tgt_s: Schemas, src_s: Schemas) -> list[Any]:
    """Values built from ``src`` that aim at breaking one of ``tgt``'s constraints, one at a time."""
    out: list[Any] = []
    base = minimal(src, src_s)
    full = _full(src, src_s)
    # Numbers: each side of each bound, and steps of one multipleOf that are off the other.
    for bound in (tgt.lower, tgt.upper, src.lower, src.upper):
        if bound is not None:
            out += [bound.value, bound.value - 1, bound.value + 1, bound.value - 0.5, bound.value + 0.5]
            out += [int(bound.value) - 1, int(bound.value) + 1] if math.isfinite(bound.value) else []
    step = src.multiple_of or 1.0
    out += [step * k for k in range(1, 8)] + [step * k for k in range(-3, 0)]
    if tgt.multiple_of:
        out += [tgt.multiple_of * k + step for k in range(0, 4)]
    out = [int(v) if isinstance(v, float) and v.is_integer() and abs(v) < 2**53 else v for v in out]
    # Strings: lengths around each limit, from the source's own samples so its pattern still holds.
    texts = [t for t in [minimal(src, src_s), *pattern_samples(src.pattern or ".*", tgt.pattern)] if isinstance(t, str)]
    for length in (tgt.max_length, tgt.min_length, src.max_length, src.min_length):
        if length is not None and length < 10000:
            for text in texts[:3] or ["a"]:
                pad = (text or "a") * (length // max(len(text), 1) + 2)
                out += [pad[: length + 1], pad[: max(length - 1, 0)], pad[:length]]
    # Objects: too many members, missing dependents, names off propertyNames, values off patterns.
    if isinstance(full, dict):
        out.append(full)
        for count in (tgt.max_properties, src.max_properties):
            if count is not None and count < 200:
                more = dict(full)
                for name in member_names(src):
                    if len(more) > count:
                        break
                    more.setdefault(name, member_value(src, name, src_s, 0))
                out.append(more)
    if isinstance(base, dict):
        for key, names in tgt.dependent_required.items():
            partial = {**base, key: member_value(src, key, src_s, 0)}
            for name in names:
                partial.pop(name, None)
            out.append(partial)
        for key in tgt.dependent_schemas:
            out.append({**base, key: member_value(src, key, src_s, 0)})
        for name in member_names(src) + member_names(tgt):
            for value in [member_value(src, name, src_s, 0), *ANY_VALUES[:6]]:
                out.append({**base, name: value})
        for view, schemas in ((tgt, tgt_s), (src, src_s)):
            if view.property_names is not None:
                for key in samples(schemas.view(view.property_names), schemas, depth=2):
                    if isinstance(key, str):
                        out.append({**base, key: member_value(src, key, src_s, 0)})
    # Conditionals: values that satisfy the condition (and so must satisfy then), and values that do not.
    for view, schemas in ((tgt, tgt_s), (src, src_s)):
        for node in (view.if_, view.then, view.else_):
            if node is not None:
                part = minimal(schemas.view(node), schemas, 1)
                out.append(part)
                if isinstance(part, dict) and isinstance(base, dict):
                    out.append({**base, **part})
                    out.append({**(full if isinstance(full, dict) else base), **part})
    # Arrays: counts of matching items around minContains/maxContains, tuples one item longer.
    if isinstance(base, list):
        fillers = unique([*base[-1:], minimal(src_s.view(src.items), src_s, 1) if src.items is not None else "x"])
        for length in (tgt.max_items, tgt.min_items, src.max_items, src.min_items):
            if length is not None and length < 1000:
                for filler in fillers:
                    for n in (length - 1, length, length + 1):
                        out.append(
                            (base + [filler] * n)[: max(n, 0)] if n < len(base) else base + [filler] * (n - len(base))
                        )
        for view, schemas in ((tgt, tgt_s), (src, src_s)):
            if view.contains is not None:
                item = minimal(schemas.view(view.contains), schemas, 1)
                top = max(view.max_contains or 0, view.min_contains or 1) + 2
                out += [[item] * k for k in range(top)]
        for view, schemas in ((src, src_s), (tgt, tgt_s)):
            if view.prefix_items:
                tup = [minimal(schemas.view(n), schemas, 1) for n in view.prefix_items]
                out += [tup, [*tup, tup[-1]], [*tup, "x"], [*tup, 0], tup[:-1]]
    return out


def full(view: View, schemas: Schemas, depth: int = 0) -> Any:
    """Every declared member with a minimal value (a minimal value when none is declared)."""
    return _full(view, schemas, depth)


def _full(view: View, schemas: Schemas, depth: int = 0) -> Any:
    """Every declared member with a minimal value."""
    if depth > MAX_DEPTH or not view.properties:
        return minimal(view, schemas, depth)
    return {name: minimal(schemas.view(node), schemas, depth + 1) for name, node in view.properties.items()}


def pattern_samples(pattern: str, avoid: str | None) -> list[str]:
    """Strings matching ``pattern`` (those not matching ``avoid`` first)."""
    return _regex.samples(pattern, avoid)
