"""The wheel built with ``uv build`` and installed into a clean virtual environment, once per session.

Dependencies come from uv.lock's pins through uv's cache (filled by ``make install``), offline: the test
proves the wheel installs and runs, without reaching any registry.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import ROOT


@dataclass(frozen=True)
class Installed:
    """A clean virtual environment holding the built wheel (core dependencies only)."""

    venv: Path
    wheel: Path

    @property
    def contracts(self) -> str:
        """The installed console script."""
        return str(self.venv / "bin" / "contracts")

    @property
    def python(self) -> str:
        """The environment's interpreter."""
        return str(self.venv / "bin" / "python")


def uv() -> str:
    """The uv the Makefile installs (``.tools/bin/uv``), else one on PATH."""
    local = ROOT / ".tools" / "bin" / "uv"
    found = str(local) if local.is_file() else shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is missing: run `make install` (it puts uv in .tools/bin)")
    return found


def _run(*argv: str, cwd: Path = ROOT) -> str:
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    """Build the wheel, make a clean venv, install the pinned core dependencies and the wheel."""
    work = tmp_path_factory.mktemp("distribution")
    dist = work / "dist"
    _run(uv(), "build", "--wheel", "--out-dir", str(dist), str(ROOT))
    (wheel,) = dist.glob("prediction_contracts-*.whl")
    lock = work / "pylock.toml"
    _run(uv(), "export", "--frozen", "--no-dev", "--no-emit-project", "--format", "pylock.toml", "-o", str(lock))
    venv = work / "venv"
    _run(uv(), "venv", "--quiet", "--python", "python3", str(venv))
    python = str(venv / "bin" / "python")
    _run(uv(), "pip", "install", "--offline", "--quiet", "--python", python, "-r", str(lock))
    _run(uv(), "pip", "install", "--offline", "--quiet", "--no-deps", "--python", python, str(wheel))
    yield Installed(venv, wheel)
