"""contracts: versioned interface contracts for prediction APIs (lint, validate, mock, test, diff, gate, serve).

The public names below are loaded on first use, so ``import validator`` (and the CLI's start-up,
which every ``contracts mock`` pays) does not import the whole library.
"""

from __future__ import annotations

import importlib
from typing import Any

# name -> module that defines it
_PUBLIC = {
    "load": "loader",
    "load_document": "loader",
    "Contract": "contract",
    "Operation": "contract",
    "CompiledContract": "compiled",
    "Problem": "problems",
    "lint_paths": "lint",
    "LintReport": "lint",
    "diff": "compat",
    "DiffReport": "compat",
    "Change": "compat",
    "run_check": "gate",
    "GateReport": "gate",
    "ContractsError": "errors",
    "UsageError": "errors",
    "NotFoundError": "errors",
    "LoadError": "errors",
    "RemoteReferenceError": "errors",
    "EscapingReferenceError": "errors",
    "UnreachableError": "errors",
}

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'validator' has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
