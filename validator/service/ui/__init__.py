"""The web catalogue under ``/ui/``: server-rendered pages for the people who agree on a contract.

    router        the FastAPI routes (pages.py)

Pages are Jinja2 templates (templates/) over plain values (views.py); schemas become member tables
(schema_view.py) and the ``x-`` keywords sentences (keywords.py). No JavaScript, no external assets.
"""

from __future__ import annotations

from .pages import router

__all__ = ["router"]
