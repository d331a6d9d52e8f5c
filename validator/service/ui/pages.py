"""The ``/ui/`` routes: each reads what it shows, then renders one template.

Routes are sync (run in the thread pool): they load contracts and read the database. A failure
renders the error page with the status the API would answer (404 lists what exists, 422, 503).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from importlib import resources
from typing import Annotated, Any, NamedTuple
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from ... import versions as _versions
from ...bundle import bundle
from ...errors import ContractsError, NotFoundError
from ...report.display import for_contracts
from ..catalogue import Snapshot
from ..db import Database, DatabaseUnavailable
from ..deploy import decide
from ..problem_details import ServiceError
from ..routes._deps import database, snapshot
from ..routes._patterns import CONTRACT_REF, TEXT, is_name, is_semver
from ..security import require_read_token
from ..store import contract_summaries, for_build, get, latest_cells
from . import views

router = APIRouter(prefix="/ui", dependencies=[Depends(require_read_token)], include_in_schema=False)
Snap = Annotated[Snapshot, Depends(snapshot)]
Db = Annotated[Database, Depends(database)]
Param = Annotated[str, Query(max_length=300)]

_env = Environment(
    loader=PackageLoader("validator.service.ui", "templates"),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals["urlencode"] = urlencode
templates = Jinja2Templates(env=_env)
_STATIC = {"ui.css": "text/css; charset=utf-8"}


def _page(request: Request, template: str, build: Callable[[], Mapping[str, Any]]) -> Response:
    """Render ``template`` with what ``build`` returns, or the error page saying what went wrong."""
    try:
        context = dict(build())
        status = int(context.pop("status", 200))
    except NotFoundError as exc:
        return _error(request, 404, f"Unknown {exc.what}", exc.message, exc.available)
    except ContractsError as exc:
        return _error(request, 422, "Cannot show this", exc.message, [])
    except ServiceError as exc:
        return _error(request, exc.status, exc.title, exc.detail, list(exc.extra.get("available", [])))
    except DatabaseUnavailable:
        response = _error(request, 503, "Database unavailable", "the verification records cannot be read now", [])
        response.headers["Retry-After"] = str(request.app.state.settings.retry_after_seconds)
        return response
    return templates.TemplateResponse(request, template, context, status_code=status)


def _error(request: Request, status: int, title: str, detail: str, available: list[str]) -> Response:
    context = {"title": title, "detail": detail, "available": available}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)


def _bad(what: str, value: str, hint: str) -> ServiceError:
    return ServiceError(422, "Invalid input", f"{what} {value!r} is not valid: {hint}")


@router.get("", include_in_schema=False)
def ui_root() -> Response:
    """``/ui`` -> ``/ui/``."""
    return RedirectResponse("/ui/", status_code=308)


@router.get("/")
def catalogue_page(request: Request, snap: Snap, db: Db, q: Param = "") -> Response:
    """Every contract with its versions, owner and description; ``q`` searches names and titles."""

    def build() -> dict[str, Any]:
        # What the contracts folder says is rendered once per snapshot; a request adds the records' counts.
        entries = snap.whole("ui-catalogue", lambda: _catalogue_entries(snap))
        try:
            summaries: dict[str, tuple[int, str]] | None = contract_summaries(db)  # one query
        except DatabaseUnavailable:
            summaries = None  # the catalogue is still worth showing without the records
        shown = [
            (entry, *(summaries.get(entry.card.name, (0, "")) if summaries is not None else (0, "")))
            for entry in entries
            if views.matches(entry.card, q)
        ]
        return {"cards": shown, "total": len(entries), "q": q, "records": summaries is not None}

    return _page(request, "catalogue.html", build)


class _Entry(NamedTuple):
    """A catalogue card rendered around the place of its verification count."""

    card: views.ContractCard
    head: Markup
    tail: Markup
    matrix: str  # the matrix page of the contract, where the count links to


def _catalogue_entries(snap: Snapshot) -> list[_Entry]:
    macros = _env.get_template("_card.html").module
    out = []
    for name in snap.names():
        found = views.card(snap, name)
        matrix = "/ui/verifications?" + urlencode({"contract": name})
        out.append(_Entry(found, macros.head(found), macros.tail(found), matrix))  # type: ignore[attr-defined]
    return out


@router.get("/contracts/{name}")
def contract_page(snap: Snap, name: str) -> Response:
    """A contract's address leads to its latest version."""
    if not is_name(name):
        return RedirectResponse("/ui/", status_code=307)
    if name not in snap.versions:
        return RedirectResponse(f"/ui/?{urlencode({'q': name})}", status_code=307)
    return RedirectResponse(f"/ui/contracts/{name}/{snap.latest(name)}", status_code=307)


