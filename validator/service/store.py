"""Reading and writing verification records (all SQL lives here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import LargeBinary, Text, cast, func, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer

from ..payload import dumps
from .db import Database
from .models import Verification

# What a record weighs in a listing besides its report (ids, names, versions, counts, time, JSON syntax).
_RECORD_OVERHEAD = 400


@dataclass(frozen=True, slots=True)
class NewVerification:
    """What a client reports about one contract-test run."""

    provider: str
    provider_version: str
    contract: str
    contract_version: str
    ok: bool
    cases: int | None = None
    failures: int | None = None
    report: Any = None


@dataclass(frozen=True, slots=True)
class Filter:
    """Which records to list (every field optional), newest first, ``before`` an id for paging."""

    provider: str | None = None
    provider_version: str | None = None
    contract: str | None = None
    contract_version: str | None = None
    ok: bool | None = None
    before: int | None = None
    limit: int = 100


@dataclass(frozen=True, slots=True)
class Stored:
    """The outcome of an idempotent add: the record, and whether this call created it."""

    record: dict[str, Any] | None  # None: the key was used for a different record
    created: bool


def add(db: Database, new: NewVerification, key: str | None = None, digest: str | None = None) -> dict[str, Any]:
    """Store one record; return it as the API shows it."""
    row = Verification(
        provider=new.provider,
        provider_version=new.provider_version,
        contract=new.contract,
        contract_version=new.contract_version,
        ok=new.ok,
        cases=new.cases,
        failures=new.failures,
        report=new.report,
        created_at=datetime.now(UTC),
        idempotency_key=key,
        request_digest=digest,
    )
    with db.session() as session:
        session.add(row)
        session.flush()
        return row.to_dict()


def add_once(db: Database, new: NewVerification, key: str, digest: str) -> Stored:
    """Store the record unless ``key`` already stored one: that one comes back when ``digest`` matches."""
    found = _by_key(db, key)
    if found is None:
        try:
            return Stored(add(db, new, key, digest), created=True)
        except IntegrityError:  # a concurrent request with the same key stored it first
            found = _by_key(db, key)
            if found is None:
                raise
    row_digest, record = found
    return Stored(record if row_digest == digest else None, created=False)


def _by_key(db: Database, key: str) -> tuple[str | None, dict[str, Any]] | None:
    with db.session() as session:
        row = session.scalars(select(Verification).where(Verification.idempotency_key == key)).first()
        return None if row is None else (row.request_digest, row.to_dict())


def get(db: Database, record_id: int) -> dict[str, Any] | None:
    """One record by id."""
    with db.session() as session:
        row = session.get(Verification, record_id)
        return row.to_dict() if row is not None else None


def find(db: Database, where: Filter) -> list[dict[str, Any]]:
    """Records matching ``where``, newest first."""
    query = _filtered(select(Verification), where).order_by(Verification.id.desc()).limit(where.limit)
    with db.session() as session:
        return [row.to_dict() for row in session.scalars(query)]


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a listing: each record as JSON, and the id to continue ``before`` (None: no more)."""

    records: list[bytes]
    next_before: int | None


def page(db: Database, where: Filter, max_bytes: int) -> Page:
    """Records matching ``where``, newest first, as many as ``where.limit`` and ``max_bytes`` allow.

    The reports are not read to be measured: their sizes come from the database first, then only the
    reports that fit are fetched. A page holds at least one record, however large.
    """
    sizes = _filtered(select(Verification.id, _report_size(db)), where).order_by(Verification.id.desc())
    with db.session() as session:
        weighed = _weighed(session, sizes.limit(where.limit))
        ids = _fitting(weighed, max_bytes)
        records = [dumps(row.to_dict()) for row in _rows(session, ids)]
    more = len(ids) < len(weighed) or len(weighed) == where.limit
    return Page(records, ids[-1] if more and ids else None)


def with_reports(db: Database, ids: Sequence[int], max_bytes: int) -> list[dict[str, Any]]:
    """The records ``ids`` (newest first) with their reports, as many as fit ``max_bytes`` (at least one)."""
    sizes = select(Verification.id, _report_size(db)).where(Verification.id.in_(ids))
    with db.session() as session:
        weighed = sorted(_weighed(session, sizes), reverse=True)
        return [row.to_dict() for row in _rows(session, _fitting(weighed, max_bytes))]


