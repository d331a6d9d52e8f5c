"""The matrix and the catalogue's counts come from SQL that must agree on SQLite and PostgreSQL:
newest record per provider build and contract version, most recently verified builds first."""

from __future__ import annotations

import secrets

import html5lib

from tests.service.conftest import TOKEN, Service

NS = "{http://www.w3.org/1999/xhtml}"


def _cells(html: str, provider: str) -> dict[tuple[str, str], str]:
    tree = html5lib.parse(html)
    out = {}
    for row in tree.iter(f"{NS}tr"):
        header = row.find(f"{NS}th")
        if header is None or header.text != provider:
            continue
        build = row.findall(f"{NS}td")[0].text or ""
        for cell in row.findall(f"{NS}td")[1:]:
            out[(build, cell.get("data-label") or "")] = cell.get("class") or ""
    return out


def test_matrix_shows_the_newest_verdict_per_build_and_version(service: Service) -> None:
    provider = f"matrix-{secrets.token_hex(4)}"
    with service.client(TOKEN) as client:
        for build, version, ok in (
            ("b1", "1.0.0", False),
            ("b1", "1.0.0", True),  # newer: the cell turns green
            ("b1", "1.1.0", True),
            ("b1", "1.1.0", False),  # newer: the cell turns red
            ("b2", "2.0.0", True),
        ):
            record = {
                "provider": provider,
                "provider_version": build,
                "contract": "recommendation-api",
                "contract_version": version,
                "ok": ok,
            }
            assert client.post("/api/v1/verifications", json=record).status_code == 201
        page = client.get("/ui/verifications", params={"contract": "recommendation-api"})
        catalogue = client.get("/ui/")
    assert page.status_code == 200
    cells = _cells(page.text, provider)
    assert cells[("b1", "1.0.0")] == "cell pass"
    assert cells[("b1", "1.1.0")] == "cell fail"
    assert cells[("b1", "2.0.0")] == "cell none"
    assert cells[("b2", "2.0.0")] == "cell pass"
    rows = [b for b, _ in cells]
    assert rows.index("b2") < rows.index("b1")  # b2 was verified last
    assert catalogue.status_code == 200 and "recorded, newest" in catalogue.text
