"""The mock works mounted under a prefix (how the contract service hosts it)."""

from __future__ import annotations

import httpx

from tests.mocks._mounted import PREFIX
from tests.support.servers import VENV_BIN, serve


def test_mounted_mock_answers_under_its_prefix() -> None:
    argv = [
        str(VENV_BIN / "python"),
        "-m",
        "uvicorn",
        "--factory",
        "tests.mocks._mounted:app",
        "--port",
        "{port}",
        "--log-level",
        "warning",
    ]
    with serve(argv, ready_path=PREFIX + "/__mock/health") as base:
        ok = httpx.post(
            base + PREFIX + "/v1/recommendations", json={"customer_id": "C0000042", "context": {"channel": "web"}}
        )
        assert ok.status_code == 200 and ok.json()["model_version"] == "reco-2026.02.1"
        bad = httpx.post(base + PREFIX + "/v1/recommendations", json={"customer_id": "C0000042"})
        assert bad.status_code == 422 and bad.json()["errors"][0]["pointer"] == ""
        document = httpx.get(base + PREFIX + "/__mock/openapi.json").json()
        assert document["servers"][0]["url"] == PREFIX
        assert httpx.get(base + PREFIX + "/__mock/docs").status_code == 200
        assert httpx.get(base + "/v1/recommendations").status_code == 404  # nothing outside the mount
