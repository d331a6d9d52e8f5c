"""The service's settings in one place: ``CONTRACTS_*`` environment variables; command-line flags override."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from mocks.http_limits import HttpLimits

from .. import limits

DEFAULT_DATABASE_URL = "sqlite:///.contracts/contracts.db"
_HTTP = HttpLimits()  # the defaults of `contracts mock` are the service's


def default_analysis_workers() -> int:
    """One analysis worker per CPU this process may run on, less the one left to the event loop (1 to 8)."""
    # With every core busy analysing, /healthz waited behind the workers: on 2 cores its p99 under
    # 10 hostile clients was 5.4-5.9 ms with 2 workers against 4.1-5.6 ms with 1 (python -m bench hostile).
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 2
    return max(1, min(8, cpus - 1))


class Settings(BaseSettings):
    """Everything ``contracts serve`` can be told; read from ``CONTRACTS_<FIELD>`` variables."""

    model_config = SettingsConfigDict(env_prefix="CONTRACTS_", extra="ignore", frozen=True, validate_by_name=True)

    # CONTRACTS_DIR is the variable every command already reads, so the service takes it too.
    contracts_dir: Path = Field(
        default=Path("contracts"), validation_alias=AliasChoices("CONTRACTS_DIR", "CONTRACTS_CONTRACTS_DIR")
    )
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64)
    api_tokens: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    read_requires_token: bool = False
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    # A listing page holds records up to about this many bytes (at least one record, however large).
    page_max_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    retry_after_seconds: int = Field(default=5, ge=1)
    db_connect_timeout: int = Field(default=3, ge=1)
    # Longest a statement (or a wait for a lock, or for a pooled connection) may take before 503.
    db_statement_timeout: float = Field(default=5.0, gt=0)
    log_level: str = "info"
    # A folder the worker processes of one `serve --workers N` share (reloads); set by the launcher.
    runtime_dir: Path | None = None
    # HTTP limits per worker process (see mocks.http_limits): 431, 408 and 503 past them.
    http_max_header_bytes: int = Field(default=_HTTP.max_header_bytes, ge=1024)
    http_max_headers: int = Field(default=_HTTP.max_headers, ge=8)
    http_header_timeout: float = Field(default=_HTTP.header_timeout, gt=0)
    http_body_timeout: float = Field(default=_HTTP.body_timeout, gt=0)
    http_max_connections: int = Field(default=_HTTP.max_connections, ge=1)
    http_max_pipelined: int = Field(default=_HTTP.max_pipelined, ge=1)
    # Analysis of untrusted documents (validator/limits.py): the same CONTRACTS_MAX_* variables as the CLI,
    # with a shorter time limit (a client waits for the answer), and the worker pool running it.
    max_seconds: float = Field(default=20.0, gt=0)
    max_memory_mb: int = Field(default=limits.DEFAULTS.memory_mb, ge=64)
    max_expansion: int = Field(default=limits.DEFAULTS.expansion, ge=1)
    max_regex_steps: int = Field(default=limits.DEFAULTS.regex_steps, ge=1)
    analysis_workers: int = Field(default_factory=default_analysis_workers, ge=1, le=64)
    analysis_max_pending: int = Field(default=32, ge=1)

    @field_validator("api_tokens", mode="before")
    @classmethod
    def _split_tokens(cls, value: Any) -> Any:
        """``CONTRACTS_API_TOKENS`` is a comma-separated list; blanks are dropped."""
        if isinstance(value, str):
            return tuple(t.strip() for t in value.split(",") if t.strip())
        return value

    def limits(self) -> limits.Limits:
        """The analysis limits these settings declare."""
        return limits.Limits(self.max_seconds, self.max_memory_mb, self.max_expansion, self.max_regex_steps)

    def token_values(self) -> tuple[bytes, ...]:
        """The tokens as bytes, for constant-time comparison."""
        return tuple(t.get_secret_value().encode() for t in self.api_tokens)

    def http_limits(self) -> HttpLimits:
        """The HTTP limits every worker applies."""
        return HttpLimits(
            max_header_bytes=self.http_max_header_bytes,
            max_headers=self.http_max_headers,
            header_timeout=self.http_header_timeout,
            body_timeout=self.http_body_timeout,
            max_connections=self.http_max_connections,
            max_pipelined=self.http_max_pipelined,
        )

    def public_dict(self) -> dict[str, Any]:
        """The settings without secrets (tokens are counted, never shown), for the start-up log."""
        out = self.model_dump(exclude={"api_tokens"})
        out["contracts_dir"] = str(self.contracts_dir)
        out["database_url"] = redact_url(self.database_url)
        out["api_tokens"] = len(self.api_tokens)
        return out


def redact_url(url: str) -> str:
    """A database URL with any password replaced by ``***``."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: show nothing of it
        return "(invalid URL)"
