"""Matching a request path to the contract's path templates: literal paths first, then the most specific."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from validator import paths
from validator.contract import Operation


@dataclass(frozen=True, slots=True)
class Route:
    """One documented path and its operations by method."""

    template: str
    methods: Mapping[str, Operation]
    pattern: re.Pattern[str] | None = None
    names: tuple[str, ...] = field(default_factory=tuple)

    @property
    def allow(self) -> str:
        """The ``Allow`` header value for this path."""
        return ", ".join(self.methods)


class Router:
    """Finds the route of a path and its path parameters."""

    def __init__(self, operations: tuple[Operation, ...]) -> None:
        by_path: dict[str, dict[str, Operation]] = {}
        for op in operations:
            by_path.setdefault(op.path, {})[op.method] = op
        self._literal: dict[str, Route] = {}
        templated: list[tuple[tuple[int, int], Route]] = []
        for path, methods in by_path.items():
            names = paths.variables(path)
            if not names:
                self._literal[path] = Route(path, methods)
                continue
            route = Route(path, methods, paths.pattern(path), names)
            templated.append(((-paths.literal_length(path), len(names)), route))
        self._templated = [route for _, route in sorted(templated, key=lambda pair: pair[0])]

    def match(self, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for a path and its decoded path parameters, or None."""
        route = self._literal.get(path)
        if route is not None:
            return route, {}
        for route in self._templated:
            assert route.pattern is not None
            found = route.pattern.match(path)
            if found is not None:
                return route, {name: unquote(found.group(f"v{i}")) for i, name in enumerate(route.names)}
        return None

    @property
    def paths(self) -> list[str]:
        """Every documented path template."""
        return [*self._literal, *(r.template for r in self._templated)]
