"""Witnesses: payloads that prove a breaking schema change, confirmed by both versions' validators.

For a request the witness is valid under OLD and invalid under NEW (a client built against OLD sends
it and is refused); for a response it is valid under NEW and invalid under OLD (a server built to
NEW sends it and the client rejects it). The search works at the place of the change first: values
near what the source side admits and values aimed at each constraint of the target side
(``_samples``), kept when the two validators of that place disagree. Each is then put into whole
payloads (the contract's examples and minimal payloads, with the containers on the way built from
the source schema, so any depth and recursion work) and confirmed with the validators of the
whole body. A request witness only uses members OLD declares (policy decision 2), except for the
rules that close a request object (decision 14), whose point is an undeclared member.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from .. import limits
from ..compiled import CompiledContract
from ..errors import ContractsError, LoadError
from ._outputs import output_candidates
from ._samples import (
    ANY_VALUES,
    FORMAT_SAMPLES,
    full,
    member_value,
    minimal,
    pattern_samples,
    samples,
    unique,
    violators,
)
from ._schema import Schemas, View
from .pairing import REQUEST, ContractPair, SchemaPair, Version
from .report import Finding, Witness

MAX_DEPTH = 8
MAX_LOCAL_CHECKS = 1500
MAX_PAYLOAD_CHECKS = 600
DELETE: Any = object()  # a probe that leaves the member out
Step = str | int

__all__ = ["FORMAT_SAMPLES", "WitnessFinder", "minimal", "pattern_samples", "samples"]


class WitnessFinder:
    """Finds witnesses for the breaking schema changes between two versions (validators compiled once)."""

    def __init__(self, pair: ContractPair) -> None:
        self.pair = pair
        self._compiled: dict[str, CompiledContract | None] = {}
        # Whole-payload bases per payload root: every change under one root starts from the same ones,
        # and building them walks the root's whole schema (2,000 lowered bounds in one body: 17 s
        # rebuilding them per change).
        self._bases: dict[tuple[object, ...], list[tuple[Any, bool]]] = {}

    def compiled(self, side: Version) -> CompiledContract | None:
        """The validators of the old or new version, each schema compiled on first use (None when the
        version's resources cannot even be registered)."""
        if side not in self._compiled:
            contract = self.pair.old if side == "old" else self.pair.new
            try:
                # Lazily: one schema that does not compile stops the search for the pairs that use it only.
                self._compiled[side] = CompiledContract(contract, eager=False)
            except ContractsError:
                self._compiled[side] = None
        return self._compiled[side]

    def prepare(self, pairs: Iterable[SchemaPair]) -> None:
        """Compile, in one go per version, every location the search for these pairs validates against."""
        listed = list(pairs)
        sides: tuple[Version, Version] = ("old", "new")
        for at, side in enumerate(sides):
            compiled = self.compiled(side)
            if compiled is not None:
                compiled.prepare(uri for sp in listed for uri in _places(sp)[at])

    def blocked(self, sp: SchemaPair) -> str | None:
        """Why no witness can be searched for this pair (a schema it needs does not compile), or None."""
        sides: tuple[Version, Version] = ("old", "new")
        for side, uris in zip(sides, _places(sp), strict=True):
            compiled = self.compiled(side)
            contract = self.pair.old if side == "old" else self.pair.new
            if compiled is None:
                return f"no witness searched: the {side} version's schemas cannot be registered"
            for uri in dict.fromkeys(uris):
                try:
                    compiled.validator(uri)
                except ContractsError as exc:
                    reason = exc.reason if isinstance(exc, LoadError) else exc.message
                    return f"no witness searched: the {side} version's schema at {contract.shown(uri)} ({reason})"
        return None

    def find(self, sp: SchemaPair, finding: Finding, *, undeclared: bool = False) -> Witness | None:
        """A confirmed witness for one proposed break, or None when the search found none."""
        old_c, new_c = self.compiled("old"), self.compiled("new")
        if old_c is None or new_c is None or self.blocked(sp) is not None:
            return None
        old_s, new_s = sp.schemas
        # The place of the change: its own direction (flipped under ``not``) says which side must accept.
        local_request = sp.direction == REQUEST
        l_src, l_tgt = (sp.old, sp.new) if local_request else (sp.new, sp.old)
        ls_src, ls_tgt = (old_s, new_s) if local_request else (new_s, old_s)
        lc_src, lc_tgt = (old_c, new_c) if local_request else (new_c, old_c)
        src_samples = samples(l_src, ls_src, avoid=l_tgt.pattern)
        values = unique(
            _tensor_candidates(l_src.node.raw, l_tgt.node.raw)
            + output_candidates(l_src.node.raw, l_tgt.node.raw, _with_an_item(src_samples, l_src, ls_src))
            + violators(l_tgt, l_src, ls_tgt, ls_src)
            + src_samples
            + samples(l_tgt, ls_tgt, avoid=l_src.pattern)
        )[:MAX_LOCAL_CHECKS]
        limits.check(sp.new.uri.partition("#")[2], sp.new.uri.partition("#")[0])
        local = [v for v in values if _valid(lc_src, l_src.uri, v) and not _valid(lc_tgt, l_tgt.uri, v)]
        probes: list[tuple[tuple[Step, ...], Any]] = [(sp.path, v) for v in local]
        if finding.member is not None:
            probes = _member_probes((*sp.path, finding.member), l_src, ls_src, l_tgt, ls_tgt, finding.member) + probes
        probes += [(sp.path, v) for v in values[:60] if not any(v is p for _, p in probes)]
        # The whole payload: the root's direction says which version must accept it.
        root = sp.root
        request = root.direction == REQUEST
        src_c, tgt_c = (old_c, new_c) if request else (new_c, old_c)
        src_s, tgt_s = (old_s, new_s) if request else (new_s, old_s)
        src_root, tgt_root = (root.old_uri, root.new_uri) if request else (root.new_uri, root.old_uri)
        root_view = src_s.view(src_s.node(src_root))
        closed_world = request and not undeclared
        key = (id(root.old_media), id(root.new_media), src_root, tgt_root, request, closed_world)
        bases = self._bases.get(key)
        if bases is None:
            bases = _bases(sp, request, closed_world, (src_c, src_root, src_s), (tgt_c, tgt_root, tgt_s))
            self._bases[key] = bases
        checks = 0
        fallback: Witness | None = None
        for path, value in probes:
            for base, neutral in bases:
                payload = _embed(base, path, value, root_view, src_s)
                if closed_world:
                    payload = _declared_only(payload, root_view, src_s)
                checks += 1
                if checks > MAX_PAYLOAD_CHECKS:
                    return fallback
                limits.check(sp.new.uri.partition("#")[2], sp.new.uri.partition("#")[0])
                if not _valid(src_c, src_root, payload):
                    continue
                try:
                    problems = tgt_c.check(tgt_root, payload, location="body")
                except ContractsError:
                    return fallback
                if problems:
                    first = problems[0]
                    found = Witness(
                        _detached(payload),
                        root.where,
                        self._label("old" if request else "new"),
                        self._label("new" if request else "old"),
                        f"{first.pointer or '/'}: {first.message}",
                    )
                    # A base valid under both versions isolates the change: only the probe differs.
                    if neutral:
                        return found
                    fallback = fallback or found
        return fallback

    def _label(self, side: Version) -> str:
        contract = self.pair.old if side == "old" else self.pair.new
        return contract.version


def _places(sp: SchemaPair) -> tuple[tuple[str, str], tuple[str, str]]:
    """What the search validates against in the old and in the new version: the whole payload, the change."""
    return (sp.root.old_uri, sp.old.uri), (sp.root.new_uri, sp.new.uri)


def _valid(compiled: CompiledContract, uri: str, value: Any) -> bool:
    if value is DELETE:
        return False
    # Extension keywords count: a witness tensor must be consistent where it is claimed valid.
    try:
        return bool(compiled.validator(uri).is_valid(value)) and not compiled.extension_problems(uri, value)
    except (ContractsError, ValueError, OverflowError):
        return False


def _with_an_item(values: list[Any], view: View, schemas: Schemas) -> list[Any]:
    """Sample values, and a one-item array of the schema's items when it has them (samples may all be empty)."""
    if view.items is None:
        return values
    return [*values, [minimal(schemas.view(view.items), schemas)]]


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
    sp: SchemaPair,
    request: bool,
    closed_world: bool,
    src: tuple[CompiledContract, str, Schemas],
    tgt: tuple[CompiledContract, str, Schemas],
) -> list[tuple[Any, bool]]:
    """Whole payloads valid under the source version, those also valid under the target first.

    Drawn from both versions' examples and minimal and full payloads; each comes with whether it is
    neutral (valid under both), so that the probe put into it is what makes the target refuse it.
    """
    (src_c, src_uri, src_s), (tgt_c, tgt_uri, tgt_s) = src, tgt
    root = sp.root
    media = (root.old_media, root.new_media) if request else (root.new_media, root.old_media)
    src_view, tgt_view = src_s.view(src_s.node(src_uri)), tgt_s.view(tgt_s.node(tgt_uri))
    raw = [e.value for m in media if m is not None for e in m.examples.values()]
    raw += [minimal(src_view, src_s), full(src_view, src_s), minimal(tgt_view, tgt_s), full(tgt_view, tgt_s)]
    raw += [_fitted(src_c, src_uri, v) for v in raw]
    out: list[tuple[Any, bool]] = []
    for value in unique(raw):
        if closed_world:
            value = _declared_only(value, src_view, src_s)
        if _valid(src_c, src_uri, value):
            out.append((value, _valid(tgt_c, tgt_uri, value)))
    if not out:
        out.append((minimal(src_view, src_s), False))  # containers are still built along the path
    out.sort(key=lambda pair: not pair[1])
    return out[:4]


