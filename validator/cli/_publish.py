"""``contracts test --publish URL``: send the run's outcome to the contract service as a verification record."""

from __future__ import annotations

from typing import Any

import httpx

from ..errors import UnreachableError, UsageError


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
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    endpoint = url.rstrip("/") + "/api/v1/verifications"
    try:
        response = httpx.post(endpoint, json=record, headers=headers, timeout=timeout)
    except httpx.TransportError as exc:
        raise UnreachableError(f"cannot publish to {endpoint}: {exc}") from None
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


def _detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    return str(body.get("detail") or body.get("title") or body) if isinstance(body, dict) else str(body)[:200]
