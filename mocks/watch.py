"""``contracts mock --watch``: the contract is reloaded when its files change, and only when it still lints.

A watcher thread polls the version folder's files (names, sizes, modification times; no extra
dependency, works on every filesystem). A new version that does not lint, or does not load, is
refused with its first problem in the log, and the last good one keeps answering.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from validator.errors import ContractsError

from .app import MockApp, Receive, Scope, Send

Signature = tuple[tuple[str, int, int], ...]


class Reloading:
    """An ASGI app that hands each request to the newest good mock."""

    def __init__(self, app: MockApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


def signature(folder: Path) -> Signature:
    """What changes when any file of the version folder is written, added or removed."""
    out = []
    for path in sorted(folder.rglob("*")):
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat: the next poll sees it
            continue
        if path.is_file():
            out.append((path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def reload_once(holder: Reloading, build: Callable[[], MockApp], note: Callable[[str], None]) -> bool:
    """Build the mock anew and swap it in; on a problem keep the current one and say why."""
    current = holder.app.contract
    try:
        fresh = build()
    except ContractsError as exc:
        note(f"--watch: kept {current.name}@{current.version} as it was: {exc.message}")
        return False
    holder.app.log.flush()
    holder.app = fresh
    contract = fresh.contract
    note(f"--watch: reloaded {contract.name}@{contract.version} ({len(contract.operations)} operations)")
    return True


def start_watching(
    holder: Reloading, folder: Path, build: Callable[[], MockApp], *, interval: float = 0.3
) -> Callable[[], None]:
    """Poll ``folder`` in a daemon thread; returns the function that stops it."""
    stop = threading.Event()

    def loop() -> None:
        seen = signature(folder)
        while not stop.wait(interval):
            now = signature(folder)
            if now != seen:
                seen = now
                reload_once(holder, build, holder.app.log.note)

    thread = threading.Thread(target=loop, name="contracts-mock-watch", daemon=True)
    thread.start()

    def stop_watching(*_: Any) -> None:
        stop.set()
        thread.join(timeout=2)

    return stop_watching
