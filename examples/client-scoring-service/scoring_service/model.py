"""A small propensity model: a logistic score of recency, frequency and spend, and segment probabilities."""

from __future__ import annotations

import bisect
import math
from collections.abc import Mapping, Sequence
from typing import Any

MODEL_VERSION = "3.4.0"
SEGMENTS = ("loyal", "at-risk", "new", "dormant")
FEATURES = ["recency_days", "frequency", "monetary", "segment"]


def propensity(client: Mapping[str, Any]) -> float:
    """The probability that the client responds to the campaign (rounded to 4 places)."""
    z = (
        1.2
        - 0.01 * client["recency_days"]
        + 0.25 * min(client["frequency"], 20)
        + 0.002 * min(client["monetary"], 2000)
    )
    if client.get("segment") == "loyal":
        z += 0.5
    return round(1 / (1 + math.exp(-max(-30.0, min(30.0, z - 3.0)))), 4)


def segment_probabilities(client: Mapping[str, Any]) -> dict[str, float]:
    """A softmax over the segments; the last one takes the rounding remainder so that they add up to 1."""
    recency, frequency = client["recency_days"], min(client["frequency"], 20)
    logits = {"loyal": 0.2 * frequency, "at-risk": 0.004 * recency, "new": 1.0 if frequency <= 1 else 0.0}
    logits["dormant"] = 0.01 * recency - 0.1 * frequency
    top = max(logits.values())
    weights = {k: math.exp(v - top) for k, v in logits.items()}
    total = sum(weights.values())
    out = {k: weights[k] / total for k in SEGMENTS[:-1]}
    out[SEGMENTS[-1]] = max(0.0, 1.0 - math.fsum(out.values()))
    return out


def deciles(scores: Sequence[float]) -> list[int]:
    """The decile of each score within the batch: 1 for the top tenth, 10 for the bottom one.

    A score's rank is the number of higher scores, so equal scores share a decile and the answer for a
    client does not depend on where it stands in the batch (the contract promises rows that follow the
    request, and a batch sent in another order must get the same rows in that order).
    """
    descending = sorted(-s for s in scores)  # negated, so bisect counts the scores above each one
    n = len(scores)
    return [min(10, 1 + bisect.bisect_left(descending, -score) * 10 // n) for score in scores]


def score_batch(clients: Sequence[Mapping[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, float]]]:
    """One score and one segment row per client, in request order, each score carrying its client's id."""
    values = [propensity(c) for c in clients]
    ranks = deciles(values)
    scores = [
        {"client_id": c["client_id"], "propensity": p, "decile": d}
        for c, p, d in zip(clients, values, ranks, strict=True)
    ]
    return scores, [segment_probabilities(c) for c in clients]
