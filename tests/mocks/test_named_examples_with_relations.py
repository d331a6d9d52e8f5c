"""A request that is interaction X gets response X, also when the operation echoes path, query or header
values (x-relations); any other request gets a shaped answer keeping the echoes. Over real HTTP."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.documents import contract_folder, json_response, operation
from tests.support.paths import CONTRACTS
from tests.support.servers import contracts_cmd, serve
from validator.compiled import CompiledContract, RequestData
from validator.extensions import Exchange, exchange_problems
from validator.loader import load

FIRST = {"model": "m1", "x": "q1", "region": "eu", "variant": "a", "score": 0.25}
FORCED = {"model": "m1", "region": "eu", "variant": "b", "score": 0.75}


def echoes_document() -> dict[str, Any]:
    """``GET /scores/{model}?x=&region=``: model, x and X-Trace echoed, a variant forced by a header, two
    named interactions (``first`` names model, x and X-Trace; ``forced`` names model and X-Variant;
    neither names the required ``region``, filled in from its own example, and no relation reads it)."""
    body = {
        "type": "object",
        "required": ["model", "region", "variant", "score"],
        "properties": {
            "model": {"type": "string"},
            "x": {"type": "string"},
            "region": {"type": "string"},
            "variant": {"enum": ["a", "b"]},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
        },
    }
    ok = json_response(body, examples={"first": {"value": FIRST}, "forced": {"value": FORCED}})
    ok["headers"] = {"X-Trace": {"schema": {"type": "string"}}}
    text = {"type": "string", "pattern": "^[a-z0-9-]+$"}
    scores = operation(
        {"200": ok},
        operationId="scores",
        parameters=[
            {"name": "model", "in": "path", "required": True, "schema": text,
             "examples": {"first": {"value": "m1"}, "forced": {"value": "m1"}}},
            {"name": "x", "in": "query", "schema": text, "examples": {"first": {"value": "q1"}}},
            {"name": "region", "in": "query", "required": True, "schema": text, "example": "eu"},
            {"name": "X-Variant", "in": "header", "schema": {"enum": ["a", "b"]},
             "examples": {"forced": {"value": "b"}}},
            {"name": "X-Trace", "in": "header", "schema": text, "examples": {"first": {"value": "t-1"}}},
        ],
    )  # fmt: skip
    scores["x-relations"] = [
        {"kind": "echo", "request": "path:model", "response": "body:/model"},
        {"kind": "echo", "request": "query:x", "response": "body:/x"},
        {"kind": "echo", "request": "header:X-Trace", "response": "header:X-Trace"},
        {"kind": "variant", "response": "body:/variant", "forced-by": "header:X-Variant"},
    ]
    return {"paths": {"/scores/{model}": {"get": scores}}}


@pytest.fixture(scope="module")
def echoes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A real mock of the echoing contract (which lints clean), and its contracts folder."""
    root = contract_folder(tmp_path_factory.mktemp("echoes"), echoes_document(), name="echoes")
    with serve(contracts_cmd("mock", "echoes@1.0.0", "--port", "{port}", "--contracts-dir", str(root))) as base:
        yield base, root


def _relation_problems(root: Path, response: httpx.Response, request: RequestData) -> list[str]:
    compiled = CompiledContract(load("echoes@1.0.0", root))
    headers = {k.lower(): v for k, v in response.headers.items()}
    exchange = Exchange(compiled.contract.operation("scores"), request, response.status_code, headers, response.json())
    return [f"{p.keyword} {p.pointer}: {p.message}" for p in exchange_problems(compiled, exchange)]


def test_the_echoing_fixture_lints_clean(cli: Any, echoes: tuple[str, Path]) -> None:
    result = cli("lint", "echoes@1.0.0", "--contracts-dir", str(echoes[1]))
    assert result.exit_code == 0, result.stdout


def test_the_request_of_an_interaction_with_path_query_and_header_echoes_gets_its_response(
    echoes: tuple[str, Path],
) -> None:
    base, _ = echoes
    answer = httpx.get(f"{base}/scores/m1?x=q1&region=eu", headers={"X-Trace": "t-1"})
    assert answer.status_code == 200
    assert answer.json() == FIRST
    assert answer.headers["x-trace"] == "t-1"  # the header echo holds on the example's answer too


def test_a_request_forcing_the_variant_its_interaction_names_gets_that_interactions_response(
    echoes: tuple[str, Path],
) -> None:
    base, _ = echoes
    answer = httpx.get(f"{base}/scores/m1?region=eu", headers={"X-Variant": "b"})
    assert answer.json() == FORCED


