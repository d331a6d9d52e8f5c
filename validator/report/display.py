"""How reporters show the files findings name: findings carry ``file:`` URIs, each reporter picks a display.

The CLI shows files relative to the working directory it runs in (as a user typed them); the service
shows them relative to its contracts folder's parent (``contracts/NAME/VERSION/...``), so no path of
the server's disk leaks into an answer.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..problems import Display


def relative_to(base: Path, *, plain_paths: bool = False) -> Display:
    """Show file URIs (and, with ``plain_paths``, absolute paths) relative to ``base`` when inside it."""
    prefix = str(base)

    def show(value: str) -> str:
        if value.startswith("file:"):
            path = unquote(urlsplit(value).path)
        elif plain_paths and PurePosixPath(value).is_absolute():
            path = value
        else:
            return value
        if path.startswith(prefix + "/"):
            return path[len(prefix) + 1 :]
        return path

    return show


def from_cwd() -> Display:
    """The CLI's display: relative to the working directory at the time of the call."""
    return relative_to(Path.cwd())


def for_contracts(root: Path) -> Display:
    """The service's display: relative to the contracts folder's parent (``contracts/NAME/...``)."""
    return relative_to(root.resolve().parent, plain_paths=True)