def _fitted(compiled: CompiledContract, uri: str, value: Any) -> Any:
    """``value`` with every x-tensor in it rebuilt consistent (data of exactly its shape's size)."""
    from ..tensor.build import with_tensors

    located = [i for i in compiled.locate(uri, value) if i.keyword == "x-tensor"]
    return with_tensors(value, located, {}) if located else value


def _step_view(view: View | None, step: Step, schemas: Schemas, depth: int = 0) -> View | None:
    """The source schema one step down a payload path (None where the schema says nothing).

    Where the schema itself says nothing about the step, its ``allOf``, ``anyOf`` and ``oneOf``
    members are asked, in that order: the walk steps into them without a step of the payload, so
    a path through ``allOf: [{$ref: Base}, {...}]`` or ``oneOf: [{$ref: X}, {type: null}]`` names a
    member one of them declares. Without them the containers beyond were built empty, invalid
    under the source version, and such breaks were judged unproven.
    """
    if view is None:
        return None
    found = _own_step_view(view, step, schemas)
    if found is not None or depth >= MAX_DEPTH:
        return found
    for member in (*view.all_of, *view.any_of, *view.one_of):
        found = _step_view(schemas.view(member), step, schemas, depth + 1)
        if found is not None:
            return found
    return None


def _own_step_view(view: View, step: Step, schemas: Schemas) -> View | None:
    node = None
    if isinstance(step, int):
        node = view.prefix_items[step] if step < len(view.prefix_items) else view.items
    elif step == "*":
        node = view.additional
    elif step.startswith("~"):
        node = view.pattern_properties.get(step[1:])
    else:
        node = view.properties.get(step) or view.additional
    return schemas.view(node) if node is not None else None


