"""`contracts diff` speed: two versions of a generated contract, and how time grows with its size.

The contract has 50 operations whose request and response bodies share the generated properties
(split over nested object schemas in components); version 2 changes a few of them, compatibly and
not, so the comparison, the rules and the witness search all run. Figures are medians of a few runs.
"""

from __future__ import annotations

import copy
import gc
import statistics
import time
import tracemalloc
from typing import Any

from validator.compat import diff
from validator.contract import Contract
from validator.loader import load_document

OPERATIONS = 50
GROUP = 25  # properties per component schema


def generated(properties: int, operations: int = OPERATIONS) -> dict[str, Any]:
    """An OpenAPI document: ``properties`` properties in all, spread over component schemas."""
    schemas: dict[str, Any] = {}
    groups = max(1, properties // GROUP)
    for g in range(groups):
        props: dict[str, Any] = {}
        for p in range(GROUP):
            kind = p % 4
            props[f"f{g}_{p}"] = (
                {"type": "integer", "minimum": 0, "maximum": 1000}
                if kind == 0
                else {"type": "string", "maxLength": 64, "pattern": "^[a-z0-9-]+$"}
                if kind == 1
                else {"type": "string", "enum": ["a", "b", "c"]}
                if kind == 2
                else {"type": "array", "items": {"type": "number"}, "maxItems": 10}
            )
        schemas[f"G{g}"] = {"type": "object", "properties": props, "required": [f"f{g}_0"]}
    paths: dict[str, Any] = {}
    for o in range(operations):
        # Every group is used: each operation takes every 50th group (or one group when there are fewer).
        mine = [g for g in range(groups) if g % operations == o] or [o % groups]
        members = {f"g{g}": {"$ref": f"#/components/schemas/G{g}"} for g in mine}
        body = {"type": "object", "properties": members, "additionalProperties": False}
        paths[f"/op{o}/{{id}}"] = {
            "post": {
                "operationId": f"op{o}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                ],
                "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": body}}}},
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Generated", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def second_version(document: dict[str, Any]) -> dict[str, Any]:
    """Version 2: a few compatible and breaking edits spread over the schemas."""
    out = copy.deepcopy(document)
    schemas = out["components"]["schemas"]
    for i, (name, schema) in enumerate(schemas.items()):
        props = schema["properties"]
        first = next(iter(props))
        if i % 5 == 0:
            props[f"new_{name}"] = {"type": "string"}  # added optional property
        if i % 7 == 0:
            props[first]["maximum"] = 500  # narrowed request / fine for responses
        if i % 11 == 0:
            enum_key = next(k for k, v in props.items() if "enum" in v)
            props[enum_key]["enum"] = [*props[enum_key]["enum"], "d"]
    return out


def _time(old: Contract, new: Contract, witnesses: bool, runs: int = 3) -> tuple[float, int]:
    # CPU time of this process: the diff is single-threaded, so on an idle machine it is the wall time,
    # and on the shared one it does not swing with the load (wall times did, 3x between runs).
    times, changes = [], 0
    for _ in range(runs):
        start = time.process_time()
        report = diff(old, new, witnesses=witnesses)
        times.append(time.process_time() - start)
        changes = len(report.changes)
    return statistics.median(times), changes


def measure(properties: int, witnesses: bool = True) -> tuple[float, int]:
    """Median CPU seconds to diff two generated versions with ``properties`` properties, and the changes found."""
    base = generated(properties)
    old = load_document(base, name="generated", version="1.0.0")
    new = load_document(second_version(base), name="generated", version="2.0.0")
    return _time(old, new, witnesses)


def one_wide_body(width: int, bound: int) -> dict[str, Any]:
    """One operation whose body has ``width`` string members of maxLength ``bound``."""
    members = {f"p{i}": {"type": "string", "maxLength": bound} for i in range(width)}
    body = {"application/json": {"schema": {"type": "object", "properties": members}}}
    operation = {
        "operationId": "p",
        "requestBody": {"required": True, "content": body},
        "responses": {"200": {"description": "ok", "content": body}},
    }
    return {"openapi": "3.1.0", "info": {"title": "Wide", "version": "1.0.0"}, "paths": {"/p": {"post": operation}}}


def measure_breaks(width: int) -> tuple[float, int]:
    """Median CPU seconds to prove ``width`` lowered bounds in one body (each in request and response)."""
    old = load_document(one_wide_body(width, 10), name="wide", version="1.0.0")
    new = load_document(one_wide_body(width, 5), name="wide", version="2.0.0")
    return _time(old, new, witnesses=True)


def peak_mb(properties: int) -> float:
    """Peak traced memory (MB) of one diff, in a run of its own: tracemalloc slows what it traces."""
    base = generated(properties)
    old = load_document(base, name="generated", version="1.0.0")
    new = load_document(second_version(base), name="generated", version="2.0.0")
    gc.collect()
    tracemalloc.start()
    try:
        diff(old, new)
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def main() -> None:
    """Print the 2,000-property figure and the growth from 500 to 4,000 properties."""
    measure(500)  # warm-up: imports, regex caches
    seconds, changes = measure(2000)
    bare, _ = measure(2000, witnesses=False)
    print(
        f"diff of a generated contract, 2000 properties, {OPERATIONS} operations: {seconds * 1000:.0f} ms CPU "
        f"with witnesses, {bare * 1000:.0f} ms verdicts only ({changes} changes); "
        f"peak memory {peak_mb(2000):.1f} MB (tracemalloc, a separate run)"
    )
    print("properties  ms CPU(witnesses)  ratio   ms CPU(verdicts)  ratio   peak MB  ratio   size ratio  changes")
    base_w = base_v = base_m = 0.0
    for size in (500, 1000, 2000, 4000):
        with_w, changes = measure(size)
        verdicts, _ = measure(size, witnesses=False)
        peak = peak_mb(size)
        base_w, base_v, base_m = base_w or with_w, base_v or verdicts, base_m or peak
        print(
            f"{size:>10} {with_w * 1000:17.0f} {with_w / base_w:6.2f}x {verdicts * 1000:17.0f} "
            f"{verdicts / base_v:6.2f}x {peak:8.1f} {peak / base_m:5.2f}x {size / 500:9.0f}x {changes:8}"
        )

    # Every change under one payload root starts its witness search from the same whole-payload bases:
    # built once per root, the cost per break stays flat as the body widens (rebuilt per break, 2,000
    # breaks took 17 s).
    print("breaks in one body  ms CPU  ratio  size ratio  changes")
    first = 0.0
    for width in (500, 1000, 2000):
        seconds, changes = measure_breaks(width)
        first = first or seconds
        print(f"{width:>18} {seconds * 1000:7.0f} {seconds / first:5.2f}x {width / 500:9.0f}x {changes:8}")


if __name__ == "__main__":
    main()
