"""pytest plugin: ``pytest --contract REF --base-url URL`` (built with the contract-testing suite)."""

from __future__ import annotations
