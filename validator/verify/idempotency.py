"""Idempotency keys (the ``Idempotency-Key`` request header): one key per request, as clients send them.

An API that honours the header stores the first request sent with a key and answers a retry with the
same key from it; the same key with a different request is refused (422 in the IETF draft
draft-ietf-httpapi-idempotency-key-header). The generation engine reuses values: its boundary phase
keeps one value of an optional header while it varies the body, random values repeat, and one run
follows another against the same server. Sent as planned, a compliant API would be reported as
rejecting valid requests. So when a run starts, every valid planned request that carries the header
gets a fresh key (a UUID, as the draft recommends), when the header's schema allows one. Named examples
keep the key they document (a retry of one is what it shows), and invalid requests keep theirs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from ..compiled import CompiledContract
from .cases import AUTH, EXAMPLE, METHOD, Case, reclassified

HEADER = "idempotency-key"


def with_fresh_keys(compiled: CompiledContract, cases: Sequence[Case]) -> tuple[Case, ...]:
    """``cases`` with a new ``Idempotency-Key`` in every valid generated request that carries one."""
    return tuple(_fresh(compiled, case) for case in cases)


def _fresh(compiled: CompiledContract, case: Case) -> Case:
    if case.source in (EXAMPLE, METHOD, AUTH) or not case.valid or case.request.header(HEADER) is None:
        return case
    if not any(p.location == "header" and p.name.lower() == HEADER for p in case.operation.parameters):
        return case  # a header the contract does not declare is not known to mean this
    key = str(uuid.uuid4())
    headers = tuple((name, key if name.lower() == HEADER else value) for name, value in case.request.headers)
    renewed = reclassified(compiled, case, replace(case.request, headers=headers))
    return renewed if renewed.valid else case  # the schema refuses a UUID here: the planned key goes as it is
