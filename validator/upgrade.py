"""Reading an OpenAPI 3.0 description as the 3.1 model: one conversion, each rule a function, pointers kept.

The product works on OpenAPI 3.1 (JSON Schema 2020-12). A 3.0 description is read through the rules
below, which follow the OpenAPI Initiative's upgrade guide (learn.openapis.org, "Upgrading from
OpenAPI 3.0 to 3.1") and touch only Schema Objects and the ``openapi`` field:

    nullable        ``nullable: true`` (and the vendor form ``x-nullable: true``) lets the schema accept
                    null: ``type: T`` becomes ``[T, "null"]``, an ``enum`` gains ``null``, and a ``$ref``,
                    ``allOf``, ``oneOf`` or ``not`` beside it moves into ``anyOf: [{...}, {type: "null"}]``
                    (a lone ``anyOf`` gains a ``{type: "null"}`` branch). 3.0.3's letter makes ``nullable``
                    act on ``type`` only, so beside a ``$ref`` or an ``allOf`` it would mean nothing; the
                    description's authors (and every code generator) mean "or null", and the APIs send null.
    exclusive       boolean ``exclusiveMinimum``/``exclusiveMaximum`` become the bound itself.
    example         a schema's ``example: v`` becomes ``examples: [v]``.
    binary          ``type: file`` and ``format: binary`` become ``contentMediaType:
                    application/octet-stream``; ``format: byte`` becomes ``contentEncoding: base64``.
    ref-siblings    3.0 ignores what stands beside a ``$ref``; 3.1 applies it. Constraints there are
                    dropped (annotations, ``nullable`` and ``x-`` keys stay), so the meaning is unchanged.
    version         ``openapi: 3.0.x`` becomes ``3.1.1``.

Files holding a ``$schema`` are JSON Schema already and are left alone. Every subtree the conversion
moves is recorded (:class:`Conversion`), so a finding about the converted model points into the
document as written: same file, original JSON pointer, original line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urljoin

from . import _kinds
from .pointers import escape_token, split_pointer
from .problems import Note
from .vocabulary import SUBSCHEMA_LISTS, SUBSCHEMA_MAPS

if TYPE_CHECKING:
    from .contract import Contract

TARGET = "3.1.1"
NULL_SCHEMA: Mapping[str, Any] = {"type": "null"}

# Keywords that do not constrain: they may stay beside a 3.0 ``$ref`` without changing what it accepts.
_ANNOTATIONS = frozenset(
    {"$ref", "description", "title", "default", "deprecated", "readOnly", "writeOnly", "example", "externalDocs", "xml"}
)
_NULLABLE = ("nullable", "x-nullable")
# Keywords holding subschemas, by shape (3.0 uses a subset; 2020-12 ones cost nothing to follow).
_ONE = ("items", "not", "additionalProperties", "contains", "if", "then", "else", "propertyNames")
# Applicators that reject null unless told otherwise: under ``nullable`` they move into an anyOf.
_REJECTING = ("$ref", "allOf", "oneOf", "not", "anyOf")
# Values that are data in an OpenAPI object: never walked for schemas.
_DATA = frozenset({"example", "examples", "default", "enum"})

# Keywords whose presence lets a rule apply (besides `type: file` and the binary formats).
_TRIGGERS = frozenset({"$ref", "nullable", "x-nullable", "exclusiveMinimum", "exclusiveMaximum", "example"})

RULES = ("nullable", "exclusive", "example", "binary", "ref-siblings", "version")


@dataclass(frozen=True, slots=True)
class Conversion:
    """What reading a 3.0 description as 3.1 did: the rules applied and where subtrees moved.

    ``moved`` holds, per file, (converted pointer, original pointer) pairs: the subtree at the first
    stood at the second in the document as written. ``aliases`` are places the conversion made
    (a wrapping ``anyOf``, its ``null`` branch) with the original place they stand for.
    """

    source: str  # the ``openapi`` value as written, e.g. "3.0.3"
    counts: Mapping[str, int] = field(default_factory=dict)
    moved: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    aliases: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    originals: Mapping[str, Any] = field(default_factory=dict)  # file URI -> data as written
    _cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def summary(self) -> str:
        """The rules applied with their counts: ``nullable x12, example x3``."""
        applied = [f"{rule} x{self.counts[rule]}" for rule in RULES if self.counts.get(rule)]
        return ", ".join(applied) or "nothing to change"

    def original_pointer(self, file_uri: str, pointer: str) -> str:
        """Where a pointer of the converted model stood in the document as written."""
        table = self._tables(file_uri)[0]
        return _rebase(pointer, table) if table else pointer

    def converted_pointer(self, file_uri: str, pointer: str) -> str:
        """Where a pointer of the document as written stands in the converted model."""
        table = self._tables(file_uri)[1]
        return _rebase(pointer, table) if table else pointer

    def made(self, uri: str) -> bool:
        """Whether a ``file#pointer`` of the model is a place the conversion made (a nullable's anyOf)."""
        base, _, pointer = uri.partition("#")
        return any(converted == pointer for converted, _ in self.aliases.get(base, ()))

    def _tables(self, file_uri: str) -> tuple[dict[str, str], dict[str, str]]:
        """Per file: converted prefix -> original, and original prefix -> converted (built once)."""
        cache: dict[str, tuple[dict[str, str], dict[str, str]]] = self._cache
        found = cache.get(file_uri)
        if found is None:
            moved = self.moved.get(file_uri, ())
            forward = dict(self.aliases.get(file_uri, ())) | dict(moved)
            found = cache[file_uri] = (forward, {original: converted for converted, original in moved})
        return found

    def original_uri(self, uri: str) -> str:
        """A ``file#pointer`` of the converted model as a location in the document as written."""
        base, sep, fragment = uri.partition("#")
        return f"{base}#{self.original_pointer(base, fragment)}" if sep else uri


