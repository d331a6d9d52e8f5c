"""Exchanges: the request and the two answers that show a break no single payload can prove.

Rules about operations, parameters, statuses, media types, defaults and behaviour-changing
annotations (policy decision 16) are witnessed by an exchange: a request a client built against OLD
sends, what OLD promised for it, and what NEW does. Where the validators can see the difference (a
parameter or body now required, a media type refused) the request is checked with both versions'
compiled validators and the first problem NEW reports is quoted.
"""

from __future__ import annotations

from typing import Any

from ..compiled import CompiledContract, RequestData
from ..contract import MediaType, Operation
from ..errors import ContractsError
from ._schema import Schemas
from .report import Finding, Witness
from .witness import minimal

# What the new version answers, by rule: a short statement of the exchange's second half.
_ANSWERS = {
    "operation-removed": "the operation is gone: 404 Not Found",
    "operation-method-removed": "the method is gone from the path: 405 Method Not Allowed",
    "operation-path-changed": "the operation moved: 404 Not Found at the old path",
    "security-requirement-added": "the old credentials no longer suffice: 401/403",
    "parameter-removed": "the parameter is no longer part of the operation: it is ignored or refused",
    "parameter-location-changed": "the parameter is read from another place: the value sent is not seen",
    "parameter-style-changed": "the value is parsed with another serialisation",
    "request-body-removed": "the operation takes no body: the body sent is refused or ignored",
    "success-status-changed": "answers with a success status the client does not handle",
    "success-status-added": "may answer with a second success status the client does not handle",
    "non-error-status-added": "may answer with a status the client never saw",
    "response-media-type-removed": "cannot answer in the media type the client accepts: 406 Not Acceptable",
    "response-body-removed": "answers without the body the client reads",
    "response-body-added": "answers with a body where the client expected none",
    "response-header-removed": "answers without the header the client reads",
    "response-header-became-optional": "may answer without the header the client reads",
    "request-default-changed": "applies another default to the omitted value",
    "request-discriminator-property-changed": "dispatches on another member: the client's tag is not read",
    "response-discriminator-property-changed": "tags variants with another member: the client's dispatch fails",
    "request-discriminator-mapping-removed": "no longer maps the client's tag to a variant",
    "response-discriminator-mapping-added": "sends a variant tag the client cannot map",
    "request-read-only-added": "no longer takes the readOnly member the client sends",
    "response-write-only-added": "no longer sends the writeOnly member the client reads",
    "webhook-removed": "never sends this request: the consumer's handler for it is no longer called",
    "callback-removed": "never sends this callback: the client registered for it is no longer called",
    "request-content-changed": "decodes the string's content another way",
    "response-content-changed": "encodes the string's content another way",
}


def has_exchange(rule_id: str) -> bool:
    """Whether a breaking rule is witnessed by an exchange (rather than by a payload)."""
    return rule_id in _ANSWERS or rule_id.startswith(("parameter-", "request-body-", "request-media-type-"))


def sample_request(op: Operation, schemas: Schemas, *, leave_out: str | None = None) -> dict[str, Any]:
    """A small request to ``op`` as a client sends it: required parameters, a body (example or minimal)."""
    out: dict[str, Any] = {"method": op.method, "path": op.path}
    path: dict[str, str] = {}
    query: dict[str, str] = {}
    headers: dict[str, str] = {}
    for p in op.parameters:
        if not (p.required or p.location == "path") or p.name == leave_out or p.location == "cookie":
            continue
        value = _text(minimal(schemas.view(schemas.node(p.schema_uri)), schemas)) if p.schema_uri else "x"
        {"path": path, "query": query, "header": headers}[p.location][p.name] = value
    for name, value in path.items():
        out["path"] = out["path"].replace("{" + name + "}", value)
    if query:
        out["query"] = query
    if headers:
        out["headers"] = headers
    body = op.request_body
    if body is not None and body.content and leave_out != "(body)":
        media = next(iter(body.content.values()))
        example = next(iter(media.examples.values()), None)
        out["content_type"] = media.media_type
        if example is not None:
            out["body"] = example.value
        elif media.schema_uri:
            out["body"] = minimal(schemas.view(schemas.node(media.schema_uri)), schemas)
    return out


