"""The cases of a contract test: named examples, boundary cases and generated cases, each classified.

Schemathesis is the generation engine: its coverage phase gives the deterministic boundary values
(bounds of every numeric and length constraint, enum and nullable values, missing required fields,
unknown properties, wrong types and media types); Hypothesis strategies give the random ones. Every
request is then classified by our own validator as it goes over the wire: a request with no problem
must be accepted, a request with problems must be rejected. The engine's own label is not trusted.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal
from urllib.parse import quote, unquote, urlencode, urlsplit

from .. import paths, security
from ..bundle import bundle
from ..compiled import CompiledContract, RequestData
from ..contract import Interaction, Operation
from ..interactions import assemble, param_text
from ..payload import PayloadError, dumps, parse_json
from ..problems import Problem
from ..wire import is_field_value
from ._reproducible import seed_only
from .exchange import WireRequest
from .relation_cases import relation_requests, seed_request
from .tensors import tensor_cases

USER_AGENT = "contracts-test/0.1"
_PLACEHOLDER = "http://contracts.invalid"
# OPTIONS is how browsers ask about CORS: answering it is not accepting an undocumented method.
_SKIPPED_METHODS = frozenset({"OPTIONS"})
# Headers the HTTP client sets itself; keeping them out keeps reports and curl lines short.
_DROPPED_HEADERS = frozenset(
    {"user-agent", "accept-encoding", "connection", "content-length", "x-schemathesis-testcaseid", "accept"}
)


# Where a test case came from: a named example, a boundary value, the generator, an undocumented method,
# a planned x-relations request, a drawn tensor dim, a valid request stripped of its credentials; a request
# the proxy saw, a request replayed from a recording.
CaseSource = Literal["example", "boundary", "generated", "method", "relation", "tensor", "auth", "observed", "replay"]
EXAMPLE: Final = "example"
BOUNDARY: Final = "boundary"
GENERATED: Final = "generated"
METHOD: Final = "method"
RELATION: Final = "relation"  # planned for x-relations (batch sizes, reversed batch, variants, echoes)
TENSOR: Final = "tensor"  # drawn dim first for x-tensor operations (verify/tensors.py)
AUTH: Final = "auth"  # a valid request without its credentials (auth_enforced)


@dataclass(frozen=True, slots=True)
class Case:
    """One request to send, where it came from, and what our validator says about it."""

    operation: Operation
    source: CaseSource
    description: str
    request: WireRequest
    problems: tuple[Problem, ...] = ()  # the request's contract violations: empty means valid
    interaction: Interaction | None = None

    @property
    def valid(self) -> bool:
        """Whether the request follows the contract (then the API must accept it)."""
        return self.source not in (METHOD, AUTH) and not self.problems


@dataclass(frozen=True, slots=True)
class Plan:
    """Every case of a run plus the examples that could not be built (and why)."""

    cases: tuple[Case, ...]
    skipped_examples: Mapping[str, str] = field(default_factory=dict)  # "op/example" -> reason
    notes: tuple[str, ...] = ()


def plan(
    compiled: CompiledContract,
    operations: Sequence[Operation],
    *,
    max_examples: int,
    seed: int,
    headers: Mapping[str, str] | None = None,
) -> Plan:
    """Build the cases for ``operations``: examples first, then boundary, then generated ones."""
    extra = dict(headers or {})
    cases: list[Case] = []
    skipped: dict[str, str] = {}
    notes: list[str] = []
    for op in operations:
        for interaction in op.interactions.values():
            built = _example_request(compiled, op, interaction, extra)
            if isinstance(built, str):
                skipped[f"{op.label}/{interaction.name}"] = built
            else:
                cases.append(_classified(compiled, op, EXAMPLE, built[1], built[0], interaction))
    seen: set[WireRequest] = {c.request for c in cases}
    for op in operations:
        base = _tensor_base(compiled, op, extra)
        for description, request in tensor_cases(compiled, op, base):
            if request not in seen:
                seen.add(request)
                cases.append(_classified(compiled, op, TENSOR, description, request, None))
    engine = _Engine(compiled)
    notes.extend(f"the generation engine skipped an operation: {e}" for e in engine.errors)
    for op in operations:
        try:
            generated = list(engine.cases(op, max_examples=max_examples, seed=seed, headers=extra))
        except Exception as exc:  # the engine cannot generate for this operation: say so, test the rest
            notes.append(f"{op.label}: no generated cases ({type(exc).__name__}: {str(exc).splitlines()[0]})")
            continue
        for source, description, request in generated:
            if request in seen:
                continue  # the same bytes on the wire prove nothing new
            seen.add(request)
            cases.append(_classified(compiled, op, source, description, request, None))
    for op in operations:  # what x-relations need and random generation rarely sends
        for description, request in relation_requests(compiled, op, seed_request(cases, op)):
            if request not in seen:
                seen.add(request)
                cases.append(_classified(compiled, op, RELATION, description, request, None))
    for op in operations:
        alternatives = security.alternatives(compiled.contract, op)
        if not alternatives:
            continue
        if any(not any(s.visible for s in alternative) for alternative in alternatives):
            # One alternative travels outside HTTP (mutualTLS): a request without headers may still be allowed.
            notes.append(f"{op.label}: its security can be met outside HTTP (auth_enforced not tested)")
            continue
        model = next((c for c in cases if c.operation.key == op.key and c.valid), None)
        if model is None:
            notes.append(f"{op.label}: no valid request to send without credentials (auth_enforced not tested)")
            continue
        bare = without_credentials(model.request, [s.carrier for alt in alternatives for s in alt if s.visible])
        cases.append(Case(op, AUTH, f"{model.description} without credentials", bare))
    return Plan(tuple(cases), skipped, tuple(notes))


def without_credentials(request: WireRequest, carriers: Sequence[tuple[str, str]]) -> WireRequest:
    """``request`` without any header, query parameter or cookie named by ``carriers`` (location, name)."""
    headers = {name.lower() for location, name in carriers if location == "header"}
    params = {name for location, name in carriers if location == "query"}
    cookies = {name for location, name in carriers if location == "cookie"}
    kept: list[tuple[str, str]] = []
    for key, value in request.headers:
        if key.lower() in headers:
            continue
        if key.lower() == "cookie" and cookies:
            value = "; ".join(p for p in value.split(";") if p.split("=", 1)[0].strip() not in cookies).strip()
            if not value:
                continue
        kept.append((key, value))
    split = urlsplit(request.path)
    path = split.path
    if split.query:
        pairs = [p for p in split.query.split("&") if unquote(p.partition("=")[0]) not in params]
        path += "?" + "&".join(pairs) if pairs else ""
    return WireRequest(request.method, path, tuple(kept), request.body)


def _classified(
    compiled: CompiledContract,
    op: Operation,
    source: CaseSource,
    description: str,
    request: WireRequest,
    interaction: Interaction | None,
) -> Case:
    if source == METHOD:
        return Case(op, source, description, request, (), interaction)
    data, unreadable = request_data(op, request)
    problems = compiled.validate_request(op, data)
    if unreadable is not None and not any(p.location == "media-type" for p in problems):
        problems.append(unreadable)
    return Case(op, source, description, request, tuple(problems), interaction)


def reclassified(compiled: CompiledContract, case: Case, request: WireRequest) -> Case:
    """``case`` with another request (a shrunk one), classified again by our validator."""
    return _classified(compiled, case.operation, case.source, case.description, request, case.interaction)


classified = _classified  # a request classified by our validator (used by replay)


def request_data(op: Operation, request: WireRequest) -> tuple[RequestData, Problem | None]:
    """What the validator needs, read back from the request exactly as it is sent.

    A body that is not JSON is returned as a problem beside an empty body.
    """
    split = urlsplit(request.path)
    query = [
        (unquote(k.replace("+", " ")), unquote(v.replace("+", " ")))
        for k, _, v in (p.partition("=") for p in split.query.split("&") if p)
    ]
    headers = {k.lower(): v for k, v in request.headers}
    data = RequestData(
        path_params=paths.path_params(op.path, split.path) or {},
        query=query,
        headers=headers,
        content_type=headers.get("content-type"),
    )
    if request.body is None:
        return data, None
    unreadable: Problem | None = None
    try:
        body: Any = parse_json(request.body)
    except PayloadError as exc:
        body, unreadable = None, exc.problem
    return RequestData(data.path_params, data.query, data.headers, data.content_type, body), unreadable


# -- named examples ------------------------------------------------------------------------------
def _example_request(
    compiled: CompiledContract, op: Operation, interaction: Interaction, extra: Mapping[str, str]
) -> tuple[WireRequest, str] | str:
    """The request of a named interaction and its case name, or why it cannot be built.

    Parameters follow :mod:`validator.interactions`: examples named like the interaction, nothing
    borrowed; a required parameter without one is filled in, and the case name says from where.
    """
    assembled = assemble(op, interaction, compiled.resolved_at)
    if assembled.missing:
        names = ", ".join(f"{p.location} parameter {p.name!r}" for p in assembled.missing)
        return f"required {names} has no example named {interaction.name!r} and no example, default or enum to use"
    path = op.path
    query: list[tuple[str, str]] = []
    headers: list[tuple[str, str]] = []
    cookies: list[str] = []
    for param, value in assembled.values:
        text = param_text(value)
        if param.location == "path":
            path = path.replace("{" + param.name + "}", quote(text, safe=""))
        elif param.location == "query":
            query.append((param.name, text))
        elif param.location == "header":
            headers.append((param.name, text))
        elif param.location == "cookie":
            cookies.append(f"{param.name}={quote(text, safe='')}")
    if query:
        path += "?" + urlencode(query)
    if cookies:
        headers.append(("Cookie", "; ".join(cookies)))
    body: bytes | None = None
    if op.request_body is not None and interaction.request_media_type is not None:
        body = dumps(interaction.request)
        headers.append(("Content-Type", interaction.request_media_type))
    headers.extend(extra.items())
    description = f"example {interaction.name!r}"
    if assembled.filled:
        filled = "; ".join(f"{name} from {source}" for name, source in assembled.filled.items())
        description += f" (no example named {interaction.name!r} for {filled})"
    return WireRequest(op.method, path, tuple(headers), body), description


def _tensor_base(compiled: CompiledContract, op: Operation, extra: Mapping[str, str]) -> WireRequest | None:
    """The request of the operation's first success example: what tensor cases are rebuilt from."""
    for interaction in op.interactions.values():
        if interaction.status[:1] == "2" and interaction.request_media_type is not None:
            built = _example_request(compiled, op, interaction, extra)
            return None if isinstance(built, str) else built[0]
    return None


