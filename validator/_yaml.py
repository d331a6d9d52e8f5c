"""Safe YAML/JSON reading with source lines, bounded size and no alias bombs."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import LoadError
from .pointers import escape_token

# The largest public descriptions (GitHub's REST API: about 11 MB of JSON) must load; past this, refused.
MAX_BYTES = 32 * 1024 * 1024
MAX_NODES = 2_000_000  # after alias expansion: a billion-laughs document is refused here
MAX_DEPTH = 256


# libyaml's parser (when PyYAML was built with it) composes nodes about five times faster than the
# pure-Python one, with the same events and marks; the constructor and resolver stay PyYAML's own.
_BASE: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE):  # type: ignore[valid-type,misc]
    """SafeLoader whose timestamps stay strings: JSON has no date type, and a contract's `2024-02-29` is text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed document and the source line (1-based) of each JSON pointer in it."""

    data: Any
    lines: Mapping[str, int]


class _JsonLines(Mapping[str, int]):
    """The lines of a JSON text's values, worked out on first use.

    Most runs never ask (a lint that finds nothing, a mock starting): the scan of every token was
    half of loading a Stripe-sized description (0.15 of 0.34 s).
    """

    __slots__ = ("_file", "_found", "_text")

    def __init__(self, text: str, file: str) -> None:
        self._text = text
        self._file = file
        self._found: dict[str, int] | None = None

    def _lines(self) -> dict[str, int]:
        if self._found is None:
            self._found = _json_lines(self._text, self._file)
            self._text = ""  # not needed again
        return self._found

    def __getitem__(self, pointer: str) -> int:
        return self._lines()[pointer]

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())


def _json(text: str, file: str) -> Parsed:
    data = _strict_json(text, file)
    if _nests_deeper(data, 0):
        _json_lines(text, file)  # raises the LoadError naming the line where it gets too deep
    return Parsed(data, _JsonLines(text, file))


def _nests_deeper(node: Any, depth: int) -> bool:
    """Whether a container of the value sits :data:`MAX_DEPTH` levels down (what the line scan refuses)."""
    if depth >= MAX_DEPTH:
        return True
    values = node.values() if isinstance(node, dict) else node
    return any(isinstance(v, (dict, list)) and _nests_deeper(v, depth + 1) for v in values)


def parse_text(text: str, file: str) -> Parsed:
    """Parse YAML, or strict JSON for a ``.json`` file, into JSON-compatible values, recording lines.

    JSON text (a ``.json`` file, or a YAML file holding a JSON document, as large public descriptions
    are) is read by the JSON parser and its lines by one scan of its tokens: reading it as YAML gave
    the same lines five to eight times slower (GitHub-shaped 10 MB: 4.4 s against 0.6 s). A YAML
    file whose JSON reading fails is read as YAML, with YAML's messages.
    """
    if file.endswith(".json"):
        return _json(text, file)
    if text.lstrip()[:1] == "{":
        try:
            return _json(text, file)
        except LoadError:
            pass
    return _parse_yaml(text, file)


# JSON tokens that matter for locating values: strings, scalars, punctuation, and line breaks.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|true|false|null|[{}\[\]:,\n]')


def _json_lines(text: str, file: str) -> dict[str, int]:
    """The line (1-based) where each value of a valid JSON text starts, by JSON pointer."""
    lines: dict[str, int] = {"": 1}
    line = 1
    # One frame per open container: [pointer, is an object, current member name or index, expecting a name].
    stack: list[list[Any]] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first == "\n":
            line += 1
            continue
        if not stack:
            pointer = ""
        else:
            frame = stack[-1]
            if frame[3]:  # in an object, before a member name
                if first == '"':
                    frame[2] = json.loads(token) if "\\" in token else token[1:-1]
                    frame[3] = False
                else:  # the object closes
                    stack.pop()
                continue
            if first == ":":
                continue
            if first == ",":
                if frame[1]:
                    frame[3] = True
                else:
                    frame[2] += 1
                continue
            if first in "}]":
                stack.pop()
                continue
            pointer = f"{frame[0]}/{escape_token(frame[2]) if frame[1] else frame[2]}"
        lines.setdefault(pointer, line)
        if first in "{[":
            if len(stack) >= MAX_DEPTH:
                raise LoadError(f"document nests deeper than {MAX_DEPTH} levels", file=file, line=line)
            stack.append([pointer, first == "{", None if first == "{" else 0, first == "{"])
    return lines


def _strict_json(text: str, file: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise LoadError(f"duplicate key {key!r}", file=file, hint="remove one of the two entries")
            out[key] = value
        return out

    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LoadError(f"document is larger than {MAX_BYTES // (1024 * 1024)} MiB", file=file)
    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=_refuse_constant)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"not valid JSON: {exc.msg} (column {exc.colno})",
            file=file,
            line=exc.lineno,
            hint="a .json file must be strict JSON: no trailing commas, comments or single quotes",
        ) from None
    except RecursionError:
        raise LoadError(f"document nests deeper than {MAX_DEPTH} levels", file=file) from None


