"""Loading: safe YAML, bounded documents, $ref only inside the version folder, the frozen model."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

import pytest

from tests.support.paths import CONTRACTS
from validator._yaml import MAX_BYTES
from validator.errors import EscapingReferenceError, LoadError, RemoteReferenceError
from validator.loader import load, read_info
from validator.refs import resolve

HEADER = "openapi: 3.1.0\ninfo: {title: t, version: 1.0.0}\n"


def _write(root: Path, body: str, files: dict[str, str] | None = None) -> Path:
    folder = root / "demo" / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(HEADER + body)
    for name, text in (files or {}).items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return folder


def _schema_doc(ref: str) -> str:
    return f"""paths:
  /x:
    post:
      requestBody:
        content:
          application/json:
            schema: {{$ref: "{ref}"}}
      responses: {{"200": {{description: ok}}}}
"""


def test_example_contract_model() -> None:
    contract = load("recommendation-api@1.1.0", CONTRACTS)
    assert [op.key for op in contract.operations] == ["POST /v1/recommendations", "GET /v1/models/current"]
    op = contract.operation("getRecommendations")
    assert op is contract.operation("post /v1/recommendations")
    assert set(op.responses) == {"200", "422", "503"}
    assert op.request_body is not None and op.request_body.required
    assert set(op.interactions) == {"returning-customer", "cold-start", "invalid-n"}
    assert op.interactions["invalid-n"].status == "422"
    assert op.interactions["invalid-n"].response_media_type == "application/problem+json"
    assert op.extensions["x-slo"] == {"latency_p95_ms": 150, "latency_p99_ms": 300}
    assert op.responses["200"].headers["X-Request-ID"].required
    # The schema file beside the document was loaded through the one retrieval function.
    assert any(uri.endswith("schemas/recommendation-request.schema.json") for uri in contract.resources)


def test_model_is_immutable() -> None:
    contract = load("client-scoring", CONTRACTS)
    op = contract.operations[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        op.path = "/other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        op.responses["999"] = op.responses["200"]  # type: ignore[index]


def test_parameters_refs_and_examples_are_followed() -> None:
    op = load("client-scoring", CONTRACTS).operation("scoreClients")
    params = {p.name: p for p in op.parameters}
    assert params["campaign_id"].location == "path" and params["campaign_id"].required
    assert params["threshold"].location == "query" and not params["threshold"].required
    assert op.interactions["small-batch"].parameters == {"campaign_id": "spring-sale-2026", "threshold": 0}


def test_remote_ref_is_refused_with_file_line_and_pointer(tmp_path: Path) -> None:
    folder = _write(tmp_path, _schema_doc("https://example.com/schema.json"))
    with pytest.raises(RemoteReferenceError) as info:
        load(str(folder))
    err = info.value
    assert err.file and err.file.endswith("openapi.yaml")
    assert err.line == 9
    assert err.pointer == "/paths/~1x/post/requestBody/content/application~1json/schema"
    assert "never fetch" in err.message


@pytest.mark.parametrize("ref", ["/etc/passwd", "file:///etc/passwd"])
def test_absolute_ref_is_refused(tmp_path: Path, ref: str) -> None:
    folder = _write(tmp_path, _schema_doc(ref))
    with pytest.raises(RemoteReferenceError, match="absolute"):
        load(str(folder))


def test_escaping_ref_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path, _schema_doc("../../secret.json"))
    (tmp_path / "secret.json").write_text("{}")
    with pytest.raises(EscapingReferenceError, match="leaves the contract's version folder"):
        load(str(folder))


def test_escape_through_a_symlink_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text('{"type": "string"}')
    folder = _write(tmp_path, _schema_doc("schemas/link.json"))
    (folder / "schemas").mkdir()
    (folder / "schemas" / "link.json").symlink_to(outside)
    with pytest.raises(EscapingReferenceError):
        load(str(folder))


def test_nested_file_refs_are_checked_too(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        _schema_doc("schemas/a.json"),
        {"schemas/a.json": json.dumps({"properties": {"b": {"$ref": "http://evil/b.json"}}})},
    )
    with pytest.raises(RemoteReferenceError) as info:
        load(str(folder))
    assert info.value.file and info.value.file.endswith("schemas/a.json")
    assert info.value.pointer == "/properties/b"


def test_missing_target_and_bad_pointer(tmp_path: Path) -> None:
    missing = _write(tmp_path / "a", _schema_doc("schemas/none.json"))
    with pytest.raises(LoadError, match="does not exist"):
        load(str(missing))
    bad_pointer = _write(tmp_path / "b", _schema_doc("#/components/schemas/Nope"))
    with pytest.raises(LoadError, match="does not resolve"):
        load(str(bad_pointer))


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    previous = "a"
    for level in "bcdefghi":
        bomb += f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]\n"
        previous = level
    folder = _write(tmp_path, "paths: {}\nx-bomb:\n" + "".join("  " + line + "\n" for line in bomb.splitlines()))
    with pytest.raises(LoadError, match="alias bomb"):
        load(str(folder))


def test_unsafe_yaml_tags_are_refused(tmp_path: Path) -> None:
    for tagged in ("!!python/object/apply:os.system ['true']", "!!python/name:os.system ''", "!!binary aGk="):
        folder = _write(tmp_path / str(abs(hash(tagged))), f"paths: {{}}\nx-evil: {tagged}\n")
        with pytest.raises(LoadError, match=r"not valid YAML|no JSON equivalent"):
            load(str(folder))


def test_duplicate_keys_are_refused_with_line(tmp_path: Path) -> None:
    folder = _write(tmp_path, "paths: {}\npaths: {}\n")
    with pytest.raises(LoadError, match="duplicate key 'paths'") as info:
        load(str(folder))
    assert info.value.line == 4


def test_oversized_document_is_refused(tmp_path: Path) -> None:
    folder = _write(tmp_path, "paths: {}\nx-big: '" + "a" * (MAX_BYTES + 1) + "'\n")
    with pytest.raises(LoadError, match="larger than"):
        load(str(folder))


def test_dates_stay_strings(tmp_path: Path) -> None:
    folder = _write(tmp_path, "paths: {}\nx-day: 2024-02-29\n")
    assert load(str(folder)).document["x-day"] == "2024-02-29"


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    folder = _write(tmp_path, "paths:\n  /x: [unclosed\n")
    with pytest.raises(LoadError, match="not valid YAML") as info:
        load(str(folder))
    assert info.value.line is not None and info.value.line >= 4


def test_a_document_given_alone_says_file_refs_need_bundling() -> None:
    from validator.loader import load_document

    document = {
        "openapi": "3.1.0",
        "info": {"title": "x", "version": "1.0.0"},
        "components": {"schemas": {"A": {"$ref": "schemas/a.schema.json"}}},
        "paths": {},
    }
    with pytest.raises(LoadError) as info:
        load_document(document)
    assert info.value.pointer == "/components/schemas/A"
    assert info.value.reason == (
        "$ref to file 'schemas/a.schema.json': this document was given alone, without its folder"
    )
    assert info.value.hint is not None and "bundle" in info.value.hint


def test_json_schema_files_are_strict_json(tmp_path: Path) -> None:
    folder = _write(tmp_path, _schema_doc("schemas/a.json"), {"schemas/a.json": '{"type": "object",\n}'})
    with pytest.raises(LoadError, match="not valid JSON") as info:
        load(str(folder))
    # Python 3.13's json points at the comma itself (line 1), earlier ones at the brace after it (line 2).
    assert info.value.line == (1 if sys.version_info >= (3, 13) else 2)
    assert info.value.hint and "trailing commas" in info.value.hint
    dup = _write(tmp_path / "dup", _schema_doc("schemas/a.json"), {"schemas/a.json": '{"type": "a", "type": "b"}'})
    with pytest.raises(LoadError, match="duplicate key 'type'"):
        load(str(dup))
    nan = _write(tmp_path / "nan", _schema_doc("schemas/a.json"), {"schemas/a.json": '{"maximum": NaN}'})
    with pytest.raises(LoadError, match="not valid JSON"):
        load(str(nan))


def test_a_document_of_the_largest_public_size_loads(tmp_path: Path) -> None:
    # GitHub's REST description is about 11 MB of JSON: the size bound must let it through.
    filler = {f"x-{i}": "a" * 1000 for i in range(11_000)}
    folder = tmp_path / "big" / "1.0.0"
    folder.mkdir(parents=True)
    document = {"openapi": "3.1.0", "info": {"title": "big", "version": "1.0.0"}, "paths": {}, **filler}
    (folder / "openapi.yaml").write_text(json.dumps(document), encoding="utf-8")
    assert len(load(str(folder)).document) == len(document)


_JSON_TEXT = """{
  "openapi": "3.1.0",
  "info": {"title": "t", "version": "1.0.0"},
  "paths": {
    "/a~b/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path", "required": true,
           "schema": {"type": "string", "enum": ["x\\"y", "z"]}}
        ],
        "responses": {"200": {"description": "ok", "content": {}}},
        "x-list": [
          1,
          -2.5e3,
          null,
          [],
          {}
        ]
      }
    }
  }
}
"""


def test_json_text_gets_the_lines_yaml_reading_would_give() -> None:
    from validator._yaml import _parse_yaml, parse_text

    for name in ("openapi.json", "openapi.yaml"):  # a YAML file may hold a JSON document
        parsed = parse_text(_JSON_TEXT, name)
        assert parsed.data == json.loads(_JSON_TEXT)
        assert parsed.lines == _parse_yaml(_JSON_TEXT, name).lines
    assert parsed.lines["/paths/~1a~0b~1{id}/get/parameters/0/schema/enum/0"] == 9
    assert parsed.lines["/paths/~1a~0b~1{id}/get/x-list/1"] == 14


def test_json_nesting_beyond_the_bound_is_refused_with_its_line() -> None:
    from validator._yaml import MAX_DEPTH, parse_text

    text = '{\n"a": ' + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n}"
    with pytest.raises(LoadError, match="nests deeper") as info:
        parse_text(text, "openapi.json")
    assert info.value.line == 2


@pytest.mark.parametrize("arrays", [254, 255, 256, 257])
def test_json_lines_are_read_on_first_use_and_the_nesting_bound_is_the_line_scans(arrays: int) -> None:
    from validator._yaml import _json_lines, parse_text

    text = '{\n"a": ' + "[" * arrays + "]" * arrays + "\n}"
    try:
        _json_lines(text, "openapi.json")
    except LoadError:
        with pytest.raises(LoadError, match="nests deeper"):
            parse_text(text, "openapi.json")  # refused when read, not when a line is first asked for
        assert arrays >= 256
        return
    parsed = parse_text(text, "openapi.json")
    assert parsed.lines["/a" + "/0" * (arrays - 1)] == 2


def test_a_yaml_file_whose_json_reading_fails_keeps_yamls_message(tmp_path: Path) -> None:
    folder = tmp_path / "demo" / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text('{"openapi": "3.1.0",\n "paths": {},\n "paths": {}}\n')
    with pytest.raises(LoadError, match="duplicate key 'paths'") as info:
        load(str(folder))
    assert info.value.line is not None


def test_read_info_reads_the_info_alone_without_following_references(tmp_path: Path) -> None:
    folder = _write(tmp_path, _schema_doc("schemas/none.json"))
    with pytest.raises(LoadError, match="does not exist"):
        load(str(folder))
    assert read_info(resolve(str(folder))) == {"title": "t", "version": "1.0.0"}


def test_read_info_of_a_json_document_and_of_one_without_info(tmp_path: Path) -> None:
    as_json = _write(tmp_path / "a", "paths: {}\n")
    (as_json / "openapi.yaml").write_text(json.dumps({"openapi": "3.1.0", "info": {"title": "j"}, "paths": {}}))
    assert read_info(resolve(str(as_json))) == {"title": "j"}
    without = _write(tmp_path / "b", "paths: {}\n")
    (without / "openapi.yaml").write_text("openapi: 3.1.0\npaths: {}\n")
    assert read_info(resolve(str(without))) == {}


def test_read_info_is_bounded_like_a_load(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    previous = "a"
    for level in "bcdefghi":
        bomb += f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 10) + "]\n"
        previous = level
    folder = _write(tmp_path, "paths: {}\n")
    in_info = "".join("    " + line + "\n" for line in bomb.splitlines())
    (folder / "openapi.yaml").write_text("openapi: 3.1.0\ninfo:\n  title: t\n  x-bomb:\n" + in_info)
    with pytest.raises(LoadError, match="alias bomb"):
        read_info(resolve(str(folder)))
