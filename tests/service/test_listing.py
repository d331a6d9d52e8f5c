"""Listings of verification records come in pages bounded in count and in bytes, linked by ``next``;
can-i-deploy decides on every record and shows a page of them; a POST with an Idempotency-Key stores
its record once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests.support.paths import CONTRACTS

from .conftest import BACKENDS, TOKEN, Service, database_url, start

PAGE_BYTES = 1024 * 1024
REPORT_BYTES = 200 * 1024


@pytest.fixture(scope="module", params=BACKENDS)
def paged(request: pytest.FixtureRequest, pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """A service whose listing pages hold about 1 MiB."""
    folder = tmp_path_factory.mktemp(f"listing-{request.param}")
    url = database_url(request.param, pg_url, folder)
    with start(CONTRACTS, url, extra_env={"CONTRACTS_PAGE_MAX_BYTES": str(PAGE_BYTES)}) as base:
        yield Service(base, CONTRACTS, url)


def _record(provider: str, *, version: str = "1.0.0", ok: bool = True, report_bytes: int = 0) -> dict[str, Any]:
    record: dict[str, Any] = {
        "provider": provider,
        "provider_version": "1",
        "contract": "recommendation-api",
        "contract_version": version,
        "ok": ok,
    }
    if report_bytes:
        record["report"] = {"ok": ok, "cases": 1, "failures": [], "log": "x" * report_bytes}
    return record


def test_a_listing_of_large_reports_comes_in_pages_of_bounded_size(paged: Service) -> None:
    provider = f"big-{uuid.uuid4().hex[:8]}"
    with paged.client(TOKEN) as client:
        posted = [
            client.post("/api/v1/verifications", json=_record(provider, report_bytes=REPORT_BYTES)).json()["id"]
            for _ in range(12)
        ]
        url: str | None = f"/api/v1/verifications?provider={provider}&limit=1000"
        seen: list[int] = []
        pages = 0
        while url is not None:
            response = client.get(url)
            assert response.status_code == 200
            assert len(response.content) <= PAGE_BYTES + REPORT_BYTES  # the budget, overrun by one record at most
            body = response.json()
            seen.extend(r["id"] for r in body["verifications"])
            assert all(len(r["report"]["log"]) == REPORT_BYTES for r in body["verifications"])
            url = body["next"]
            if url is not None:
                assert response.headers["link"] == f'<{url}>; rel="next"'
                assert url.startswith("/api/v1/verifications?") and "provider=" in url
            pages += 1
            assert pages < 20
    assert seen == sorted(posted, reverse=True)  # every record once, newest first
    assert pages >= 3


def test_a_page_holds_at_most_limit_records_and_the_last_has_no_next(paged: Service) -> None:
    provider = f"small-{uuid.uuid4().hex[:8]}"
    with paged.client(TOKEN) as client:
        for _ in range(5):
            assert client.post("/api/v1/verifications", json=_record(provider)).status_code == 201
        first = client.get("/api/v1/verifications", params={"provider": provider, "limit": 3}).json()
        second = client.get(first["next"]).json()
        assert len(first["verifications"]) == 3
        assert len(second["verifications"]) == 2
        assert second["next"] is None
        whole = client.get("/api/v1/verifications", params={"provider": provider}).json()
    assert whole["next"] is None and len(whole["verifications"]) == 5


def test_can_i_deploy_decides_on_every_record_and_shows_as_many_as_fit_a_page(paged: Service) -> None:
    provider = f"deploy-{uuid.uuid4().hex[:8]}"
    with paged.client(TOKEN) as client:
        # The passing run is the oldest: under ten newer failing ones against another version.
        client.post("/api/v1/verifications", json=_record(provider, report_bytes=REPORT_BYTES))
        for _ in range(10):
            failing = _record(provider, version="1.1.0", ok=False, report_bytes=REPORT_BYTES)
            client.post("/api/v1/verifications", json=failing)
        asked = {"provider": provider, "version": "1", "contract": "recommendation-api@1.1.0"}
        answer = client.get("/api/v1/can-i-deploy", params=asked)
        older = client.get("/api/v1/can-i-deploy", params={**asked, "contract": "recommendation-api@1.0.0"})
    assert answer.status_code == older.status_code == 200
    assert answer.json()["ok"] is False
    assert older.json()["ok"] is True  # decided on the oldest record, whatever a page holds
    assert len(answer.content) <= PAGE_BYTES + REPORT_BYTES
    shown = answer.json()["verifications"]
    assert 1 <= len(shown) < 10
    assert all(len(r["report"]["log"]) == REPORT_BYTES for r in shown)


def test_a_retried_post_with_the_same_idempotency_key_stores_one_record(paged: Service) -> None:
    provider = f"retry-{uuid.uuid4().hex[:8]}"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    with paged.client(TOKEN) as client:
        first = client.post("/api/v1/verifications", json=_record(provider), headers=key)
        again = client.post("/api/v1/verifications", json=_record(provider), headers=key)
        listed = client.get("/api/v1/verifications", params={"provider": provider}).json()["verifications"]
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["location"] == first.headers["location"]
    assert [r["id"] for r in listed] == [first.json()["id"]]


def test_concurrent_posts_with_one_key_store_one_record(paged: Service) -> None:
    provider = f"race-{uuid.uuid4().hex[:8]}"
    key = {"Idempotency-Key": uuid.uuid4().hex}

    def post(_: int) -> httpx.Response:
        with paged.client(TOKEN) as client:
            return client.post("/api/v1/verifications", json=_record(provider), headers=key)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(post, range(8)))
    with paged.client(TOKEN) as client:
        listed = client.get("/api/v1/verifications", params={"provider": provider}).json()["verifications"]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert len(listed) == 1


def test_a_key_reused_for_another_record_is_422_and_posts_without_keys_are_each_stored(paged: Service) -> None:
    provider = f"misuse-{uuid.uuid4().hex[:8]}"
    key = {"Idempotency-Key": uuid.uuid4().hex}
    with paged.client(TOKEN) as client:
        assert client.post("/api/v1/verifications", json=_record(provider), headers=key).status_code == 201
        other = client.post("/api/v1/verifications", json=_record(provider, ok=False), headers=key)
        bad_key = client.post("/api/v1/verifications", json=_record(provider), headers={"Idempotency-Key": "a b"})
        for _ in range(2):
            assert client.post("/api/v1/verifications", json=_record(provider)).status_code == 201
        listed = client.get("/api/v1/verifications", params={"provider": provider}).json()["verifications"]
    assert other.status_code == 422
    assert "different record" in other.json()["detail"]
    assert bad_key.status_code == 422
    assert len(listed) == 3
