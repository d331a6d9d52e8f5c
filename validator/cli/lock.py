"""`contracts lock`."""

from __future__ import annotations

from pathlib import Path

from ..lock import LOCK_NAME, write_lock
from ..report.as_gate_text import render_lock
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, stdout


@app.command()
def lock(
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write contracts.lock: the sha256 of every released version (commit it)."""

    def run() -> int:
        root = root_of(contracts_dir)
        path = root.resolve().parent / LOCK_NAME
        data = write_lock(root, path)
        if fmt is Format.json:
            emit_json({"ok": True, "lock": str(path), "versions": sorted(data["versions"])})
        else:
            render_lock(stdout(), path, len(data["versions"]))
        return 0

    guarded(fmt, run)
