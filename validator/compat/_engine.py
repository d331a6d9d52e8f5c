"""The runner: pair the versions, run every rule on the pairs it reads, add ids, verdicts and witnesses."""

from __future__ import annotations

import collections
import dataclasses
from collections.abc import Iterator

from .. import limits
from ..contract import Contract, Direction, Operation
from ._schema import Schemas
from .catalogue import CONTRACT, EXCHANGE, OPEN, OPERATION, RULES, SCHEMA, Rule
from .exchange import exchange, sample_payload
from .pairing import REQUEST, RESPONSE, ContractPair, OperationPair, Root, SchemaPair
from .report import Change, DiffReport, Finding, Witness
from .witness import WitnessFinder

# The rules that still apply where one side is the schema ``false`` (the others read keywords it lacks).
_FALSE_RULES = frozenset({"false_schema_added", "false_schema_removed"})


def label(contract: Contract) -> str:
    """``name@version`` of a contract."""
    return f"{contract.name}@{contract.version}"


def compare(old: Contract, new: Contract, *, witnesses: bool = True) -> DiffReport:
    """Every change from ``old`` to ``new``, each with its rule id and verdict (and witness when breaking).

    A payload-schema rule's break stands only with a witness the validators confirm (policy 16), so
    the search always runs; ``witnesses=False`` only leaves the proofs out of the report.
    """
    report = _Run(old, new).report()
    if witnesses:
        return report
    bare = tuple(dataclasses.replace(c, witness=None) for c in report.changes)
    return DiffReport(report.old, report.new, bare)


