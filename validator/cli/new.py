"""`contracts new NAME [--template rest|oip|mlflow] [--version V]`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from ..templates import TEMPLATES
from ..templates._write import write_contract
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, stdout


class Template(StrEnum):
    """The starting contracts ``contracts new`` can write."""

    rest = "rest"
    oip = "oip"
    mlflow = "mlflow"


@app.command()
def new(
    name: str = typer.Argument(..., help="contract name, kebab-case (e.g. iris-classifier)"),
    template: Template = typer.Option(
        Template.rest, "--template", help="rest, oip (Open Inference Protocol) or mlflow"
    ),
    version: str = typer.Option("0.1.0", "--version", help="the first version"),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write a starting contract that passes lint at once."""

    def run() -> int:
        document = TEMPLATES[template.value](name, version)
        written = write_contract(root_of(contracts_dir), name, version, document)
        if fmt is Format.json:
            emit_json({"ok": True, "written": str(written), "template": template.value})
        else:
            stdout().print(f"wrote {written} ({template.value} template)", markup=False, highlight=False)
        return 0

    guarded(fmt, run)