def _rebase(pointer: str, table: Mapping[str, str]) -> str:
    """Replace the longest prefix of ``pointer`` (token-wise) that ``table`` maps: one lookup per token."""
    end = len(pointer)
    while end > 0:
        prefix = pointer[:end]
        if prefix in table:
            return table[prefix] + pointer[end:]
        end = pointer.rfind("/", 0, end)
    return pointer


def notes_of(contract: Contract) -> list[Note]:
    """What reading this contract took, said once: a 3.0 description converted to the 3.1 model."""
    conversion = contract.conversion
    if conversion is None:
        return _notes_32(contract)
    return [
        Note(
            f"OpenAPI {conversion.source} description, read as OpenAPI 3.1 ({conversion.summary}); "
            "findings point into the document as written",
            file=contract.base_uri,
            kind="converted",
            hint=f"`contracts upgrade {contract.name}@{contract.version} -o FILE` writes the 3.1 form",
        )
    ]


def _notes_32(contract: Contract) -> list[Note]:
    """An OpenAPI 3.2 description is read as it is; the note names what of 3.2 no command checks."""
    version = openapi_version(contract.document)
    if not version.startswith("3.2"):
        return []
    unused = sorted(_unused_32(contract.document))
    said = f"OpenAPI {version} description: QUERY and additionalOperations are operations like the others"
    if unused:
        said += "; not checked: " + ", ".join(unused)
    return [Note(said, file=contract.base_uri, kind="openapi-3.2", hint="see docs/openapi-versions.md")]


def _unused_32(document: Any) -> set[str]:
    """The OpenAPI 3.2 features a description uses that the product reads but does not check."""
    found = {"$self (references resolve against the file's location)"} if "$self" in document else set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, Mapping):
            if node.get("in") == "querystring":
                found.add("querystring parameters")
            if "itemSchema" in node:
                found.add("itemSchema (sequential media types)")
            stack.extend(v for k, v in node.items() if k not in _DATA)
    return found


