"""The runner: pair the versions, run every rule on the pairs it reads, add ids, verdicts and witnesses."""

from __future__ import annotations

from collections.abc import Iterator

from ..contract import Contract
from ..loader import display_path
from ._schema import Schemas
from .catalogue import CONTRACT, OPERATION, RULES, SCHEMA, Rule
from .pairing import REQUEST, RESPONSE, ContractPair, OperationPair, Root, SchemaPair
from .report import Change, DiffReport, Finding, Witness
from .witness import WitnessFinder


def label(contract: Contract) -> str:
    """``name@version`` of a contract."""
    return f"{contract.name}@{contract.version}"


def compare(old: Contract, new: Contract, *, witnesses: bool = True) -> DiffReport:
    """Every change from ``old`` to ``new``, each with its rule id and verdict (and witness when breaking)."""
    return _Run(old, new, witnesses).report()


class _Run:
    def __init__(self, old: Contract, new: Contract, witnesses: bool) -> None:
        self.pair = ContractPair(old, new, Schemas(old), Schemas(new))
        self.witnesses = WitnessFinder(self.pair) if witnesses else None
        self.rules: dict[tuple[str, str], list[Rule]] = {}
        for rule in RULES:
            self.rules.setdefault((rule.scope, rule.direction if rule.scope == SCHEMA else ""), []).append(rule)
        self.changes: list[Change] = []

    def report(self) -> DiffReport:
        self._contract_rules()
        for op_pair in self.pair.operation_pairs:
            for rule in self.rules.get((OPERATION, ""), []):
                for finding in rule.check(op_pair):
                    self._add(rule, finding, op_pair.label, self._base(finding), witness=finding.witness)
            seen: set[tuple[str, str, str]] = set()
            for root in _roots(op_pair):
                old_s, new_s = self.pair.old_schemas, self.pair.new_schemas
                start = SchemaPair(
                    root,
                    old_s.view(old_s.node(root.old_uri)),
                    new_s.view(new_s.node(root.new_uri)),
                    root.direction,
                )
                self._walk(start, seen)
        return DiffReport(label(self.pair.old), label(self.pair.new), tuple(self.changes))

    def _contract_rules(self) -> None:
        old_ops = {op.pointer: op.label for op in self.pair.old.operations}
        new_ops = {op.pointer: op.label for op in self.pair.new.operations}
        for rule in self.rules.get((CONTRACT, ""), []):
            for finding in rule.check(self.pair):
                owner = (old_ops if finding.in_old else new_ops).get(finding.pointer)
                self._add(rule, finding, owner, self._base(finding))

    def _base(self, finding: Finding) -> str:
        return (self.pair.old if finding.in_old else self.pair.new).base_uri

    def _walk(self, start: SchemaPair, seen: set[tuple[str, str, str]]) -> None:
        # Memoised by the pair of schema locations: recursive schemas terminate, shared ones report once.
        stack = [start]
        while stack:
            sp = stack.pop()
            key = (sp.old.uri, sp.new.uri, sp.direction)
            if key in seen:
                continue
            seen.add(key)
            for rule in self.rules.get((SCHEMA, sp.direction), []):
                for finding in rule.check(sp):
                    uri = sp.old.uri if finding.in_old else sp.new.uri
                    witness = None
                    if rule.breaking and self.witnesses is not None:
                        witness = self.witnesses.find(sp, finding)
                    self._add(
                        rule,
                        finding,
                        sp.root.operation.label,
                        uri.partition("#")[0],
                        default_pointer=uri.partition("#")[2],
                        schema=True,
                        witness=witness,
                        root=sp.root,
                    )
            stack.extend(sp.children())

    def _add(
        self,
        rule: Rule,
        finding: Finding,
        operation: str | None,
        file_uri: str,
        *,
        default_pointer: str = "",
        schema: bool = False,
        witness: Witness | None = None,
        root: Root | None = None,
    ) -> None:
        pointer = finding.pointer or default_pointer
        contract = self.pair.old if finding.in_old else self.pair.new
        message = finding.message if root is None else f"{root.where}: {finding.message}"
        self.changes.append(
            Change(
                id=rule.id,
                breaking=rule.breaking,
                bump=rule.bump,
                message=message,
                pointer=pointer,
                operation=operation,
                file=display_path(file_uri),
                line=contract.line_of(f"{file_uri}#{pointer}"),
                schema_change=schema,
                witness=witness,
            )
        )


def _roots(op: OperationPair) -> Iterator[Root]:
    """The payload schemas of one operation present in both versions."""
    for old, new in op.parameters.pairs:
        if old.schema_uri and new.schema_uri:
            yield Root(op, REQUEST, f"{new.location} parameter {new.name!r}", old.schema_uri, new.schema_uri)
    for old_m, new_m in op.request_media.pairs:
        if old_m.schema_uri and new_m.schema_uri:
            yield Root(
                op,
                REQUEST,
                f"request body ({new_m.media_type})",
                old_m.schema_uri,
                new_m.schema_uri,
                old_m,
                new_m,
            )
    for old_r, new_r in op.responses.pairs:
        for old_m, new_m in op.response_media(old_r, new_r).pairs:
            if old_m.schema_uri and new_m.schema_uri:
                yield Root(
                    op,
                    RESPONSE,
                    f"response {new_r.status} body ({new_m.media_type})",
                    old_m.schema_uri,
                    new_m.schema_uri,
                    old_m,
                    new_m,
                )
        for name, header in new_r.headers.items():
            before = next((h for n, h in old_r.headers.items() if n.lower() == name.lower()), None)
            if before is not None and before.schema_uri and header.schema_uri:
                yield Root(
                    op,
                    RESPONSE,
                    f"response {new_r.status} header {name!r}",
                    before.schema_uri,
                    header.schema_uri,
                )