@pytest.mark.parametrize(
    ("url", "headers", "params"),
    [
        ("/scores/m2?x=q1&region=eu", {"X-Trace": "t-1"}, {"model": "m2", "x": "q1"}),
        # region is named by no interaction and echoed by no relation, but pinned to the value the tests send
        ("/scores/m1?x=q1&region=us", {"X-Trace": "t-1"}, {"model": "m1", "x": "q1"}),
        ("/scores/m1?x=q2&region=eu", {"X-Trace": "t-1"}, {"model": "m1", "x": "q2"}),
        ("/scores/m1?x=q1&region=eu", {"X-Trace": "t-2"}, {"model": "m1", "x": "q1"}),
        ("/scores/m1?region=eu", {"X-Variant": "a"}, {"model": "m1", "variant": "a"}),
    ],
)
def test_a_request_differing_from_every_interaction_gets_a_shaped_answer_keeping_the_echoes(
    echoes: tuple[str, Path], url: str, headers: dict[str, str], params: dict[str, str]
) -> None:
    base, root = echoes
    answer = httpx.get(base + url, headers=headers)
    assert answer.status_code == 200
    body = answer.json()
    assert body not in (FIRST, FORCED)
    assert {k: body.get(k) for k in params} == params
    if "X-Trace" in headers:
        assert answer.headers["x-trace"] == headers["X-Trace"]
    path, _, query = url.partition("?")
    pairs = [(name, value) for name, _, value in (part.partition("=") for part in query.split("&"))]
    request = RequestData({"model": path.rsplit("/", 1)[1]}, pairs, {k.lower(): v for k, v in headers.items()})
    assert _relation_problems(root, answer, request) == []


def test_an_example_breaking_an_echo_for_its_own_request_is_not_answered(cli: Any, tmp_path: Path) -> None:
    # Only a contract lint rejects gets there: the mock still keeps the promise rather than the example.
    document = echoes_document()
    broken = copy.deepcopy(FIRST) | {"x": "not-q1"}
    document["paths"]["/scores/{model}"]["get"]["responses"]["200"]["content"]["application/json"]["examples"][
        "first"
    ] = {"value": broken}
    root = contract_folder(tmp_path, document, name="echoes")
    assert cli("lint", "echoes@1.0.0", "--contracts-dir", str(root)).exit_code == 1
    with serve(contracts_cmd("mock", "echoes@1.0.0", "--port", "{port}", "--contracts-dir", str(root))) as base:
        answer = httpx.get(f"{base}/scores/m1?x=q1&region=eu", headers={"X-Trace": "t-1"})
    assert answer.status_code == 200
    assert answer.json() != broken
    assert answer.json()["x"] == "q1"


def test_the_service_contracts_can_i_deploy_examples_are_answered_with_themselves() -> None:
    compiled = CompiledContract(load("contracts-service@1.1.0", CONTRACTS))
    op = compiled.contract.operation("canIDeploy")
    argv = contracts_cmd("mock", "contracts-service@1.1.0", "--port", "{port}", "--contracts-dir", str(CONTRACTS))
    with serve(argv, ready_path="/__mock/health") as base:
        for name, interaction in op.interactions.items():
            params = {p.name: p.examples[name] for p in op.parameters if name in p.examples}
            answer = httpx.get(f"{base}/api/v1/can-i-deploy", params=params)
            assert answer.status_code == 200, name
            assert answer.json() == interaction.response, name
        assert set(op.interactions) == {"unverified", "unverified-model"}


def test_a_scoring_batch_that_is_the_small_batch_interaction_gets_its_response() -> None:
    # The path's campaign id is echoed: the interaction's request (its named path and query values) gets it.
    contract = load("client-scoring@1.1.0", CONTRACTS)
    interaction = contract.operation("scoreClients").interactions["small-batch"]
    argv = contracts_cmd("mock", "client-scoring@1.1.0", "--port", "{port}", "--contracts-dir", str(CONTRACTS))
    with serve(argv, ready_path="/__mock/health") as base:
        url = f"{base}/v1/campaigns/spring-sale-2026/scores?threshold=0"
        answer = httpx.post(url, json=interaction.request)
        other = httpx.post(f"{base}/v1/campaigns/autumn/scores?threshold=0", json=interaction.request)
    assert answer.json() == interaction.response
    assert other.json()["campaign_id"] == "autumn"
    assert [s["client_id"] for s in other.json()["scores"]] == [c["client_id"] for c in interaction.request["clients"]]


def test_a_tracing_header_no_interaction_names_does_not_turn_a_named_example_away() -> None:
    # recommendation-api 1.2.0 declares X-Request-ID as an optional header no example names: partners send
    # one with every request, and each is still interaction `returning-customer`, its id echoed.
    interaction = load("recommendation-api@1.2.0", CONTRACTS).operation("getRecommendations").interactions
    argv = contracts_cmd("mock", "recommendation-api@1.2.0", "--port", "{port}", "--contracts-dir", str(CONTRACTS))
    with serve(argv, ready_path="/__mock/health") as base:
        for name in ("returning-customer", "cold-start"):
            answer = httpx.post(
                f"{base}/v1/recommendations", json=interaction[name].request, headers={"X-Request-ID": f"trace-{name}"}
            )
            assert answer.json() == interaction[name].response, name
            assert answer.headers["x-request-id"] == f"trace-{name}"