def upgraded_document(contract: Contract) -> dict[str, Any]:
    """The 3.1 form of a contract as one document: what ``contracts upgrade`` writes.

    A description split over several files is bundled (:func:`validator.bundle.bundle`), so the one
    document written holds every converted schema. A 3.1 description comes back as it is; a 3.2
    one is refused (it is newer than the model, not older).
    """
    from .bundle import bundle
    from .errors import UsageError

    version = openapi_version(contract.document)
    if version.startswith("3.2"):
        raise UsageError(
            f"`openapi: {version}` is newer than 3.1: there is nothing to upgrade",
            hint="every command reads OpenAPI 3.2 as it is (see docs/openapi-versions.md)",
        )
    if len(contract.resources) > 1:
        return bundle(contract)
    return dict(contract.document)


def openapi_version(document: Any) -> str:
    """The ``openapi`` value of a document, as text ('' when missing)."""
    value = document.get("openapi", "") if isinstance(document, Mapping) else ""
    return str(value) if value is not None else ""


def is_30(document: Any) -> bool:
    """Whether a document declares OpenAPI 3.0.x."""
    return openapi_version(document).startswith("3.0")


def convert(
    base_uri: str,
    resources: Mapping[str, Any],
    lines: Mapping[str, Mapping[str, int]],
    kinds: Mapping[str, str] | None = None,
    refs: Iterable[tuple[str, str, str]] | None = None,
) -> tuple[dict[str, Any], dict[str, Mapping[str, int]], Conversion]:
    """The 3.1 model of a crawled 3.0 description: converted files, their lines, what was done.

    ``kinds`` tells what each reference target holds (``file#pointer`` -> ``schema``, ``parameter``...);
    ``refs`` are the loader's references (file, pointer, target), as written.
    Unchanged subtrees are shared with ``resources`` (nothing is copied that does not change).
    """
    converter = _Converter(base_uri, resources, kinds or {})
    out = converter.run()
    moved = {uri: tuple(pairs) for uri, pairs in converter.moved.items() if pairs}
    aliases = {uri: tuple(pairs) for uri, pairs in converter.aliases.items() if pairs}
    conversion = Conversion(
        source=openapi_version(resources[base_uri]),
        counts=dict(converter.counts),
        moved=moved,
        aliases=aliases,
        originals={uri: resources[uri] for uri in out if out[uri] is not resources[uri]},
    )
    if moved:
        _retarget_refs(out, conversion, refs)
    new_lines: dict[str, Mapping[str, int]] = {uri: _lines_of(uri, dict(lines.get(uri, {})), conversion) for uri in out}
    return out, new_lines, conversion


def _lines_of(uri: str, original: dict[str, int], conversion: Conversion) -> dict[str, int]:
    """Source lines keyed by converted pointers (a moved subtree keeps its lines; new places take their origin's)."""
    if uri not in conversion.moved and uri not in conversion.aliases:
        return original
    out = {conversion.converted_pointer(uri, pointer): line for pointer, line in original.items()}
    for converted, source in conversion.moved.get(uri, ()) + conversion.aliases.get(uri, ()):
        line = original.get(source)
        if line is not None:
            out.setdefault(converted, line)
    return out


