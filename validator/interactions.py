"""The parameters of a named interaction, assembled by one rule shared by lint, the mock and the tests.

The request of interaction ``X`` uses the parameter examples named ``X``. An optional parameter
without an ``X`` example is left out, never borrowed from another example: a value meant for
another interaction can change the answer (a ``?version=`` that turns 200 into 404). A required
parameter without an ``X`` example takes the parameter's own ``example``, its schema's ``default``
(or ``const``, first ``enum`` value, first ``examples`` value), and the test says so in the case name;
with none of those the interaction cannot be sent, which is a lint problem. A required parameter
whose schema admits one value only (``const``, a one-item ``enum``) needs no name: there is nothing
to choose, so it is not worth a word.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .contract import Interaction, Operation, Parameter

Resolve = Callable[[str], Any]  # schema URI -> the schema there


@dataclass(frozen=True, slots=True)
class Assembled:
    """The parameter values of one interaction, which were filled in (and from where), which are missing."""

    values: tuple[tuple[Parameter, Any], ...]  # in the operation's parameter order
    filled: Mapping[str, str] = field(default_factory=dict)  # parameter name -> "its example", "schema default"
    missing: tuple[Parameter, ...] = ()


def unfillable(op: Operation, interaction: Interaction, resolve: Resolve) -> list[Parameter]:
    """The required parameters interaction ``X`` leaves without a value: no ``X`` example and no fallback."""
    return list(assemble(op, interaction, resolve).missing)


def assemble(op: Operation, interaction: Interaction, resolve: Resolve) -> Assembled:
    """The interaction's parameters by the rule above; ``resolve`` reads a parameter's schema."""
    values: list[tuple[Parameter, Any]] = []
    filled: dict[str, str] = {}
    missing: list[Parameter] = []
    for param in op.parameters:
        if interaction.name in param.examples:
            values.append((param, param.examples[interaction.name]))
        elif not param.required or _ignored(param):
            continue
        elif (only := _only_value(param, resolve)) is not None:
            values.append((param, only[0]))
        else:
            found = fallback(param, resolve)
            if found is None:
                missing.append(param)
            else:
                values.append((param, found[0]))
                filled[param.name] = found[1]
    return Assembled(tuple(values), filled, tuple(missing))


def fallback(param: Parameter, resolve: Resolve) -> tuple[Any, str] | None:
    """A value for a required parameter that has no example of the interaction's name, and its source."""
    if param.example:
        return param.example[0], "its example"
    schema = resolve(param.schema_uri) if param.schema_uri is not None else None
    if not isinstance(schema, Mapping):
        return None
    if "default" in schema:
        return schema["default"], "its schema's default"
    if "const" in schema:
        return schema["const"], "its schema's const"
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return enum[0], "its schema's first enum value"
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0], "its schema's first example"
    if "example" in schema:
        return schema["example"], "its schema's example"
    return None


def _only_value(param: Parameter, resolve: Resolve) -> tuple[Any] | None:
    """The one value the parameter's schema admits (``const`` or a one-item ``enum``), boxed; else None."""
    schema = resolve(param.schema_uri) if param.schema_uri is not None else None
    if not isinstance(schema, Mapping):
        return None
    if "const" in schema:
        return (schema["const"],)
    enum = schema.get("enum")
    return (enum[0],) if isinstance(enum, list) and len(enum) == 1 else None


def _ignored(param: Parameter) -> bool:
    # Accept, Content-Type and Authorization headers are described elsewhere in OpenAPI (content, security).
    return param.location == "header" and param.name.lower() in ("accept", "content-type", "authorization")


def param_text(value: Any) -> str:
    """A parameter example as it goes on the wire (simple/form style: lists comma-separated)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(param_text(v) for v in value)
    return str(value)


@dataclass(frozen=True, slots=True)
class ParameterMatch:
    """What a request must carry to be interaction ``X``: the values the rule above assembles, no other optional one."""

    named: tuple[tuple[str, str, str], ...]  # (location, name, wire text); header names in lower case
    absent: tuple[tuple[str, str], ...]  # optional parameters without an ``X`` example: (location, name)
    filled: tuple[tuple[str, str, str], ...] = ()  # required parameters without an ``X`` example, as filled in

    @property
    def empty(self) -> bool:
        """True when the interaction pins no parameter and the operation has no optional one."""
        return not self.named and not self.absent and not self.filled

    def matches(self, path_params: Mapping[str, str], query: Mapping[str, str], headers: Mapping[str, str]) -> bool:
        """Whether a request's parameters (header names lower case) are exactly this interaction's."""
        where = {"path": path_params, "query": query, "header": headers}
        for pinned in (self.named, self.filled):
            for location, name, text in pinned:
                got = where.get(location)
                if got is not None and got.get(name) != text:
                    return False
        return all(name not in where.get(location, {}) for location, name in self.absent)


def parameter_match(op: Operation, interaction: Interaction, resolve: Resolve) -> ParameterMatch:
    """The parameter side of interaction ``X`` for a mock: exactly the request :func:`assemble` builds.

    A required parameter filled in from its own example or default is pinned like a named one: the
    contract tests send that value, and an answer stated for it (an echoed path segment, say) holds
    for that value only.
    """
    named: list[tuple[str, str, str]] = []
    filled: list[tuple[str, str, str]] = []
    for param, value in assemble(op, interaction, resolve).values:
        if _ignored(param) or param.location == "cookie":
            continue
        name = param.name.lower() if param.location == "header" else param.name
        pinned = named if interaction.name in param.examples else filled
        pinned.append((param.location, name, param_text(value)))
    # An optional parameter tells interactions apart only when some interaction names it (`?version=`
    # of one model example, absent from another); one no interaction names (a tracing header such as
    # X-Request-ID) may come with any request and changes nothing.
    absent = [
        (p.location, p.name.lower() if p.location == "header" else p.name)
        for p in op.parameters
        if not p.required
        and p.examples
        and interaction.name not in p.examples
        and not _ignored(p)
        and p.location != "cookie"
    ]
    return ParameterMatch(tuple(named), tuple(absent), tuple(filled))
