"""A contract with a bearer security scheme: generated cases never send an unsendable header."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import Cli
from tests.support.servers import contracts_cmd, serve

SECURED = """\
openapi: 3.1.0
info: {title: secured, version: 1.0.0}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security:
  - bearer: []
paths:
  /v1/score:
    post:
      operationId: score
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [x], properties: {x: {type: integer, minimum: 0}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, required: [y], properties: {y: {type: number}}}
        "401": {description: no token}
        "422": {description: invalid}
"""


def test_bearer_scheme_does_not_read_as_an_api_that_never_answered(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "secured" / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(SECURED)
    argv = contracts_cmd("mock", "secured", "--port", "{port}", "--contracts-dir", str(tmp_path))
    with serve(argv, ready_path="/__mock/health") as base:
        result = cli(
            "test",
            "secured",
            "--base-url",
            base,
            "--max-examples",
            "10",
            "--seed",
            "1",
            "--contracts-dir",
            str(tmp_path),
            "--format",
            "json",
        )
    doc = json.loads(result.stdout)
    assert result.exit_code == 0, doc["failures"]
    assert doc["ok"] is True and doc["cases"] > 10
