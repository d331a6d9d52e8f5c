"""Compatibility of a candidate document and diffs between versions, as ``contracts diff`` finds them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from ... import versions as _versions
from ...compat.candidate import CANDIDATE_VERSION, judge
from ...report.display import for_contracts
from ..analysis import AnalysisPool
from ..catalogue import Snapshot
from ..problem_details import ServiceError, parse_model
from ..security import require_read_token
from ._deps import analysis, checked_name, raw_body, snapshot
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
async def compatibility(
    snap: Snap, name: Name, body: Annotated[bytes, Depends(raw_body)], pool: Annotated[AnalysisPool, Depends(analysis)]
) -> dict[str, Any]:
    """The diff of the candidate against the latest version, every released version of its major, or one.

    The candidate is untrusted: it is loaded, linted and compared in an analysis worker, within limits.
    """
    request = parse_model(body, CompatibilityRequest)
    known = snap.versions_of(name)
    declared = _declared_version(request.document)
    version = declared or CANDIDATE_VERSION
    chosen = _baseline_versions(snap, name, known, request.against, version, strict=False)
    judged = await pool.run(judge, request.document, name, version, str(snap.root), chosen)
    if "error" in judged:
        raise _error_of(judged["error"])
    if not judged["valid"]:
        # The candidate is the thing judged (as a payload is for validate): an invalid one is a
        # finding, answered 200 with its problems, not a malformed request. It cannot be shown
        # compatible, so it is not: ``breaking`` says so too, for gates that read only that key.
        versions = _baseline_versions(snap, name, known, request.against, declared, strict=False)
        return {
            "old": ", ".join(f"{name}@{v}" for v in versions),
            "new": f"{name} (candidate)",
            "breaking": True,
            "required_bump": "major",
            "changes": [],
            "compatible": False,
            "valid": False,
            "problems": judged["problems"],
            "against": [f"{name}@{v}" for v in versions],
        }
    _baseline_versions(snap, name, known, request.against, version)  # a valid candidate: 404 when none
    result: dict[str, Any] = judged["result"]
    result["against"] = [f"{name}@{v}" for v in chosen]
    result["valid"] = True
    return result


def _error_of(error: dict[str, Any]) -> Exception:
    """The worker's error as the exception the service answers with (422 for both kinds)."""
    detail = str(error.pop("detail", error.get("message", "")))
    too_complex = error.pop("too_complex", False)
    return ServiceError(
        422,
        "Too complex" if too_complex else "Contract document cannot be loaded",
        detail,
        errors=[error],
    )


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
