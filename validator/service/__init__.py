"""The contract service (``contracts serve``): catalogue, validation, compatibility, mocks, verifications."""

from __future__ import annotations

from .app import create_app
from .settings import Settings

__all__ = ["Settings", "create_app"]
