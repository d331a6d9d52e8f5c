"""Reference prediction service: recommendation-api 1.2.0 (and 1.1.0), implemented for real."""

from .app import create_app
from .recommender import Recommender, synthetic_log, train

__all__ = ["Recommender", "create_app", "synthetic_log", "train"]