# -- the generation engine -----------------------------------------------------------------------
_FORMATS_LOCK = threading.Lock()
_FORMATS_DONE = False


def _register_formats() -> None:
    """Make dates that break naive code (29 February, year ends) likely, not just possible."""
    global _FORMATS_DONE
    with _FORMATS_LOCK:
        if _FORMATS_DONE:
            return
        import schemathesis
        from hypothesis import strategies as st

        awkward_dates = st.sampled_from(["2024-02-29", "2000-02-29", "2023-12-31", "1970-01-01", "2025-01-01"])
        dates = st.one_of(awkward_dates, st.dates().map(str))
        times = st.sampled_from(["00:00:00Z", "23:59:59Z", "12:30:00.5+02:00", "08:15:00-05:00"])
        schemathesis.openapi.format("date", dates)
        schemathesis.openapi.format("date-time", st.builds("{}T{}".format, dates, times))
        _FORMATS_DONE = True


# A file's own ``$schema`` would make the engine treat the inlined component as a separate resource.
ENGINE_STRIP = ("$id", "$schema")


class _Engine:
    """Schemathesis over the bundled contract document; nothing is fetched."""

    def __init__(self, compiled: CompiledContract) -> None:
        import schemathesis

        _register_formats()
        document = bundle(compiled.contract, strip=ENGINE_STRIP)
        self.schema = schemathesis.openapi.from_dict(document, config=schemathesis.Config())
        from schemathesis.core.result import Ok

        self.operations: dict[tuple[str, str], Any] = {}
        self.errors: list[str] = []
        for result in self.schema.get_all_operations():
            if isinstance(result, Ok):
                operation = result.ok()
                self.operations[(operation.method.upper(), operation.path)] = operation
            else:
                self.errors.append(str(result.err()).splitlines()[0])

    def cases(
        self, op: Operation, *, max_examples: int, seed: int, headers: Mapping[str, str]
    ) -> Iterator[tuple[CaseSource, str, WireRequest]]:
        """(source, description, request) for every boundary case, then ``max_examples`` generated ones."""
        api_operation = self.operations.get((op.method, op.path))
        if api_operation is None:
            return
        for case in self._boundary(api_operation):
            source: CaseSource = METHOD if case.method.upper() != op.method else BOUNDARY
            if case.method.upper() in _SKIPPED_METHODS:
                continue
            description = case.meta.phase.data.description if case.meta is not None else "boundary"
            yield source, str(description), _to_wire(case, headers)
        for case in self._generated(api_operation, max_examples, seed):
            mode = case.meta.generation.mode.value if case.meta is not None else "generated"
            yield GENERATED, f"generated ({mode})", _to_wire(case, headers)

    def _boundary(self, api_operation: Any) -> list[Any]:
        from schemathesis.generation import GenerationMode
        from schemathesis.generation.drivers import CoverageGenerator
        from schemathesis.generation.feedback import FeedbackSources
        from schemathesis.generation.overrides import Override

        generator = CoverageGenerator(
            operation=api_operation,
            generation_modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
            generation_config=self.schema.config.generation,
            auth_storage=None,
            override=Override(),
            feedback=FeedbackSources(),
        )
        with seed_only():
            return list(generator)

    def _generated(self, api_operation: Any, max_examples: int, seed: int) -> list[Any]:
        import hypothesis
        from hypothesis import HealthCheck, Phase, settings
        from hypothesis import strategies as st
        from schemathesis.generation import GenerationMode

        if max_examples <= 0:
            return []
        strategy = st.one_of(
            api_operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            api_operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )
        drawn: list[Any] = []

        @hypothesis.seed(seed)
        @settings(
            max_examples=max_examples,
            database=None,
            phases=[Phase.generate],
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=False,
        )
        @hypothesis.given(strategy)
        def collect(case: Any) -> None:
            drawn.append(case)

        with warnings.catch_warnings(), seed_only():
            warnings.simplefilter("ignore")  # the engine's own notes on regex dialects are not ours to raise
            collect()
        return drawn


def _to_wire(case: Any, extra: Mapping[str, str]) -> WireRequest:
    """Serialise a Schemathesis case exactly as its own transport would, then keep the wire form."""
    import requests

    kwargs = case.as_transport_kwargs(base_url=_PLACEHOLDER)
    kwargs.pop("cookies", None)
    kwargs.pop("auth", None)
    prepared = requests.Request(**kwargs).prepare()
    url = str(prepared.url)
    path = url[len(_PLACEHOLDER) :] if url.startswith(_PLACEHOLDER) else urlsplit(url).path
    # A header value HTTP cannot carry (a generated ``Bearer `` with an empty token) is left out: clients
    # refuse it before sending, which would read as an API that never answered.
    headers = [
        (str(k), str(v))
        for k, v in prepared.headers.items()
        if str(k).lower() not in _DROPPED_HEADERS and is_field_value(str(v), obs_text=True)
    ]
    overridden = {k.lower() for k in extra}
    headers = [(k, v) for k, v in headers if k.lower() not in overridden] + list(extra.items())
    raw = prepared.body
    body = raw.encode("utf-8") if isinstance(raw, str) else raw if isinstance(raw, bytes) else None
    return WireRequest(case.method.upper(), path or "/", tuple(headers), body)