class _Converter:
    """Finds every Schema Object of the description and converts each once.

    Schemas stand at ``schema`` members and under ``components/schemas`` of the OpenAPI objects, and
    at every reference target the loader found to hold a schema (:func:`validator.loader.object_kinds`,
    the one place that tells what kind of object a referenced file holds).
    """

    def __init__(self, base_uri: str, resources: Mapping[str, Any], kinds: Mapping[str, str]) -> None:
        self.base_uri = base_uri
        self.resources = resources
        self.kinds = kinds
        self.counts: Counter[str] = Counter()
        self.moved: dict[str, list[tuple[str, str]]] = {}
        self.aliases: dict[str, list[tuple[str, str]]] = {}
        self._roots: dict[str, set[str]] = {}  # file URI -> pointers of schema roots

    def run(self) -> dict[str, Any]:
        self._objects(self.base_uri, "", self.resources[self.base_uri])
        for place, kind in self.kinds.items():
            uri, _, pointer = place.partition("#")
            if uri not in self.resources or kind == _kinds.UNKNOWN:
                continue
            if kind == _kinds.SCHEMA:
                self._roots.setdefault(uri, set()).add(pointer)
            elif uri != self.base_uri:
                try:
                    self._objects(uri, pointer, _at(self.resources[uri], split_pointer(pointer)))
                except LookupError:
                    continue  # a dangling reference: the loader reported it
        out = dict(self.resources)
        for uri, pointers in self._roots.items():
            data = out[uri]
            if isinstance(data, Mapping) and "$schema" in data:
                continue  # a JSON Schema file: already the 3.1 dialect
            patch = _Patch(data)
            for pointer in _outermost(pointers):
                tokens = split_pointer(pointer)
                try:
                    node = _at(data, tokens)
                except LookupError:
                    continue
                converted = self._schema(uri, node, pointer, pointer)
                if converted is not node:
                    patch.put(tokens, converted)
            out[uri] = patch.root
        root = out[self.base_uri]
        if isinstance(root, Mapping) and is_30(root):
            out[self.base_uri] = {**root, "openapi": TARGET}
            self.counts["version"] += 1
        return out

    def _objects(self, uri: str, pointer: str, node: Any) -> None:
        """Walk OpenAPI objects (not schemas): a ``schema`` member, or ``components/schemas``, is a schema root."""
        roots = self._roots.setdefault(uri, set())
        stack = [(pointer, node)]
        while stack:
            here, value = stack.pop()
            if isinstance(value, list):
                stack.extend((f"{here}/{i}", item) for i, item in enumerate(value))
                continue
            if not isinstance(value, Mapping) or isinstance(value.get("$ref"), str):
                continue  # a reference: its target's kind is known (self.kinds)
            for key, child in value.items():
                where = f"{here}/{escape_token(key)}"
                if key in _DATA or key.startswith("x-"):
                    continue
                if key == "schema":
                    roots.add(where)
                elif key == "schemas" and here.endswith("/components") and isinstance(child, Mapping):
                    roots.update(f"{where}/{escape_token(name)}" for name in child)
                else:
                    stack.append((where, child))

    # -- converting one schema -----------------------------------------------------------------
    def _schema(self, uri: str, node: Any, here: str, origin: str) -> Any:
        """The converted schema at ``here`` (converted pointer) that stood at ``origin`` (as written)."""
        if not isinstance(node, Mapping):
            return node
        wrapped = _wraps(node)
        out: dict[str, Any] = {}
        changed = False
        for key, value in node.items():
            token = escape_token(key)
            at = f"{here}/anyOf/0/{token}" if key in wrapped else f"{here}/{token}"
            new = self._children(uri, key, value, at, f"{origin}/{token}")
            changed = changed or new is not value
            out[key] = new
        own = _may_change(node) and _rules(out, self.counts)
        if own or changed:
            self._record(uri, here, origin, node, out, wrapped)
            return out
        return node

    def _children(self, uri: str, key: str, value: Any, here: str, origin: str) -> Any:
        if key in _ONE:
            return self._schema(uri, value, here, origin)
        if key in SUBSCHEMA_LISTS and isinstance(value, list):
            items = [self._schema(uri, v, f"{here}/{i}", f"{origin}/{i}") for i, v in enumerate(value)]
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if key in SUBSCHEMA_MAPS and isinstance(value, Mapping):
            members = {
                name: self._schema(uri, v, f"{here}/{escape_token(name)}", f"{origin}/{escape_token(name)}")
                for name, v in value.items()
            }
            return members if any(members[n] is not value[n] for n in value) else value
        return value

    def _record(
        self,
        uri: str,
        here: str,
        origin: str,
        before: Mapping[str, Any],
        after: dict[str, Any],
        wrapped: tuple[str, ...],
    ) -> None:
        moved = self.moved.setdefault(uri, [])
        aliases = self.aliases.setdefault(uri, [])
        if "example" in before and isinstance(after.get("examples"), list) and "example" not in after:
            moved.append((f"{here}/examples/{len(after['examples']) - 1}", f"{origin}/example"))
        flag = next((f"{origin}/{k}" for k in _NULLABLE if before.get(k) is True), f"{origin}/nullable")
        if wrapped:
            moved.extend((f"{here}/anyOf/0/{escape_token(k)}", f"{origin}/{escape_token(k)}") for k in wrapped)
            aliases.extend(((f"{here}/anyOf/0", origin), (f"{here}/anyOf/1", flag), (f"{here}/anyOf", origin)))
        elif "anyOf" in after and after.get("anyOf") is not before.get("anyOf") and _wants_null(before):
            aliases.append((f"{here}/anyOf/{len(after['anyOf']) - 1}", flag))


