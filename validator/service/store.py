"""Reading and writing verification records (all SQL lives here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

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
