"""`contracts lint`: one small function per check, each returning problems with file, line, pointer, hint."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs

from . import paths
from . import refs as _refs
from . import versions as _versions
from .compiled import CompiledContract, new_validator
from .contract import Contract, MediaType
from .errors import ContractsError, LoadError
from .extensions.lint import extension_declarations_are_valid, paired_examples_agree
from .lint_interactions import interaction_parameters_are_named
from .loader import load
from .pointers import escape_token, resolve_pointer, to_pointer
from .problems import Display, Problem, as_given


@dataclass
class LintReport:
    """The problems of every linted version."""

    checked: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The INTERFACE.md shape: ``{"ok", "problems"}`` plus what was checked (files shown by ``display``)."""
        return {"ok": self.ok, "checked": self.checked, "problems": [p.to_dict(display) for p in self.problems]}


def lint_paths(refs: list[str], root: Path) -> LintReport:
    """Lint the given references, or every version of every contract under ``root`` when none."""
    report = LintReport()
    if refs:
        targets = [_refs.resolve(r, root) for r in refs]
    else:
        targets, report.problems = _layout(root)
    for vref in targets:
        report.checked.append(str(vref))
        report.problems.extend(lint_version(vref))
    return report


def _layout(root: Path) -> tuple[list[_refs.VersionRef], list[Problem]]:
    """Every version folder under ``root``, and a problem for each folder the layout would skip unseen."""
    targets: list[_refs.VersionRef] = []
    problems: list[Problem] = []
    contracts = set(_refs.list_contracts(root))
    for folder in _subfolders(root):
        if folder.name not in contracts:
            problems.append(
                Problem(
                    "",
                    f"folder {folder.name!r} is not a contract name, so it is not checked",
                    file=str(folder),
                    location="layout",
                    hint="contract folders are kebab-case, e.g. recommendation-api",
                )
            )
            continue
        versions = set(_refs.list_versions(root, folder.name))
        for sub in _subfolders(folder):
            if sub.name not in versions:
                problems.append(
                    Problem(
                        "",
                        f"folder {sub.name!r} is not a semantic version, so it is not checked",
                        file=str(sub),
                        location="layout",
                        hint="version folders are named MAJOR.MINOR.PATCH, e.g. 1.2.0",
                    )
                )
            elif not (sub / _refs.OPENAPI_FILE).is_file():
                problems.append(
                    Problem(
                        "",
                        f"version folder has no {_refs.OPENAPI_FILE}",
                        file=str(sub),
                        location="layout",
                        hint="add the OpenAPI document, or remove the folder",
                    )
                )
            else:
                targets.append(_refs.resolve(f"{folder.name}@{sub.name}", root))
    targets.sort(key=lambda v: (v.name, _versions.parse(v.version)))
    return targets, problems


def _subfolders(folder: Path) -> list[Path]:
    # Hidden folders (.git, editors' state) are not part of the layout.
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def lint_version(vref: _refs.VersionRef) -> list[Problem]:
    """Every problem of one contract version; loading problems stop the later checks."""
    collected: list[LoadError] = []
    try:
        contract = load(vref, collect=collected)
    except LoadError as exc:
        errors = collected or [exc]
        return [_from_load_error(e) for e in errors]
    problems: list[Problem] = []
    for check in CHECKS:
        problems.extend(check(contract))
    return problems


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


def _at(contract: Contract, uri: str, message: str, hint: str | None = None, keyword: str | None = None) -> Problem:
    base, _, pointer = uri.partition("#")
    return Problem(
        pointer,
        message,
        file=base,
        line=contract.line_of(uri),
        hint=hint,
        location="document",
        keyword=keyword,
    )


# -- the checks ---------------------------------------------------------------------------------
def openapi_document_is_valid(contract: Contract) -> Iterator[Problem]:
    """The document is a valid OpenAPI 3.1 document (structure checked against the OAS 3.1 schema)."""
    version = str(contract.document.get("openapi", ""))
    if not version.startswith("3.1"):
        yield _at(
            contract,
            contract.base_uri + "#/openapi",
            f"`openapi: {version or '(missing)'}` is not OpenAPI 3.1",
            hint="set `openapi: 3.1.0`",
            keyword="openapi",
        )
        return
    for err in _oas31_validator().iter_errors(dict(contract.document)):
        message = str(err.message).splitlines()[0]
        yield _at(
            contract,
            contract.base_uri + "#" + to_pointer(err.absolute_path),
            f"not valid OpenAPI 3.1: {message}",
            hint="see https://spec.openapis.org/oas/v3.1.0 for this object's fields",
            keyword="openapi",
        )


