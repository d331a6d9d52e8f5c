"""Reference batch scoring service: client-scoring 1.1.0, implemented for real."""

from .app import create_app
from .model import MODEL_VERSION, score_batch

__all__ = ["MODEL_VERSION", "create_app", "score_batch"]
