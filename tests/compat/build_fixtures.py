"""Writes the before/after fixture folders of every rule (``python -m tests.compat.build_fixtures``).

The folders under ``fixtures/`` are the test data and are committed; this module is how they were
written, kept so that a new rule's fixture is one more line here. Schema changes are placed in a
request body for request rules and in a 200 response body for response rules.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
EQUIVALENT = HERE / "equivalent"

S: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
B: dict[str, Any] = {"type": "boolean"}


def obj(props: dict[str, Any], required: list[str] | None = None, closed: bool = False, **more: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props}
    if required:
        out["required"] = required
    if closed:
        out["additionalProperties"] = False
    out.update(more)
    return out


def doc(req: Any = None, resp: Any = None, **op: Any) -> dict[str, Any]:
    """A one-operation OpenAPI document: POST /items with a JSON body and a JSON 200 response."""
    operation: dict[str, Any] = {
        "operationId": "createItem",
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": req or {"type": "object"}}},
        },
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": resp or {"type": "object"}}},
            }
        },
    }
    operation.update(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fixture", "version": "1.0.0"},
        "paths": {"/items": {"post": operation}},
    }


IF_A: dict[str, Any] = {"properties": {"a": {"const": "x"}}, "required": ["a"]}
IF_A_Y: dict[str, Any] = {"properties": {"a": {"const": "y"}}, "required": ["a"]}
ELSE_B: dict[str, Any] = {"properties": {"b": {"maximum": 5}}}
IF_A_THEN_B: dict[str, Any] = {"if": IF_A, "then": {"required": ["b"]}}
IF_A_THEN_B_ELSE_B: dict[str, Any] = {**IF_A_THEN_B, "else": ELSE_B}
CONTAINS: dict[str, Any] = {"type": "array", "items": INT, "contains": {"minimum": 10}}

# -- schema changes: function name -> (before, after); written for each direction the catalogue has
SCHEMA_CASES: dict[str, Any] = {  # (before, after), or {direction: (before, after)}
    "property_added": (obj({"a": S}), obj({"a": S, "b": INT})),
    "required_property_added": (obj({"a": S}), obj({"a": S, "b": {**INT, "default": 1}}, ["b"])),
    "property_added_to_open_object": (obj({"a": S}), obj({"a": S, "b": INT})),
    "property_added_to_closed_object": (obj({"a": S}, closed=True), obj({"a": S, "b": INT}, closed=True)),
    "property_removed": (obj({"a": S, "b": INT}), obj({"a": S})),
    "property_removed_from_closed_object": (obj({"a": S, "b": INT}, closed=True), obj({"a": S}, closed=True)),
    "property_removed_from_open_object": (obj({"a": S, "b": INT}), obj({"a": S})),
    "property_became_required": (obj({"a": S, "b": INT}, ["a"]), obj({"a": S, "b": INT}, ["a", "b"])),
    "property_became_optional": (obj({"a": S, "b": INT}, ["a", "b"]), obj({"a": S, "b": INT}, ["a"])),
    "object_closed": (obj({"a": S}), obj({"a": S}, closed=True)),
    "object_opened": (obj({"a": S}, closed=True), obj({"a": S})),
    "type_narrowed": ({"type": "number"}, INT),
    "type_widened": (INT, {"type": ["integer", "null"]}),
    "type_changed": (S, INT),
    "enum_value_added": ({**S, "enum": ["a"]}, {**S, "enum": ["a", "b"]}),
    "enum_value_removed": ({**S, "enum": ["a", "b"]}, {**S, "enum": ["a"]}),
    "enum_added": (S, {**S, "enum": ["a", "b"]}),
    "enum_removed": ({**S, "enum": ["a", "b"]}, S),
    "minimum_raised": ({**INT, "minimum": 0}, {**INT, "minimum": 5}),
    "minimum_lowered": ({**INT, "minimum": 5}, {**INT, "minimum": 0}),
    "maximum_lowered": ({**INT, "maximum": 10}, {**INT, "maximum": 5}),
    "maximum_raised": ({**INT, "maximum": 5}, {**INT, "maximum": 10}),
    "multiple_of_narrowed": ({**INT, "multipleOf": 2}, {**INT, "multipleOf": 4}),
    "multiple_of_widened": ({**INT, "multipleOf": 4}, {**INT, "multipleOf": 2}),
    "min_length_raised": ({**S, "minLength": 1}, {**S, "minLength": 3}),
    "min_length_lowered": ({**S, "minLength": 3}, {**S, "minLength": 1}),
    "max_length_lowered": ({**S, "maxLength": 10}, {**S, "maxLength": 5}),
    "max_length_raised": ({**S, "maxLength": 5}, {**S, "maxLength": 10}),
    "pattern_added": (S, {**S, "pattern": "^[a-z]+$"}),
    "pattern_removed": ({**S, "pattern": "^[a-z]+$"}, S),
    "pattern_changed": ({**S, "pattern": "^[a-z]+$"}, {**S, "pattern": "^[a-z0-9]{2,}$"}),
    "format_added": (S, {**S, "format": "date"}),
    "format_removed": ({**S, "format": "date"}, S),
    "format_changed": ({**S, "format": "date"}, {**S, "format": "date-time"}),
    "min_items_raised": ({"type": "array", "items": S}, {"type": "array", "items": S, "minItems": 2}),
    "min_items_lowered": ({"type": "array", "items": S, "minItems": 2}, {"type": "array", "items": S}),
    "max_items_lowered": (
        {"type": "array", "items": S, "maxItems": 5},
        {"type": "array", "items": S, "maxItems": 2},
    ),
    "max_items_raised": (
        {"type": "array", "items": S, "maxItems": 2},
        {"type": "array", "items": S, "maxItems": 5},
    ),
    "unique_items_added": ({"type": "array", "items": S}, {"type": "array", "items": S, "uniqueItems": True}),
    "unique_items_removed": (
        {"type": "array", "items": S, "uniqueItems": True},
        {"type": "array", "items": S},
    ),
    "items_schema_added": ({"type": "array"}, {"type": "array", "items": S}),
    "items_schema_removed": ({"type": "array", "items": S}, {"type": "array"}),
    "prefix_items_added": ({"type": "array", "prefixItems": [S]}, {"type": "array", "prefixItems": [S, INT]}),
    "prefix_items_removed": (
        {"type": "array", "prefixItems": [S, INT]},
        {"type": "array", "prefixItems": [S]},
    ),
    "contains_added": (
        {"type": "array", "items": INT},
        {"type": "array", "items": INT, "contains": {"minimum": 10}},
    ),
    "contains_removed": (
        {"type": "array", "items": INT, "contains": {"minimum": 10}},
        {"type": "array", "items": INT},
    ),
    "one_of_branch_added_disjoint": ({"oneOf": [S, B]}, {"oneOf": [S, B, {"type": "null"}]}),
    "one_of_branch_added_overlapping": (
        {"oneOf": [{**S, "maxLength": 5}, INT]},
        {"oneOf": [{**S, "maxLength": 5}, INT, {**S, "minLength": 3}]},
    ),
    "one_of_branch_added": ({"oneOf": [S, INT]}, {"oneOf": [S, INT, B]}),
    "any_of_branch_added": ({"anyOf": [S, INT]}, {"anyOf": [S, INT, B]}),
    "one_of_branch_removed": ({"oneOf": [S, INT, B]}, {"oneOf": [S, INT]}),
    "one_of_branch_removed_disjoint": ({"oneOf": [S, INT, B]}, {"oneOf": [S, INT]}),
    "one_of_branch_removed_overlapping": (
        {"oneOf": [{**S, "enum": ["x"]}, S, B]},
        {"oneOf": [{**S, "enum": ["x"]}, B]},
    ),
    "union_swapped_with_added_branch": ({"anyOf": [S, INT]}, {"oneOf": [S, INT, B]}),
    "union_swapped_with_removed_branch": ({"oneOf": [S, INT, B]}, {"anyOf": [S, INT]}),
    "one_of_overlapping_branch_changed": {
        "request": (
            {"oneOf": [{"enum": ["x"]}, {**S, "minLength": 2}]},
            {"oneOf": [{"enum": ["x", "yy"]}, {**S, "minLength": 2}]},
        ),
        "response": (
            {"oneOf": [{"enum": ["x", "yy"]}, {**S, "minLength": 2}]},
            {"oneOf": [{"enum": ["x"]}, {**S, "minLength": 2}]},
        ),
    },
    "any_of_branch_removed": ({"anyOf": [S, INT, B]}, {"anyOf": [S, INT]}),
    "union_added": (S, {**S, "anyOf": [{"maxLength": 3}, {"pattern": "^a"}]}),
    "union_removed": ({**S, "anyOf": [{"maxLength": 3}, {"pattern": "^a"}]}, S),
    "any_of_became_one_of": ({"anyOf": [S, INT]}, {"oneOf": [S, INT]}),
    "any_of_became_one_of_overlapping": (
        {"anyOf": [S, {**S, "minLength": 2}]},
        {"oneOf": [S, {**S, "minLength": 2}]},
    ),
    "any_of_became_one_of_disjoint": ({"anyOf": [S, INT]}, {"oneOf": [S, INT]}),
    "one_of_became_any_of": ({"oneOf": [S, INT]}, {"anyOf": [S, INT]}),
    "one_of_became_any_of_overlapping": (
        {"oneOf": [S, {**S, "minLength": 2}]},
        {"anyOf": [S, {**S, "minLength": 2}]},
    ),
    "all_of_part_added": (
        {"allOf": [obj({"a": S}), {"required": ["a"]}]},
        {"allOf": [obj({"a": S}), {"required": ["a"]}, {"required": ["b"]}]},
    ),
    "all_of_part_removed": (
        {"allOf": [obj({"a": S, "b": INT}), {"required": ["a"]}, {"required": ["b"]}]},
        {"allOf": [obj({"a": S, "b": INT}), {"required": ["a"]}]},
    ),
    "not_added": (S, {**S, "not": {"const": "x"}}),
    "not_removed": ({**S, "not": {"const": "x"}}, S),
    "discriminator_property_changed": (
        obj({"kind": S}, ["kind"], discriminator={"propertyName": "kind"}),
        obj({"kind": S}, ["kind"], discriminator={"propertyName": "type"}),
    ),
    "discriminator_mapping_removed": (
        obj(
            {"kind": S},
            ["kind"],
            discriminator={"propertyName": "kind", "mapping": {"a": "#/x/A", "b": "#/x/B"}},
        ),
        obj({"kind": S}, ["kind"], discriminator={"propertyName": "kind", "mapping": {"a": "#/x/A"}}),
    ),
    "discriminator_mapping_added": (
        obj({"kind": S}, ["kind"], discriminator={"propertyName": "kind", "mapping": {"a": "#/x/A"}}),
        obj(
            {"kind": S},
            ["kind"],
            discriminator={"propertyName": "kind", "mapping": {"a": "#/x/A", "b": "#/x/B"}},
        ),
    ),
    "default_changed": ({**INT, "default": 1}, {**INT, "default": 2}),
    # -- 2020-12 keywords (rules/keywords.py)
    "max_properties_lowered": (obj({"a": S, "b": S}, maxProperties=3), obj({"a": S, "b": S}, maxProperties=1)),
    "max_properties_raised": (obj({"a": S, "b": S}, maxProperties=1), obj({"a": S, "b": S}, maxProperties=3)),
    "min_properties_raised": (obj({"a": S, "b": S}), obj({"a": S, "b": S}, minProperties=2)),
    "min_properties_lowered": (obj({"a": S, "b": S}, minProperties=2), obj({"a": S, "b": S})),
    "property_names_added": (obj({"a": S}), obj({"a": S}, propertyNames={"maxLength": 3})),
    "property_names_removed": (obj({"a": S}, propertyNames={"maxLength": 3}), obj({"a": S})),
    "dependent_required_added": (obj({"a": S, "b": S}), obj({"a": S, "b": S}, dependentRequired={"a": ["b"]})),
    "dependent_required_removed": (obj({"a": S, "b": S}, dependentRequired={"a": ["b"]}), obj({"a": S, "b": S})),
    "dependent_schema_added": (
        obj({"a": S, "b": S}),
        obj({"a": S, "b": S}, dependentSchemas={"a": {"required": ["b"]}}),
    ),
    "dependent_schema_removed": (
        obj({"a": S, "b": S}, dependentSchemas={"a": {"required": ["b"]}}),
        obj({"a": S, "b": S}),
    ),
    "additional_properties_schema_added": (obj({"a": S}), obj({"a": S}, additionalProperties=INT)),
    "additional_properties_schema_removed": (obj({"a": S}, additionalProperties=INT), obj({"a": S})),
    "conditional_added": (
        obj({"a": S, "b": INT}),
        obj({"a": S, "b": INT}, **IF_A_THEN_B),
    ),
    "conditional_removed": (
        obj({"a": S, "b": INT}, **IF_A_THEN_B),
        obj({"a": S, "b": INT}),
    ),
    "conditional_branch_added": (
        obj({"a": S, "b": INT}, **IF_A_THEN_B),
        obj({"a": S, "b": INT}, **IF_A_THEN_B_ELSE_B),
    ),
    "conditional_branch_removed": (
        obj({"a": S, "b": INT}, **IF_A_THEN_B_ELSE_B),
        obj({"a": S, "b": INT}, **IF_A_THEN_B),
    ),
    "conditional_changed": (
        obj({"a": S, "b": INT}, **IF_A_THEN_B),
        obj({"a": S, "b": INT}, **{**IF_A_THEN_B, "if": IF_A_Y}),
    ),
    "min_contains_raised": (CONTAINS, {**CONTAINS, "minContains": 2}),
    "min_contains_lowered": ({**CONTAINS, "minContains": 2}, CONTAINS),
    "max_contains_lowered": ({**CONTAINS, "maxContains": 3}, {**CONTAINS, "maxContains": 1}),
    "max_contains_raised": ({**CONTAINS, "maxContains": 1}, {**CONTAINS, "maxContains": 3}),
    "unevaluated_items_added": (
        {"type": "array", "prefixItems": [S]},
        {"type": "array", "prefixItems": [S], "unevaluatedItems": False},
    ),
    "unevaluated_items_removed": (
        {"type": "array", "prefixItems": [S], "unevaluatedItems": False},
        {"type": "array", "prefixItems": [S]},
    ),
    "false_schema_added": (obj({"a": S, "b": INT}), obj({"a": S, "b": False})),
    "false_schema_removed": (obj({"a": S, "b": False}), obj({"a": S, "b": INT})),
    "pattern_property_added": {
        "request": (obj({"a": S}), obj({"a": S}, patternProperties={"^x_": INT})),
        "response": (obj({"a": S}, closed=True), obj({"a": S}, closed=True, patternProperties={"^x_": INT})),
    },
    "pattern_property_removed": {
        "request": (obj({"a": S}, closed=True, patternProperties={"^x_": INT}), obj({"a": S}, closed=True)),
        "response": (obj({"a": S}, patternProperties={"^x_": INT}), obj({"a": S})),
    },
    "read_only_added": (obj({"a": S}), obj({"a": {**S, "readOnly": True}})),
    "read_only_removed": (obj({"a": {**S, "readOnly": True}}), obj({"a": S})),
    "write_only_added": (obj({"a": S}), obj({"a": {**S, "writeOnly": True}})),
    "write_only_removed": (obj({"a": {**S, "writeOnly": True}}), obj({"a": S})),
    "content_changed": (
        {**S, "contentMediaType": "image/png", "contentEncoding": "base64"},
        {**S, "contentMediaType": "image/jpeg", "contentEncoding": "base64"},
    ),
    "schema_deprecated": (S, {**S, "deprecated": True}),
}


def _edit(before: dict[str, Any], change: Any) -> dict[str, Any]:
    after = copy.deepcopy(before)
    change(after)
    return after


def _op(d: dict[str, Any]) -> dict[str, Any]:
    return d["paths"]["/items"]["post"]  # type: ignore[no-any-return]


def _query(name: str = "q", required: bool = False, **more: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": S, **more}


def _operation_cases() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    base = doc()
    with_get = _edit(
        base,
        lambda d: d["paths"]["/items"].update(
            get={"operationId": "listItems", "responses": {"200": {"description": "ok"}}}
        ),
    )
    with_other = _edit(
        base,
        lambda d: d["paths"].update(
            {"/other": {"get": {"operationId": "getOther", "responses": {"200": {"description": "ok"}}}}}
        ),
    )
    by_id: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "Fixture", "version": "1.0.0"},
        "paths": {
            "/items/{id}": {
                "get": {
                    "operationId": "getItem",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": S}],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    renamed = copy.deepcopy(by_id)
    renamed["paths"] = {"/items/{itemId}": renamed["paths"]["/items/{id}"]}
    renamed["paths"]["/items/{itemId}"]["get"]["parameters"][0]["name"] = "itemId"
    moved = copy.deepcopy(base)
    moved["paths"] = {"/things": moved["paths"]["/items"]}
    secured = _edit(
        base,
        lambda d: (
            _op(d).update(security=[{"apiKey": []}]),
            d.update(components={"securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "X-Key"}}}),
        ),
    )
    q = _edit(base, lambda d: _op(d).update(parameters=[_query()]))
    q_required = _edit(base, lambda d: _op(d).update(parameters=[_query(required=True)]))
    no_body = _edit(base, lambda d: _op(d).pop("requestBody"))
    optional_body = _edit(base, lambda d: _op(d)["requestBody"].update(required=False))
    two_media = _edit(
        base,
        lambda d: _op(d)["requestBody"]["content"].update(
            {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}
        ),
    )
    ok: dict[str, Any] = {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}

    def responses(**statuses: Any) -> dict[str, Any]:
        return _edit(base, lambda d: _op(d).update(responses=statuses))

    header = {"X-Trace": {"required": True, "schema": S}}
    event = {
        "post": {
            "requestBody": {"content": {"application/json": {"schema": obj({"id": S})}}},
            "responses": {"200": {"description": "received"}},
        }
    }
    with_webhook = _edit(base, lambda d: d.update(webhooks={"itemCreated": event}))
    with_callback = _edit(base, lambda d: _op(d).update(callbacks={"onCreated": {"{$request.body#/callback}": event}}))
    return {
        "webhook-removed": (with_webhook, base),
        "webhook-added": (base, with_webhook),
        "callback-removed": (with_callback, base),
        "callback-added": (base, with_callback),
        "operation-removed": (with_other, base),
        "operation-method-removed": (with_get, base),
        "operation-path-changed": (base, moved),
        "operation-added": (base, with_other),
        "operation-removed-after-sunset": (
            _edit(
                with_other,
                lambda d: d["paths"]["/other"]["get"].update(deprecated=True, **{"x-sunset": "2024-01-31"}),
            ),
            base,
        ),
        "operation-id-changed": (base, _edit(base, lambda d: _op(d).update(operationId="makeItem"))),
        "path-variable-renamed": (by_id, renamed),
        "security-requirement-added": (base, secured),
        "operation-deprecated": (base, _edit(base, lambda d: _op(d).update(deprecated=True))),
        "parameter-required-added": (base, q_required),
        "parameter-optional-added": (base, q),
        "parameter-removed": (q, base),
        "parameter-became-required": (q, q_required),
        "parameter-became-optional": (q_required, q),
        "parameter-location-changed": (
            q,
            _edit(
                base,
                lambda d: _op(d).update(parameters=[{"name": "q", "in": "header", "required": False, "schema": S}]),
            ),
        ),
        "parameter-style-changed": (
            _edit(base, lambda d: _op(d).update(parameters=[_query(explode=True)])),
            _edit(base, lambda d: _op(d).update(parameters=[_query(explode=False)])),
        ),
        "request-body-added-required": (no_body, base),
        "request-body-added-optional": (no_body, optional_body),
        "request-body-removed": (base, no_body),
        "request-body-became-required": (optional_body, base),
        "request-body-became-optional": (base, optional_body),
        "request-media-type-removed": (two_media, base),
        "request-media-type-added": (base, two_media),
        "success-status-changed": (responses(**{"200": ok}), responses(**{"201": ok})),
        "success-status-added": (responses(**{"200": ok}), responses(**{"200": ok, "202": ok})),
        "success-status-removed": (responses(**{"200": ok, "202": ok}), responses(**{"200": ok})),
        "error-status-added": (responses(**{"200": ok}), responses(**{"200": ok, "404": ok})),
        "error-status-removed": (responses(**{"200": ok, "404": ok}), responses(**{"200": ok})),
        "non-error-status-added": (
            responses(**{"200": ok}),
            responses(**{"200": ok, "304": {"description": "same"}}),
        ),
        "response-media-type-added": (
            responses(**{"200": ok}),
            responses(**{"200": {"description": "ok", "content": {**ok["content"], "text/plain": {"schema": S}}}}),
        ),
        "response-media-type-removed": (
            responses(**{"200": {"description": "ok", "content": {**ok["content"], "text/plain": {"schema": S}}}}),
            responses(**{"200": ok}),
        ),
        "response-body-removed": (responses(**{"200": ok}), responses(**{"200": {"description": "ok"}})),
        "response-body-added": (responses(**{"200": {"description": "ok"}}), responses(**{"200": ok})),
        "response-header-removed": (
            responses(**{"200": {**ok, "headers": header}}),
            responses(**{"200": ok}),
        ),
        "response-header-became-optional": (
            responses(**{"200": {**ok, "headers": header}}),
            responses(**{"200": {**ok, "headers": {"X-Trace": {"schema": S}}}}),
        ),
        "response-header-added": (responses(**{"200": ok}), responses(**{"200": {**ok, "headers": header}})),
        "relation-removed": (batched(BATCH), batched()),
        "relation-weakened": (batched(BATCH), batched({**BATCH, "order": "any"})),
        "relation-added": (batched(), batched(BATCH)),
    }


BATCH = {"kind": "batch", "request": "body:/rows", "response": "body:/scores", "key": "/id", "order": "preserved"}


def batched(relation: dict[str, Any] | None = None) -> dict[str, Any]:
    """A batch-scoring operation, with ``relation`` declared (or none)."""
    row = obj({"id": S}, ["id"])
    extra = {"x-relations": [relation]} if relation else {}
    return doc(
        req=obj({"rows": {"type": "array", "items": row}}, ["rows"]),
        resp=obj({"scores": {"type": "array", "items": row}}, ["scores"]),
        **extra,
    )


def _write(folder: Path, before: dict[str, Any], after: dict[str, Any]) -> None:
    for side, data in (("before", before), ("after", after)):
        (folder / side).mkdir(parents=True, exist_ok=True)
        (folder / side / "openapi.yaml").write_text(yaml.safe_dump(data, sort_keys=False, width=100))


ITEM = obj({"id": {**S, "pattern": "^INT[0-9]+$"}, "price": {"type": "number", "minimum": 0}}, ["id"], closed=True)
TREE = obj({"name": S, "children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}}, ["name"])


def _equivalent_cases() -> dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """Rewrites that are not changes: (before, after, extra files of after)."""
    inline = doc(req=ITEM, resp=ITEM)
    in_components = doc(req={"$ref": "#/components/schemas/Item"}, resp={"$ref": "#/components/schemas/Item"})
    in_components["components"] = {"schemas": {"Item": ITEM}}
    in_file = doc(req={"$ref": "schemas/item.schema.json"}, resp={"$ref": "schemas/item.schema.json#"})
    in_defs = doc(
        req={"$ref": "#/components/schemas/Wrapper/$defs/Item"},
        resp={"$ref": "#/components/schemas/Wrapper/$defs/Item"},
    )
    in_defs["components"] = {"schemas": {"Wrapper": {"$defs": {"Item": ITEM}}}}
    tree = doc(req={"$ref": "#/components/schemas/Tree"}, resp={"$ref": "#/components/schemas/Tree"})
    tree["components"] = {"schemas": {"Tree": TREE}}
    tree_renamed = copy.deepcopy(tree)
    node = copy.deepcopy(TREE)
    node["properties"]["children"]["items"] = {"$ref": "#/components/schemas/Node"}
    tree_renamed["components"] = {"schemas": {"Node": node}}
    tree_renamed["paths"]["/items"]["post"]["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Node"
    }
    tree_renamed["paths"]["/items"]["post"]["responses"]["200"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Node"
    }
    annotated = copy.deepcopy(ITEM)
    annotated.update(title="An item", description="Sold by the shop", examples=[{"id": "I1"}])
    annotated["properties"]["id"].update(description="identifier", deprecated=False, **{"x-internal": True})
    number = obj(
        {
            "n": {"type": ["integer", "number"]},
            "k": {**INT, "exclusiveMinimum": 0},
            "s": {**S, "minLength": 0},
            "w": {"allOf": [S]},
        }
    )
    number_rewritten = obj({"n": {"type": "number"}, "k": {**INT, "minimum": 1}, "s": S, "w": S})
    return {
        "moved-to-components": (inline, in_components, {}),
        "moved-to-file": (inline, in_file, {"schemas/item.schema.json": ITEM}),
        "moved-to-defs": (inline, in_defs, {}),
        "recursive-schema-renamed": (tree, tree_renamed, {}),
        "annotations-only": (inline, doc(req=annotated, resp=annotated), {}),
        "equivalent-rewrites": (
            doc(req=number, resp=number),
            doc(req=number_rewritten, resp=number_rewritten),
            {},
        ),
    }


def main() -> None:
    """Rewrite ``fixtures/`` from the tables above and the catalogue."""
    from validator.compat import RULES

    shutil.rmtree(FIXTURES, ignore_errors=True)
    operations = _operation_cases()
    for rule in RULES:
        name = rule.check.__name__
        if rule.id in operations:
            _write(FIXTURES / rule.id, *operations[rule.id])
        elif name in SCHEMA_CASES:
            case = SCHEMA_CASES[name]
            before, after = case[rule.direction] if isinstance(case, dict) else case
            key = "req" if rule.direction == "request" else "resp"
            _write(FIXTURES / rule.id, doc(**{key: before}), doc(**{key: after}))
    write_tensor_fixtures()
    write_output_fixtures()
    shutil.rmtree(EQUIVALENT, ignore_errors=True)
    for name, (before, after, files) in _equivalent_cases().items():
        _write(EQUIVALENT / name, before, after)
        for relative, data in files.items():
            target = EQUIVALENT / name / "after" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(data, indent=2) + "\n")


def tensor(declaration: dict[str, Any] | None) -> dict[str, Any]:
    """An OIP tensor object schema, with ``x-tensor`` when a declaration is given."""
    out = obj(
        {"name": S, "shape": {"type": "array", "items": INT}, "datatype": S, "data": {"type": "array"}},
        ["name", "shape", "datatype", "data"],
    )
    if declaration is not None:
        out["x-tensor"] = declaration
    return out


def _fp32(shape: list[Any], name: str = "x", datatype: str = "FP32") -> dict[str, Any]:
    return tensor({"name": name, "datatype": datatype, "shape": shape})


TENSOR_CASES: dict[str, Any] = {
    "tensor_added": (tensor(None), _fp32([-1])),
    "tensor_removed": (_fp32([-1]), tensor(None)),
    "tensor_renamed": (_fp32([-1]), _fp32([-1], name="y")),
    "tensor_datatype_changed": (_fp32([-1]), _fp32([-1], datatype="FP64")),
    "tensor_dim_changed": (_fp32(["batch", 2]), _fp32(["batch", 3])),
    "tensor_dim_fixed": (_fp32(["batch", -1]), _fp32(["batch", 2])),
    "tensor_dim_freed": (_fp32(["batch", 2]), _fp32(["batch", -1])),
}


def write_tensor_fixtures() -> None:
    """Write only the x-tensor rules' fixtures (``python -c 'from tests.compat.build_fixtures import ...'``)."""
    _write_schema_cases(TENSOR_CASES)


