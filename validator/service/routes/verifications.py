"""Verification records of contract-test runs, and "can I deploy?" over them."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, Header, Query, Request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from starlette.responses import JSONResponse, Response

from ...payload import REPORT_DEPTH, dumps, too_deep_at
from ...pointers import to_pointer
from ...verify.redact import Redaction
from ..catalogue import Snapshot
from ..db import Database
from ..deploy import decide
from ..problem_details import ServiceError, integral, parse_model
from ..security import require_read_token, require_token
from ..store import Filter, NewVerification, add, add_once, for_build, get, page, with_reports
from ._deps import database, raw_body, snapshot
from ._patterns import CONTRACT_REF, NAME, SEMVER, TEXT, anchored

router = APIRouter(prefix="/api/v1")
Snap = Annotated[Snapshot, Depends(snapshot)]
Db = Annotated[Database, Depends(database)]
Text = Annotated[str, Field(min_length=1, max_length=200, pattern=anchored(TEXT))]
ContractName = Annotated[str, Field(max_length=200, pattern=anchored(NAME))]
Count = Annotated[int, BeforeValidator(integral), Field(ge=0, le=2**31 - 1)]
TextQuery = Annotated[str | None, Query(min_length=1, max_length=200, pattern=anchored(TEXT))]


class VerificationIn(BaseModel):
    """A contract-test outcome as posted by ``contracts test --publish``."""

    model_config = ConfigDict(extra="forbid", strict=True)

    provider: Text
    provider_version: Text
    contract: ContractName
    contract_version: Annotated[str, Field(max_length=100, pattern=anchored(SEMVER))]
    ok: bool
    cases: Count | None = None
    failures: Count | None = None
    report: dict[str, Any] | None = None


@router.post("/verifications", status_code=201, dependencies=[Depends(require_token)])
def post_verification(
    snap: Snap,
    db: Db,
    body: Annotated[bytes, Depends(raw_body)],
    idempotency_key: Annotated[
        str | None, Header(alias="Idempotency-Key", min_length=1, max_length=200, pattern=r"^[\x21-\x7e]+$")
    ] = None,
) -> JSONResponse:
    """Store one record (the contract version must exist); 201 with the record and its ``id``.

    With an ``Idempotency-Key``, a retry of the same POST stores nothing and gets the first record back
    (header ``Idempotent-Replayed: true``); the same key with a different record is 422.
    """
    new = parse_model(body, VerificationIn)
    _shallow_enough(new.report)
    snap.ref(new.contract, new.contract_version)
    cases, failures = new.cases, new.failures
    report = new.report
    if report is not None:
        # `contracts test` redacts its reports; one posted by another client may still carry credentials.
        report = Redaction.of(snap.contract(new.contract, new.contract_version).document).report_dict(report)
    if new.report is not None:  # the `contracts test` JSON report carries the counts
        if cases is None and isinstance(new.report.get("cases"), int):
            cases = new.report["cases"]
        if failures is None and isinstance(new.report.get("failures"), list):
            failures = len(new.report["failures"])
    stored = NewVerification(
        new.provider, new.provider_version, new.contract, new.contract_version, new.ok, cases, failures, report
    )
    headers: dict[str, str] = {}
    if idempotency_key is None:
        record = add(db, stored)
    else:
        once = add_once(db, stored, idempotency_key, _digest(new))
        if once.record is None:
            message = "this Idempotency-Key was used for a different record"
            raise ServiceError(
                422,
                "Idempotency-Key reused",
                message,
                errors=[{"pointer": "", "message": message, "location": "header", "hint": "send a new key"}],
            )
        record = once.record
        if not once.created:
            headers["Idempotent-Replayed"] = "true"
    headers["Location"] = f"/api/v1/verifications/{record['id']}"
    return JSONResponse(record, status_code=201, headers=headers)


@router.get("/verifications", dependencies=[Depends(require_read_token)])
def list_verifications(
    request: Request,
    db: Db,
    provider: TextQuery = None,
    provider_version: TextQuery = None,
    contract: TextQuery = None,
    contract_version: TextQuery = None,
    ok: Literal["true", "false"] | None = None,
    before: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    """Records, newest first, filtered by any of the fields, in pages of ``limit`` records and at most
    about ``page_max_bytes``; ``next`` (and a ``Link`` header) is the next page's URL, null on the last."""
    passed = None if ok is None else ok == "true"
    where = Filter(provider, provider_version, contract, contract_version, passed, before, limit)
    found = page(db, where, request.app.state.settings.page_max_bytes)
    headers: dict[str, str] = {}
    next_url = None
    if found.next_before is not None:
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "before"]
        next_url = f"/api/v1/verifications?{urlencode([*query, ('before', str(found.next_before))])}"
        headers["Link"] = f'<{next_url}>; rel="next"'
    body = b'{"verifications":[' + b",".join(found.records) + b'],"next":' + dumps(next_url) + b"}"
    return Response(body, media_type="application/json", headers=headers)


