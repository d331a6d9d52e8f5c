"""One regex engine for every pattern: JSON Schema's dialect, linear or step-bounded, never a hang."""

from __future__ import annotations

import pytest

from validator import limits, patterns
from validator.errors import TooComplexError


def test_search_finds_a_match_anywhere_as_json_schema_says() -> None:
    assert patterns.search("b+", "abba")
    assert not patterns.search("^b", "abba")


def test_a_pattern_the_engine_refuses_matches_nothing() -> None:
    assert not patterns.compiles("(")
    assert not patterns.search("(", "(")


def test_a_catastrophic_lookahead_pattern_answers_at_once() -> None:
    assert not patterns.search("^(a+)+(?=b)", "a" * 5000)


def test_a_match_past_the_step_limit_is_too_complex_not_false() -> None:
    with pytest.raises(TooComplexError) as caught:
        patterns.search("^(a|aa)+(?!a)b", "a" * 60, "/s")
    assert caught.value.limit == "regex_steps"
    assert caught.value.pointer == "/s"
    assert f"more than {limits.current().regex_steps} backtracking steps" in caught.value.reason
