"""`contracts validate REF --operation OP (--request | --response STATUS) [FILE|-]`."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import typer

from ..compiled import CompiledContract, RequestData
from ..contract import Direction, Operation
from ..errors import UsageError
from ..extensions import Exchange, exchange_problems
from ..loader import load
from ..payload import PayloadError, parse_json
from ..problems import Problem
from ..report.as_json import validate_document
from ..report.as_text import render_problems
from ..report.display import from_cwd
from ..upgrade import notes_of
from . import app
from ._common import (
    CONTRACTS_DIR_OPTION,
    FORMAT_OPTION,
    REF_ARGUMENT,
    Format,
    emit_json,
    guarded,
    root_of,
    say_notes,
    stdout,
    with_notes,
)

MAX_PAYLOAD_BYTES = 64 * 1024 * 1024
_STATUS = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX|default)$", re.IGNORECASE)


@app.command()
def validate(
    ref: str = REF_ARGUMENT,
    payload_file: str = typer.Argument("-", metavar="[FILE|-]", help="JSON payload file, or - for stdin"),
    operation: str = typer.Option(..., "--operation", "-o", help='operationId or "METHOD /path"'),
    request: bool = typer.Option(False, "--request", help="validate as the request body"),
    response: str | None = typer.Option(None, "--response", metavar="STATUS", help="validate as this response"),
    media_type: str | None = typer.Option(None, "--media-type", help="media type (default: the JSON one)"),
    for_request: str | None = typer.Option(
        None,
        "--for-request",
        metavar="REQFILE",
        help="with --response: the request it answered (checks named tensor dims and relations across both)",
    ),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Validate one JSON payload against an operation's request or response."""

    def run() -> int:
        if request == (response is not None):
            raise UsageError(
                "give exactly one of --request or --response STATUS", hint="e.g. --request, or --response 200"
            )
        if response is not None and not _STATUS.match(response):
            raise UsageError(
                f"--response {response!r} is not an HTTP status",
                hint="give a status code such as 200 or 422 (or 4XX, default)",
            )
        if for_request is not None and response is None:
            raise UsageError("--for-request needs --response STATUS", hint="e.g. --response 200 --for-request req.json")
        contract = load(ref, root_of(contracts_dir))
        op = contract.operation(operation)
        compiled = CompiledContract(contract)
        raw = _read(payload_file)
        try:
            payload = parse_json(raw)
        except PayloadError as exc:
            problems: list[Problem] = [exc.problem]
        else:
            direction: Direction = "request" if request else "response"
            problems = compiled.validate_body(op, direction, payload, status=response, media_type=media_type)
            if for_request is not None and response is not None:
                problems.extend(_against_request(compiled, op, response, payload, media_type, for_request))
        what = f"{op.label} {'request' if request else 'response ' + str(response)}"
        if fmt is Format.json:
            document = validate_document(f"{contract.name}@{contract.version}", op.label, problems, from_cwd())
            emit_json(with_notes(document, notes_of(contract)))
        else:
            say_notes(notes_of(contract))
            render_problems(
                stdout(), problems, ok_message=f"valid {what}", bad_message=f"invalid {what}", display=from_cwd()
            )
        return 0 if not problems else 1

    guarded(fmt, run, bounded=True)


def _against_request(
    compiled: CompiledContract, op: Operation, status: str, payload: Any, media_type: str | None, source: str
) -> list[Problem]:
    """Problems of the response against the request it answered (``--for-request``)."""
    try:
        request_body = parse_json(_read(source), location="for-request")
    except PayloadError as exc:
        return [exc.problem._replace(message=f"--for-request {source}: {exc.problem.message}")]
    exchange = Exchange(op, RequestData(body=request_body), status, {}, payload, media_type)
    return exchange_problems(compiled, exchange)


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read(MAX_PAYLOAD_BYTES + 1)[:MAX_PAYLOAD_BYTES]
    path = Path(source)
    if path.is_dir():
        raise UsageError(f"payload file {source!r} is a folder", hint="give a JSON file or - for stdin")
    if not path.is_file():
        raise UsageError(f"payload file {source!r} not found", hint="give a JSON file or - for stdin")
    if path.stat().st_size > MAX_PAYLOAD_BYTES:
        raise UsageError(f"payload file {source!r} is larger than 64 MiB")
    return path.read_bytes()
