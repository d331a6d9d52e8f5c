"""Credentials of the API under test never show: not in the text, JSON or JUnit report, nor a published record.

A real API that fails every request (500) and echoes the credentials it was sent in its body and in a
``Set-Cookie`` is contract-tested with ``--header``s; every output of the run is then searched for the
secret values. The service also hides them when a client publishes a report that still carries them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from tests.service.conftest import TOKEN, start
from tests.support.servers import contracts_cmd, in_thread
from validator.redaction import REDACTED
from validator.verify.redact import Redaction

BEARER = "s3cr3t-bearer-token-0123456789"
API_KEY = "key-abcdef-987654"
COOKIE = "session=cookie-value-424242"
SHOWN = "trace-id-visible-55"
SECRETS = (BEARER, API_KEY, "cookie-value-424242")
WRITE_TOKEN = TOKEN
CONTRACT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "keyed", "version": "1.0.0"},
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        }
    },
    "security": [{"bearer": []}, {"key": []}],
    "paths": {
        "/score": {
            "post": {
                "operationId": "score",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"type": "object", "required": ["x"], "properties": {"x": {"type": "number"}}},
                            "examples": {"one": {"value": {"x": 1}}},
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "the score",
                        "content": {
                            "application/json": {
                                "schema": {"type": "object", "properties": {"score": {"type": "number"}}},
                                "examples": {"one": {"value": {"score": 0.5}}},
                            }
                        },
                    }
                },
            }
        }
    },
}


class Leaky(BaseHTTPRequestHandler):
    """Fails every request, repeating the credentials it got (as badly written APIs do)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length") or 0))
        self._leak()

    def do_GET(self) -> None:
        self._leak()

    def _leak(self) -> None:
        body = json.dumps(
            {"error": f"bad credentials {self.headers.get('authorization')} / {self.headers.get('x-api-key')}"}
        ).encode()
        self.send_response(500)
        self.send_header("content-type", "application/json")
        self.send_header("set-cookie", COOKIE)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


@pytest.fixture(scope="module")
def leaky_url() -> Iterator[str]:
    with in_thread(Leaky) as url:
        yield url


@pytest.fixture(scope="module")
def contracts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("keyed") / "contracts"
    (root / "keyed" / "1.0.0").mkdir(parents=True)
    (root / "keyed" / "1.0.0" / "openapi.yaml").write_text(yaml.safe_dump(CONTRACT))
    return root


@pytest.fixture(scope="module")
def service(contracts: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("keyed-service")
    shutil.copytree(contracts, folder / "contracts")
    with start(folder / "contracts", f"sqlite:///{folder / 'db.sqlite'}") as base:
        yield base


def contract_test(url: str, contracts: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        contracts_cmd(
            "test",
            "keyed@1.0.0",
            "--base-url",
            url,
            "--max-examples",
            "3",
            "--seed",
            "1",
            "--header",
            f"Authorization: Bearer {BEARER}",
            "--header",
            f"X-Api-Key: {API_KEY}",
            "--header",
            f"X-Trace: {SHOWN}",
            "--show-header",
            "X-Trace",
            "--junit-xml",
            str(tmp_path / "junit.xml"),
            "--contracts-dir",
            str(contracts),
            *extra,
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin", "CONTRACTS_API_TOKEN": WRITE_TOKEN},
    )


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_output_of_a_contract_test_shows_a_credential(
    leaky_url: str, contracts: Path, service: str, tmp_path: Path, fmt: str
) -> None:
    done = contract_test(
        leaky_url,
        contracts,
        tmp_path,
        "--format",
        fmt,
        "--publish",
        service,
        "--provider",
        "keyed-api",
        "--provider-version",
        f"v-{fmt}",
    )
    assert done.returncode == 1, done.stderr  # the API fails: there are failures to show
    junit = (tmp_path / "junit.xml").read_text()
    stored = httpx.get(service + "/api/v1/verifications", params={"provider": "keyed-api"}).text
    outputs = {"stdout": done.stdout, "stderr": done.stderr, "junit": junit, "stored": stored}
    for where, text in outputs.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} shows in {where}"
    assert REDACTED in done.stdout and REDACTED in junit and REDACTED in stored
    assert SHOWN in stored  # --show-header X-Trace: shown after all
    if fmt == "json":
        # auth_enforced's request goes without credentials on purpose; every other one carries them.
        failure = next(f for f in json.loads(done.stdout)["failures"] if f["check"] != "auth_enforced")
        assert failure["request"]["headers"]["Authorization"] == REDACTED
        assert failure["request"]["headers"]["X-Api-Key"] == REDACTED
        assert f"-H 'Authorization: {REDACTED}'" in failure["curl"]


def test_the_service_hides_credentials_a_client_publishes_anyway(service: str) -> None:
    report = {
        "ok": False,
        "cases": 1,
        "failures": [
            {
                "operation": "score",
                "check": "server_error",
                "message": "500",
                "request": {
                    "method": "POST",
                    "url": "https://user:pw-secret@api/score",
                    "headers": {
                        "Authorization": f"Bearer {BEARER}",
                        "x-api-key": API_KEY,
                        "Cookie": COOKIE,
                        "Accept": "*/*",
                    },
                },
                "response": {"status": 500, "headers": {"set-cookie": COOKIE}},
                "curl": f"curl -H 'Authorization: Bearer {BEARER}' -H 'X-Api-Key: {API_KEY}' https://api/score",
            }
        ],
    }
    body = {
        "provider": "raw-client",
        "provider_version": "1",
        "contract": "keyed",
        "contract_version": "1.0.0",
        "ok": False,
        "report": report,
    }
    posted = httpx.post(
        service + "/api/v1/verifications", json=body, headers={"Authorization": f"Bearer {WRITE_TOKEN}"}
    )
    assert posted.status_code == 201, posted.text
    stored = httpx.get(service + "/api/v1/verifications", params={"provider": "raw-client"}).text
    for secret in (*SECRETS, "pw-secret"):
        assert secret not in stored
    assert "*/*" in stored  # other headers are kept


def test_a_redaction_hides_by_name_and_by_value_and_keeps_the_rest() -> None:
    redaction = Redaction.of(CONTRACT, {"Authorization": f"Bearer {BEARER}", "X-Tenant": "tenant-77"}, ["x-tenant"])
    headers = redaction.headers({"authorization": f"Bearer {BEARER}", "X-Api-Key": API_KEY, "X-Tenant": "tenant-77"})
    assert headers == {"authorization": REDACTED, "X-Api-Key": REDACTED, "X-Tenant": "tenant-77"}
    assert redaction.text({"echo": [f"got {BEARER}"]}) == {"echo": [f"got {REDACTED}"]}
    line = f"curl -sS -H 'authorization: Bearer {BEARER}' -H 'X-Tenant: tenant-77' https://u:p4ss@h/x"
    assert redaction.curl(line) == (
        f"curl -sS -H 'authorization: {REDACTED}' -H 'X-Tenant: tenant-77' 'https://u:{REDACTED}@h/x'"
    )


def test_an_api_key_sent_in_the_query_is_hidden_in_urls_and_curl_lines() -> None:
    document = {"components": {"securitySchemes": {"q": {"type": "apiKey", "in": "query", "name": "api_key"}}}}
    redaction = Redaction.of(document)
    assert redaction.url("https://h/score?n=1&api_key=k-123456") == "https://h/score?n=1&api_key=%5Bredacted%5D"
    shown = redaction.curl("curl -sS 'https://h/score?api_key=k-123456'")
    assert "k-123456" not in shown and "api_key=%5Bredacted%5D" in shown
