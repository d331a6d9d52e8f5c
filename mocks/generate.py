"""Responses generated from a schema: valid, deterministic for a seed, realistic where hints allow.

The walk below proposes a value; the compiled validator of the contract decides. A proposal that
fails (a ``oneOf`` overlap, a ``not``, an ``if``/``then``) is retried with another seed, so every value
handed out has passed the same check the contract tests apply.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from itertools import chain
from typing import Any
from uuid import UUID

import orjson
import referencing
import referencing.exceptions
from referencing._core import Resolver  # the public package exports Registry but not its Resolver
from referencing.jsonschema import DRAFT202012
from rstr.xeger import Xeger

from validator import limits
from validator.compiled import CompiledContract
from validator.problems import Problem
from validator.vocabulary import DEFINITIONS, META_DATA
from validator.wire import is_field_value

ATTEMPTS = 24
_HINTED_ATTEMPTS = 8  # first attempts may reuse `examples`/`default` found in the schema
_MAX_DEPTH = 24  # deeper than this only a schema that forces infinite nesting gets
_LEAN_DEPTH = 3  # past this depth optional members are left out, so recursion ends
_BASE_TIME = datetime(2026, 1, 1, tzinfo=UTC)
_WORDS = (
    "alpha",
    "bravo",
    "delta",
    "echo",
    "harbor",
    "maple",
    "nova",
    "orbit",
    "pixel",
    "quartz",
    "river",
    "signal",
    "tango",
    "vector",
)
MAX_TEXT = 10_000  # longest string generated (a pattern or minLength asking for more is not generated)
_HINTS = frozenset({"example", "examples", "default"})
_SCHEMA_TYPES = ("object", "array", "string", "integer", "number", "boolean", "null")


class GenerationError(ValueError):
    """No valid value could be generated for a schema (it may be unsatisfiable); ``problems`` locate why."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


class _Xeger(Xeger):
    """Strings matching a regex, with short repetitions (realistic ids rather than 100-char runs)."""

    def _handle_repeat(self, start_range: int, end_range: int, value: str) -> str:
        if start_range > MAX_TEXT:
            raise GenerationError(f"the pattern asks for {start_range} repetitions (more than {MAX_TEXT})")
        end = min(end_range, start_range + 6)
        times = self._random.randint(start_range, end)
        text = "".join("".join(self._handle_state(i) for i in value) for _ in range(times))
        if len(text) > MAX_TEXT:  # nested repeats multiply: `((a{999}){999}){999}` is a billion characters
            raise GenerationError(f"the pattern asks for strings longer than {MAX_TEXT} characters")
        return text


# What a header's pattern may draw: visible ASCII, space and tab (RFC 9110 field-value; whitespace at
# either end is refused after the draw). A bare ``.`` draws without the tab, as people write values.
_FIELD_CHARS = frozenset(chr(c) for c in range(0x20, 0x7F)) | {"\t"}
_FIELD_ANY = "".join(sorted(_FIELD_CHARS - {"\t"}))


