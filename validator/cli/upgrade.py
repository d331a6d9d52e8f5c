"""`contracts upgrade REF [-o FILE] [--format json|yaml]`: the OpenAPI 3.1 form of a 3.0 description."""

from __future__ import annotations

from pathlib import Path

import typer

from . import app
from ._common import CONTRACTS_DIR_OPTION, Format, guarded, root_of, say_notes, write_document
from .bundle import DocumentFormat


@app.command()
def upgrade(
    ref: str = typer.Argument(..., help="contract reference or path of an OpenAPI 3.0 document"),
    output: Path | None = typer.Option(None, "-o", "--output", help="write here instead of stdout"),
    fmt: DocumentFormat | None = typer.Option(
        None,
        "--format",
        help="json or yaml (default: from the -o file's suffix, else the source's)",
        show_default=False,
    ),
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write the OpenAPI 3.1 form of a 3.0 description: the model every other command reads."""

    def run() -> int:
        from ..loader import load
        from ..problems import Note
        from ..report.as_document import format_for_file, render_document
        from ..upgrade import TARGET, upgraded_document

        contract = load(ref, root_of(contracts_dir))
        document = upgraded_document(contract)
        chosen = fmt.value if fmt is not None else format_for_file(output.name if output else contract.base_uri)
        text = render_document(document, "yaml" if chosen == "yaml" else "json")
        done = contract.conversion
        said = (
            f"converted OpenAPI {done.source} to {TARGET} ({done.summary})"
            if done is not None
            else "already OpenAPI 3.1: written as it is"
        )
        say_notes([Note(said, file=contract.base_uri, kind="converted" if done else "info")])
        write_document(text, output)
        return 0

    guarded(Format.text, run)
