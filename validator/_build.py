"""Building the immutable operation model from a crawled OpenAPI document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import referencing
import referencing.exceptions

from .contract import (
    METHODS,
    PARAMETER_LOCATIONS,
    Example,
    ExampleKey,
    Header,
    Interaction,
    MediaType,
    Operation,
    Parameter,
    RequestBody,
    Response,
    frozen,
)
from .errors import LoadError
from .pointers import escape_token

MAX_HOPS = 64
MAX_CALLBACK_DEPTH = 4
_DEFAULT_STYLE = {"query": "form", "cookie": "form", "path": "simple", "header": "simple"}


class _Builder:
    def __init__(self, base_uri: str, registry: referencing.Registry[Any], lines: Mapping[str, Mapping[str, int]]):
        self.base_uri = base_uri
        self.registry = registry
        self.lines = lines
        self._events: list[Operation] = []  # callbacks found while building operations, then webhooks
        self._depth = 0  # callbacks within callbacks

    def follow(self, uri: str, value: Any) -> tuple[str, Any]:
        """Follow an OpenAPI Reference Object chain; return the target's URI and value."""
        for _ in range(MAX_HOPS):
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return uri, value
            ref = value["$ref"]
            try:
                resolved = self.registry.resolver(uri.partition("#")[0]).lookup(ref)
            except referencing.exceptions.Unresolvable:
                raise self.error(uri, f"$ref {ref!r} does not resolve") from None
            target = urljoin(uri, ref)
            uri = target if "#" in target else target + "#"
            value = resolved.contents
        raise self.error(uri, "$ref chain is too long or circular")

    def error(self, uri: str, message: str) -> LoadError:
        base, _, pointer = uri.partition("#")
        return LoadError(message, file=base, pointer=pointer, line=self.lines.get(base, {}).get(pointer))

    def operations(self, document: Mapping[str, Any]) -> list[Operation]:
        paths = document.get("paths") or {}
        if not isinstance(paths, dict):
            return []
        out = []
        for path, raw_item in paths.items():
            item_uri, item = self.follow(f"{self.base_uri}#/paths/{escape_token(path)}", raw_item)
            out.extend(self.path_item(item_uri, item, str(path), document.get("security")))
        return out

    def events(self, document: Mapping[str, Any]) -> list[Operation]:
        """What the API itself sends: its webhooks, then the callbacks of its operations."""
        webhooks = document.get("webhooks")
        for name, raw_item in webhooks.items() if isinstance(webhooks, dict) else []:
            item_uri, item = self.follow(f"{self.base_uri}#/webhooks/{escape_token(name)}", raw_item)
            self._events.extend(self.path_item(item_uri, item, f"webhooks/{name}", document.get("security")))
        return self._events

    def path_item(self, item_uri: str, item: Any, path: str, global_security: Any) -> list[Operation]:
        """The operations of one Path Item (``path`` names it: a URL template, or an event's name)."""
        if not isinstance(item, dict):
            return []
        out = []
        shared = self.parameters(item_uri, item.get("parameters"))
        for method, op_uri, raw in _methods(item_uri, item):
            params = {p.key: p for p in shared}
            params.update({p.key: p for p in self.parameters(op_uri, raw.get("parameters"))})
            body = self.request_body(op_uri, raw.get("requestBody"))
            responses = self.responses(op_uri, raw.get("responses"))
            security = raw.get("security", global_security) or []
            out.append(
                Operation(
                    method=method,
                    path=path,
                    operation_id=raw.get("operationId") if isinstance(raw.get("operationId"), str) else None,
                    pointer=op_uri.partition("#")[2],
                    parameters=tuple(params.values()),
                    request_body=body,
                    responses=frozen(responses),
                    interactions=frozen(_interactions(body, responses, tuple(params.values()))),
                    security=tuple(s for s in security if isinstance(s, dict)),
                    extensions=frozen({k: v for k, v in raw.items() if k.startswith("x-")}),
                    summary=str(raw.get("summary") or ""),
                    deprecated=bool(raw.get("deprecated", False)),
                )
            )
            self.callbacks(op_uri, raw.get("callbacks"), f"{method} {path}")
        return out

    def callbacks(self, op_uri: str, raw: Any, owner: str) -> None:
        """Collect the operations of an operation's callbacks as events (the API calls the client)."""
        if self._depth >= MAX_CALLBACK_DEPTH:
            return
        self._depth += 1
        for name, entry in raw.items() if isinstance(raw, dict) else []:
            cb_uri, callback = self.follow(f"{op_uri}/callbacks/{escape_token(name)}", entry)
            for expression, raw_item in callback.items() if isinstance(callback, dict) else []:
                if str(expression).startswith("x-"):
                    continue
                item_uri, item = self.follow(f"{cb_uri}/{escape_token(expression)}", raw_item)
                self._events.extend(self.path_item(item_uri, item, f"callbacks/{owner}/{name}/{expression}", None))
        self._depth -= 1

    def parameters(self, owner_uri: str, raw: Any) -> list[Parameter]:
        out = []
        for i, entry in enumerate(raw if isinstance(raw, list) else []):
            uri, param = self.follow(f"{owner_uri}/parameters/{i}", entry)
            if not isinstance(param, dict) or not isinstance(param.get("name"), str):
                continue
            location = next((loc for loc in PARAMETER_LOCATIONS if loc == param.get("in")), None)
            if location is None:
                # OpenAPI 3.2's whole-query-string parameter: read, not checked (docs/openapi-versions.md);
                # any other ``in`` is not OpenAPI, which lint reports against the specification's schema.
                continue
            schema_uri, schema = self.param_schema(uri, param)
            style = str(param.get("style") or _DEFAULT_STYLE.get(location, "simple"))
            out.append(
                Parameter(
                    name=param["name"],
                    location=location,
                    required=bool(param.get("required", location == "path")),
                    schema_uri=schema_uri,
                    schema=schema,
                    style=style,
                    explode=bool(param.get("explode", style == "form")),
                    uri=uri,
                    deprecated=bool(param.get("deprecated", False)),
                    examples=frozen(self.named_values(uri, param)),
                    example=(param["example"],) if "example" in param else (),
                )
            )
        return out

    def named_values(self, uri: str, owner: Mapping[str, Any]) -> dict[str, Any]:
        """Named example values of a parameter (a singular ``example`` is a default, not a name)."""
        out: dict[str, Any] = {}
        raw = owner.get("examples")
        for name, ex in raw.items() if isinstance(raw, dict) else []:
            _, value = self.follow(f"{uri}/examples/{escape_token(name)}", ex)
            key = _value_key(value)
            if key is not None:
                out[name] = value[key]
        return out

    def param_schema(self, uri: str, param: Mapping[str, Any]) -> tuple[str | None, Any]:
        if "schema" in param:
            return f"{uri}/schema", param["schema"]
        content = param.get("content")
        if isinstance(content, dict) and content:
            media, body = next(iter(content.items()))
            if isinstance(body, dict) and "schema" in body:
                return f"{uri}/content/{escape_token(media)}/schema", body["schema"]
        return None, None

    def request_body(self, op_uri: str, raw: Any) -> RequestBody | None:
        if raw is None:
            return None
        uri, body = self.follow(f"{op_uri}/requestBody", raw)
        if not isinstance(body, dict):
            return None
        return RequestBody(
            required=bool(body.get("required", False)),
            content=frozen(self.content(uri, body.get("content"))),
            uri=uri,
        )

    def content(self, owner_uri: str, raw: Any) -> dict[str, MediaType]:
        out = {}
        for media, raw_entry in raw.items() if isinstance(raw, dict) else []:
            uri, entry = self.follow(f"{owner_uri}/content/{escape_token(media)}", raw_entry)
            if not isinstance(entry, dict):
                continue
            examples: dict[str, Example] = {}
            if "example" in entry:
                examples["example"] = Example("example", entry["example"], f"{uri}/example")
            for name, ex in (entry.get("examples") or {}).items() if isinstance(entry.get("examples"), dict) else []:
                ex_uri, ex_value = self.follow(f"{uri}/examples/{escape_token(name)}", ex)
                key = _value_key(ex_value)
                if key is not None:
                    extensions = {k: v for k, v in ex_value.items() if k.startswith("x-")}
                    examples[name] = Example(name, ex_value[key], ex_uri, frozen(extensions), key)
            schema = entry.get("schema")
            out[media] = MediaType(media, f"{uri}/schema" if "schema" in entry else None, schema, frozen(examples))
        return out

    def responses(self, op_uri: str, raw: Any) -> dict[str, Response]:
        out = {}
        for status, entry in raw.items() if isinstance(raw, dict) else []:
            uri, resp = self.follow(f"{op_uri}/responses/{escape_token(status)}", entry)
            if not isinstance(resp, dict):
                continue
            headers = {}
            for hname, hraw in (resp.get("headers") or {}).items() if isinstance(resp.get("headers"), dict) else []:
                huri, header = self.follow(f"{uri}/headers/{escape_token(hname)}", hraw)
                if isinstance(header, dict):
                    schema_uri, schema = self.param_schema(huri, header)
                    headers[hname] = Header(hname, bool(header.get("required", False)), schema_uri, schema)
            out[str(status)] = Response(
                status=str(status),
                description=str(resp.get("description") or ""),
                headers=frozen(headers),
                content=frozen(self.content(uri, resp.get("content"))),
                uri=uri,
            )
        return out