class _FieldXeger(_Xeger):
    """Strings matching a regex whose every character an HTTP field value may hold: a character class
    (``[\\x00-\\x7f]``, ``\\s``, ``[^,]``, ``.``) offers only those of its characters."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__(rng)
        cases = dict(self._cases)
        cases["any"] = lambda _: self._random.choice(_FIELD_ANY)
        cases["not_literal"] = lambda code: self._pick([c for c in _FIELD_ANY if c != chr(code)])
        self._cases = cases

    def _handle_in(self, value: Any) -> Any:
        candidates = list(chain(*(self._handle_state(i) for i in value)))
        if candidates and candidates[0] is False:  # a negated class: the field characters it leaves
            excluded = set(candidates[1:])
            return self._pick([c for c in _FIELD_ANY if c not in excluded])
        return self._pick([c for c in candidates if c in _FIELD_CHARS])

    def _pick(self, allowed: list[str]) -> str:
        if not allowed:
            raise GenerationError("a character class of the pattern holds no character a header can carry")
        return self._random.choice(allowed)


class Generator:
    """Generates values valid against a contract's schemas (by schema location URI)."""

    def __init__(self, compiled: CompiledContract) -> None:
        self.compiled = compiled
        resources = [(uri, DRAFT202012.create_resource(data)) for uri, data in compiled.contract.resources.items()]
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resources(resources)

    def generate(self, schema_uri: str, seed: int) -> Any:
        """A value valid against the schema at ``schema_uri``, the same for the same seed."""
        return self._search(schema_uri, seed, field=False)

    def field_value(self, schema_uri: str, seed: int) -> str:
        """A header value for the schema at ``schema_uri`` as sent (a string as is, anything else as JSON):
        valid against it and an HTTP field value as it is (RFC 9110: visible ASCII, spaces and tabs only
        between characters); GenerationError when the schema admits none the attempts find."""
        text: str = self._search(schema_uri, seed, field=True)
        return text

    def _search(self, schema_uri: str, seed: int, *, field: bool) -> Any:
        validator = self.compiled.validator(schema_uri)
        resolved = self._registry.resolver().lookup(schema_uri)
        last: Exception | None = None
        omit = self.compiled.omits(schema_uri)
        for attempt in range(ATTEMPTS):
            rng = random.Random(seed * 1_000_003 + attempt)
            walk = _Walk(rng, hints=attempt < _HINTED_ATTEMPTS, omit=omit, field=field)
            try:
                value = walk.value(resolved.contents, resolved.resolver, 0)
            except (GenerationError, referencing.exceptions.Unresolvable, RecursionError) as exc:
                last = exc
                continue
            if not validator.is_valid(value):
                continue
            if not field:
                return value
            text = field_text(value)
            if is_field_value(text):
                return text
            last = GenerationError(f"{text[:40]!r} holds characters a header cannot carry")
        shown = self.compiled.contract.shown(schema_uri)
        # Named relative to the version folder: the message reaches clients, never the server's own paths.
        reason = f" ({_reason(last)})" if last else ""
        if field:
            raise GenerationError(
                f"no value of {shown} that an HTTP header can carry (visible ASCII, spaces and tabs only "
                f"between characters) found in {ATTEMPTS} attempts{reason}"
            )
        raise GenerationError(f"no valid value found for {shown} in {ATTEMPTS} attempts{reason}")


def field_text(value: Any) -> str:
    """A generated value as a header carries it: a string as is, anything else as JSON."""
    return value if isinstance(value, str) else orjson.dumps(value).decode()


