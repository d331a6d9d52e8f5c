"""The service's ``for_request``: a response judged against its request, as `contracts validate --for-request`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.relations.test_validate_for_request import C1, C2, C3, REQUEST, _validate, scores
from tests.service.conftest import Service


def test_the_service_checks_for_request_as_the_cli_does(service: Service, cli: Any, tmp_path: Path) -> None:
    url = "/api/v1/contracts/client-scoring/versions/1.1.0/validate"
    base = {"operation": "scoreClients", "direction": "response", "status": 200}
    with service.client() as c:
        dropped = c.post(url, json={**base, "payload": scores(C1, C2), "for_request": REQUEST})
        aligned = c.post(url, json={**base, "payload": scores(C1, C2, C3), "for_request": REQUEST})
        without = c.post(url, json={**base, "payload": scores(C1, C2)})
        on_request = c.post(url, json={**base, "direction": "request", "payload": REQUEST, "for_request": REQUEST})
    assert dropped.status_code == 200
    assert dropped.json() == json.loads(_validate(cli, tmp_path, scores(C1, C2)).stdout)
    assert aligned.json()["ok"] is True
    assert without.json()["ok"] is True  # the relation needs the request
    assert on_request.status_code == 422 and on_request.json()["errors"][0]["pointer"] == "/for_request"
