"""A popularity plus co-occurrence recommender trained from a synthetic purchase log (fixed seed)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

MODEL_VERSION = "reco-2026.02.1"
VARIANTS = ("control", "treatment")
EXPERIMENT_ID = "exp-ranking-2026-02"


def product(i: int) -> str:
    """Product id number ``i`` (``P00001``...)."""
    return f"P{i:05d}"


def customer(i: int) -> str:
    """Customer id number ``i`` (``C0000001``...)."""
    return f"C{i:07d}"


def synthetic_log(seed: int = 20260227, customers: int = 1500, products: int = 400) -> list[tuple[str, list[str]]]:
    """Orders (customer, basket) drawn with a skewed popularity and themed product groups."""
    rng = random.Random(seed)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(products)]
    groups = [list(range(start, min(start + 20, products))) for start in range(0, products, 20)]
    log = []
    for c in range(1, customers + 1):
        taste = rng.choice(groups)  # customers mostly buy within one theme, plus popular items
        for _ in range(rng.randint(1, 6)):
            size = rng.randint(1, 5)
            items = {
                rng.choice(taste) if rng.random() < 0.6 else rng.choices(range(products), weights)[0]
                for _ in range(size)
            }
            log.append((customer(c), [product(i + 1) for i in sorted(items)]))
    return log


@dataclass
class Recommender:
    """Scores in [0, 1]: 0.6 x co-occurrence with what the customer has + 0.4 x popularity."""

    popularity: dict[str, float]
    cooccurrence: dict[str, Counter[str]]
    history: dict[str, set[str]]
    trained_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def recommend(
        self,
        customer_id: str,
        basket: Iterable[str],
        candidates: Sequence[str] | None,
        n: int,
        exclude_purchased: bool,
    ) -> list[tuple[str, float]]:
        """The top ``n`` (product, score) pairs for a customer, best first; ties by product id."""
        owned = self.history.get(customer_id, set())
        seeds = owned | set(basket)
        pool = list(dict.fromkeys(candidates)) if candidates is not None else list(self.popularity)
        blocked = set(basket) | (owned if exclude_purchased else set())
        scored = []
        for item in pool:
            if item in blocked:
                continue
            together = sum(self.cooccurrence.get(s, Counter()).get(item, 0) for s in seeds)
            affinity = together / (together + 5.0)  # saturates: a few shared baskets already mean a lot
            score = round(0.6 * affinity + 0.4 * self.popularity.get(item, 0.0), 4)
            scored.append((item, min(1.0, max(0.0, score))))
        scored.sort(key=lambda pair: (-pair[1], pair[0]))
        return scored[:n]


def train(log: Sequence[tuple[str, list[str]]]) -> Recommender:
    """Count purchases and pairs of products bought together."""
    counts: Counter[str] = Counter()
    pairs: dict[str, Counter[str]] = defaultdict(Counter)
    history: dict[str, set[str]] = defaultdict(set)
    for who, basket in log:
        counts.update(basket)
        history[who].update(basket)
        for a in basket:
            for b in basket:
                if a != b:
                    pairs[a][b] += 1
    top = max(counts.values(), default=1)
    return Recommender({p: c / top for p, c in counts.items()}, dict(pairs), dict(history))


def variant_of(customer_id: str) -> str:
    """A stable A/B assignment: the same customer always sees the same variant."""
    return VARIANTS[sum(customer_id.encode()) % 2]
