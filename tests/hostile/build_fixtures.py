"""Writes the hostile documents of ``documents/`` and the hosted contract (``python -m tests.hostile.build_fixtures``).

Each document is a candidate version 1.1.0 of the contract ``hostile`` whose operation ``p`` takes and
answers one hostile schema (what an attacker sends to the compatibility endpoint or puts in a pull
request); ``contracts/hostile/1.0.0`` is the harmless version it is compared with. The files are the test
data and are committed; this module is how they were written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DOCUMENTS = HERE / "documents"
CONTRACTS = HERE / "contracts"
LEVELS = 40  # two references per level: 2^40 subschemas from a few kilobytes
PLAIN: dict[str, Any] = {"type": "object", "properties": {"s": {"type": "string"}}}
# Backtracks on a run of a's in every engine that backtracks (Python's re for ever, fancy-regex to its limit).
BACKTRACKING = "^(a|aa)+(?!a)b"


def document(version: str, schema: Any, components: dict[str, Any] | None = None) -> dict[str, Any]:
    """A one-operation OpenAPI document: POST /p with ``schema`` as its request and its 200 response body."""
    body = {"application/json": {"schema": schema}}
    out: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "hostile", "version": version},
        "paths": {
            "/p": {
                "post": {
                    "operationId": "p",
                    "requestBody": {"required": True, "content": body},
                    "responses": {"200": {"description": "ok", "content": body}},
                }
            }
        },
    }
    if components:
        out["components"] = {"schemas": components}
    return out


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nest(keyword: str) -> dict[str, Any]:
    """Each level refers to the next twice under ``keyword``: 2^LEVELS subschemas in place."""
    levels: dict[str, Any] = {
        f"n{i}": {keyword: [ref(f"n{i + 1}"), ref(f"n{i + 1}"), {"type": "object", "minProperties": i % 3}]}
        for i in range(LEVELS)
    }
    levels[f"n{LEVELS}"] = {"type": "object", "required": ["x"]}
    return document("1.1.0", ref("n0"), levels)


def required_fan() -> dict[str, Any]:
    """Ten required members per level, twelve levels: the smallest valid value has 10^12 parts."""
    levels: dict[str, Any] = {
        f"r{i}": {
            "type": "object",
            "required": [f"m{j}" for j in range(10)],
            "properties": {f"m{j}": ref(f"r{i + 1}") for j in range(10)},
        }
        for i in range(12)
    }
    levels["r12"] = {"type": "string"}
    return document("1.1.0", ref("r0"), levels)


def with_pattern(pattern: str) -> dict[str, Any]:
    return document("1.1.0", {"type": "object", "properties": {"s": {"type": "string", "pattern": pattern}}})


CASES: dict[str, dict[str, Any]] = {
    # The issue's request: a lookahead after a nested quantifier.
    "pattern-lookahead": with_pattern("^(a+)+(?=b)"),
    "pattern-backtracking": with_pattern(BACKTRACKING),
    "pattern-backreference": with_pattern(r"^(a*)*\1b$"),
    # Samples and generated strings would take gigabytes: a billion characters.
    "pattern-repeat-bomb": with_pattern("^((a{999}){999}){999}$"),
    "allof-bomb": nest("allOf"),
    "anyof-bomb": nest("anyOf"),
    "oneof-bomb": nest("oneOf"),
    "required-fan": required_fan(),
    "ref-loop": document("1.1.0", ref("A"), {"A": ref("B"), "B": ref("A")}),
    "anyof-self-loop": document("1.1.0", ref("A"), {"A": {"anyOf": [{"type": "string"}, ref("A")]}}),
    "allof-loop": document("1.1.0", ref("A"), {"A": {"allOf": [{"type": "object"}, {"not": ref("B")}]}, "B": ref("A")}),
}
# What each document is refused for: a $ref cycle is a problem of the document, the others a limit.
CYCLES = frozenset({"ref-loop", "anyof-self-loop", "allof-loop"})
BOMBS = frozenset({"allof-bomb", "anyof-bomb", "oneof-bomb"})


def hosted() -> dict[str, Any]:
    """The hosted version 1.0.0: /p as harmless, and /steps with a backtracking pattern for payload cases."""
    out = document("1.0.0", PLAIN)
    steps = {"type": "object", "properties": {"s": {"type": "string", "pattern": BACKTRACKING}}}
    body = {"application/json": {"schema": steps}}
    out["paths"]["/steps"] = {
        "post": {
            "operationId": "steps",
            "requestBody": {"required": True, "content": body},
            "responses": {"200": {"description": "ok", "content": body}},
        }
    }
    return out


def main() -> None:
    DOCUMENTS.mkdir(exist_ok=True)
    for name, doc in CASES.items():
        (DOCUMENTS / f"{name}.json").write_text(json.dumps(doc, indent=1) + "\n")
    folder = CONTRACTS / "hostile" / "1.0.0"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "openapi.yaml").write_text(json.dumps(hosted(), indent=2) + "\n")


if __name__ == "__main__":
    main()