def _write_schema_cases(cases: dict[str, Any]) -> None:
    """Write the fixture of each catalogue rule whose function has a (before, after) pair in ``cases``."""
    from validator.compat import RULES

    for rule in RULES:
        name = rule.check.__name__
        if name in cases:
            before, after = cases[name]
            key = "req" if rule.direction == "request" else "resp"
            _write(FIXTURES / rule.id, doc(**{key: before}), doc(**{key: after}))


NUM: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 1}


def probabilities(declaration: dict[str, Any] | None) -> dict[str, Any]:
    """An array of probabilities, with ``x-sum`` when a declaration is given."""
    out: dict[str, Any] = {"type": "array", "items": NUM}
    if declaration is not None:
        out["x-sum"] = declaration
    return out


def ranking(declaration: dict[str, Any] | None) -> dict[str, Any]:
    """An array of scored items, with ``x-sorted`` when a declaration is given."""
    out: dict[str, Any] = {"type": "array", "items": obj({"id": S, "score": NUM}, ["id", "score"])}
    if declaration is not None:
        out["x-sorted"] = declaration
    return out


def _sum(equals: float = 1, tolerance: float = 1e-6) -> dict[str, Any]:
    return probabilities({"equals": equals, "tolerance": tolerance})


def _by_score(order: str = "desc", by: str = "/score") -> dict[str, Any]:
    return ranking({"order": order, "by": by})


OUTPUT_CASES: dict[str, Any] = {
    "sum_added": (probabilities(None), _sum()),
    "sum_removed": (_sum(), probabilities(None)),
    "sum_changed": (_sum(), _sum(equals=0.5)),
    "sum_tolerance_raised": (_sum(), _sum(tolerance=0.05)),
    "sum_tolerance_lowered": (_sum(tolerance=0.05), _sum()),
    "sorted_added": (ranking(None), _by_score()),
    "sorted_removed": (_by_score(), ranking(None)),
    "sorted_changed": (_by_score(), _by_score(order="asc")),
}


def write_output_fixtures() -> None:
    """Write only the x-sum/x-sorted rules' fixtures (``python -c 'from tests.compat.build_fixtures import ...'``)."""
    _write_schema_cases(OUTPUT_CASES)


if __name__ == "__main__":
    main()
