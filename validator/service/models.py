"""The stored tables (SQLAlchemy 2 declarative): verification records of contract-test runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of the service's tables."""


class Verification(Base):
    """The outcome of one ``contracts test`` run of a provider build against a contract version."""

    __tablename__ = "verifications"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(200))
    provider_version: Mapped[str] = mapped_column(String(200))
    contract: Mapped[str] = mapped_column(String(200))
    contract_version: Mapped[str] = mapped_column(String(100))
    ok: Mapped[bool] = mapped_column(Boolean)
    cases: Mapped[int | None] = mapped_column(Integer)
    failures: Mapped[int | None] = mapped_column(Integer)
    # json, not jsonb: jsonb cannot hold "\u0000", which a report may quote from a response.
    report: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The Idempotency-Key of the POST that stored the record, and a digest of what was posted: a retry
    # with the same key gets this record back; the same key with another record is refused.
    idempotency_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    request_digest: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        # can-i-deploy asks for one build of one provider against one contract, newest first.
        Index("ix_verifications_build", "provider", "provider_version", "contract", "id"),
        Index("ix_verifications_contract", "contract", "contract_version", "id"),
        Index("ux_verifications_idempotency_key", "idempotency_key", unique=True),
    )

    def to_dict(self, *, with_report: bool = True) -> dict[str, Any]:
        """The record as the API shows it (``with_report=False``: without the report, which is not read)."""
        created = self.created_at if self.created_at.tzinfo else self.created_at.replace(tzinfo=UTC)
        out = {
            "id": self.id,
            "provider": self.provider,
            "provider_version": self.provider_version,
            "contract": self.contract,
            "contract_version": self.contract_version,
            "ok": self.ok,
            "cases": self.cases,
            "failures": self.failures,
            "created_at": created.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        }
        if with_report:
            out["report"] = self.report
        return out