@router.get("/contracts/{name}/changelog")
def changelog_page(
    request: Request,
    snap: Snap,
    name: str,
    old: Annotated[str, Query(alias="from", max_length=100)] = "",
    new: Annotated[str, Query(alias="to", max_length=100)] = "",
) -> Response:
    """The diff between any two versions (default: the one before the latest, and the latest)."""

    def build() -> dict[str, Any]:
        from ...compat import diff

        _check_name(name)
        known = snap.versions_of(name)
        to = new or known[-1]
        before = [v for v in known if _versions.parse(v) < _versions.parse(to)] if is_semver(to) else []
        since = old or (before[-1] if before else known[0])
        for value in (since, to):
            if not is_semver(value):
                raise _bad("version", value, "use a semantic version such as 1.1.0")
        old_contract, new_contract = snap.contract(name, since), snap.contract(name, to)
        report: dict[str, Any] = snap.cached(
            f"diff-to-{to}",
            name,
            since,
            lambda: diff(old_contract, new_contract).to_dict(for_contracts(snap.root)),
        )
        changes = sorted(report["changes"], key=lambda c: not c["breaking"])
        for change in changes:
            if "witness" in change:
                change["witness_text"] = views.pretty(change["witness"])
        return {
            "name": name,
            "title": new_contract.title,
            "versions": list(reversed(known)),
            "old": since,
            "new": to,
            "report": report,
            "changes": changes,
            "breaking": sum(1 for c in changes if c["breaking"]),
            "api": f"/api/v1/contracts/{name}/diff?{urlencode({'from': since, 'to': to})}",
        }

    return _page(request, "changelog.html", build)


@router.get("/contracts/{name}/{version}")
def version_page(request: Request, snap: Snap, name: str, version: str) -> Response:
    """One version: operations, schemas, examples as pairs, business scenarios, SLOs, links."""

    def build() -> dict[str, Any]:
        _check_name(name)
        if not is_semver(version):
            raise _bad("version", version, "use a semantic version such as 1.1.0")
        contract = snap.contract(name, version)
        # The bundle must build for the link to it to work; a broken one is said here, not found later.
        snap.cached("bundle", name, version, lambda: bundle(contract))
        info = contract.document.get("info")
        info = info if isinstance(info, Mapping) else {}
        known = snap.versions_of(name)
        ops = snap.cached("ui-operations", name, version, lambda: views.operations(contract))
        return {
            "name": name,
            "version": version,
            "title": contract.title,
            "description": str(info.get("description", "")),
            "owner": views.owner(info),
            "released": _versions.is_released(_versions.parse(version)),
            "latest": snap.latest(name),
            "versions": list(reversed(known)),
            "operations": ops,
            "scenarios": sum(len(o.scenarios) for o in ops),
            "links": {
                "mock": f"/mocks/{name}/{version}/",
                "docs": f"/mocks/{name}/{version}/__mock/docs",
                "bundle": f"/api/v1/contracts/{name}/versions/{version}",
                "operations": f"/api/v1/contracts/{name}/versions/{version}/operations",
            },
        }

    return _page(request, "version.html", build)