class _Run:
    def __init__(self, old: Contract, new: Contract) -> None:
        self.pair = ContractPair(old, new, Schemas(old), Schemas(new))
        self.witnesses = WitnessFinder(self.pair)
        self.rules: dict[tuple[str, str], list[Rule]] = {}
        for rule in RULES:
            self.rules.setdefault((rule.scope, rule.direction if rule.scope == SCHEMA else ""), []).append(rule)
        self.changes: list[Change] = []
        self._unproven: list[tuple[int, Rule, Finding, SchemaPair]] = []  # breaks awaiting their witness search

    def report(self) -> DiffReport:
        self._contract_rules()
        # One memo for the whole contract: a schema shared by many operations is compared (and its
        # breaks witnessed) once, under the first operation that reaches it; per operation, a
        # description whose schemas reference each other would be walked operations x schemas times.
        seen: set[tuple[str, str, str]] = set()
        for op_pair in self.pair.operation_pairs:
            for rule in self.rules.get((OPERATION, ""), []):
                for finding in rule.check(op_pair):
                    proof = finding.witness or self._exchange(rule, finding, op_pair.old, op_pair.new)
                    self._add(rule, finding, op_pair.label, self._base(finding), witness=proof)
            self._walk_roots(_roots(op_pair), seen)
        # Webhooks and callbacks: the API sends the request and the consumer answers, so each payload
        # is judged in the other direction (a widened event body breaks consumers; a narrowed
        # answer the API accepts breaks them too).
        for event_pair in self.pair.event_pairs:
            self._walk_roots(_roots(event_pair, sent_by_api=True), seen)
        self._prove()
        return DiffReport(label(self.pair.old), label(self.pair.new), tuple(self.changes))

    def _walk_roots(self, roots: Iterator[Root], seen: set[tuple[str, str, str]]) -> None:
        old_s, new_s = self.pair.old_schemas, self.pair.new_schemas
        for root in roots:
            start = SchemaPair(
                root, old_s.view(old_s.node(root.old_uri)), new_s.view(new_s.node(root.new_uri)), root.direction
            )
            self._walk(start, seen)

    def _contract_rules(self) -> None:
        old_ops = {op.pointer: op.label for op in (*self.pair.old.operations, *self.pair.old.events)}
        new_ops = {op.pointer: op.label for op in (*self.pair.new.operations, *self.pair.new.events)}
        for rule in self.rules.get((CONTRACT, ""), []):
            for finding in rule.check(self.pair):
                owner = (old_ops if finding.in_old else new_ops).get(finding.pointer)
                old_all = (*self.pair.old.operations, *self.pair.old.events)
                new_all = (*self.pair.new.operations, *self.pair.new.events)
                old_op = next((op for op in old_all if op.pointer == finding.pointer), None)
                new_op = next((op for op in new_all if op.pointer == finding.pointer), None)
                if old_op is None and new_op is not None:
                    old_op = next((o for o, n in self.pair.operations.pairs if n is new_op), None)
                proof = self._exchange(rule, finding, old_op, new_op)
                self._add(rule, finding, owner, self._base(finding), witness=proof)

    def _exchange(
        self, rule: Rule, finding: Finding, old_op: Operation | None, new_op: Operation | None
    ) -> Witness | None:
        if not rule.breaking or (old_op is None and new_op is None):
            return None
        compiled = (self.witnesses.compiled("old"), self.witnesses.compiled("new"))
        schemas = (self.pair.old_schemas, self.pair.new_schemas)
        return exchange(rule.id, finding, old_op, new_op, compiled, schemas, self._versions())

    def _versions(self) -> tuple[str, str]:
        return self.pair.old.version, self.pair.new.version

    def _base(self, finding: Finding) -> str:
        return (self.pair.old if finding.in_old else self.pair.new).base_uri

    def _walk(self, start: SchemaPair, seen: set[tuple[str, str, str]]) -> None:
        # Memoised by the pair of schema locations: recursive schemas terminate, shared ones report once.
        # Breadth first: a pair is met first by its shortest path from the root, which is the path its
        # witness is embedded along. Depth first, in a description whose schemas reference each other
        # in cycles, that path grew with the document (465 steps on average on a GitHub-shaped one),
        # so every probe payload did, and deep witnesses were not found (a lowered maxLength 9 steps down).
        stack = collections.deque([start])
        while stack:
            sp = stack.popleft()
            key = (sp.old.uri, sp.new.uri, sp.direction)
            if key in seen:
                continue
            seen.add(key)
            file, _, pointer = sp.new.uri.partition("#")
            limits.check(pointer, file)
            never = sp.old.never or sp.new.never
            for rule in self.rules.get((SCHEMA, sp.direction), []):
                if never and rule.check.__name__ not in _FALSE_RULES:
                    continue
                for finding in rule.check(sp):
                    if rule.breaking and rule.proof != EXCHANGE:
                        # Searched for once the walk is over, every place compiled at once (_prove).
                        self._unproven.append((len(self.changes), rule, finding, sp))
                        self.changes.append(self._schema_change(rule, finding, sp))
                        continue
                    witness = self._schema_exchange(sp, finding) if rule.breaking else None
                    self.changes.append(self._schema_change(rule, finding, sp, witness=witness))
            if not never:
                stack.extend(sp.children())

    def _prove(self) -> None:
        """The witness search for every break a payload must prove (policy 16), in the order found.

        The places of the changes are compiled together first: one by one, each compiled again all
        it reaches, in a description whose schemas reference each other the whole document, so the
        diff cost changes x document (GitHub-shaped 10 MB: 146 places, 40 ms each, half the diff).
        """
        self.witnesses.prepare(sp for _, _, _, sp in self._unproven)
        for at, rule, finding, sp in self._unproven:
            # Degrades per schema pair: where a schema does not compile, the break stands
            # unwitnessed and says why; everywhere else the search runs as usual.
            note = self.witnesses.blocked(sp)
            witness = None if note is not None else self.witnesses.find(sp, finding, undeclared=rule.proof == OPEN)
            unproven = note is None and witness is None
            self.changes[at] = self._schema_change(rule, finding, sp, witness=witness, unproven=unproven, note=note)
        self._unproven.clear()

    def _schema_change(
        self,
        rule: Rule,
        finding: Finding,
        sp: SchemaPair,
        *,
        witness: Witness | None = None,
        unproven: bool = False,
        note: str | None = None,
    ) -> Change:
        uri = sp.old.uri if finding.in_old else sp.new.uri
        return self._change(
            rule,
            finding,
            sp.root.operation.label,
            uri.partition("#")[0],
            default_pointer=uri.partition("#")[2],
            schema=True,
            witness=witness,
            root=sp.root,
            unproven=unproven,
            note=note,
        )

    def _schema_exchange(self, sp: SchemaPair, finding: Finding) -> Witness:
        """A behaviour change the validators do not see: a payload and what each version does with it."""
        root = sp.root
        old_s = self.pair.old_schemas
        payload = sample_payload(old_s, root.old_uri, root.old_media)
        old_v, new_v = self._versions()
        what = "request" if root.direction == REQUEST else "response"
        problem = f"{new_v}: {finding.message}"
        body = {what: payload, "where": root.where, "old": f"{old_v} as documented", "new": problem}
        return Witness(body, "exchange", old_v, new_v, problem, kind="exchange")

    def _add(
        self, rule: Rule, finding: Finding, operation: str | None, file_uri: str, *, witness: Witness | None = None
    ) -> None:
        self.changes.append(self._change(rule, finding, operation, file_uri, witness=witness))

    def _change(
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
        unproven: bool = False,
        note: str | None = None,
    ) -> Change:
        pointer = finding.pointer or default_pointer
        contract = self.pair.old if finding.in_old else self.pair.new
        message = finding.message if root is None else f"{root.where}: {finding.message}"
        return Change(
            id=rule.id,
            breaking=rule.breaking and not unproven,
            bump="patch" if unproven else rule.bump,
            message=message,
            pointer=contract.source_pointer(file_uri, pointer),  # as written, also for a 3.0 description
            operation=operation,
            file=file_uri,
            line=contract.line_of(f"{file_uri}#{pointer}"),
            schema_change=schema,
            witness=witness,
            unproven=unproven,
            witness_note=note,
        )


def _roots(op: OperationPair, *, sent_by_api: bool = False) -> Iterator[Root]:
    """The payload schemas of one operation present in both versions (directions swapped for a
    webhook or callback, whose request the API sends and whose response the consumer sends)."""
    if sent_by_api:
        swap: dict[Direction, Direction] = {REQUEST: RESPONSE, RESPONSE: REQUEST}
        for root in _roots(op):
            yield dataclasses.replace(root, direction=swap[root.direction])
        return
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
