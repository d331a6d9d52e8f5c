"""Reading a description with schemathesis for the fuzz tests."""

from __future__ import annotations

from typing import Any

from schemathesis import APIOperation, Case
from schemathesis.core.result import Err
from schemathesis.schemas import BaseSchema

# schemathesis's generic types with the parameters the tests never look at.
Operation = APIOperation[Any, Any, Any, Any]
FuzzCase = Case[Any]


def operations_of(schema: BaseSchema) -> list[Operation]:
    """Every operation of ``schema``; one that schemathesis cannot read raises its error."""
    out: list[Operation] = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()
        out.append(result.ok())
    return out
