"""Where JSON text stops being JSON, as a JSON pointer: ``/scores/1: NaN is not a JSON value``.

Only called once a parser has refused the text, so speed does not matter here; what matters is
naming the value a person has to fix, and what the JSON standard (RFC 8259) allows instead.
"""

from __future__ import annotations

import json
import re

from .pointers import escape_token

_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_NON_FINITE = re.compile(r"-?(?:NaN|Infinity|inf|nan)\b")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MAX_DEPTH = 512


class _Stop(Exception):
    def __init__(self, path: list[str], message: str) -> None:
        super().__init__(message)
        self.pointer = "".join("/" + escape_token(t) for t in path)
        self.message = message


def locate(text: str) -> tuple[str, str] | None:
    """(pointer, message) of the first thing in ``text`` that is not JSON; None when it is JSON."""
    scanner = _Scanner(text)
    try:
        scanner.value([], 0)
        scanner.space()
        if scanner.pos < len(text):
            raise _Stop([], f"unexpected {scanner.preview()} after the JSON value; JSON text holds exactly one value")
    except _Stop as stop:
        return stop.pointer, stop.message
    return None


def _literal(text: str, pos: int) -> re.Match[str] | None:
    found = _WORD.match(text, pos)
    return found if found is not None and found.group(0) in ("true", "false", "null") else None


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def preview(self) -> str:
        if self.pos >= len(self.text):
            return "end of text"
        return repr(self.text[self.pos : self.pos + 12])

    def value(self, path: list[str], depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise _Stop(path, "nesting too deep to read")
        self.space()
        text, pos = self.text, self.pos
        if pos >= len(text):
            raise _Stop(path, "the text ends where a value was expected")
        char = text[pos]
        if char == "{":
            self.members(path, depth)
        elif char == "[":
            self.items(path, depth)
        elif char == '"':
            self.string(path)
        elif (found := _NON_FINITE.match(text, pos)) is not None:
            raise _Stop(
                path,
                f"{found.group(0)} is not a JSON value: JSON numbers are finite (RFC 8259 has no NaN or Infinity); "
                "send null or a string instead",
            )
        elif (found := _NUMBER.match(text, pos) or _literal(text, pos)) is not None:
            self.pos = found.end()
        elif (found := _WORD.match(text, pos)) is not None:
            raise _Stop(path, f"{found.group(0)!r} is not a JSON value (only true, false and null are bare words)")
        elif char == "'":
            raise _Stop(path, "a single-quoted string is not JSON: strings take double quotes")
        else:
            raise _Stop(path, f"unexpected {self.preview()} where a value was expected")

    def string(self, path: list[str]) -> str:
        found = _STRING.match(self.text, self.pos)
        if found is None:
            raise _Stop(path, "a string that is not valid JSON (unescaped control character, bad escape or no end)")
        self.pos = found.end()
        return str(json.loads(found.group(0)))

    def members(self, path: list[str], depth: int) -> None:
        self.pos += 1  # "{"
        self.space()
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            self.space()
            if self.peek() == "}":
                raise _Stop(path, "a trailing comma after the last member: JSON allows none (RFC 8259)")
            if self.peek() != '"':
                raise _Stop(path, f"unexpected {self.preview()} where a member name (a double-quoted string) belongs")
            name = self.string(path)
            self.space()
            if self.peek() != ":":
                raise _Stop([*path, name], f"expected ':' after the member name, found {self.preview()}")
            self.pos += 1
            self.value([*path, name], depth + 1)
            self.space()
            if self.peek() == ",":
                self.pos += 1
                continue
            if self.peek() == "}":
                self.pos += 1
                return
            raise _Stop(path, f"expected ',' or '}}' after member {name!r}, found {self.preview()}")

    def items(self, path: list[str], depth: int) -> None:
        self.pos += 1  # "["
        self.space()
        if self.peek() == "]":
            self.pos += 1
            return
        index = 0
        while True:
            self.space()
            if self.peek() == "]":
                raise _Stop(path, "a trailing comma after the last item: JSON allows none (RFC 8259)")
            self.value([*path, str(index)], depth + 1)
            self.space()
            if self.peek() == ",":
                self.pos += 1
                index += 1
                continue
            if self.peek() == "]":
                self.pos += 1
                return
            raise _Stop(path, f"expected ',' or ']' after item {index}, found {self.preview()}")

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""
