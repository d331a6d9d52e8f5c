"""Lint checks on named interactions (INTERFACE.md: examples named ``X`` form interaction ``X``)."""

from __future__ import annotations

from collections.abc import Iterator

from .compiled import compiled_of
from .contract import Contract
from .errors import ContractsError
from .interactions import unfillable
from .problems import Problem, document_problem


def interaction_parameters_are_named(contract: Contract) -> Iterator[Problem]:
    """Every required parameter of an operation with interaction ``X`` has a value for ``X``.

    The value is the parameter's example named ``X``, else its own example, default or enum (the
    contract tests say which they took). With none of those, interaction ``X`` cannot be sent.

    Public descriptions commonly name body examples and give a path parameter one plain example; a
    problem for each such pair would be a false alarm, so only a parameter left without any value is one.
    """
    if not any(op.interactions for op in contract.operations):
        return
    try:
        resolve = compiled_of(contract).resolved_at
    except ContractsError:
        return  # reported by schemas_are_valid
    for op in contract.operations:
        for name, interaction in op.interactions.items():
            for param in unfillable(op, interaction, resolve):
                yield document_problem(
                    contract,
                    param.uri,
                    f"{op.label}: interaction {name!r} has no value for required {param.location} parameter "
                    f"{param.name!r} (no example named {name!r}, and no example, default or enum to fall back on)",
                    hint=f"add examples: {{{name}: {{value: ...}}}} to parameter {param.name!r}",
                    keyword="examples",
                )
