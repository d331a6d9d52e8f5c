"""The public names of `validator` and `validator.verify`: exactly those listed, each one importable."""

from __future__ import annotations

import importlib

import pytest

EXPECTED = {
    "validator": {
        "load", "load_document", "Contract", "Operation", "CompiledContract", "Problem", "lint_paths",
        "LintReport", "diff", "DiffReport", "Change", "run_check", "GateReport", "ContractsError", "UsageError",
        "NotFoundError", "LoadError", "RemoteReferenceError", "EscapingReferenceError", "UnreachableError",
    },
    "validator.verify": {"Options", "run", "RunReport", "Failure", "CHECK_NAMES"},
}  # fmt: skip


@pytest.mark.parametrize("package", sorted(EXPECTED))
def test_all_lists_the_public_names_and_each_resolves(package: str) -> None:
    module = importlib.import_module(package)
    assert set(module.__all__) == EXPECTED[package]
    for name in module.__all__:
        assert getattr(module, name) is not None
    namespace: dict[str, object] = {}
    exec(f"from {package} import *", namespace)
    assert EXPECTED[package] <= set(namespace)


def test_an_unknown_name_is_an_attribute_error() -> None:
    import validator

    with pytest.raises(AttributeError, match="no_such_name"):
        _ = validator.no_such_name