@functools.cache
def _oas31_validator() -> Any:
    """The official OAS 3.1 structure schema: Schema Objects inside stay opaque (checked separately)."""
    from openapi_spec_validator.schemas import openapi_v31_schema_validator

    return openapi_v31_schema_validator


def info_version_matches_folder(contract: Contract) -> Iterator[Problem]:
    """``info.version`` equals the version folder's name."""
    info = contract.document.get("info")
    declared = str(info.get("version")) if isinstance(info, dict) and "version" in info else None
    if declared != contract.version:
        yield _at(
            contract,
            contract.base_uri + "#/info/version",
            f"info.version is {declared!r} but the folder says {contract.version!r}",
            hint=f"set info.version to {contract.version!r} or rename the folder",
            keyword="version",
        )


def operation_ids_are_unique(contract: Contract) -> Iterator[Problem]:
    """No two operations share an operationId."""
    seen: dict[str, str] = {}
    for op in contract.operations:
        if op.operation_id is None:
            continue
        if op.operation_id in seen:
            yield _at(
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
            yield _at(
                contract,
                contract.base_uri + "#" + op.pointer,
                f"{op.key}: path variable {{{name}}} has no path parameter",
                hint=f"add a parameter with name: {name}, in: path, required: true",
                keyword="parameters",
            )
        for name in sorted(declared - variables):
            yield _at(
                contract,
                contract.base_uri + "#" + op.pointer,
                f"{op.key}: path parameter {name!r} does not appear in the path",
                hint="remove it or add the variable to the path template",
                keyword="parameters",
            )


def schemas_are_valid(contract: Contract) -> Iterator[Problem]:
    """Every schema is valid JSON Schema 2020-12 and compiles (patterns, references)."""
    meta = _meta_validator()
    for uri, schema in _schemas(contract):
        try:
            errors = list(meta.iter_errors(schema))
        except Exception as exc:  # e.g. an unknown $schema dialect
            yield _at(contract, uri, f"schema cannot be checked: {exc}", keyword="schema")
            continue
        for err in errors:
            pointer = "#" + uri.partition("#")[2] + to_pointer(err.instance_path)
            yield _at(
                contract,
                uri.partition("#")[0] + pointer,
                f"not valid JSON Schema 2020-12: {err.message}",
                hint="fix the keyword's value",
                keyword="schema",
            )
        if errors:
            return  # compiling would only repeat the first of these
    try:
        CompiledContract(contract)
    except ContractsError as exc:
        if isinstance(exc, LoadError):
            yield _from_load_error(exc)
        else:
            yield Problem("", exc.message, location="document")


def examples_are_valid(contract: Contract) -> Iterator[Problem]:
    """Every example (request, response, parameter) is valid against its schema.

    A request example paired with a 4xx response example is a negative example: it shows what the
    API rejects, so it is exempt.
    """
    try:
        compiled = CompiledContract(contract)
    except ContractsError:
        return  # reported by schemas_are_valid
    for op in contract.operations:
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
                    example.pointer,
                    f"{op.label} {where} example {example.name!r}",
                )
        for param in op.parameters:
            if param.schema_uri is None:
                continue
            named = [(f"{param.pointer}/examples/{escape_token(n)}", repr(n), v) for n, v in param.examples.items()]
            single = [(f"{param.pointer}/example", "'example'", v) for v in param.example]
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
    contract: Contract, compiled: CompiledContract, schema_uri: str, value: Any, example_uri: str, label: str
) -> Iterator[Problem]:
    base = example_uri.partition("#")[0]
    pointer = example_uri.partition("#")[2]
    value_pointer = pointer if pointer.endswith("/example") else pointer + "/value"
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
    """Top-level schemas: every `.schema.json`-style file, every components schema, every inline one."""
    for uri, data in contract.resources.items():
        if uri != contract.base_uri and isinstance(data, dict):
            yield uri + "#", data
    components = contract.document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    for name, schema in (schemas or {}).items() if isinstance(schemas, dict) else []:
        yield f"{contract.base_uri}#/components/schemas/{escape_token(name)}", schema
    for uri in CompiledContract.schema_uris_of(contract):
        if uri.startswith(contract.base_uri + "#"):
            try:
                data = resolve_pointer(contract.document, uri.partition("#")[2])
            except LookupError:
                continue
            if data is not None:
                yield uri, data


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
    _strict,
    interaction_parameters_are_named,
)

__all__ = ["CHECKS", "LintReport", "lint_paths", "lint_version", "new_validator"]
