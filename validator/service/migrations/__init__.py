"""Alembic environment and versions of the service's schema (applied at start-up)."""