@router.get("/verifications")
def matrix_page(request: Request, snap: Snap, db: Db, contract: Param = "") -> Response:
    """Provider builds against contract versions: each cell the newest verdict, linking to its report."""

    def build() -> dict[str, Any]:
        names = snap.names()
        chosen = contract or (names[0] if names else "")
        if chosen:
            _check_name(chosen)
            known = snap.versions_of(chosen)
        else:
            known = []
        cells = latest_cells(db, chosen) if chosen else []
        return {
            "names": names,
            "contract": chosen,
            "matrix": views.matrix(chosen, known, cells),
            "deploy": {"provider": "", "version": "", "contract": chosen},
            "api": f"/api/v1/verifications?{urlencode({'contract': chosen})}",
        }

    return _page(request, "matrix.html", build)


@router.get("/verifications/{record_id}")
def verification_page(request: Request, db: Db, record_id: str) -> Response:
    """One verification: verdict, counts, and each failure with its ``curl``."""

    def build() -> dict[str, Any]:
        number = int(record_id) if record_id.isdigit() and len(record_id) < 19 else 0
        record = get(db, number) if number >= 1 else None
        if record is None:
            raise ServiceError(404, "Unknown verification", f"no verification with id {record_id}")
        report = record.get("report")
        failures = report.get("failures") if isinstance(report, Mapping) else None
        shown = []
        for failure in failures if isinstance(failures, list) else []:
            if isinstance(failure, Mapping):
                shown.append(
                    {
                        "operation": str(failure.get("operation", "")),
                        "check": str(failure.get("check", "")),
                        "message": str(failure.get("message", "")),
                        "curl": str(failure.get("curl", "")),
                        "request": views.pretty(failure["request"]) if "request" in failure else "",
                        "response": views.pretty(failure["response"]) if "response" in failure else "",
                    }
                )
        return {"record": record, "failures": shown, "api": f"/api/v1/verifications/{record['id']}"}

    return _page(request, "verification.html", build)


@router.get("/can-i-deploy")
def deploy_page(
    request: Request, snap: Snap, db: Db, provider: Param = "", version: Param = "", contract: Param = ""
) -> Response:
    """The can-i-deploy form and, once filled in, its yes or no with the reason."""

    def build() -> dict[str, Any]:
        asked = {"provider": provider, "version": version, "contract": contract}
        errors = _form_errors(asked)
        context: dict[str, Any] = {"deploy": asked, "errors": errors, "decision": None, "names": snap.names()}
        if errors:
            context["status"] = 422 if any(asked.values()) else 200
            if not any(asked.values()):
                context["errors"] = {}
            return context
        vref = snap.resolve(contract)
        decision = decide(provider, version, vref.name, vref.version, for_build(db, provider, version, vref.name))
        context["decision"] = decision
        context["resolved"] = f"{vref.name}@{vref.version}"
        context["newest"] = decision.verifications[0] if decision.verifications else None
        context["api"] = f"/api/v1/can-i-deploy?{urlencode(asked)}"
        return context

    return _page(request, "deploy.html", build)


@router.get("/static/{file}")
def static(file: str) -> Response:
    """The one stylesheet (shipped in the package: no CDN, no build step)."""
    if file not in _STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    body = resources.files("validator.service.ui").joinpath("static", file).read_bytes()
    return Response(body, media_type=_STATIC[file], headers={"Cache-Control": "public, max-age=3600"})


def _check_name(name: str) -> None:
    if not is_name(name):
        raise _bad("contract name", name, "contract names are kebab-case, e.g. recommendation-api")


_FIELDS = (
    ("provider", TEXT, "the provider's name, without control characters"),
    ("version", TEXT, "the provider build, e.g. a git sha or 1.4.2"),
    ("contract", CONTRACT_REF, "NAME, NAME@MAJOR or NAME@VERSION, e.g. recommendation-api@1.1.0"),
)


def _form_errors(asked: Mapping[str, str]) -> dict[str, str]:
    """Per field of the can-i-deploy form, what is wrong with it (the API's patterns)."""
    out = {}
    for field, pattern, hint in _FIELDS:
        value = asked[field]
        if not value.strip():
            out[field] = "required"
        elif len(value) > 200 or re.fullmatch(pattern, value) is None:
            out[field] = f"not valid: {hint}"
    return out
