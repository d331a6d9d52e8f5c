"""Lint checks for extension keywords: declarations usable, paired examples agreeing across the exchange."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..compiled import RequestData, compiled_of
from ..contract import Contract, Operation
from ..errors import ContractsError
from ..interactions import Resolve, assemble, param_text
from ..pointers import escape_token
from ..problems import Problem, document_problem
from ._types import DeclarationError, Exchange
from .catalogue import SCHEMA_KEYWORDS
from .exchange import exchange_problems

# Members whose values are data, not schemas: a keyword's name inside them is not a declaration.
_DATA_MEMBERS = frozenset({"examples", "example", "const", "enum", "default"})


def extension_declarations_are_valid(contract: Contract) -> Iterator[Problem]:
    """Every extension keyword on a schema (``x-tensor``, ...) has a declaration its checks can use.

    Most malformed declarations are reported by the keyword's meta-schema (``lint_strict``); this check
    adds what a meta-schema cannot say, so that nothing is reported twice.
    """
    from ..lint import schema_roots

    seen: set[str] = set()
    for uri, schema in schema_roots(contract):
        for where, node in _schema_nodes(schema, uri):
            for keyword, spec in SCHEMA_KEYWORDS.items():
                if keyword not in node or f"{where}/{keyword}" in seen:
                    continue
                seen.add(f"{where}/{keyword}")
                try:
                    spec.parse(node[keyword], node)
                except DeclarationError as exc:
                    if not _beyond_meta_schema(node[keyword], exc.pointer):
                        continue  # lint_strict's meta-schema of the keyword reports it
                    yield document_problem(
                        contract,
                        f"{where}/{escape_token(keyword)}{exc.pointer}",
                        exc.message,
                        hint="see INTERFACE.md, 'Extension keywords for prediction APIs'",
                        keyword=keyword,
                    )


def _beyond_meta_schema(declaration: Any, pointer: str) -> bool:
    """Whether a declaration problem is one JSON Schema cannot state: a dim written ``4.0`` (an integer to it)."""
    parts = pointer.split("/")
    if len(parts) != 3 or parts[1] != "shape" or not parts[2].isdigit() or not isinstance(declaration, dict):
        return False
    shape = declaration.get("shape")
    index = int(parts[2])
    return isinstance(shape, list) and index < len(shape) and isinstance(shape[index], float)


def _schema_nodes(node: Any, uri: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object inside a schema with its location, data members (examples, enum, ...) left out."""
    pending: list[tuple[str, Any]] = [(uri, node)]
    while pending:
        where, current = pending.pop()
        if isinstance(current, dict):
            yield where, current
            for key, value in current.items():
                if key not in _DATA_MEMBERS and key not in SCHEMA_KEYWORDS and isinstance(value, dict | list):
                    pending.append((f"{where}/{escape_token(key)}", value))
        elif isinstance(current, list):
            pending.extend((f"{where}/{i}", v) for i, v in enumerate(current) if isinstance(v, dict | list))


def paired_exchanges(op: Operation, resolve: Resolve) -> list[tuple[str, Exchange]]:
    """The paired 2xx named examples of an operation as exchanges (name, exchange), with the parameters
    :func:`validator.interactions.assemble` gives the request (the ones the tests send and the mock matches)."""
    out = []
    for name, inter in op.interactions.items():
        if inter.status[:1] != "2":
            continue
        values = [(p, param_text(v)) for p, v in assemble(op, inter, resolve).values]
        path = {p.name: text for p, text in values if p.location == "path"}
        query = [(p.name, text) for p, text in values if p.location == "query"]
        headers = {p.name.lower(): text for p, text in values if p.location == "header"}
        if inter.request_media_type is not None:
            request = RequestData(path, query, headers, inter.request_media_type, inter.request)
        else:
            request = RequestData(path, query, headers)
        out.append((name, Exchange(op, request, inter.status, {}, inter.response, inter.response_media_type)))
    return out


def paired_examples_agree(contract: Contract) -> Iterator[Problem]:
    """A request example and its same-named 2xx response example agree across the exchange (named tensor
    dims, ``x-relations``, ...)."""
    try:
        compiled = compiled_of(contract)
    except ContractsError:
        return  # reported by schemas_are_valid
    for op in contract.operations:
        for name, pair in paired_exchanges(op, compiled.resolved_at):
            response = op.responses.get(str(pair.status))
            media = response.content.get(pair.response_media_type or "") if response else None
            example = media.examples.get(name) if media else None
            if example is None:
                continue
            for p in exchange_problems(compiled, pair):
                if p.location == "header":
                    continue  # a response example states no headers: a header echo cannot be seen in it
                where = example.uri
                base = where if where.endswith("/example") else f"{where}/{example.value_key}"
                yield document_problem(
                    contract,
                    base + p.pointer,
                    f"{op.label} example {name!r}: {p.message}",
                    hint="make the paired request and response examples agree",
                    keyword=p.keyword or "x-tensor",
                )