def _weighed(session: Any, sizes: Any) -> list[tuple[int, int]]:
    return [(int(row[0]), int(row[1] or 0) + _RECORD_OVERHEAD) for row in session.execute(sizes)]


def _fitting(weighed: list[tuple[int, int]], max_bytes: int) -> list[int]:
    """The ids of the longest prefix weighing at most ``max_bytes`` (the first one whatever it weighs)."""
    ids: list[int] = []
    total = 0
    for record_id, weight in weighed:
        if ids and total + weight > max_bytes:
            break
        ids.append(record_id)
        total += weight
    return ids


def _rows(session: Any, ids: list[int]) -> Any:
    return session.scalars(select(Verification).where(Verification.id.in_(ids)).order_by(Verification.id.desc()))


def _report_size(db: Database) -> Any:
    """SQL for the size in bytes of a record's report as JSON text (what the listing sends)."""
    if db.is_sqlite:
        return func.length(cast(Verification.report, LargeBinary))
    return func.octet_length(cast(Verification.report, Text))


def _filtered(query: Any, where: Filter) -> Any:
    for column, value in (
        (Verification.provider, where.provider),
        (Verification.provider_version, where.provider_version),
        (Verification.contract, where.contract),
        (Verification.contract_version, where.contract_version),
        (Verification.ok, where.ok),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.before is not None:
        query = query.where(Verification.id < where.before)
    return query


def for_build(
    db: Database, provider: str, provider_version: str, contract: str, limit: int = 50
) -> Sequence[dict[str, Any]]:
    """The newest records of one provider build against one contract (any version), each report cut down
    to what the decision reads, ``observed.model_versions`` (see :func:`with_reports` for whole ones)."""
    where = Filter(provider=provider, provider_version=provider_version, contract=contract, limit=limit)
    served = Verification.report["observed"]["model_versions"]  # read in the database: no report is loaded
    query = _filtered(select(Verification, served), where).options(defer(Verification.report))
    out = []
    with db.session() as session:
        for row, model_versions in session.execute(query.order_by(Verification.id.desc()).limit(limit)):
            record = row.to_dict(with_report=False)
            record["report"] = None if model_versions is None else {"observed": {"model_versions": model_versions}}
            out.append(record)
    return out


@dataclass(frozen=True, slots=True)
class Cell:
    """The newest verification of one provider build against one contract version (no report)."""

    id: int
    provider: str
    provider_version: str
    contract_version: str
    ok: bool
    failures: int | None
    created_at: str


def latest_cells(db: Database, contract: str, builds: int = 50) -> list[Cell]:
    """For the ``builds`` most recently verified provider builds of ``contract``, the newest record per
    contract version: what the verification matrix shows. Reports are not read."""
    build_key = (Verification.provider, Verification.provider_version)
    recent = (
        select(*build_key)
        .where(Verification.contract == contract)
        .group_by(*build_key)
        .order_by(func.max(Verification.id).desc())
        .limit(builds)
    )
    with db.session() as session:
        wanted = [tuple(row) for row in session.execute(recent)]
        if not wanted:
            return []
        newest = (
            select(func.max(Verification.id))
            .where(Verification.contract == contract, tuple_(*build_key).in_(wanted))
            .group_by(*build_key, Verification.contract_version)
        )
        columns = (
            Verification.id,
            Verification.provider,
            Verification.provider_version,
            Verification.contract_version,
            Verification.ok,
            Verification.failures,
            Verification.created_at,
        )
        rows = session.execute(select(*columns).where(Verification.id.in_(newest)).order_by(Verification.id.desc()))
        return [Cell(r[0], r[1], r[2], r[3], bool(r[4]), r[5], _when(r[6])) for r in rows]


def contract_summaries(db: Database) -> dict[str, tuple[int, str]]:
    """Per contract: how many verifications are recorded and when the newest was (for the catalogue)."""
    query = select(Verification.contract, func.count(), func.max(Verification.created_at)).group_by(
        Verification.contract
    )
    with db.session() as session:
        return {row[0]: (int(row[1]), _when(row[2])) for row in session.execute(query)}


def _when(value: datetime | str | None) -> str:
    """A stored timestamp as the API shows it (SQLite hands back naive UTC, sometimes as text)."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
