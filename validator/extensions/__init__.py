"""Extension keywords (``x-…``) that add checks JSON Schema cannot state.

Two kinds of hook, both run wherever a contract's payloads are checked (validate, lint, the mock,
contract tests, the service):

- a :class:`SchemaKeyword` sits on a schema; its declaration is parsed once per contract version into a
  typed model, then ``check`` runs on every payload value that schema applies to, and ``check_together``
  (optional) once per payload over all the values found (e.g. tensors agreeing on named dims);
- an :class:`ExchangeCheck` runs over one request and its response (``validate --for-request``, lint's
  paired examples, the mock's answers, contract tests).

The one hand-written table of both is :mod:`validator.extensions.catalogue`: add a keyword by appending
a row there. :mod:`validator.extensions.plan` finds where in a payload a keyword applies.
"""

from __future__ import annotations

from ._types import DeclarationError, Exchange, ExchangeCheck, Located, SchemaKeyword
from .exchange import exchange_problems

__all__ = ["DeclarationError", "Exchange", "ExchangeCheck", "Located", "SchemaKeyword", "exchange_problems"]
