"""``contracts test --publish URL``: send the run's outcome to the contract service as a verification record."""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from ..errors import UnreachableError, UsageError

ATTEMPTS = 3
MAX_WAIT = 10.0  # seconds waited before a retry, whatever Retry-After says


def check_publish_options(url: str | None, provider: str | None, provider_version: str | None) -> None:
    """``--publish`` needs ``--provider`` and ``--provider-version``; refuse before any test runs."""
    if url is None:
        if provider or provider_version:
            raise UsageError("--provider and --provider-version only make sense with --publish URL")
        return
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--publish {url!r} is not an http(s) URL", hint="e.g. --publish http://contracts:8080")
    if not provider or not provider_version:
        raise UsageError(
            "--publish needs --provider NAME and --provider-version V",
            hint="the version is the build under test, e.g. a git sha",
        )


def publish(
    url: str,
    token: str | None,
    *,
    provider: str,
    provider_version: str,
    contract: str,
    contract_version: str,
    report: dict[str, Any],
    timeout: float = 30.0,
) -> dict[str, Any]:
    """POST the record to ``URL/api/v1/verifications``; return the stored record (with its id)."""
    record = {
        "provider": provider,
        "provider_version": provider_version,
        "contract": contract,
        "contract_version": contract_version,
        "ok": bool(report.get("ok")),
        "report": report,
    }
    # One key for every attempt: a retry after a lost answer or a 503 stores the record once.
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    endpoint = url.rstrip("/") + "/api/v1/verifications"
    response = _post(endpoint, record, headers, timeout)
    if response.status_code != 201:
        detail = _detail(response)
        hint = (
            "set CONTRACTS_API_TOKEN (or --publish-token) to a token the service accepts"
            if response.status_code == 401
            else None
        )
        raise UsageError(f"the service refused the verification record ({response.status_code}): {detail}", hint=hint)
    stored: dict[str, Any] = response.json()
    return stored


def _post(endpoint: str, record: dict[str, Any], headers: dict[str, str], timeout: float) -> httpx.Response:
    """POST, trying again (same key) after a transport error or a 503, up to ATTEMPTS times."""
    for attempt in range(1, ATTEMPTS + 1):
        try:
            response = httpx.post(endpoint, json=record, headers=headers, timeout=timeout)
        except httpx.TransportError as exc:
            if attempt == ATTEMPTS:
                raise UnreachableError(f"cannot publish to {endpoint}: {exc}") from None
            time.sleep(attempt)
            continue
        if response.status_code != 503 or attempt == ATTEMPTS:
            return response
        retry_after = response.headers.get("retry-after", "")
        time.sleep(min(float(retry_after), MAX_WAIT) if retry_after.isdigit() else attempt)
    raise AssertionError("unreachable")  # the loop returns or raises on its last attempt


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail") or body.get("title") or body) if isinstance(body, dict) else str(body)[:200]
