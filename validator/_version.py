"""The installed version of the distribution (one source: pyproject.toml, read through its metadata)."""

from __future__ import annotations

from importlib import metadata

DISTRIBUTION = "prediction-contracts"


def version() -> str:
    """The version of the installed ``prediction-contracts`` distribution."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"
