"""`contracts import mlflow MLMODEL --name NAME [--version V]`."""

from __future__ import annotations

from pathlib import Path

import typer

from ..mlflow import mlflow_contract, read_mlmodel
from ..templates._write import write_contract
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, stdout

importer = typer.Typer(help="Write a contract from a model server's own description.", no_args_is_help=True)
app.add_typer(importer, name="import")


@importer.command("mlflow")
def import_mlflow(
    mlmodel: Path = typer.Argument(..., help="the model's MLmodel file, or its folder"),
    name: str = typer.Option(..., "--name", help="contract name, kebab-case"),
    version: str = typer.Option("0.1.0", "--version", help="the contract version to write"),
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write a contract for an MLflow scoring server from the model's signature."""

    def run() -> int:
        signature = read_mlmodel(mlmodel)
        written = write_contract(root_of(contracts_dir), name, version, mlflow_contract(name, version, signature))
        if fmt is Format.json:
            emit_json({"ok": True, "written": str(written)})
        else:
            stdout().print(f"wrote {written} from {mlmodel}", markup=False, highlight=False)
        return 0

    guarded(fmt, run)
