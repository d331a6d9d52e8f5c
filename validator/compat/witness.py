"""Witnesses: payloads that prove a breaking schema change, confirmed by both versions' validators.

For a request the witness is valid under OLD and invalid under NEW (a client built against OLD sends
it and is refused); for a response it is valid under NEW and invalid under OLD (a server built to
NEW sends it and the client rejects it). Candidates are drawn from the schemas at the place of the
change (enum values, bounds and their neighbours, pattern and format samples, the property involved
with values of every type), filtered with the validators of that place, then put into whole payloads
(the contract's examples, or a minimal valid payload) and confirmed with the validators of the whole
body. A request witness only uses members that OLD declares (policy decision 2).
"""

from __future__ import annotations

import copy
import math
from typing import Any

from ..compiled import CompiledContract
from ..errors import ContractsError
from . import _regex
from ._schema import Schemas, View
from .pairing import REQUEST, ContractPair, Root, SchemaPair
from .report import Finding, Witness

MAX_DEPTH = 8
MAX_PAYLOAD_CHECKS = 400
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
DELETE: Any = object()  # a probe that leaves the member out
_ANY_VALUES: tuple[Any, ...] = ("x", "", 0, 1, -1, 1.5, True, False, None, [], {}, "not a date")


class WitnessFinder:
    """Finds witnesses for the breaking schema changes between two versions (validators compiled once)."""

    def __init__(self, pair: ContractPair) -> None:
        self.pair = pair
        self._compiled: dict[str, CompiledContract | None] = {}

    def compiled(self, side: str) -> CompiledContract | None:
        """The compiled validators of the old or new version (None when a schema cannot compile)."""
        if side not in self._compiled:
            contract = self.pair.old if side == "old" else self.pair.new
            try:
                self._compiled[side] = CompiledContract(contract)
            except ContractsError:
                self._compiled[side] = None
        return self._compiled[side]

    def find(self, sp: SchemaPair, finding: Finding) -> Witness | None:
        """A confirmed witness for one breaking finding, or None when none was found."""
        root = sp.root
        request = root.direction == REQUEST
        src_side, tgt_side = ("old", "new") if request else ("new", "old")
        src_c, tgt_c = self.compiled(src_side), self.compiled(tgt_side)
        if src_c is None or tgt_c is None:
            return None
        old_s, new_s = sp.schemas
        src_view, tgt_view = (sp.old, sp.new) if request else (sp.new, sp.old)
        src_s, tgt_s = (old_s, new_s) if request else (new_s, old_s)
        values = _tensor_candidates(src_view.node.raw, tgt_view.node.raw) + _candidates(
            src_view, src_s, tgt_view, tgt_s
        )
        local = [v for v in values if _valid(src_c, src_view.uri, v) and not _valid(tgt_c, tgt_view.uri, v)]
        probes: list[tuple[tuple[str | int, ...], Any]] = [(sp.path, v) for v in (local or values[:40])]
        if finding.member is not None:
            probes = (
                _member_probes((*sp.path, finding.member), src_view, src_s, tgt_view, tgt_s, finding.member) + probes
            )
        src_root, tgt_root = (root.old_uri, root.new_uri) if request else (root.new_uri, root.old_uri)
        root_view = src_s.view(src_s.node(src_root))
        bases = _bases(root, request, (src_c, src_root, src_s), (tgt_c, tgt_root, tgt_s))
        checks = 0
        fallback: Witness | None = None
        for path, value in probes:
            for base, neutral in bases:
                payload = _embed(base, path, value)
                if request:
                    payload = _declared_only(payload, root_view, src_s)
                checks += 1
                if checks > MAX_PAYLOAD_CHECKS:
                    return fallback
                if not _valid(src_c, src_root, payload):
                    continue
                problems = tgt_c.check(tgt_root, payload, location="body")
                if problems:
                    first = problems[0]
                    found = Witness(
                        payload,
                        root.where,
                        self._label(src_side),
                        self._label(tgt_side),
                        f"{first.pointer or '/'}: {first.message}",
                    )
                    # A base valid under both versions isolates the change: only the probe differs.
                    if neutral:
                        return found
                    fallback = fallback or found
        return fallback

    def _label(self, side: str) -> str:
        contract = self.pair.old if side == "old" else self.pair.new
        return contract.version


def _valid(compiled: CompiledContract, uri: str, value: Any) -> bool:
    # Extension keywords count: a witness tensor must be consistent where it is claimed valid.
    try:
        return bool(compiled.validator(uri).is_valid(value)) and not compiled.extension_problems(uri, value)
    except ContractsError:
        return False


def _tensor_candidates(src: Any, tgt: Any) -> list[Any]:
    """Tensors for x-tensor changes: consistent ones of the source declaration, else inconsistent target ones."""
    from ..extensions import DeclarationError
    from ..tensor.build import build_tensor
    from ..tensor.model import parse_declaration

    def spec_of(raw: Any) -> Any:
        if not isinstance(raw, dict) or "x-tensor" not in raw:
            return None
        try:
            return parse_declaration(raw["x-tensor"], raw)
        except DeclarationError:
            return None

    source, target = spec_of(src), spec_of(tgt)
    if source is not None:
        names = [n for _, n in source.named_dims()]
        return [build_tensor(source, dict.fromkeys(names, batch)) for batch in (1, 2)]
    if target is not None:
        consistent = build_tensor(target, {n: 2 for _, n in target.named_dims()})
        return [{**consistent, "data": consistent["data"][:-1] or [*consistent["data"], 0]}]
    return []


