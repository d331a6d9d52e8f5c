"""``x-relations``: what a prediction promises about its request, as values and checks.

``model`` parses declarations, ``locations`` reads values of an exchange, ``catalogue`` holds one
checker per kind and the ``KINDS`` table, ``schema_keywords`` the ``x-sum``/``x-sorted`` checks.
"""

from .catalogue import KINDS, Kind, RunFinding, check, judge_run, observed
from .locations import MISSING, Location, LocationError, Side, read
from .model import KIND_NAMES, Key, Relation, parse, relations_of

__all__ = [
    "KINDS",
    "KIND_NAMES",
    "MISSING",
    "Key",
    "Kind",
    "Location",
    "LocationError",
    "Relation",
    "RunFinding",
    "Side",
    "check",
    "judge_run",
    "observed",
    "parse",
    "read",
    "relations_of",
]
