"""Open Inference Protocol tensors: the ``x-tensor`` declaration, its payload checks, consistent tensors."""

from __future__ import annotations

from .model import DATATYPES, TensorSpec, parse_declaration

__all__ = ["DATATYPES", "TensorSpec", "parse_declaration"]