def _may_change(schema: Mapping[str, Any]) -> bool:
    """Whether a rule could apply to this schema object itself (most objects of a description: no)."""
    return (
        not _TRIGGERS.isdisjoint(schema) or schema.get("type") == "file" or schema.get("format") in ("binary", "byte")
    )


def _wraps(schema: Mapping[str, Any]) -> tuple[str, ...]:
    """The null-rejecting applicators a ``nullable`` schema moves into an anyOf (none for a lone anyOf)."""
    if not _wants_null(schema):
        return ()
    present = [k for k in _REJECTING if k in schema and not (k != "$ref" and "$ref" in schema)]
    return () if present == ["anyOf"] else tuple(present)


def _wants_null(schema: Mapping[str, Any]) -> bool:
    return any(schema.get(k) is True for k in _NULLABLE)


# -- the rules: each changes one schema object in place and says whether it did -------------------
def _rules(schema: dict[str, Any], counts: Counter[str]) -> bool:
    changed = False
    for name, rule in (
        ("ref-siblings", ref_siblings),
        ("exclusive", exclusive_bounds),
        ("example", example_to_examples),
        ("binary", binary_formats),
        ("nullable", nullable),
    ):
        if rule(schema):
            counts[name] += 1
            changed = True
    return changed


def ref_siblings(schema: dict[str, Any]) -> bool:
    """Beside a ``$ref``, drop the constraints 3.0 ignored (3.1 would apply them)."""
    if not isinstance(schema.get("$ref"), str):
        return False
    ignored = [k for k in schema if k not in _ANNOTATIONS and k not in _NULLABLE and not k.startswith("x-")]
    for key in ignored:
        del schema[key]
    return bool(ignored)


def exclusive_bounds(schema: dict[str, Any]) -> bool:
    """``exclusiveMinimum: true`` beside ``minimum: m`` becomes ``exclusiveMinimum: m`` (likewise for maximum)."""
    changed = False
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if not isinstance(flag, bool):
            continue
        del schema[exclusive]
        if flag and bound in schema:
            schema[exclusive] = schema.pop(bound)
        changed = True
    return changed


def example_to_examples(schema: dict[str, Any]) -> bool:
    """A schema's ``example: v`` becomes ``examples: [v]`` (appended when a list of examples is there)."""
    if "example" not in schema:
        return False
    examples = schema.get("examples", [])
    if not isinstance(examples, list):
        return False  # an examples map is no JSON Schema keyword: strict lint names the clash
    schema["examples"] = [*examples, schema.pop("example")]
    return True


def binary_formats(schema: dict[str, Any]) -> bool:
    """``type: file`` and ``format: binary`` say raw octets; ``format: byte`` says base64 (3.1 content keywords)."""
    changed = False
    if schema.get("type") == "file":
        schema["type"] = "string"
        schema.setdefault("contentMediaType", "application/octet-stream")
        changed = True
    if schema.get("format") == "binary":
        del schema["format"]
        schema.setdefault("contentMediaType", "application/octet-stream")
        changed = True
    elif schema.get("format") == "byte":
        del schema["format"]
        schema.setdefault("contentEncoding", "base64")
        changed = True
    return changed


