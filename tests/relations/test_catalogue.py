"""One fixture per relation kind and per schema keyword: each holds where it should and breaks where it should."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml

from validator.compiled import extension_problems, new_validator
from validator.extensions import plan
from validator.extensions.catalogue import SCHEMA_KEYWORDS
from validator.relations import KINDS, MISSING, Side, check, judge_run, parse

FIXTURES = Path(__file__).parent / "fixtures"
RELATION_FIXTURES = sorted(p.stem for p in FIXTURES.glob("*.yaml") if not p.stem.startswith("x-"))
KEYWORD_FIXTURES = sorted(p.stem for p in FIXTURES.glob("x-*.yaml"))


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURES / f"{name}.yaml").read_text())
    return data


def _side(raw: dict[str, Any]) -> Side:
    return Side.of(raw.get("body", MISSING), raw.get("headers"), list(raw.get("query", {}).items()), raw.get("path"))


def test_every_kind_has_a_fixture_and_every_fixture_a_kind() -> None:
    assert sorted(KINDS) == RELATION_FIXTURES
    assert KEYWORD_FIXTURES == ["x-sorted", "x-sum"] and set(KEYWORD_FIXTURES) <= set(SCHEMA_KEYWORDS)


@pytest.mark.parametrize("name", RELATION_FIXTURES)
def test_relation_holds_and_breaks_as_its_fixture_says(name: str) -> None:
    data = _load(name)
    rel = parse(data["relation"], "/x")
    for case in data.get("holds", []):
        assert check([rel], _side(case["request"]), _side(case["response"])) == []
    for case in data.get("breaks", []):
        problems = check([rel], _side(case["request"]), _side(case["response"]))
        assert len(problems) == 1, problems
        assert problems[0].pointer == case["pointer"]
        assert case["message"] in problems[0].message
        assert problems[0].keyword == f"x-relations/{name}"
    if "run_holds" in data:
        pairs = [(_side(a), _side(b)) for a, b in data["run_holds"]]
        assert judge_run([rel], pairs) == []
    if "run_breaks" in data:
        spec = data["run_breaks"]
        pairs = [(_side(a), _side(b)) for a, b in spec["exchanges"]]
        (finding,) = judge_run([rel], pairs)
        assert finding.index == spec["index"]
        assert spec["message"] in finding.problem.message
        assert finding.problem.keyword == f"x-relations/{name}"
        assert len(finding.seen) == len(spec["seen"])


@pytest.mark.parametrize("name", KEYWORD_FIXTURES)
def test_schema_keyword_holds_and_breaks_as_its_fixture_says(name: str) -> None:
    data = _load(name)
    registry = jsonschema_rs.Registry([("file:///s.json", data["schema"])])
    resolved = registry.resolver("file:///s.json").lookup("file:///s.json")
    found = plan.build(
        resolved.contents, resolved.resolver, "file:///s.json#", SCHEMA_KEYWORDS, new_validator(data["schema"]).evaluate
    )
    assert found is not None
    for instance in data["holds"]:
        assert extension_problems(found.locate(instance, SCHEMA_KEYWORDS), None) == []
    for case in data["breaks"]:
        (problem,) = extension_problems(found.locate(case["instance"], SCHEMA_KEYWORDS), None)
        assert problem.pointer == case["pointer"]
        assert case["message"] in problem.message
        assert problem.keyword == name


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"kind": "bogus", "response": "body:/x"}, "kind 'bogus' is not one of"),
        ({"kind": "batch", "response": "body:/x"}, "batch needs a request location"),
        ({"kind": "echo", "request": "cookie:x", "response": "body:/x"}, "is not a location"),
        ({"kind": "stable", "response": "body:/x", "extra": 1}, "unknown member extra"),
        ({"kind": "batch", "request": "body:/a", "response": "body:/b", "order": "any"}, "needs a key"),
    ],
)
def test_unreadable_declarations_say_what_is_wrong(declared: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse(declared)
    assert message in str(info.value)
