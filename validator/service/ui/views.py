"""What each page shows, as plain values built from the catalogue snapshot and the records.

The templates only lay these out; nothing here knows HTML.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag

from ... import versions as _versions
from ...contract import Contract, Interaction, MediaType, Operation, ParameterLocation
from ...pointers import resolve_pointer
from ..catalogue import Snapshot
from ..store import Cell
from . import keywords
from .schema_view import SchemaView, view

MAX_LEAVES = 24


@dataclass(frozen=True)
class ContractCard:
    """One contract in the catalogue (what the contracts folder says; the records' counts are added per request)."""

    name: str
    title: str
    description: str
    owner: str
    latest: str
    released: list[str]
    prereleases: list[str]


@dataclass
class Body:
    """One media type of a request or response, with its schema table."""

    media_type: str
    schema: SchemaView | None


@dataclass
class ResponseView:
    """A documented response: status, description, headers, bodies."""

    status: str
    description: str
    headers: list[tuple[str, bool, str]]
    bodies: list[Body]


@dataclass
class Pair:
    """A named example: the request and the response that answers it."""

    name: str
    summary: str
    parameters: dict[str, Any]
    request: str | None
    status: str
    response: str
    match: str | None


@dataclass
class Scenario:
    """A business scenario (an example with ``x-match``): inputs, expected outputs, comparison."""

    name: str
    summary: str
    given: list[tuple[str, str]]
    expected: list[tuple[str, str]]
    status: str
    compared: str


@dataclass
class OperationView:
    """Everything the version page says about one operation."""

    anchor: str
    method: str
    path: str
    label: str
    summary: str
    description: str
    deprecated: bool
    slo: list[str]
    relations: list[str]
    parameters: list[tuple[str, ParameterLocation, bool, str, str]]  # name, in, required, type, description
    request: list[Body]
    responses: list[ResponseView]
    pairs: list[Pair] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)


def card(snap: Snapshot, name: str) -> ContractCard:
    """The catalogue entry of a contract, from its latest version's ``info`` (read alone, not loaded)."""
    known = snap.versions_of(name)
    latest = snap.latest(name)
    info = snap.info(name, latest)
    released = [v for v in known if _versions.is_released(_versions.parse(v))]
    return ContractCard(
        name,
        str(info.get("title", name)),
        _first_paragraph(str(info.get("description", ""))),
        owner(info),
        latest,
        list(reversed(released)),
        [v for v in reversed(known) if v not in released],
    )


def owner(info: Mapping[str, Any]) -> str:
    """Who owns the contract: ``x-owner`` or ``contact`` of ``info``."""
    if isinstance(info.get("x-owner"), str):
        return str(info["x-owner"])
    contact = info.get("contact")
    if isinstance(contact, Mapping):
        parts = [str(contact[k]) for k in ("name", "email") if isinstance(contact.get(k), str)]
        return " · ".join(parts)
    return ""


def matches(found: ContractCard, query: str) -> bool:
    """Whether a catalogue search matches this contract (name or title, case-insensitive)."""
    needle = query.strip().lower()
    return not needle or needle in found.name.lower() or needle in found.title.lower()


def operations(contract: Contract) -> list[OperationView]:
    """The version page's operations, in document order."""
    return [_operation(contract, op) for op in contract.operations]


def _operation(contract: Contract, op: Operation) -> OperationView:
    raw = _at(contract, f"{contract.base_uri}#{op.pointer}")
    raw = raw if isinstance(raw, Mapping) else {}
    parameters = [
        (
            p.name,
            p.location,
            p.required,
            _type_of(contract, p.schema_uri),
            str((_at(contract, p.uri) or {}).get("description", "")),
        )
        for p in op.parameters
    ]
    request = [_body(contract, mt) for mt in op.request_body.content.values()] if op.request_body else []
    responses = [
        ResponseView(
            r.status,
            r.description,
            [(h.name, h.required, _type_of(contract, h.schema_uri)) for h in r.headers.values()],
            [_body(contract, mt) for mt in r.content.values()],
        )
        for r in op.responses.values()
    ]
    summaries = _example_summaries(contract, op)
    pairs = [_pair(i, summaries.get(i.name, "")) for i in op.interactions.values()]
    scenarios = [_scenario(i, summaries.get(i.name, "")) for i in op.interactions.values() if i.match is not None]
    return OperationView(
        anchor=_anchor(op),
        method=op.method,
        path=op.path,
        label=op.label,
        summary=op.summary,
        description=str(raw.get("description", "")),
        deprecated=op.deprecated,
        slo=keywords.slo(op.extensions.get("x-slo")),
        relations=keywords.relations(op.extensions.get("x-relations")),
        parameters=parameters,
        request=request,
        responses=responses,
        pairs=pairs,
        scenarios=scenarios,
    )