def nullable(schema: dict[str, Any]) -> bool:
    """``nullable: true`` (or ``x-nullable: true``) lets the schema accept null as well; ``false`` says nothing."""
    flags = [schema.pop(key) for key in _NULLABLE if key in schema]
    if True not in flags:
        return bool(flags)
    kind = schema.get("type")
    if isinstance(kind, str) and kind != "null":
        schema["type"] = [kind, "null"]
    elif isinstance(kind, list) and "null" not in kind:
        schema["type"] = [*kind, "null"]
    enum = schema.get("enum")
    if isinstance(enum, list) and None not in enum:
        schema["enum"] = [*enum, None]
    present = [k for k in _REJECTING if k in schema]
    if present == ["anyOf"] and isinstance(schema["anyOf"], list):
        schema["anyOf"] = [*schema["anyOf"], dict(NULL_SCHEMA)]
    elif present:
        inner = {k: schema.pop(k) for k in present}
        schema["anyOf"] = [inner, dict(NULL_SCHEMA)]
    return True


# -- helpers ------------------------------------------------------------------------------------
def _outermost(pointers: set[str]) -> list[str]:
    """The pointers not below another one of the set (a nested root is converted with its container)."""
    kept: list[list[str]] = []
    for tokens in sorted(split_pointer(p) for p in pointers):
        if not kept or tokens[: len(kept[-1])] != kept[-1]:
            kept.append(tokens)
    return ["".join("/" + escape_token(t) for t in tokens) for tokens in kept]


def _at(data: Any, tokens: list[str]) -> Any:
    node = data
    for token in tokens:
        if isinstance(node, Mapping) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise LookupError(token)
    return node


def _replaced(data: Any, tokens: list[str], value: Any) -> Any:
    """``data`` with the value at ``tokens`` replaced, copying only the containers along the way."""
    patch = _Patch(data)
    patch.put(tokens, value)
    return patch.root


class _Patch:
    """Copy-on-write edits of one file: each container on an edited path is copied once, then edited."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self._fresh: set[int] = set()  # ids of the copies made here (safe to edit)

    def _own(self, node: Any) -> Any:
        if id(node) in self._fresh:
            return node
        copy: Any = list(node) if isinstance(node, list) else dict(node)
        self._fresh.add(id(copy))
        return copy

    def put(self, tokens: list[str], value: Any) -> None:
        if not tokens:
            self.root = value
            return
        self.root = parent = self._own(self.root)
        for token in tokens[:-1]:
            key: Any = int(token) if isinstance(parent, list) else token
            child = self._own(parent[key])
            parent[key] = child
            parent = child
        parent[int(tokens[-1]) if isinstance(parent, list) else tokens[-1]] = value


def _retarget_refs(
    resources: dict[str, Any], conversion: Conversion, refs: Iterable[tuple[str, str, str]] | None
) -> None:
    """Point references that aim into a moved subtree at its new place.

    ``refs`` are the loader's (file, pointer, absolute target) as written; without them every file is walked.
    """
    if refs is None:
        from .loader import iter_refs

        refs = [(u, p, urljoin(u, r)) for u, d in resources.items() for p, r in iter_refs(d)]
    for uri, pointer, target in refs:
        target_file, fragment = urldefrag(target)
        if target_file not in conversion.moved:
            continue
        moved = conversion.converted_pointer(target_file, fragment)
        if moved == fragment:
            continue
        tokens = split_pointer(conversion.converted_pointer(uri, pointer))
        holder = _at(resources[uri], tokens)
        ref = str(holder["$ref"])
        resources[uri] = _replaced(resources[uri], tokens, {**holder, "$ref": ref.partition("#")[0] + "#" + moved})
