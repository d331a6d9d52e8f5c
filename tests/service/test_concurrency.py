"""Two service processes sharing one PostgreSQL: concurrent verification posts are all kept, once each."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import ExitStack

import httpx

from tests.support.paths import CONTRACTS

from .conftest import TOKEN, start

PER_PROCESS = 50


async def _post_all(bases: list[str], provider: str) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=0)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60, limits=limits) as client:
        posts = [
            client.post(
                f"{base}/api/v1/verifications",
                json={
                    "provider": provider,
                    "provider_version": f"p{n}-{i}",
                    "contract": "recommendation-api",
                    "contract_version": "1.1.0",
                    "ok": i % 3 != 0,
                    "cases": i,
                },
            )
            for n, base in enumerate(bases)
            for i in range(PER_PROCESS)
        ]
        return await asyncio.gather(*posts)


def test_two_processes_keep_every_concurrent_post_exactly_once(pg_url: str) -> None:
    provider = f"concurrent-{uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        bases = [stack.enter_context(start(CONTRACTS, pg_url)) for _ in range(2)]
        responses = asyncio.run(_post_all(bases, provider))
        listed = httpx.get(f"{bases[0]}/api/v1/verifications", params={"provider": provider, "limit": 1000}).json()[
            "verifications"
        ]
    assert [r.status_code for r in responses] == [201] * (2 * PER_PROCESS)
    ids = [r.json()["id"] for r in responses]
    assert len(set(ids)) == 2 * PER_PROCESS
    assert sorted(r["id"] for r in listed) == sorted(ids)
    expected = {f"p{n}-{i}" for n in range(2) for i in range(PER_PROCESS)}
    assert sorted(r["provider_version"] for r in listed) == sorted(expected)
