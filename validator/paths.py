"""OpenAPI path templates (``/items/{id}``, ``/files/{name}.json``): their variables, and matching a path."""

from __future__ import annotations

import re
from urllib.parse import unquote

# A variable spans part of one segment at most: ``{name}.json`` is a variable and a literal suffix.
_VARIABLE = re.compile(r"\{([^{}/]+)\}")


def variables(template: str) -> tuple[str, ...]:
    """The variable names of a path template, in order."""
    return tuple(_VARIABLE.findall(template))


def shape(template: str) -> str:
    """The template with its variables blanked (``/items/{id}`` -> ``/items/{}``): equal shapes route alike."""
    return _VARIABLE.sub("{}", template)


def pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching the whole of a concrete path; group ``v<i>`` is the i-th variable."""
    regex, last = "", 0
    for index, found in enumerate(_VARIABLE.finditer(template)):
        regex += re.escape(template[last : found.start()]) + f"(?P<v{index}>[^/]+)"
        last = found.end()
    return re.compile(regex + re.escape(template[last:]) + "$")


def literal_length(template: str) -> int:
    """How many characters of the template are not variables (more is more specific)."""
    return len(_VARIABLE.sub("", template))


def path_params(template: str, path: str) -> dict[str, str] | None:
    """The decoded path parameters of ``path`` under ``template``, or None when it does not match."""
    compiled = pattern(template)
    found = compiled.match(path)
    if found is not None:
        return {name: unquote(found.group(f"v{i}")) for i, name in enumerate(variables(template))}
    # A literal part a client percent-encoded (a space, say) matches once the path is decoded.
    found = compiled.match(unquote(path))
    if found is None:
        return None
    return {name: found.group(f"v{i}") for i, name in enumerate(variables(template))}
