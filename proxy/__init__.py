"""The validating proxy: a contract version checked on live traffic between a caller and its API.

``create_app(contract, options)`` builds the ASGI app; ``run`` serves it. The proxy builds on the
mock's request reading and rejections (``mocks``) and on the contract tests' checks
(``validator.verify``), so all three judge an exchange alike.
"""

from __future__ import annotations

from .app import ProxyApp, create_app
from .options import ProxyOptions
from .server import run

__all__ = ["ProxyApp", "ProxyOptions", "create_app", "run"]
