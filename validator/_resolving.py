"""Following a schema's ``$ref`` with a ``referencing`` resolver, where a reference that cannot be
followed is not an error of its own (it was reported when the contract was compiled)."""

from __future__ import annotations

from typing import Any


def ref_target(schema: Any, resolver: Any) -> Any | None:
    """The ``Resolved`` target (``.contents``, ``.resolver``) of ``schema``'s ``$ref``; None without one."""
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if not isinstance(ref, str):
        return None
    try:
        return resolver.lookup(ref)
    except Exception:  # unresolvable, or a target its registry cannot read: the reference is not followed
        return None
