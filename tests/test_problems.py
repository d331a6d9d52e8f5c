"""JSON pointer helpers: building, splitting and resolving (RFC 6901)."""

from __future__ import annotations

import pytest

from validator.pointers import resolve_pointer, split_pointer, to_pointer
from validator.problems import Problem

DOC = {"paths": {"/v1/items": {"get": {"tags": ["a", "b"]}}}, "a~b": None}


def test_pointer_round_trip_escapes_slash_and_tilde() -> None:
    pointer = to_pointer(["paths", "/v1/items", "a~b", 0])
    assert pointer == "/paths/~1v1~1items/a~0b/0"
    assert split_pointer("#" + pointer) == ["paths", "/v1/items", "a~b", "0"]


def test_resolve_pointer_walks_objects_and_arrays() -> None:
    assert resolve_pointer(DOC, "/paths/~1v1~1items/get/tags/1") == "b"
    assert resolve_pointer(DOC, "#/a~0b") is None
    assert resolve_pointer(DOC, "") is DOC


@pytest.mark.parametrize(
    "pointer", ["/nope", "/paths/~1v1~1items/get/tags/2", "/paths/~1v1~1items/get/tags/x", "/a~0b/deeper"]
)
def test_resolve_pointer_raises_lookup_error_when_it_does_not_resolve(pointer: str) -> None:
    with pytest.raises(LookupError):
        resolve_pointer(DOC, pointer)


def test_the_fields_built_positionally_on_the_hot_path_keep_their_order() -> None:
    # validator/_evaluation.py builds Problems as plain tuples of these five, then the defaults.
    assert Problem._fields[:5] == ("pointer", "message", "keyword", "schema_path", "location")
