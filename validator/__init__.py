"""contracts: versioned interface contracts for prediction APIs (lint, validate, mock, test, diff, gate, serve).

The public names below are loaded on first use, so ``import validator`` (and the CLI's start-up,
which every ``contracts mock`` pays) does not import the whole library.
"""

from __future__ import annotations

from ._exports import lazy

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

__getattr__ = lazy(__name__, _PUBLIC)