def _value_key(example: Any) -> ExampleKey | None:
    """Where an Example Object holds its value: ``value``, or OpenAPI 3.2's ``dataValue``."""
    if not isinstance(example, dict):
        return None
    return "value" if "value" in example else "dataValue" if "dataValue" in example else None


def _methods(item_uri: str, item: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(HTTP method, URI, operation object) of a path item: the fixed fields, then OpenAPI 3.2's others.

    3.2 adds ``query`` (the QUERY method) and ``additionalOperations``, whose keys are methods written
    as they are sent (``PURGE``, ``LINK``); a key that repeats a fixed field's method is not one.
    """
    out = [(m.upper(), f"{item_uri}/{m}", item[m]) for m in (*METHODS, "query") if isinstance(item.get(m), dict)]
    extra = item.get("additionalOperations")
    fixed = {method for method, _, _ in out} | {m.upper() for m in (*METHODS, "query")}
    for method, raw in extra.items() if isinstance(extra, dict) else []:
        if isinstance(raw, dict) and str(method).upper() not in fixed:
            out.append((str(method), f"{item_uri}/additionalOperations/{escape_token(method)}", raw))
    return out


def _interactions(
    body: RequestBody | None, responses: Mapping[str, Response], params: tuple[Parameter, ...]
) -> dict[str, Interaction]:
    """Pair request example X with response example X (INTERFACE.md: named examples)."""
    requests: dict[str, tuple[str, Any]] = {}
    if body is not None:
        for media, mt in body.content.items():
            for name, ex in mt.examples.items():
                if not _singular(ex):
                    requests.setdefault(name, (media, ex.value))
    out: dict[str, Interaction] = {}
    named_params = any(p.examples for p in params)
    for status, resp in responses.items():
        for media, mt in resp.content.items():
            for name, ex in mt.examples.items():
                if name in out or _singular(ex):
                    continue  # a singular ``example`` is a default value, never one side of an interaction
                if body is not None and name not in requests:
                    continue  # a response example with no request partner is not an interaction
                if body is None and named_params and not any(name in p.examples for p in params):
                    continue  # the request side is the parameters: one of them must name it
                req_media, req_value = requests.get(name, (None, None))
                out[name] = Interaction(
                    name=name,
                    request=req_value,
                    request_media_type=req_media,
                    status=status,
                    response=ex.value,
                    response_media_type=media,
                    match=ex.extensions.get("x-match"),
                    parameters=frozen(_parameter_examples(params, name)),
                )
    return out


def _singular(example: Example) -> bool:
    """Whether an example is a media type's singular ``example`` (INTERFACE.md pairs by name only)."""
    return example.uri.endswith("/example")


def _parameter_examples(params: tuple[Parameter, ...], name: str) -> dict[str, Any]:
    """Values of the parameters that carry an example named ``name``, keyed by parameter name."""
    return {p.name: p.examples[name] for p in params if name in p.examples}


def build_operations(
    base_uri: str,
    document: Mapping[str, Any],
    registry: referencing.Registry[Any],
    lines: Mapping[str, Mapping[str, int]],
) -> tuple[list[Operation], list[Operation]]:
    """All operations of a crawled document, with references followed; then its events (webhooks and
    callbacks: operations the API sends rather than serves)."""
    builder = _Builder(base_uri, registry, lines)
    operations = builder.operations(document)
    return operations, builder.events(document)
