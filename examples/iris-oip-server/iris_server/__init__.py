"""A reference Open Inference Protocol (KServe v2 REST) server for the iris-classifier contract."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
