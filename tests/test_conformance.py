"""The official JSON Schema Test Suite (draft 2020-12) run through the project's own validation API.

Required tests plus the optional format tests for the formats the product asserts. Every skip
carries its reason.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from validator.compiled import SchemaValidator

ENV_VAR = "JSON_SCHEMA_TEST_SUITE"
BESIDE = Path(__file__).resolve().parents[2] / "shared" / "conformance" / "json-schema-test-suite"


def suite_folder(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """Where the suite is: ``$JSON_SCHEMA_TEST_SUITE`` when set, else ``../shared/conformance`` beside the clone."""
    given = environ.get(ENV_VAR)
    return Path(given).expanduser() if given else BESIDE


SUITE = suite_folder()
TESTS = SUITE / "tests" / "draft2020-12"
WHERE = f"${ENV_VAR} ({SUITE})" if os.environ.get(ENV_VAR) else f"{SUITE} (or ${ENV_VAR}, not set)"
HOW_TO_GET = (
    f"the JSON Schema Test Suite is not at {WHERE}; get it with "
    "`git clone https://github.com/json-schema-org/JSON-Schema-Test-Suite` and set "
    f"{ENV_VAR}=<that folder> (with CI=true it is required)"
)
REMOTES = SUITE / "remotes"
ASSERTED_FORMATS = ("date", "date-time", "time", "email", "uuid", "uri", "ipv4", "ipv6")

# The product asserts every format it knows (COMPAT-POLICY: "format asserted, as our validator
# does"), so the required suite's cases that expect an invalid value to pass, `format` being an
# annotation only by default, do not apply.
ANNOTATION_ONLY = "the product asserts formats; this case expects format to be an annotation only"


def _skip_reason(file: str, test: dict[str, Any]) -> str | None:
    if file == "format.json" and "only an annotation" in test["description"]:
        return ANNOTATION_ONLY
    return None


def _remote_resources() -> list[tuple[str, Any]]:
    # The suite's remote schemas are served as a local registry: nothing is fetched.
    out = []
    for path in sorted(REMOTES.rglob("*.json")):
        uri = "http://localhost:1234/" + path.relative_to(REMOTES).as_posix()
        out.append((uri, json.loads(path.read_text())))
    return out


def require_suite() -> None:
    """Skip a test that reads the suite when it is missing, saying how to get it (with CI=true, importing
    this module has already failed)."""
    if not TESTS.is_dir():
        pytest.skip(HOW_TO_GET)


def _cases() -> Iterator[Any]:
    if not TESTS.is_dir():
        if os.environ.get("CI", "").lower() == "true":  # CI must run the suite, never skip it silently
            raise RuntimeError(f"CI=true: {HOW_TO_GET}")
        yield pytest.param(None, None, None, id="suite-missing", marks=pytest.mark.skip(reason=HOW_TO_GET))
        return
    files = sorted(TESTS.glob("*.json")) + [TESTS / "optional" / "format" / f"{f}.json" for f in ASSERTED_FORMATS]
    for path in files:
        for group in json.loads(path.read_text()):
            for test in group["tests"]:
                name = path.relative_to(TESTS).as_posix()
                reason = _skip_reason(name, test)
                marks = [pytest.mark.skip(reason=reason)] if reason else []
                yield pytest.param(
                    group["schema"],
                    test["data"],
                    test["valid"],
                    id=f"{name}::{group['description']}::{test['description']}",
                    marks=marks,
                )


REMOTE_RESOURCES = _remote_resources()
_compiled: dict[str, SchemaValidator] = {}


@pytest.mark.parametrize(("schema", "instance", "valid"), list(_cases()))
def test_official_suite(schema: Any, instance: Any, valid: bool) -> None:
    key = json.dumps(schema, sort_keys=True)
    if key not in _compiled:
        _compiled[key] = SchemaValidator(schema, REMOTE_RESOURCES)
    validator = _compiled[key]
    problems = validator.validate(instance)
    assert validator.is_valid(instance) is valid
    assert (not problems) is valid, problems
    for problem in problems:
        assert problem.pointer == "" or problem.pointer.startswith("/")
        assert problem.message
