"""Reading JSON payloads: integers beyond 64 bits are read exactly, everything else as orjson reads it."""

from __future__ import annotations

import json

import pytest

from validator.payload import PayloadError, parse_json


@pytest.mark.parametrize(
    "text",
    [
        b'{"n": 123456789012345678901234567890}',
        b"[18446744073709551616, -99999999999999999999]",
        b'{"a": -9999999999999999999}',  # 19 digits, below the 64-bit range: the shortest run that is read again
        b'[123456789012345678, 1.5, "x"]',
        b"[1, 22, 333, 4444, 55555, 666666, 7777777, 88888888, 0.123456789]",  # many digits, no long run
        b'{"id": "C12345678901234567890", "score": 0.25}',  # a long run inside a string
        '{"n": 123456789012345678901, "s": "\u00e9"}',
    ],
)
def test_numbers_are_read_exactly(text: bytes | str) -> None:
    value = parse_json(text)
    assert value == json.loads(text)
    assert json.dumps(value) == json.dumps(json.loads(text))  # same types: no int became a float


def test_malformed_json_names_line_and_column() -> None:
    with pytest.raises(PayloadError) as caught:
        parse_json(b'{"a": 1,\n "b": }')
    assert caught.value.problem.keyword == "json" and "line 2" in caught.value.problem.message
