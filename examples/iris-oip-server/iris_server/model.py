"""The model: nearest centroid over the four iris measurements, with softmax probabilities."""

from __future__ import annotations

import math

# Mean measurements of each species in Fisher's iris data (sepal length, sepal width, petal length, petal width).
CENTROIDS = (
    (5.006, 3.428, 1.462, 0.246),  # 0 setosa
    (5.936, 2.770, 4.260, 1.326),  # 1 versicolor
    (6.588, 2.974, 5.552, 2.026),  # 2 virginica
)


def predict(rows: list[list[float]]) -> tuple[list[int], list[list[float]]]:
    """The label and the three class probabilities of each row."""
    labels: list[int] = []
    probabilities: list[list[float]] = []
    for row in rows:
        distances = [math.dist(row, c) for c in CENTROIDS]
        nearest = min(distances)
        # Shifted by the nearest distance so that far-away rows do not underflow to all zeros.
        weights = [math.exp(-(d - nearest)) for d in distances]
        total = sum(weights)
        probabilities.append([round(w / total, 6) for w in weights])
        labels.append(distances.index(nearest))
    return labels, probabilities
