"""`contracts lock`."""

from __future__ import annotations

from pathlib import Path

from ..lock import LOCK_NAME, lock_contracts
from ..report.as_gate_text import render_lock, render_lock_refused
from . import app
from ._common import CONTRACTS_DIR_OPTION, FORMAT_OPTION, Format, emit_json, guarded, root_of, stdout


@app.command()
def lock(
    fmt: Format = FORMAT_OPTION,
    contracts_dir: Path | None = CONTRACTS_DIR_OPTION,
) -> None:
    """Write contracts.lock: the sha256 of every released version (commit it); a changed one is refused (exit 1)."""

    def run() -> int:
        root = root_of(contracts_dir)
        path = root.resolve().parent / LOCK_NAME
        data, refused = lock_contracts(root, path)
        if data is None:
            if fmt is Format.json:
                problems = [
                    {"file": d.file, "version": d.version, "what": d.what, "message": d.message} for d in refused
                ]
                emit_json({"ok": False, "lock": str(path), "problems": problems})
            else:
                render_lock_refused(stdout(), path, refused)
            return 1
        if fmt is Format.json:
            emit_json({"ok": True, "lock": str(path), "versions": sorted(data["versions"])})
        else:
            render_lock(stdout(), path, len(data["versions"]))
        return 0

    guarded(fmt, run, bounded=True)
