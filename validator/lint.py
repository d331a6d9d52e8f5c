"""`contracts lint`: one small function per check, each returning problems with file, line, pointer, hint."""

from __future__ import annotations

import functools
import importlib.util
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs

from . import paths
from . import refs as _refs
from . import versions as _versions
from .compiled import CompiledContract, compiled_of, compiling_once, new_validator
from .contract import Contract, MediaType, Operation
from .errors import ContractsError, LoadError
from .extensions.lint import extension_declarations_are_valid, paired_examples_agree
from .lint_interactions import interaction_parameters_are_named
from .loader import load
from .pointers import escape_token, resolve_pointer, to_pointer
from .problems import Display, Note, Problem, as_given, document_problem
from .relations import linting as _relint
from .relations import relations_of
from .upgrade import notes_of, openapi_version


@dataclass
class LintReport:
    """The problems of every linted version."""

    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # said once per version (e.g. read from OpenAPI 3.0)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The INTERFACE.md shape: ``{"ok", "problems"}`` plus what was checked (files shown by ``display``)."""
        out = {"ok": self.ok, "checked": self.checked, "problems": [p.to_dict(display) for p in self.problems]}
        if self.notes:
            out["notes"] = [n.to_dict(display) for n in self.notes]
        return out


def lint_paths(refs: list[str], root: Path) -> LintReport:
    """Lint the given references, or every version of every contract under ``root`` when none."""
    report = LintReport()
    if refs:
        targets = [_refs.resolve(r, root) for r in refs]
    else:
        targets, report.problems = _layout(root)
    for vref in targets:
        report.checked.append(str(vref))
        report.problems.extend(lint_version(vref, report.notes))
    return report


def _layout(root: Path) -> tuple[list[_refs.VersionRef], list[Problem]]:
    """Every version folder under ``root``, and a problem for each folder the layout would skip unseen."""
    targets: list[_refs.VersionRef] = []
    problems: list[Problem] = []
    contracts = set(_refs.list_contracts(root))
    for folder in _subfolders(root):
        if folder.name not in contracts:
            message = f"folder {folder.name!r} is not a contract name, so it is not checked"
            problems.append(_misplaced(folder, message, "contract folders are kebab-case, e.g. recommendation-api"))
            continue
        versions = set(_refs.list_versions(root, folder.name))
        for sub in _subfolders(folder):
            if sub.name not in versions:
                message = f"folder {sub.name!r} is not a semantic version, so it is not checked"
                problems.append(_misplaced(sub, message, "version folders are named MAJOR.MINOR.PATCH, e.g. 1.2.0"))
            elif not (sub / _refs.OPENAPI_FILE).is_file():
                message = f"version folder has no {_refs.OPENAPI_FILE}"
                problems.append(_misplaced(sub, message, "add the OpenAPI document, or remove the folder"))
            else:
                targets.append(_refs.resolve(f"{folder.name}@{sub.name}", root))
    targets.sort(key=lambda v: (v.name, _versions.parse(v.version)))
    return targets, problems


def _misplaced(folder: Path, message: str, hint: str) -> Problem:
    return Problem("", message, file=str(folder), location="layout", hint=hint)


def _subfolders(folder: Path) -> list[Path]:
    # Hidden folders (.git, editors' state) are not part of the layout.
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def lint_version(vref: _refs.VersionRef, notes: list[Note] | None = None) -> list[Problem]:
    """Every problem of one contract version; loading problems stop the later checks.

    Problems point into the description as written, also when it was read from OpenAPI 3.0
    (what the reading said is appended to ``notes``).
    """
    collected: list[LoadError] = []
    try:
        contract = load(vref, collect=collected)
    except LoadError as exc:
        errors = collected or [exc]
        return [_from_load_error(e) for e in errors]
    if notes is not None:
        notes.extend(notes_of(contract))
    problems: list[Problem] = []
    with compiling_once():
        for check in CHECKS:
            found = check(contract)
            if contract.conversion is not None and check is not openapi_document_is_valid:
                found = (as_written(contract, p) for p in found)
            problems.extend(found)
    return _named_once(contract, problems)