@router.get("/verifications/{record_id}", dependencies=[Depends(require_read_token)])
def get_verification(db: Db, record_id: int) -> dict[str, Any]:
    """One record by id."""
    if not 1 <= record_id <= 2**63 - 1:
        raise _no_record(record_id)
    record = get(db, record_id)
    if record is None:
        raise _no_record(record_id)
    return record


@router.get("/can-i-deploy", dependencies=[Depends(require_read_token)])
def can_i_deploy(
    request: Request,
    snap: Snap,
    db: Db,
    provider: Annotated[str, Query(min_length=1, max_length=200, pattern=anchored(TEXT))],
    version: Annotated[str, Query(min_length=1, max_length=200, pattern=anchored(TEXT))],
    contract: Annotated[str, Query(max_length=300, pattern=anchored(CONTRACT_REF))],
    model_version: TextQuery = None,
) -> dict[str, Any]:
    """May build ``version`` of ``provider`` go live against ``contract`` (NAME[@VERSION|@MAJOR])?

    With ``model_version``, only if the passing run observed the build serving that model version.
    """
    vref = snap.resolve(contract)
    records = for_build(db, provider, version, vref.name)
    decision = decide(provider, version, vref.name, vref.version, records, model_version).to_dict()
    # The decision rests on every record; the answer shows them with their reports, as many as fit a page
    # (fifty reports of a few MB each made answers of hundreds).
    ids = [r["id"] for r in decision["verifications"]]
    decision["verifications"] = with_reports(db, ids, request.app.state.settings.page_max_bytes) if ids else []
    return {
        **decision,
        "provider": provider,
        "provider_version": version,
        "contract": vref.name,
        "contract_version": vref.version,
        **({"model_version": model_version} if model_version is not None else {}),
    }


def _digest(new: VerificationIn) -> str:
    """What identifies a posted record for its Idempotency-Key: its fields, in a canonical form."""
    return hashlib.sha256(orjson.dumps(new.model_dump(), option=orjson.OPT_SORT_KEYS)).hexdigest()


def _shallow_enough(report: dict[str, Any] | None) -> None:
    """A report nested deeper than payloads may be is refused (422): stored, it could never be read back."""
    deep = None if report is None else too_deep_at(report, REPORT_DEPTH)
    if deep is not None:
        pointer = to_pointer(("report", *deep))
        message = f"the report nests deeper than {REPORT_DEPTH} levels"
        raise ServiceError(
            422,
            "Request body does not match the API",
            message,
            errors=[{"pointer": pointer, "message": message, "location": "body", "hint": "flatten the report"}],
        )


def _no_record(record_id: int) -> ServiceError:
    return ServiceError(
        404,
        "Unknown verification",
        f"no verification with id {record_id}",
        errors=[{"pointer": "/record_id", "message": "no such record", "location": "path"}],
    )
