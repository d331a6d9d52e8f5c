"""Idempotency keys: every valid generated request carries its own key, so an API that refuses a key
reused with another request (as the Idempotency-Key draft says) is not reported as rejecting valid ones."""

from __future__ import annotations

from collections import defaultdict

from tests.support.paths import CONTRACTS
from validator.compiled import CompiledContract
from validator.loader import load
from validator.verify import cases
from validator.verify.idempotency import with_fresh_keys

COMPILED = CompiledContract(load("contracts-service@1.1.0", CONTRACTS))
EXAMPLE_KEY = "5b0f3c2e-8d4a-4e1b-9c7f-contracts-docs"  # the key of the contract's idempotent-retry example


def _bodies_by_key(planned: tuple[cases.Case, ...]) -> dict[str, set[bytes | None]]:
    found: dict[str, set[bytes | None]] = defaultdict(set)
    for case in planned:
        key = case.request.header("Idempotency-Key")
        if key is not None and case.valid and case.source != cases.EXAMPLE:
            found[key].add(case.request.body)
    return found


def test_every_valid_generated_request_gets_a_key_of_its_own() -> None:
    op = COMPILED.contract.operation("postVerification")
    planned = cases.plan(COMPILED, [op], max_examples=12, seed=7).cases
    # As planned, one key goes with many different records (the boundary phase keeps one header value).
    assert max(len(bodies) for bodies in _bodies_by_key(planned).values()) > 1
    fresh = with_fresh_keys(COMPILED, planned)
    assert all(len(bodies) == 1 for bodies in _bodies_by_key(fresh).values())
    assert len(fresh) == len(planned) and [c.valid for c in fresh] == [c.valid for c in planned]


def test_examples_and_invalid_requests_keep_the_key_they_were_planned_with() -> None:
    op = COMPILED.contract.operation("postVerification")
    planned = cases.plan(COMPILED, [op], max_examples=12, seed=7).cases
    fresh = with_fresh_keys(COMPILED, planned)
    kept = [(a, b) for a, b in zip(planned, fresh, strict=True) if a.source == cases.EXAMPLE or not a.valid]
    assert kept and all(a.request == b.request for a, b in kept)
    retry = next(c for c in fresh if c.interaction is not None and c.interaction.name == "idempotent-retry")
    assert retry.request.header("Idempotency-Key") == EXAMPLE_KEY


def test_an_operation_without_the_header_is_left_as_planned() -> None:
    op = COMPILED.contract.operation("validatePayload")
    planned = cases.plan(COMPILED, [op], max_examples=5, seed=7).cases
    assert with_fresh_keys(COMPILED, planned) == planned
