"""`contracts bundle REF [-o FILE] [--format json|yaml]`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, guarded, root_of, say_notes, write_document


class DocumentFormat(StrEnum):
    """Formats of the bundled document."""

    json = "json"
    yaml = "yaml"


@app.command()
def bundle(
    ref: str = typer.Argument(..., help="contract reference, e.g. recommendation-api@1.1.0, or a path"),
    output: Path | None = typer.Option(None, "-o", "--output", help="write here instead of stdout"),
    fmt: DocumentFormat | None = typer.Option(
        None, "--format", help="json or yaml (default: from the -o file's suffix, else json)", show_default=False
    ),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write one self-contained OpenAPI document (every $ref internal) for other tools."""

    def run() -> int:
        from ..bundle import bundle as build
        from ..loader import load
        from ..report.as_document import format_for_file, render_document

        chosen = fmt.value if fmt is not None else (format_for_file(output.name) if output else "json")
        from ..upgrade import notes_of

        contract = load(ref, root_of(contracts_dir))
        say_notes(notes_of(contract))
        text = render_document(build(contract), "yaml" if chosen == "yaml" else "json")
        write_document(text, output)
        return 0

    guarded(Format.json if fmt is DocumentFormat.json and output is None else Format.text, run, bounded=True)