def document_problems(contract: Contract) -> list[Problem]:
    """What makes a document unusable: its OpenAPI structure and its schemas (the service's candidate check)."""
    found = list(openapi_document_is_valid(contract))
    found += (as_written(contract, p) for p in schemas_are_valid(contract))
    return _named_once(contract, found)


def _named_once(contract: Contract, problems: list[Problem]) -> list[Problem]:
    """The OAS 3.0 schema checks Schema Objects too: a place it names is not named again as JSON Schema."""
    if contract.conversion is None:
        return problems
    named = {(p.file, p.pointer) for p in problems if p.keyword == "openapi"}
    return [p for p in problems if p.keyword != "schema" or (p.file, p.pointer) not in named]


def as_written(contract: Contract, problem: Problem) -> Problem:
    """A problem about the model of a converted description, located in the description as written."""
    # Schema paths are located by CompiledContract already; only the document pointer is the model's.
    if problem.file is None or problem.location != "document":
        return problem
    return problem._replace(pointer=contract.source_pointer(problem.file, problem.pointer))


def _from_load_error(exc: LoadError) -> Problem:
    hint = exc.hint
    return Problem(
        exc.pointer,
        exc.reason,
        file=exc.file,
        line=exc.line,
        hint=hint,
        location="document",
        keyword="$ref" if "$ref" in exc.reason else None,
    )


# -- the checks ---------------------------------------------------------------------------------
def openapi_document_is_valid(contract: Contract) -> Iterator[Problem]:
    """The document is valid OpenAPI for its version (3.0 as written, 3.1 or 3.2), checked against the OAS schema."""
    document = contract.document
    if contract.conversion is not None:
        document = contract.conversion.originals.get(contract.base_uri, document)
    version = openapi_version(document)
    family = version[:3]
    if family not in _SPECS:
        yield document_problem(
            contract,
            contract.base_uri + "#/openapi",
            f"`openapi: {version or '(missing)'}` is not OpenAPI 3.0, 3.1 or 3.2",
            hint="set `openapi: 3.1.0` (3.0.x and 3.2.x documents are read too)",
            keyword="openapi",
        )
        return
    for err in _structure_errors(family, document):
        message = str(err.message).splitlines()[0]
        pointer = to_pointer(err.instance_path)  # into the document as written
        yield Problem(
            pointer,
            f"not valid OpenAPI {family}: {message}",
            file=contract.base_uri,
            line=contract.line_of(contract.base_uri + "#" + _model_pointer(contract, pointer)),
            hint=f"see {_SPECS[family]} for this object's fields",
            location="document",
            keyword="openapi",
        )


def _model_pointer(contract: Contract, pointer: str) -> str:
    """Where a pointer of the main document as written stands in the model (its lines are keyed so)."""
    conversion = contract.conversion
    return pointer if conversion is None else conversion.converted_pointer(contract.base_uri, pointer)


# The specification each family is checked against (the document links to it in every hint).
_SPECS = {
    "3.0": "https://spec.openapis.org/oas/v3.0.4",
    "3.1": "https://spec.openapis.org/oas/v3.1.1",
    "3.2": "https://spec.openapis.org/oas/v3.2.0",
}


def _structure_errors(family: str, document: Any) -> Iterator[Any]:
    """The OAS schema's errors, each taken down to the alternative it failed in (not "no oneOf branch matched")."""
    for err in _structure_validator(family).iter_errors(dict(document)):
        yield from _leaves(err)


def _leaves(err: Any) -> list[Any]:
    """The errors of the branch that got deepest into the document (a Reference branch loses ties)."""
    branches = [branch for branch in getattr(err.kind, "context", None) or [] if branch]
    if not branches:
        return [err]

    def depth(branch: list[Any]) -> tuple[int, int]:
        wants_ref = sum("$ref" in str(e.message) and "required" in str(e.message) for e in branch)
        return (max(len(e.instance_path) for e in branch), -wants_ref)

    best = max(branches, key=depth)
    if depth(best)[0] < len(err.instance_path):
        return [err]
    return [leaf for e in best for leaf in _leaves(e)]