def _refuse_constant(name: str) -> Any:
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def parse_member(text: str, file: str, key: str) -> Any:
    """One top-level member of a document (None when absent or not a mapping), the rest left unbuilt.

    Bounded as :func:`parse_text` is; the catalogue reads a version's ``info`` this way, without loading it.
    """
    if file.endswith(".json") or text.lstrip()[:1] == "{":
        try:
            data = _strict_json(text, file)
        except LoadError:
            if file.endswith(".json"):
                raise
        else:
            return data.get(key) if isinstance(data, dict) else None
    node, loader = _compose(text, file)
    if not isinstance(node, yaml.MappingNode):
        return None
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key:
            _check_size(value_node, file)
            return _build(value_node, f"/{escape_token(key)}", 1, {}, loader, file)
    return None


def _parse_yaml(text: str, file: str) -> Parsed:
    node, loader = _compose(text, file)
    _check_size(node, file)
    lines: dict[str, int] = {}
    data = _build(node, "", 0, lines, loader, file)
    return Parsed(data, lines)


def _compose(text: str, file: str) -> tuple[yaml.Node, _Loader]:
    """The YAML document's node graph (not yet built into values) and the loader that builds it."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LoadError(
            f"document is larger than {MAX_BYTES // (1024 * 1024)} MiB",
            file=file,
            hint="split large schemas into files under schemas/",
        )
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise LoadError(
            f"not valid YAML: {exc.problem}",
            file=file,
            line=line,
            hint="check indentation and quoting around that line",
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"not valid YAML: {exc}", file=file) from None
    finally:
        loader.dispose()
    if node is None:
        raise LoadError("document is empty", file=file, hint="an OpenAPI document starts with `openapi: 3.1.0`")
    return node, loader


def _check_size(root: yaml.Node, file: str) -> None:
    # Aliases share nodes, so count expanded sizes with memoisation over node identity.
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            raise LoadError(f"document nests deeper than {MAX_DEPTH} levels", file=file, line=node.start_mark.line + 1)
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(v, depth + 1) for v in node.value)
        if total > MAX_NODES:
            raise LoadError(
                "document expands to too many nodes (YAML alias bomb?)",
                file=file,
                line=node.start_mark.line + 1,
                hint="avoid nested YAML aliases; write the values out",
            )
        sizes[id(node)] = total
        return total

    size(root, 0)


_PLAIN_TAGS: dict[type[yaml.Node], str] = {
    yaml.MappingNode: "tag:yaml.org,2002:map",
    yaml.SequenceNode: "tag:yaml.org,2002:seq",
}


def _construct(loader: _Loader, node: yaml.Node, file: str, hint: str | None = None) -> Any:
    """What YAML constructs from ``node`` (a key or a scalar); LoadError at its line when it cannot."""
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise LoadError(
            f"not valid YAML: {getattr(exc, 'problem', None) or exc}",
            file=file,
            line=node.start_mark.line + 1,
            hint=hint,
        ) from None


def _build(node: yaml.Node, pointer: str, depth: int, lines: dict[str, int], loader: _Loader, file: str) -> Any:
    lines.setdefault(pointer, node.start_mark.line + 1)
    expected = _PLAIN_TAGS.get(type(node))
    if expected is not None and node.tag != expected:
        raise LoadError(
            f"not valid YAML: tag {node.tag!r} is not allowed",
            file=file,
            line=node.start_mark.line + 1,
            hint="contracts use plain YAML: remove the tag",
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)  # applies YAML merge keys (<<)
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, file)
            if isinstance(key, bool) or key is None or not isinstance(key, str | int | float):
                raise LoadError(
                    f"mapping key {key!r} is not a string",
                    file=file,
                    line=key_node.start_mark.line + 1,
                    hint="quote the key",
                )
            key = str(key)
            if key in out:
                raise LoadError(
                    f"duplicate key {key!r}",
                    file=file,
                    pointer=pointer,
                    line=key_node.start_mark.line + 1,
                    hint="remove one of the two entries",
                )
            child = f"{pointer}/{escape_token(key)}"
            out[key] = _build(value_node, child, depth + 1, lines, loader, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(v, f"{pointer}/{i}", depth + 1, lines, loader, file) for i, v in enumerate(node.value)]
    value = _construct(loader, node, file, hint="contracts use plain YAML: remove the tag")
    if isinstance(value, bytes | set):
        raise LoadError(
            f"YAML value of type {type(value).__name__} has no JSON equivalent",
            file=file,
            line=node.start_mark.line + 1,
        )
    if isinstance(value, float) and value != value:  # NaN
        raise LoadError("NaN has no JSON equivalent", file=file, line=node.start_mark.line + 1)
    return value
