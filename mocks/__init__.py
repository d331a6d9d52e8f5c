"""The mock server: a contract version served at its own paths, strict, faithful and fast.

``create_app(contract, options)`` builds the ASGI app (mountable under a prefix); ``run`` serves it.
The public names are loaded on first use, so importing a small module of the package (the HTTP
protocol, which each worker process of ``contracts serve`` loads before anything else) stays cheap.
"""

from __future__ import annotations

from validator._exports import lazy

# name -> module that defines it
_PUBLIC = {
    "GenerationError": "generate",
    "Generator": "generate",
    "HttpLimits": "http_limits",
    "Latency": "options",
    "MockApp": "app",
    "MockOptions": "options",
    "Preference": "interactions",
    "Reply": "interactions",
    "create_app": "app",
    "parse_latency": "options",
    "run": "server",
}

__all__ = sorted(_PUBLIC)

__getattr__ = lazy(__name__, _PUBLIC)