@functools.cache
def _structure_validator(family: str) -> Any:
    """The official OAS structure schema of a version family (Schema Objects stay opaque in 3.1 and 3.2).

    Read from openapi-spec-validator's package data as its own ``schemas`` module reads it, without
    importing the package: its import (jsonschema, jsonschema-path, its validators) was an eighth
    of a Stripe-sized lint.
    """
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("openapi-spec-validator is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    text = (folder / "resources" / "schemas" / f"v{family}" / "schema.json").read_text(encoding="utf-8")
    return jsonschema_rs.validator_for(json.loads(text))


def info_version_matches_folder(contract: Contract) -> Iterator[Problem]:
    """``info.version`` equals the version folder's name."""
    info = contract.document.get("info")
    declared = str(info.get("version")) if isinstance(info, dict) and "version" in info else None
    if declared != contract.version:
        yield document_problem(
            contract,
            contract.base_uri + "#/info/version",
            f"info.version is {declared!r} but the folder says {contract.version!r}",
            hint=f"set info.version to {contract.version!r} or rename the folder",
            keyword="version",
        )


def operation_ids_are_unique(contract: Contract) -> Iterator[Problem]:
    """No two operations share an operationId (webhooks' and callbacks' included, as OpenAPI says)."""
    seen: dict[str, str] = {}
    for op in (*contract.operations, *contract.events):
        if op.operation_id is None:
            continue
        if op.operation_id in seen:
            yield document_problem(
                contract,
                contract.base_uri + "#" + op.pointer + "/operationId",
                f"operationId {op.operation_id!r} is used by {seen[op.operation_id]} and {op.key}",
                hint="give each operation its own operationId",
                keyword="operationId",
            )
        else:
            seen[op.operation_id] = op.key


def path_parameters_are_declared(contract: Contract) -> Iterator[Problem]:
    """Every ``{variable}`` of a path template has a path parameter, and every path parameter a variable."""
    for op in contract.operations:
        variables = set(paths.variables(op.path))
        declared = {p.name for p in op.parameters if p.location == "path"}
        for name in sorted(variables - declared):
            yield document_problem(
                contract,
                contract.base_uri + "#" + op.pointer,
                f"{op.key}: path variable {{{name}}} has no path parameter",
                hint=f"add a parameter with name: {name}, in: path, required: true",
                keyword="parameters",
            )
        for name in sorted(declared - variables):
            yield document_problem(
                contract,
                contract.base_uri + "#" + op.pointer,
                f"{op.key}: path parameter {name!r} does not appear in the path",
                hint="remove it or add the variable to the path template",
                keyword="parameters",
            )


def schemas_are_valid(contract: Contract) -> Iterator[Problem]:
    """Every schema is valid JSON Schema 2020-12 and compiles (patterns, references): all of them, not the first."""
    meta = _meta_validator()
    said: list[str] = []  # meta-schema messages already reported, which a failed compilation repeats
    for uri, schema in _schemas(contract):
        try:
            errors = list(meta.iter_errors(schema))
        except Exception as exc:  # e.g. an unknown $schema dialect
            said.append(str(exc))
            yield document_problem(contract, uri, f"schema cannot be checked: {exc}", keyword="schema")
            continue
        for err in errors:
            said.append(str(err.message))
            pointer = "#" + uri.partition("#")[2] + to_pointer(err.instance_path)
            yield document_problem(
                contract,
                uri.partition("#")[0] + pointer,
                f"not valid JSON Schema 2020-12: {err.message}",
                hint="fix the keyword's value",
                keyword="schema",
            )
    try:
        compiled = compiled_of(contract, eager=False)
    except ContractsError as exc:
        yield _from_load_error(exc) if isinstance(exc, LoadError) else Problem("", exc.message, location="document")
        return
    for uri in compiled.schema_uris():
        try:
            compiled.validator(uri)
        except LoadError as exc:
            # Each cause once: every operation reaching one bad shared schema fails to compile alike.
            if not any(message in exc.reason for message in said):
                said.append(exc.reason)
                yield _from_load_error(exc)


def examples_are_valid(contract: Contract) -> Iterator[Problem]:
    """Every example (request, response, parameter) is valid against its schema.

    A request example paired with a 4xx response example is a negative example: it shows what the
    API rejects, so it is exempt.
    """
    try:
        compiled = compiled_of(contract, eager=False)
    except ContractsError:
        return  # reported by schemas_are_valid
    for op in (*contract.operations, *contract.events):
        negative = {name for name, i in op.interactions.items() if i.status[:1] == "4"}
        media: list[tuple[str, MediaType]] = []
        if op.request_body:
            media.extend(("request", _without(m, negative)) for m in op.request_body.content.values())
        for resp in op.responses.values():
            media.extend((f"response {resp.status}", m) for m in resp.content.values())
        for where, mt in media:
            if mt.schema_uri is None:
                continue
            for example in mt.examples.values():
                yield from _example_problems(
                    contract,
                    compiled,
                    mt.schema_uri,
                    example.value,
                    example.uri,
                    f"{op.label} {where} example {example.name!r}",
                    example.value_key,
                )
        for param in op.parameters:
            if param.schema_uri is None:
                continue
            named = [(f"{param.uri}/examples/{escape_token(n)}", repr(n), v) for n, v in param.examples.items()]
            single = [(f"{param.uri}/example", "'example'", v) for v in param.example]
            for uri, label, value in [*single, *named]:
                yield from _example_problems(
                    contract,
                    compiled,
                    param.schema_uri,
                    value,
                    uri,
                    f"{op.label} parameter {param.name!r} example {label}",
                )


def _without(mt: MediaType, names: set[str]) -> MediaType:
    examples = {k: v for k, v in mt.examples.items() if k not in names}
    return MediaType(mt.media_type, mt.schema_uri, mt.schema, examples)


def _example_problems(
    contract: Contract,
    compiled: CompiledContract,
    schema_uri: str,
    value: Any,
    example_uri: str,
    label: str,
    value_key: str = "value",
) -> Iterator[Problem]:
    base = example_uri.partition("#")[0]
    pointer = example_uri.partition("#")[2]
    value_pointer = pointer if pointer.endswith("/example") else f"{pointer}/{value_key}"
    try:
        compiled.validator(schema_uri)
    except LoadError:
        return  # the schema does not compile: reported by schemas_are_valid
    for p in compiled.check(schema_uri, value, location="body"):
        uri = f"{base}#{value_pointer}{p.pointer}"
        line = contract.line_of(uri) or contract.line_of(f"{base}#{value_pointer}")
        yield Problem(
            value_pointer + p.pointer,
            f"{label} is invalid at {p.pointer or '/'}: {p.message}",
            file=base,
            line=line,
            keyword=p.keyword,
            schema_path=p.schema_path,
            location="document",
            hint="fix the example or the schema so that they agree",
        )


@functools.cache
def _meta_validator() -> Any:
    """The 2020-12 meta-schema with formats asserted, so that a bad ``pattern`` regex is caught where it stands."""
    return jsonschema_rs.Draft202012Validator(
        {"$ref": "https://json-schema.org/draft/2020-12/schema"}, validate_formats=True
    )


def _schemas(contract: Contract) -> Iterator[tuple[str, Any]]:
    """Top-level schemas: every reference target holding a schema (in any file), every components
    schema, every inline one. A file holding another kind of object (a Parameter, a Response) is
    not a schema, whatever its name."""
    inside = contract.base_uri + "#"
    targets = [uri for uri, kind in contract.kinds.items() if kind == "schema" and not uri.startswith(inside)]
    components = contract.document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    named = [
        f"{contract.base_uri}#/components/schemas/{escape_token(name)}"
        for name in (schemas if isinstance(schemas, dict) else {})
    ]
    seen: set[str] = set()
    for uri in [*targets, *named, *CompiledContract.schema_uris_of(contract)]:
        base, _, pointer = uri.partition("#")
        if uri in seen or base not in contract.resources:
            continue
        seen.add(uri)
        try:
            data = resolve_pointer(contract.resources[base], pointer)
        except LookupError:
            continue
        if data is not None:
            yield uri, data


# -- prediction promises: x-relations, x-sum, x-sorted ---------------------------------------------
def relations_are_readable(contract: Contract) -> Iterator[Problem]:
    """Every ``x-relations`` entry has a known kind, the members it needs and well-formed locations."""
    for _, problem in _relint.declarations(contract):
        yield document_problem(
            contract, contract.base_uri + "#" + problem.pointer, problem.message, keyword=problem.keyword
        )


def relation_locations_resolve(contract: Contract) -> Iterator[Problem]:
    """Every relation's locations name a declared value of the right kind (arrays for batch, a number for n)."""
    try:
        compiled = compiled_of(contract)
    except ContractsError:
        return  # reported by schemas_are_valid
    for op in contract.operations:
        for rel in relations_of(op)[0]:
            for message in dict.fromkeys(_relint.location_problems(compiled, op, rel)):
                yield document_problem(
                    contract,
                    contract.base_uri + "#" + rel.pointer,
                    f"{op.label} x-relations {rel.kind}: {message}",
                    hint="point the location at a value the operation declares, of the kind the relation needs",
                    keyword=rel.keyword,
                )


def examples_keep_relations(contract: Contract) -> Iterator[Problem]:
    """The paired 2xx examples of an operation, taken as one run, keep its run-level relations (stable, variant).

    Each pair on its own is judged with the other exchange checks (``paired_examples_agree``).
    """
    try:
        compiled = compiled_of(contract)
    except ContractsError:
        return
    for op in contract.operations:
        for name, problem in _relint.run_problems(compiled, op):
            status = op.interactions[name].status
            pointer = _example_value_pointer(op, status, name)
            yield document_problem(
                contract,
                contract.base_uri + "#" + pointer + problem.pointer,
                f"{op.label} example {name!r}: {problem.message}",
                hint="fix the example pair or the relation so that they agree",
                keyword=problem.keyword,
            )


def _example_value_pointer(op: Operation, status: str, name: str) -> str:
    response = op.responses.get(status)
    if response is None:
        return op.pointer
    for mt in response.content.values():
        if name in mt.examples:
            ptr = mt.examples[name].uri.partition("#")[2]
            return ptr if ptr.endswith("/example") else ptr + "/value"
    return response.uri


def schema_roots(contract: Contract) -> Iterator[tuple[str, Any]]:
    """The top-level schemas of a contract with their URIs (schema files, components, inline ones)."""
    return _schemas(contract)


def _strict(contract: Contract) -> Iterator[Problem]:
    """The strict checks (lint_strict.py): unknown keywords, 3.0 leftovers, example(s), x- keywords."""
    from .lint_strict import STRICT_CHECKS

    for check in STRICT_CHECKS:
        yield from check(contract)


CHECKS: tuple[Callable[[Contract], Iterator[Problem]], ...] = (
    openapi_document_is_valid,
    info_version_matches_folder,
    operation_ids_are_unique,
    path_parameters_are_declared,
    schemas_are_valid,
    examples_are_valid,
    extension_declarations_are_valid,
    paired_examples_agree,
    relations_are_readable,
    relation_locations_resolve,
    examples_keep_relations,
    _strict,
    interaction_parameters_are_named,
)

__all__ = ["CHECKS", "LintReport", "lint_paths", "lint_version", "new_validator"]
