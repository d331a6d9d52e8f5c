"""The catalogue page: the cards are built once per snapshot of the contracts folder, the records'
counts are read per request, so a reload shows a new version and a new record counts at once."""

from __future__ import annotations

import re
import secrets
import shutil

from tests.service.conftest import TOKEN, Service


def _count(html: str, name: str) -> int:
    found = re.search(rf'contract={name}">(\d+) recorded', html)
    return int(found.group(1)) if found else 0


def test_a_new_record_counts_at_once_and_a_reload_shows_a_new_version(service: Service) -> None:
    source = service.contracts / "client-scoring" / "1.1.0"
    target = service.contracts / "client-scoring" / "1.3.0"
    shutil.copytree(source, target)
    openapi = target / "openapi.yaml"
    openapi.write_text(openapi.read_text().replace("version: 1.1.0", "version: 1.3.0", 1))
    record = {
        "provider": f"catalogue-{secrets.token_hex(4)}",
        "provider_version": "b1",
        "contract": "client-scoring",
        "contract_version": "1.1.0",
        "ok": True,
    }
    try:
        with service.client(TOKEN) as client:
            before = client.get("/ui/").text
            assert client.post("/api/v1/verifications", json=record).status_code == 201
            counted = client.get("/ui/").text
            assert client.post("/api/v1/admin/reload").status_code == 200
            reloaded = client.get("/ui/").text
    finally:
        shutil.rmtree(target)
        with service.client(TOKEN) as client:
            client.post("/api/v1/admin/reload")
    assert _count(counted, "client-scoring") == _count(before, "client-scoring") + 1
    assert "/ui/contracts/client-scoring/1.3.0" not in before + counted  # the snapshot had no 1.3.0
    assert '<dt>Latest release</dt><dd><a href="/ui/contracts/client-scoring/1.3.0">1.3.0</a>' in reloaded
