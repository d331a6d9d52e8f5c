"""Judging a candidate document sent by a client: load it, lint it, compare it; a picklable answer.

The service runs :func:`judge` in a worker process under the analysis limits (see
``validator/service/analysis.py``), so the job takes and returns plain data: the candidate as JSON,
the contracts folder and the versions to compare with, and the answer or the error as dicts.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from .. import limits
from .. import refs as _refs
from ..contract import Contract
from ..errors import ContractsError, LoadError, TooComplexError
from ..lint import document_problems
from ..loader import load, load_document
from ..report.display import for_contracts
from ..upgrade import notes_of
from . import against_versions

CANDIDATE_VERSION = "0.0.0-candidate"  # the version of a candidate whose info.version is not semver


def judge(document: dict[str, Any], name: str, version: str, root: str, against: list[str]) -> dict[str, Any]:
    """``{"valid": false, "problems"}``, ``{"valid": true, "result"}`` or ``{"error": {...}}``, within the limits."""
    try:
        with limits.bounded():
            candidate, problems = load_candidate(document, name, version)
            if candidate is None:
                return {"valid": False, "problems": problems}
            folder = Path(root)
            baselines = [_baseline(str(folder / name / v)) for v in against]
            result = against_versions(candidate, baselines).to_dict(for_contracts(folder))
            notes = [{k: v for k, v in n.to_dict().items() if k != "file"} for n in notes_of(candidate)]
            if notes:  # a 3.0 candidate was read through the conversion to 3.1 (said once, as every command does)
                result["notes"] = notes
    except TooComplexError as exc:
        found = exc.to_dict()
        if exc.file and "__candidate__" in exc.file:
            found = in_document(found)
        return {"error": {**found, "too_complex": True, "detail": exc.message}}
    except ContractsError as exc:
        return {"error": {**exc.to_dict(), "too_complex": False, "detail": exc.message}}
    except MemoryError:
        bound = limits.current().memory_mb
        memory = TooComplexError(f"too complex: the analysis needs more than {bound} MB", limit="memory_mb")
        return {"error": {**memory.to_dict(), "too_complex": True, "detail": memory.message}}
    return {"valid": True, "result": result}


def load_candidate(document: dict[str, Any], name: str, version: str) -> tuple[Contract | None, list[dict[str, Any]]]:
    """The candidate loaded like a contract (no folder: it cannot reach files), or its problems."""
    try:
        contract = load_document(document, name=name, version=version)
    except LoadError as exc:
        return None, [in_document(exc.to_dict())]
    problems = document_problems(contract)
    if problems:
        return None, [in_document(p.to_dict()) for p in problems]
    return contract, []


def in_document(problem: dict[str, Any]) -> dict[str, Any]:
    """A document problem re-pointed into the request body (``/document/...``), without server paths."""
    problem.pop("file", None)
    problem.pop("schema_path", None)
    problem["pointer"] = "/document" + str(problem.get("pointer", ""))
    return problem


def _baseline(folder: str) -> Contract:
    """A hosted version, loaded once per worker while its document is unchanged."""
    path = Path(folder)
    document = path / _refs.OPENAPI_FILE
    return _load_version(folder, document.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _load_version(folder: str, _mtime_ns: int) -> Contract:
    path = Path(folder)
    return load(_refs.VersionRef(path.parent.name, path.name, path, path / _refs.OPENAPI_FILE))
