"""Compatibility of a candidate document and diffs between versions, as ``contracts diff`` finds them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from ... import versions as _versions
from ...contract import Contract
from ...errors import LoadError
from ...lint import openapi_document_is_valid, schemas_are_valid
from ...loader import load_document
from ...report.display import for_contracts
from ..catalogue import Snapshot
from ..problem_details import ServiceError, parse_model
from ..security import require_read_token
from ._deps import checked_name, raw_body, snapshot
from ._patterns import AGAINST, SEMVER, anchored, is_semver

OWN_MAJOR = "(own major)"
router = APIRouter(prefix="/api/v1", dependencies=[Depends(require_read_token)])
Snap = Annotated[Snapshot, Depends(snapshot)]
Name = Annotated[str, Depends(checked_name)]
VersionQuery = Annotated[str, Query(max_length=100, pattern=anchored(SEMVER))]


class CompatibilityRequest(BaseModel):
    """A candidate OpenAPI document and what to compare it with."""

    model_config = ConfigDict(extra="forbid", strict=True)

    document: dict[str, Any]
    # Left out: the newest release of the candidate's own major (a 1.x candidate is not judged by 2.0.0).
    # The default is not validated, and no value a client sends can equal it (the pattern refuses it).
    against: str = Field(OWN_MAJOR, max_length=100, pattern=anchored(AGAINST))


@router.post("/contracts/{name}/compatibility")
def compatibility(snap: Snap, name: Name, body: Annotated[bytes, Depends(raw_body)]) -> dict[str, Any]:
    """The diff of the candidate against the latest version, every released version of its major, or one."""
    from ...compat import against_versions

    request = parse_model(body, CompatibilityRequest)
    known = snap.versions_of(name)
    candidate, problems = _candidate(request.document, name)
    if candidate is None:
        # The candidate is the thing judged (as a payload is for validate): an invalid one is a
        # finding, answered 200 with its problems, not a malformed request. It cannot be shown
        # compatible, so it is not: ``breaking`` says so too, for gates that read only that key.
        declared = _declared_version(request.document)
        versions = _baseline_versions(snap, name, known, request.against, declared, strict=False)
        return {
            "old": ", ".join(f"{name}@{v}" for v in versions),
            "new": f"{name} (candidate)",
            "breaking": True,
            "required_bump": "major",
            "changes": [],
            "compatible": False,
            "valid": False,
            "problems": problems,
            "against": [f"{name}@{v}" for v in versions],
        }
    chosen = _baseline_versions(snap, name, known, request.against, candidate.version)
    baselines = [snap.contract(name, v) for v in chosen]
    result = against_versions(candidate, baselines).to_dict(for_contracts(snap.root))
    result["against"] = [f"{name}@{c.version}" for c in baselines]
    result["valid"] = True
    return result


@router.get("/contracts/{name}/diff")
def diff_versions(
    snap: Snap,
    name: Name,
    old: Annotated[str, Query(alias="from", max_length=100, pattern=anchored(SEMVER))],
    new: Annotated[str, Query(alias="to", max_length=100, pattern=anchored(SEMVER))],
) -> dict[str, Any]:
    """Every change from version ``from`` to version ``to``, each marked breaking or not."""
    from ...compat import diff

    before, after = snap.contract(name, old), snap.contract(name, new)
    report: dict[str, Any] = snap.cached(
        f"diff-to-{new}", name, old, lambda: diff(before, after).to_dict(for_contracts(snap.root))
    )
    return report


def _candidate(document: dict[str, Any], name: str) -> tuple[Contract | None, list[dict[str, Any]]]:
    """The candidate loaded like a contract (no folder: it cannot reach files), or its problems."""
    info = document.get("info")
    declared = info.get("version") if isinstance(info, dict) else None
    version = declared if isinstance(declared, str) and is_semver(declared) else "0.0.0-candidate"
    try:
        contract = load_document(document, name=name, version=version)
    except LoadError as exc:
        return None, [_in_document(exc.to_dict())]
    problems = [*openapi_document_is_valid(contract), *schemas_are_valid(contract)]
    if problems:
        return None, [_in_document(p.to_dict()) for p in problems]
    return contract, []


def _in_document(problem: dict[str, Any]) -> dict[str, Any]:
    """A document problem re-pointed into the request body (``/document/...``), without server paths."""
    problem.pop("file", None)
    problem.pop("schema_path", None)
    problem["pointer"] = "/document" + str(problem.get("pointer", ""))
    return problem


def _declared_version(document: dict[str, Any]) -> str | None:
    info = document.get("info")
    declared = info.get("version") if isinstance(info, dict) else None
    return declared if isinstance(declared, str) and is_semver(declared) else None


def _own_major(known: list[str], version: str | None) -> list[str]:
    """The released versions of the candidate's major older than it (all of them when it has no version)."""
    if version is None or not is_semver(version):
        return []
    parsed = _versions.parse(version)
    return [
        v
        for v in known
        if _versions.is_released(_versions.parse(v))
        and _versions.parse(v).major == parsed.major
        and _versions.parse(v) <= parsed
    ]


def _baseline_versions(
    snap: Snapshot, name: str, known: list[str], against: str, version: str | None, *, strict: bool = True
) -> list[str]:
    """The versions to compare with: by default the newest release of the candidate's own major; ``latest``;
    every released one of the candidate's major (``major``); or one version."""
    if against == OWN_MAJOR:
        line = _own_major(known, version)
        return line[-1:]  # a candidate opening a new major has no release to stay compatible with
    if against == "latest":
        return [snap.latest(name)]
    if against == "major":
        major = _versions.parse(version).major if version and is_semver(version) else None
        line = [
            v
            for v in known
            if major is not None and _versions.parse(v).major == major and _versions.is_released(_versions.parse(v))
        ]
        if not line and strict:
            raise ServiceError(
                404,
                "No version in that major",
                f"{name} has no released {major}.x version",
                errors=[{"pointer": "/against", "message": f"no released {major}.x version"}],
                available=known,
            )
        return line
    if is_semver(against):
        snap.ref(name, against)
        return [against]
    raise ServiceError(
        422,
        "Request does not match the API",
        f"against {against!r} is not latest, major or a version",
        errors=[{"pointer": "/against", "message": "use latest, major or a version such as 1.1.0", "location": "body"}],
    )
