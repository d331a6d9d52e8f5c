"""MLflow models: the ``MLmodel`` signature read into typed values, and the contract of its scoring server."""

from __future__ import annotations

from .contract import mlflow_contract
from .signature import NoSignatureError, Signature, read_mlmodel

__all__ = ["NoSignatureError", "Signature", "mlflow_contract", "read_mlmodel"]