def _bases(
    root: Root,
    request: bool,
    src: tuple[CompiledContract, str, Schemas],
    tgt: tuple[CompiledContract, str, Schemas],
) -> list[tuple[Any, bool]]:
    """Whole payloads valid under the source version, those also valid under the target first.

    Drawn from both versions' examples and minimal payloads; each comes with whether it is neutral
    (valid under both), so that the probe put into it is what makes the target refuse it.
    """
    (src_c, src_uri, src_s), (tgt_c, tgt_uri, tgt_s) = src, tgt
    media = (root.old_media, root.new_media) if request else (root.new_media, root.old_media)
    raw = [e.value for m in media if m is not None for e in m.examples.values()]
    raw += [minimal(src_s.view(src_s.node(src_uri)), src_s), minimal(tgt_s.view(tgt_s.node(tgt_uri)), tgt_s)]
    raw += [_fitted(src_c, src_uri, v) for v in raw]
    root_view = src_s.view(src_s.node(src_uri))
    out: list[tuple[Any, bool]] = []
    for value in _unique(raw):
        if request:
            value = _declared_only(value, root_view, src_s)
        if _valid(src_c, src_uri, value):
            out.append((value, _valid(tgt_c, tgt_uri, value)))
    out.sort(key=lambda pair: not pair[1])
    return out[:4]


def _fitted(compiled: CompiledContract, uri: str, value: Any) -> Any:
    """``value`` with every x-tensor in it rebuilt consistent (data of exactly its shape's size)."""
    from ..tensor.build import with_tensors

    located = [i for i in compiled.locate(uri, value) if i.keyword == "x-tensor"]
    return with_tensors(value, located, {}) if located else value


def _embed(base: Any, path: tuple[str | int, ...], value: Any) -> Any:
    """A copy of ``base`` with ``value`` put at ``path`` (containers made as needed)."""
    if not path:
        return copy.deepcopy(value)
    root = copy.deepcopy(base)
    if value is DELETE:
        holder_path, key = path[:-1], path[-1]
        parent = _at(root, holder_path)
        if isinstance(parent, dict) and isinstance(key, str):
            parent.pop(key, None)
        return root
    holder: Any = root if isinstance(root, dict | list) else ({} if isinstance(path[0], str) else [])
    top = holder
    for i, step in enumerate(path):
        last = i == len(path) - 1
        nxt: Any = value if last else ({} if isinstance(path[i + 1], str) else [])
        if isinstance(step, str):
            if not isinstance(holder, dict):
                return value
            key = "extra" if step == "*" else step
            if last or not isinstance(holder.get(key), dict | list):
                holder[key] = copy.deepcopy(nxt)
            holder = holder[key]
        else:
            if not isinstance(holder, list):
                return value
            if not holder:
                holder.append(copy.deepcopy(nxt))
            elif last:
                holder[0] = copy.deepcopy(nxt)
            holder = holder[0]
    return top


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        if isinstance(value, dict) and isinstance(step, str):
            value = value.get(step)
        elif isinstance(value, list) and value and isinstance(step, int):
            value = value[0]
        else:
            return None
    return value


def _declared_only(value: Any, view: View, schemas: Schemas, depth: int = 0) -> Any:
    """Drop object members the schema does not declare (clients never send them: decision 2)."""
    if depth > MAX_DEPTH or not isinstance(value, dict) or not view.properties or view.additional is not None:
        return value
    return {
        k: _declared_only(v, schemas.view(view.properties[k]), schemas, depth + 1)
        for k, v in value.items()
        if k in view.properties
    }


def _candidates(src: View, src_s: Schemas, tgt: View, tgt_s: Schemas) -> list[Any]:
    return _unique(samples(src, src_s, avoid=tgt.pattern) + samples(tgt, tgt_s, avoid=src.pattern))


def _member_probes(
    path: tuple[str | int, ...], src: View, src_s: Schemas, tgt: View, tgt_s: Schemas, member: str
) -> list[tuple[tuple[str | int, ...], Any]]:
    """The property involved: left out, or given values of every type and of both versions' schemas."""
    values = list(_ANY_VALUES)
    for view, schemas in ((src, src_s), (tgt, tgt_s)):
        if member in view.properties:
            values.extend(samples(schemas.view(view.properties[member]), schemas))
    return [(path, DELETE)] + [(path, v) for v in _unique(values)]


def _unique(values: list[Any]) -> list[Any]:
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
            lists += [[v] for v in _ANY_VALUES]
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
        lo = view.lower.value + (1 if view.lower.exclusive else 0) if view.lower else 0
        value = max(lo, 0) if view.upper is None or view.upper.value >= max(lo, 0) else lo
        if view.multiple_of:
            value = view.multiple_of * math.ceil(value / view.multiple_of)
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
    return {
        name: minimal(schemas.view(view.properties[name]), schemas, depth + 1) if name in view.properties else "x"
        for name in sorted(view.required)
    }


def _full(view: View, schemas: Schemas, depth: int = 0) -> Any:
    """Every declared member with a minimal value."""
    if depth > MAX_DEPTH or not view.properties:
        return minimal(view, schemas, depth)
    return {name: minimal(schemas.view(node), schemas, depth + 1) for name, node in view.properties.items()}


def pattern_samples(pattern: str, avoid: str | None) -> list[str]:
    """Strings matching ``pattern`` (those not matching ``avoid`` first)."""
    return _regex.samples(pattern, avoid)
