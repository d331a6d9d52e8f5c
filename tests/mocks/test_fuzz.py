"""A bounded schemathesis fuzz run against the mock: no request, valid or not, yields a 5xx."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from tests.mocks.conftest import EXAMPLE_REFS, Mock
from tests.support.documents import SENDABLE_HEADERS, contract_folder, header_document
from tests.support.fuzzing import operations_of
from validator.contract import Operation
from validator.rejection import documents_validation_status

pytestmark = pytest.mark.slow  # property-based: hundreds of generated cases

MAX_EXAMPLES = 30


def _fuzz(mock: Mock, op: Operation, strategy: Any, seen: dict[str, set[int]]) -> Callable[[], None]:
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case: Any) -> None:
        response = case.call(base_url=mock.base)
        assert response.status_code < 500, (case.as_curl_command(), response.text)
        seen.setdefault(op.label, set()).add(response.status_code)
        # Documented answers conform; a violation of an operation documenting no validation status
        # gets the rule's 400 (validator.rejection), undocumented by construction.
        undocumented_rejection = response.status_code == 400 and not documents_validation_status(op)
        if response.status_code not in (404, 405, 413, 415) and not undocumented_rejection:
            problems = mock.conforms(op, response)
            assert not problems, (case.as_curl_command(), problems)

    return check


@pytest.mark.parametrize("ref", EXAMPLE_REFS)
def test_fuzzing_the_mock_finds_no_server_error(served_mock_of: Any, ref: str) -> None:
    mock = served_mock_of(ref)  # a real server: schemathesis reads the document over HTTP
    schema = schemathesis.openapi.from_url(mock.base + "/__mock/openapi.json")
    seen: dict[str, set[int]] = {}
    for operation in operations_of(schema):
        op = mock.contract.operation(f"{operation.method.upper()} {operation.path}")
        takes_input = bool(op.parameters or op.request_body)  # nothing to break otherwise
        modes = [GenerationMode.POSITIVE, *([GenerationMode.NEGATIVE] if takes_input else [])]
        for mode in modes:
            _fuzz(mock, op, operation.as_strategy(generation_mode=mode), seen)()
    assert len(seen) == len(mock.contract.operations)
    assert any(status >= 400 for statuses in seen.values() for status in statuses)  # invalid input was sent


def test_fuzzing_a_mock_whose_header_schemas_admit_control_characters_finds_no_server_error(
    served_mock_of: Any, tmp_path: Path
) -> None:
    # Each operation answers a required header whose schema admits values HTTP cannot carry beside ones
    # it can: the mock sends only the latter, on every generated request.
    root = contract_folder(tmp_path, header_document(SENDABLE_HEADERS), name="headers")
    mock = served_mock_of("headers@1.0.0", contracts_dir=root)
    schema = schemathesis.openapi.from_url(mock.base + "/__mock/openapi.json")
    seen: dict[str, set[int]] = {}
    for operation in operations_of(schema):
        op = mock.contract.operation(f"{operation.method.upper()} {operation.path}")
        _fuzz(mock, op, operation.as_strategy(generation_mode=GenerationMode.POSITIVE), seen)()
    assert len(seen) == len(SENDABLE_HEADERS)
    assert {status for statuses in seen.values() for status in statuses} == {200}
