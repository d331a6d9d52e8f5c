"""The contract service (``contracts serve``): catalogue, validation, compatibility, mocks, verifications.

The public names are loaded on first use: each worker process imports a small module of the package
(the log formatter its logging configuration names) before it answers its supervisor's first health
check, so that import must not load the whole app.
"""

from __future__ import annotations

from .._exports import lazy

_PUBLIC = {"Settings": "settings", "create_app": "app"}

__all__ = sorted(_PUBLIC)

__getattr__ = lazy(__name__, _PUBLIC)
