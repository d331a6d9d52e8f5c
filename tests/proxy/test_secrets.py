"""Credentials reach the upstream and nothing else: not the log, the report, the metrics or the recording;
a request without the credential the contract requires is the caller's violation (401 in enforce, as the mock)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.proxy.conftest import json_upstream, running_proxy
from tests.support.documents import contract_folder, secured_score
from tests.support.servers import contracts_cmd, serve

KEY_PATTERN = {"type": "string", "pattern": "^k-[a-z]+$"}
SECURED = secured_score(
    {
        "bearer": {"type": "http", "scheme": "bearer"},
        "header_key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        "query_key": {"type": "apiKey", "in": "query", "name": "api_key"},
        "cookie_key": {"type": "apiKey", "in": "cookie", "name": "session"},
    },
    [
        {"name": "X-Api-Key", "in": "header", "schema": KEY_PATTERN},
        {"name": "api_key", "in": "query", "schema": KEY_PATTERN},
    ],
)
SECRETS = {
    "bearer": "TOKEN-AAAA-1111",
    "header": "SECRET-HDR-2222",
    "query": "SECRET-QRY-3333",
    "cookie": "SECRET-CK-4444",
    "redacted": "SECRET-RED-5555",
    "set-cookie": "SECRET-SET-6666",
}


def _contract(tmp_path: Path) -> str:
    return str(contract_folder(tmp_path / "contracts", SECURED, name="secured") / "secured" / "1.0.0")


def _invalid_answer(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
    """An answer breaking the schema (so a response sample is kept), setting a cookie."""
    return 200, {"y": "not a number"}, {"set-cookie": f"session={SECRETS['set-cookie']}; HttpOnly"}


def _send_with_every_credential(base: str) -> list[int]:
    url = f"{base}/v1/score"
    sent = [
        httpx.post(url, json={"x": -1}, headers={"authorization": f"Bearer {SECRETS['bearer']}"}),
        httpx.post(url, json={"x": 1}, headers={"x-api-key": SECRETS["header"]}),  # breaks the pattern: quoted
        httpx.post(f"{url}?api_key={SECRETS['query']}&lang=en", json={"x": 1}),
        httpx.post(url, json={"x": -1}, headers={"cookie": f"session={SECRETS['cookie']}; theme=dark"}),
        httpx.post(
            url,
            json={"x": -1},
            headers={"authorization": f"Bearer {SECRETS['bearer']}", "x-partner-secret": SECRETS["redacted"]},
        ),
        httpx.post(url, json={"x": 1}),  # no credential at all
    ]
    return [r.status_code for r in sent]


def test_credentials_reach_the_upstream_and_nothing_the_proxy_writes(tmp_path: Path, proxy_log: Path) -> None:
    contract, recording = _contract(tmp_path), tmp_path / "traffic.ndjson"
    args = ("--record", str(recording), "--redact", "X-Partner-Secret")
    with (
        json_upstream(_invalid_answer) as (upstream, seen),
        running_proxy(upstream, *args, log=proxy_log, contract=contract) as base,
    ):
        statuses = _send_with_every_credential(base)
        report = httpx.get(f"{base}/__proxy/report").text
        metrics = httpx.get(f"{base}/__proxy/metrics").text
    assert statuses == [200] * 6  # report mode forwards everything
    forwarded = " ".join(f"{r.path} {r.headers}" for r in seen)
    for name in ("bearer", "header", "query", "cookie", "redacted"):
        assert SECRETS[name] in forwarded, name  # the upstream gets every credential
    written = {
        "log": proxy_log.read_text(),
        "recording": recording.read_text(),
        "report": report,
        "metrics": metrics,
    }
    for where, text in written.items():
        for name, secret in SECRETS.items():
            assert secret not in text, f"{name} credential in the {where}"
    assert "api_key=%5Bredacted%5D&lang=en" in written["recording"]
    assert "[redacted]" in report  # the schema message quoting the X-Api-Key value, scrubbed
    assert '"request_security"' in report and "credentials required" in report  # the request without any


def test_enforce_answers_a_missing_credential_as_the_mock_does(tmp_path: Path) -> None:
    contract = _contract(tmp_path)
    with (
        json_upstream(_invalid_answer) as (upstream, seen),
        running_proxy(upstream, "--mode", "enforce", contract=contract) as base,
        serve(
            contracts_cmd("mock", "secured", "--port", "{port}", "--contracts-dir", str(tmp_path / "contracts")),
            ready_path="/__mock/health",
        ) as mock,
    ):
        ours = httpx.post(f"{base}/v1/score", json={"x": 1})
        theirs = httpx.post(f"{mock}/v1/score", json={"x": 1})
        with_key = httpx.post(f"{base}/v1/score", json={"x": 1}, headers={"x-api-key": "k-abc"})
    assert ours.status_code == theirs.status_code == 401
    assert ours.headers.get_list("www-authenticate") == theirs.headers.get_list("www-authenticate")
    assert ours.content == theirs.content and ours.headers.get("content-type") == theirs.headers.get("content-type")
    assert len(seen) == 1 and with_key.status_code == 502  # only the request with a key went upstream


def test_an_upstream_url_with_credentials_is_refused(cli: Any) -> None:
    result = cli("proxy", "recommendation-api@1.1.0", "--upstream", "http://user:hunter22@127.0.0.1:9/api")
    assert result.exit_code == 2
    assert "carries credentials" in result.stderr and "hunter22" not in result.stderr + result.stdout


def test_a_token_the_upstream_echoes_is_kept_out_too(tmp_path: Path, proxy_log: Path) -> None:
    token = "TOKEN-ECHO-7777"

    def echoing(path: str, body: bytes) -> tuple[int, Any, dict[str, str]]:
        """An answer breaking the schema that repeats the caller's token (as some error pages do)."""
        return 200, {"y": f"unauthorised use of Bearer {token}"}, {"x-debug-token": token}

    contract, recording = _contract(tmp_path), tmp_path / "traffic.ndjson"
    with (
        json_upstream(echoing) as (upstream, _),
        running_proxy(
            upstream, "--mode", "enforce", "--record", str(recording), log=proxy_log, contract=contract
        ) as base,
    ):
        replaced = httpx.post(f"{base}/v1/score", json={"x": 1}, headers={"authorization": f"Bearer {token}"})
        report = httpx.get(f"{base}/__proxy/report").text
    assert replaced.status_code == 502  # the answer broke the schema: the original goes to the log
    for where, text in {"log": proxy_log.read_text(), "recording": recording.read_text(), "report": report}.items():
        assert token not in text, where
    assert "unauthorised use of [redacted]" in proxy_log.read_text()  # what was echoed, gone; the rest kept
