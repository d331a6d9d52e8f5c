"""Lint checks on named interactions (INTERFACE.md: examples named ``X`` form interaction ``X``)."""

from __future__ import annotations

from collections.abc import Iterator

from .compiled import CompiledContract
from .contract import Contract
from .errors import ContractsError
from .interactions import unnamed_required
from .problems import Problem


def interaction_parameters_are_named(contract: Contract) -> Iterator[Problem]:
    """Every required parameter of an operation with interaction ``X`` has an example named ``X``.

    Without one, the mock and the contract tests cannot know which value interaction ``X`` means;
    they fall back on the parameter's own example, default or enum and say so.
    """
    if not any(op.interactions for op in contract.operations):
        return
    try:
        resolve = CompiledContract(contract).resolved_at
    except ContractsError:
        return  # reported by schemas_are_valid
    for op in contract.operations:
        for name, interaction in op.interactions.items():
            for param in unnamed_required(op, interaction, resolve):
                base, _, pointer = param.pointer.partition("#")
                yield Problem(
                    pointer,
                    f"{op.label}: interaction {name!r} has no value for required {param.location} parameter "
                    f"{param.name!r} (no example named {name!r})",
                    file=base,
                    line=contract.line_of(param.pointer),
                    keyword="examples",
                    location="document",
                    hint=f"add examples: {{{name}: {{value: ...}}}} to parameter {param.name!r}",
                )