def sample_payload(schemas: Schemas, uri: str, media: MediaType | None) -> Any:
    """A payload of one body or value: its first example, else a minimal valid-looking value."""
    example = next(iter(media.examples.values()), None) if media is not None else None
    return example.value if example is not None else minimal(schemas.view(schemas.node(uri)), schemas)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _request_data(op: Operation, request: dict[str, Any]) -> RequestData:
    names = [p.name for p in op.parameters if p.location == "path"]
    values = dict(zip(names, _path_values(op.path, request["path"]), strict=False))
    return RequestData(
        path_params=values,
        query=list(request.get("query", {}).items()),
        headers={k.lower(): v for k, v in request.get("headers", {}).items()},
        content_type=request.get("content_type"),
        body=request["body"] if "body" in request else RequestData().body,
    )


def _path_values(template: str, path: str) -> list[str]:
    out = []
    for t, p in zip(template.split("/"), path.split("/"), strict=False):
        if t.startswith("{") and t.endswith("}"):
            out.append(p)
    return out


def exchange(
    rule_id: str,
    finding: Finding,
    old_op: Operation | None,
    new_op: Operation | None,
    compiled: tuple[CompiledContract | None, CompiledContract | None],
    schemas: tuple[Schemas, Schemas],
    versions: tuple[str, str],
) -> Witness:
    """The exchange that shows one breaking change (confirmed by the validators where they see it)."""
    op = old_op or new_op
    assert op is not None
    leave_out = _left_out(rule_id, finding)
    request = sample_request(op, schemas[0], leave_out=leave_out)
    if rule_id == "request-media-type-removed" and old_op is not None and old_op.request_body is not None:
        gone = finding.message.split("'")[1] if "'" in finding.message else None
        media = old_op.request_body.content.get(gone or "")
        if media is not None:
            request["content_type"] = media.media_type
            example = next(iter(media.examples.values()), None)
            if example is not None:
                request["body"] = example.value
            elif media.schema_uri:
                request["body"] = minimal(schemas[0].view(schemas[0].node(media.schema_uri)), schemas[0])
    if rule_id in ("parameter-removed", "parameter-location-changed", "parameter-style-changed") and old_op:
        named = finding.message.split("'")[1] if "'" in finding.message else ""
        param = next((p for p in old_op.parameters if p.name == named), None)
        if param is not None and param.location in ("query", "header"):
            view = schemas[0].view(schemas[0].node(param.schema_uri)) if param.schema_uri else None
            value = _text(minimal(view, schemas[0])) if view is not None else "x"
            request.setdefault("query" if param.location == "query" else "headers", {})[param.name] = value
    answer = _ANSWERS.get(rule_id, "refuses the request")
    problem = f"{versions[1]} {answer}"
    confirmed = False
    if rule_id.startswith(("parameter-", "request-body-", "request-media-type-")) and old_op and new_op:
        old_c, new_c = compiled
        if old_c is not None and new_c is not None:
            try:
                before = old_c.validate_request(old_op, _request_data(old_op, request))
                after = new_c.validate_request(new_op, _request_data(new_op, request))
            except ContractsError:  # a schema of this operation does not compile: the exchange stays unconfirmed
                before, after = [], []
            if not before and after:
                confirmed = True
                first = after[0]
                problem = f"{versions[1]} refuses it: {first.pointer or '/'}: {first.message}"
    sent_by_api = rule_id in ("webhook-removed", "callback-removed")
    before_text = "sends it as documented" if sent_by_api else "accepts it as documented"
    payload: dict[str, Any] = {"request": request, "old": f"{versions[0]} {before_text}", "new": problem}
    if confirmed:
        payload["confirmed_by_validators"] = True
    return Witness(payload, "exchange", versions[0], versions[1], problem, kind="exchange")


def _left_out(rule_id: str, finding: Finding) -> str | None:
    """What an OLD client does not send, for rules about something NEW now requires."""
    if rule_id in ("parameter-required-added", "parameter-became-required"):
        return finding.message.split("'")[1] if "'" in finding.message else None
    if rule_id in ("request-body-added-required", "request-body-became-required"):
        return "(body)"
    return None