class _Walk:
    """One proposal: a random walk over a schema."""

    def __init__(self, rng: random.Random, *, hints: bool, omit: str | None = None, field: bool = False) -> None:
        self.rng = rng
        self.hints = hints
        self.omit = omit  # readOnly (requests) or writeOnly (responses): members this direction leaves out
        self.xeger = _FieldXeger(rng) if field else _Xeger(rng)
        # Parts one value may have: ten required members nesting ten deep would be 10^10 of them.
        self.left = limits.current().expansion

    def value(self, schema: Any, resolver: Resolver, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            raise GenerationError("schema nests too deep to generate")
        self.left -= 1
        if self.left < 0:
            raise GenerationError(f"the value would have more than {limits.current().expansion} parts")
        if schema is True or schema == {}:
            return self.rng.choice(_WORDS)
        if schema is False or not isinstance(schema, dict):
            raise GenerationError("schema admits nothing")
        if "$id" in schema:
            resolver = resolver.in_subresource(DRAFT202012.create_resource(schema))
        schema, resolver = self.flatten(schema, resolver, depth)
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return self.rng.choice(schema["enum"])
        if self.hints:
            for hint in self.hints_of(schema):
                return hint
        kind = self.pick_type(schema)
        make: Callable[[dict[str, Any], Resolver, int], Any] = getattr(self, f"make_{kind}")
        return make(schema, resolver, depth)

    # -- combining --------------------------------------------------------------------------
    def flatten(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> tuple[dict[str, Any], Resolver]:
        """Fold ``$ref``, ``allOf`` and one chosen ``oneOf``/``anyOf`` branch into one schema."""
        if depth > _MAX_DEPTH:
            raise GenerationError("allOf parts nest too deep to generate")
        for _ in range(_MAX_DEPTH):
            if "$ref" in schema:
                target = resolver.lookup(schema["$ref"])
                rest = {k: v for k, v in schema.items() if k != "$ref"}
                if not _constraining(rest):
                    schema, resolver = _as_dict(target.contents), target.resolver
                    continue
                schema = _merge(rest, _as_dict(target.contents), target.resolver, resolver)
                continue
            if "allOf" in schema:
                # Each part is flattened first (its `$ref` followed, its own `allOf` merged), so that
                # every part's `required` and `properties` reach the merged schema; merging the raw
                # parts kept the first `$ref` and dropped the others.
                parts = schema["allOf"] if isinstance(schema["allOf"], list) else []
                merged = {k: v for k, v in schema.items() if k != "allOf"}
                for part in parts:
                    flat, part_resolver = self.flatten(_as_dict(part), resolver, depth + 1)
                    if len(parts) > 1:
                        flat = {k: v for k, v in flat.items() if k not in _HINTS}  # a part's example is not the whole's
                    merged = _merge(merged, flat, part_resolver, resolver)
                schema = merged
                continue
            for key in ("oneOf", "anyOf"):
                branches = schema.get(key)
                if isinstance(branches, list) and branches:
                    rest = {k: v for k, v in schema.items() if k != key}
                    schema = _merge(rest, _as_dict(self.rng.choice(branches)), resolver, resolver)
                    break
            else:
                return schema, resolver
        raise GenerationError("$ref chain too long")

    def omitted(self, schema: Any, resolver: Resolver) -> bool:
        """Whether a member schema is one this direction leaves out (``writeOnly`` in a response)."""
        for _ in range(_MAX_DEPTH):
            if self.omit is None or not isinstance(schema, dict):
                return False
            if schema.get(self.omit) is True:
                return True
            ref = schema.get("$ref")
            if not isinstance(ref, str):
                return False
            try:
                resolved = resolver.lookup(ref)
            except referencing.exceptions.Unresolvable:
                return False
            schema, resolver = resolved.contents, resolved.resolver
        return False

    def hints_of(self, schema: dict[str, Any]) -> list[Any]:
        """Values the schema itself suggests: ``examples``, OpenAPI ``example``, ``default``."""
        found = list(schema.get("examples") or []) if isinstance(schema.get("examples"), list) else []
        for key in ("example", "default"):
            if key in schema:
                found.append(schema[key])
        return [self.rng.choice(found)] if found else []

    def pick_type(self, schema: dict[str, Any]) -> str:
        declared = schema.get("type")
        if isinstance(declared, str) and declared in _SCHEMA_TYPES:
            return declared
        if isinstance(declared, list) and declared:
            concrete = [t for t in declared if t in _SCHEMA_TYPES and t != "null"] or [
                t for t in declared if t in _SCHEMA_TYPES
            ]
            if concrete:
                return str(self.rng.choice(concrete))
        if any(k in schema for k in ("properties", "required", "additionalProperties", "minProperties")):
            return "object"
        if any(k in schema for k in ("items", "prefixItems", "minItems", "contains")):
            return "array"
        if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")):
            return "number"
        return "string"

    # -- types ------------------------------------------------------------------------------
    def make_null(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        return None

    def make_boolean(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        return self.rng.random() < 0.5

    def make_object(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        props: dict[str, Any] = _dict(schema.get("properties"))
        required = [r for r in schema.get("required") or [] if isinstance(r, str)]
        lean = depth >= _LEAN_DEPTH
        names = list(dict.fromkeys(required))
        for name in props:
            if name not in names and not lean and self.rng.random() < 0.7:
                names.append(name)
        dependent = _dict(schema.get("dependentRequired"))
        for name in list(names):
            names.extend(d for d in dependent.get(name, []) if d not in names)
        low = int(schema.get("minProperties", 0))
        extra = schema.get("additionalProperties", True)
        spare = [n for n in props if n not in names]
        while len(names) < low:
            if spare:
                names.append(spare.pop(0))
            elif extra is not False:
                names.append(f"{self.rng.choice(_WORDS)}_{len(names)}")
            else:
                raise GenerationError("minProperties cannot be met")
        out: dict[str, Any] = {}
        for name in names:
            sub = props.get(name, extra if isinstance(extra, dict) else True)
            if self.omitted(sub, resolver):
                continue
            out[name] = self.value(sub, resolver, depth + 1)
        return out

    def make_array(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        prefix: list[Any] = schema["prefixItems"] if isinstance(schema.get("prefixItems"), list) else []
        low = int(schema.get("minItems", 0))
        if low > self.left:
            raise GenerationError(f"minItems {low} asks for more than {limits.current().expansion} parts")
        high = int(schema.get("maxItems", low + 3))
        count = self.rng.randint(low, max(low, min(high, max(low, 1) + 2))) if depth < _LEAN_DEPTH else low
        items = schema.get("items", True)
        if items is False:
            count = min(count, len(prefix))
        out: list[Any] = []
        seen: set[bytes] = set()
        unique = bool(schema.get("uniqueItems"))
        tries = 0
        while len(out) < count and tries < count * 8 + 8:
            tries += 1
            index = len(out)
            sub = prefix[index] if index < len(prefix) else items
            if "contains" in schema and index == 0:
                sub = {"allOf": [sub, schema["contains"]]} if sub is not True else schema["contains"]
            item = self.value(sub, resolver, depth + 1)
            if unique:
                key = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
                if key in seen:
                    continue
                seen.add(key)
            out.append(item)
        return out

    def make_string(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        low = int(schema.get("minLength", 0))
        if low > MAX_TEXT:
            raise GenerationError(f"minLength {low} is longer than the {MAX_TEXT} characters generated")
        high = int(schema.get("maxLength", max(low, 12) + 8))
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in _FORMATS:
            return _FORMATS[fmt](self.rng)
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            for _ in range(8):
                text = self.xeger.xeger(pattern)
                if low <= len(text) <= high:
                    return text
            return text
        size = self.rng.randint(low, max(low, min(high, low + 10)))
        text = self.rng.choice(_WORDS)
        while len(text) < size:
            text += "-" + self.rng.choice(_WORDS)
        if len(text) > high or len(text) < low:
            text = "".join(self.rng.choice(string.ascii_lowercase) for _ in range(size))
        return text[:high] if len(text) > high else text

    def make_integer(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        low, high = _bounds(schema, integer=True)
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            first, last = int(-(-low // step)), int(high // step)
            if first > last:
                raise GenerationError("no multiple of multipleOf within bounds")
            return self.rng.randint(first, last) * step
        return self.rng.randint(int(low), int(high))  # _bounds gives whole numbers for integers

    def make_number(self, schema: dict[str, Any], resolver: Resolver, depth: int) -> Any:
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and not isinstance(step, bool) and step > 0:
            low, high = _bounds(schema, integer=False)
            first, last = int(-(-low // step)), int(high // step)
            if first > last:
                raise GenerationError("no multiple of multipleOf within bounds")
            value = self.rng.randint(first, last) * step
            return int(value) if float(value).is_integer() else value
        low, high = _bounds(schema, integer=False)
        value = round(self.rng.uniform(low, high), 2)
        excluded = (schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum"))
        if not low <= value <= high or value in excluded:
            value = (low + high) / 2  # rounding reached a bound
        return value


def _reason(exc: Exception) -> str:
    if isinstance(exc, GenerationError):
        return str(exc)
    if isinstance(exc, RecursionError):
        return "the schema recurses too deep"
    return "a $ref does not resolve"


def _bounds(schema: dict[str, Any], *, integer: bool) -> tuple[float, float]:
    """Inclusive bounds from minimum/maximum/exclusive*; a plausible span when open."""
    low: float | None = _number(schema.get("minimum"))
    high: float | None = _number(schema.get("maximum"))
    ex_low, ex_high = _number(schema.get("exclusiveMinimum")), _number(schema.get("exclusiveMaximum"))
    nudge = 1 if integer else 1e-6
    if ex_low is not None:
        low = max(low, ex_low + nudge) if low is not None else ex_low + nudge
    if ex_high is not None:
        high = min(high, ex_high - nudge) if high is not None else ex_high - nudge
    if integer:
        low = float(int(-(-low // 1))) if low is not None else None
        high = float(int(high // 1)) if high is not None else None
    if low is None and high is None:
        low, high = 0.0, 100.0
    elif low is None:
        assert high is not None
        low = high - 100
    elif high is None:
        high = low + 100
    if low > high:
        raise GenerationError("bounds admit no number")
    return (int(low), int(high)) if integer else (low, high)


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_dict(schema: Any) -> dict[str, Any]:
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    return dict(schema) if isinstance(schema, dict) else {}


_ANNOTATIONS = frozenset({*META_DATA, *DEFINITIONS, "$comment", "example", "$schema", "$id", "$anchor"})


def _constraining(schema: dict[str, Any]) -> bool:
    return any(k not in _ANNOTATIONS and not k.startswith("x-") for k in schema)


def _merge(
    left: dict[str, Any], right: dict[str, Any], right_resolver: Resolver, left_resolver: Resolver
) -> dict[str, Any]:
    """Combine two schemas (both must hold): an approximation the final validation corrects."""
    if right_resolver is not left_resolver and right:
        right = _absolutise(right, right_resolver)
    out = dict(left)
    for key, value in right.items():
        if key not in out:
            out[key] = value
        elif key == "properties" and isinstance(value, dict) and isinstance(out[key], dict):
            props = dict(out[key])
            for name, sub in value.items():
                props[name] = {"allOf": [props[name], sub]} if name in props else sub
            out[key] = props
        elif key == "required":
            out[key] = list(dict.fromkeys([*out[key], *value]))
        elif key in ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"):
            out[key] = max(out[key], value)
        elif key in ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"):
            out[key] = min(out[key], value)
        elif key == "type":
            mine = {out[key]} if isinstance(out[key], str) else set(out[key])
            theirs = {value} if isinstance(value, str) else set(value)
            both = mine & theirs or ({"integer"} if {"integer", "number"} <= mine | theirs else set())
            out[key] = sorted(both) if both else out[key]
        elif key == "enum":
            out[key] = [v for v in out[key] if v in value] or out[key]
        elif key in ("allOf", "anyOf", "oneOf"):
            out["allOf"] = [*out.get("allOf", []), {key: value}]
    return out


def _absolutise(schema: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    """Make a schema's relative ``$ref``s absolute, so that it can be merged into another file's schema."""

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items() if k not in ("enum", "const", "examples", "default")}
            out.update({k: node[k] for k in ("enum", "const", "examples", "default") if k in node})
            if isinstance(node.get("$ref"), str):
                out["$ref"] = _join(resolver, node["$ref"])
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result = walk(schema)
    return result if isinstance(result, dict) else {}


def _join(resolver: Resolver, ref: str) -> str:
    from urllib.parse import urljoin

    base = str(getattr(resolver, "_base_uri", ""))
    return urljoin(base, ref) if base else ref


def _date_time(rng: random.Random) -> str:
    moment = _BASE_TIME + timedelta(seconds=rng.randint(0, 365 * 24 * 3600))
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


_FORMATS: dict[str, Callable[[random.Random], str]] = {
    "date-time": _date_time,
    "date": lambda rng: _date_time(rng)[:10],
    "time": lambda rng: _date_time(rng)[11:],
    "duration": lambda rng: f"PT{rng.randint(1, 59)}M",
    "uuid": lambda rng: str(UUID(int=rng.getrandbits(128), version=4)),
    "email": lambda rng: f"{rng.choice(_WORDS)}.{rng.choice(_WORDS)}@example.com",
    "idn-email": lambda rng: f"{rng.choice(_WORDS)}@example.com",
    "hostname": lambda rng: f"{rng.choice(_WORDS)}.example.com",
    "idn-hostname": lambda rng: f"{rng.choice(_WORDS)}.example.com",
    "ipv4": lambda rng: f"192.0.2.{rng.randint(1, 254)}",
    "ipv6": lambda rng: f"2001:db8::{rng.randint(1, 0xFFFF):x}",
    "uri": lambda rng: f"https://example.com/{rng.choice(_WORDS)}/{rng.randint(1, 999)}",
    "uri-reference": lambda rng: f"/{rng.choice(_WORDS)}/{rng.randint(1, 999)}",
    "iri": lambda rng: f"https://example.com/{rng.choice(_WORDS)}",
    "iri-reference": lambda rng: f"/{rng.choice(_WORDS)}",
    "uri-template": lambda rng: f"https://example.com/{rng.choice(_WORDS)}/{{id}}",
    "json-pointer": lambda rng: f"/{rng.choice(_WORDS)}/{rng.randint(0, 9)}",
    "relative-json-pointer": lambda rng: f"{rng.randint(0, 3)}/{rng.choice(_WORDS)}",
    "regex": lambda rng: "^[a-z]+$",
}