def _embed(base: Any, path: tuple[Step, ...], value: Any, view: View | None, schemas: Schemas) -> Any:
    """``base`` with ``value`` put at ``path``, missing containers built from the schema.

    Only the containers along the path are new (shallow copies); the rest is shared with ``base``,
    which nothing mutates: a payload is only validated, and the one kept as a witness is copied
    whole (:func:`_detached`). Copying the whole payload at every step of the path cost depth x size
    per probe (GitHub-shaped description: 25 million ``deepcopy`` calls for one diff).
    """
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        items = list(base) if isinstance(base, list) else []
        while len(items) <= step:
            position = _step_view(view, len(items), schemas)
            items.append(minimal(position, schemas) if position is not None else "x")
        inner = _step_view(view, step, schemas)
        items[step] = _embed(items[step], rest, value, inner, schemas)
        return items
    holder = dict(base) if isinstance(base, dict) else {}
    if step == "!key":  # the value is a member name (propertyNames)
        if isinstance(value, str) and view is not None:
            holder[value] = member_value(view, value, schemas, 0)
        return holder
    key = "extra" if step == "*" else _pattern_key(step[1:]) if step.startswith("~") else step
    if key is None:
        return holder
    if value is DELETE and not rest:
        holder.pop(key, None)
        return holder
    inner = _step_view(view, step, schemas)
    current = holder.get(key)
    if current is None and inner is not None and rest:
        current = minimal(inner, schemas)
    holder[key] = _embed(current, rest, value, inner, schemas)
    return holder


def _detached(payload: Any) -> Any:
    """A witness payload that shares nothing with the contract's examples or the search's values."""
    return copy.deepcopy(payload)


def _pattern_key(pattern: str) -> str | None:
    found = pattern_samples(pattern, None)
    return found[0] if found else None


def _declared_only(value: Any, view: View, schemas: Schemas, depth: int = 0) -> Any:
    """Drop object members the schema does not declare (clients never send them: decision 2)."""
    if depth > MAX_DEPTH or not isinstance(value, dict) or not view.properties or view.additional is not None:
        return value
    if view.pattern_properties:
        return value
    return {
        k: _declared_only(v, schemas.view(view.properties[k]), schemas, depth + 1)
        for k, v in value.items()
        if k in view.properties
    }


def _member_probes(
    path: tuple[Step, ...], src: View, src_s: Schemas, tgt: View, tgt_s: Schemas, member: str
) -> list[tuple[tuple[Step, ...], Any]]:
    """The property involved: left out, or given values of every type and of both versions' schemas."""
    values = list(ANY_VALUES)
    for view, schemas in ((src, src_s), (tgt, tgt_s)):
        if member in view.properties:
            values.extend(samples(schemas.view(view.properties[member]), schemas))
    return [(path, DELETE)] + [(path, v) for v in unique(values)]
