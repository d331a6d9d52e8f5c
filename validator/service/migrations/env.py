"""Alembic environment: migrations run on the connection the service hands over (never a second engine)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from validator.service.models import Base

connection: Connection | None = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the service runs these migrations
    raise RuntimeError("run migrations through validator.service.db.Database.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