def _anchor(op: Operation) -> str:
    """A fragment id for an operation (HTML ids: letters, digits, ``-``)."""
    text = op.operation_id or f"{op.method}-{op.path}"
    return "op-" + "".join(c if c.isalnum() else "-" for c in text)


def _type_of(contract: Contract, schema_uri: str | None) -> str:
    return view(contract, {"$ref": schema_uri}, contract.base_uri).type if schema_uri else ""


def _body(contract: Contract, mt: MediaType) -> Body:
    schema = view(contract, {"$ref": mt.schema_uri}, contract.base_uri) if mt.schema_uri else None
    return Body(mt.media_type, schema)


def _at(contract: Contract, uri: str) -> Any:
    document_uri, fragment = urldefrag(uri)
    document = contract.resources.get(document_uri)
    if document is None:
        return None
    try:
        return resolve_pointer(document, fragment)
    except LookupError:
        return None


def _example_summaries(contract: Contract, op: Operation) -> dict[str, str]:
    """Example name -> its ``summary`` (request examples first, then responses)."""
    out: dict[str, str] = {}
    media = list(op.request_body.content.values()) if op.request_body else []
    media += [mt for r in op.responses.values() for mt in r.content.values()]
    for mt in media:
        for name, example in mt.examples.items():
            raw = _at(contract, example.uri)
            if name not in out and isinstance(raw, Mapping) and isinstance(raw.get("summary"), str):
                out[name] = raw["summary"]
    return out


def _pair(interaction: Interaction, summary: str) -> Pair:
    return Pair(
        interaction.name,
        summary,
        dict(interaction.parameters),
        pretty(interaction.request) if interaction.request_media_type is not None else None,
        interaction.status,
        pretty(interaction.response),
        keywords.match(interaction.match) if interaction.match is not None else None,
    )


def _scenario(interaction: Interaction, summary: str) -> Scenario:
    given = [(f"{name} (parameter)", _scalar(value)) for name, value in interaction.parameters.items()]
    given += leaves(interaction.request)
    return Scenario(
        interaction.name,
        summary,
        given,
        leaves(interaction.response),
        interaction.status,
        keywords.match(interaction.match),
    )


def pretty(value: Any, depth: int = 0) -> str:
    """A payload as indented JSON, with short lists of scalars (a tensor row, ids) kept on one line."""
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, list) and value and not all(_is_scalar(v) for v in value):
        return "[\n" + ",\n".join(inner + pretty(v, depth + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, list):
        flat = json.dumps(value, ensure_ascii=False, default=str)
        if len(flat) <= 72:
            return flat
        return "[\n" + ",\n".join(inner + pretty(v, depth + 1) for v in value) + "\n" + pad + "]"
    if isinstance(value, Mapping) and value:
        members = (f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {pretty(v, depth + 1)}" for k, v in value.items())
        return "{\n" + ",\n".join(members) + "\n" + pad + "}"
    return json.dumps(value, ensure_ascii=False, default=str)


def leaves(value: Any, limit: int = MAX_LEAVES) -> list[tuple[str, str]]:
    """A payload as ``(path, value)`` lines a person reads: ``context.channel = web``; lists of
    scalars on one line; at most ``limit`` lines, then how many were left out."""
    out: list[tuple[str, str]] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, Mapping) and node:
            for key, item in node.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list) and node and not all(_is_scalar(v) for v in node):
            for i, item in enumerate(node, 1):
                walk(item, f"{path}[{i}]")
        else:
            out.append((path or "(body)", _scalar(node)))

    if value is not None:
        walk(value, "")
    if len(out) > limit:
        return [*out[:limit], ("…", f"{len(out) - limit} more values")]
    return out


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, Mapping | list)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_scalar(v) for v in value) if value else "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _first_paragraph(text: str) -> str:
    return " ".join(text.strip().split("\n\n", 1)[0].split())


@dataclass
class Matrix:
    """Provider builds (rows) against contract versions (columns), each cell the newest verdict."""

    contract: str
    versions: list[str]
    rows: list[tuple[str, str, dict[str, Cell]]]


def matrix(contract: str, known: Sequence[str], cells: Sequence[Cell]) -> Matrix:
    """Lay the newest records out by build and contract version, builds newest first."""
    rows: dict[tuple[str, str], dict[str, Cell]] = {}
    for cell in cells:  # newest first, so the first build seen is the most recent
        rows.setdefault((cell.provider, cell.provider_version), {})[cell.contract_version] = cell
    seen = {c.contract_version for c in cells}
    columns = _versions.ordered([*known, *(v for v in seen if v not in known)])
    return Matrix(contract, list(reversed(columns)), [(p, b, row) for (p, b), row in rows.items()])
