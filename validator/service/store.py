"""Reading and writing verification records (all SQL lives here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, tuple_

from .db import Database
from .models import Verification


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


def add(db: Database, new: NewVerification) -> dict[str, Any]:
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
    )
    with db.session() as session:
        session.add(row)
        session.flush()
        return row.to_dict()


def get(db: Database, record_id: int) -> dict[str, Any] | None:
    """One record by id."""
    with db.session() as session:
        row = session.get(Verification, record_id)
        return row.to_dict() if row is not None else None


def find(db: Database, where: Filter) -> list[dict[str, Any]]:
    """Records matching ``where``, newest first."""
    query = select(Verification)
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
    query = query.order_by(Verification.id.desc()).limit(where.limit)
    with db.session() as session:
        return [row.to_dict() for row in session.scalars(query)]


def for_build(
    db: Database, provider: str, provider_version: str, contract: str, limit: int = 50
) -> Sequence[dict[str, Any]]:
    """The newest records of one provider build against one contract (any version)."""
    where = Filter(provider=provider, provider_version=provider_version, contract=contract, limit=limit)
    return find(db, where)


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
