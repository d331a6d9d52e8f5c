"""Compressed bodies: passed on as they came, checked on a decoded copy, and a decompression bomb costs no more
than the bound."""

from __future__ import annotations

import gzip
import json
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import brotli
import httpx
import pytest

from proxy.encoding import EncodingError, decode
from tests.proxy.conftest import json_upstream, running_proxy
from tests.support.paths import CONTRACTS
from validator.loader import load

RECOMMENDATIONS = load("recommendation-api@1.1.0", CONTRACTS).operation("getRecommendations")
REQUEST = RECOMMENDATIONS.interactions["returning-customer"].request
VALID = json.dumps(RECOMMENDATIONS.interactions["returning-customer"].response).encode()
INVALID = VALID.replace(b'"score": 0.', b'"score": 7.', 1)


def _gzip(body: bytes) -> bytes:
    return gzip.compress(body, mtime=0)  # the same bytes each time: what the caller gets is compared


COMPRESS = {
    "gzip": _gzip,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "gzip, br": lambda b: brotli.compress(_gzip(b)),
}


def _raw_deflate(body: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(body) + packer.flush()


@pytest.mark.parametrize("coding", sorted(COMPRESS))
def test_each_coding_decodes_to_the_body(coding: str) -> None:
    assert decode(COMPRESS[coding](VALID), coding, 1 << 20) == VALID


def test_raw_deflate_and_concatenated_gzip_members_decode() -> None:
    assert decode(_raw_deflate(VALID), "deflate", 1 << 20) == VALID
    assert decode(_gzip(VALID) + _gzip(VALID), "gzip", 1 << 20) == VALID + VALID


@pytest.mark.parametrize(
    ("coding", "body", "why"),
    [
        ("gzip", _gzip(VALID)[:-12], "broken"),
        ("br", brotli.compress(VALID)[:-4], "broken"),
        ("gzip", b"not gzip at all", "broken"),
        ("br", b"not brotli at all", "broken"),
        ("zstd", b"\x28\xb5\x2f\xfd", "unknown"),
    ],
)
def test_a_body_that_is_not_what_its_coding_says_is_named(coding: str, body: bytes, why: str) -> None:
    with pytest.raises(EncodingError) as caught:
        decode(body, coding, 1 << 20)
    assert caught.value.why == why and (coding in caught.value.reason)


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_decompression_bomb_stops_at_the_bound(coding: str) -> None:
    bomb = COMPRESS[coding](b"\0" * (64 << 20))  # 64 MiB of zeros: a few kilobytes compressed
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(EncodingError) as caught:
            decode(bomb, coding, 1 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.why == "too-large" and "larger than 1048576 bytes" in caught.value.reason
    assert peak < 4 << 20  # the bound and a block or two, not the 64 MiB


def _compressed(coding: str, body: bytes) -> Any:
    def answer(path: str, request: bytes) -> tuple[int, Any, dict[str, str]]:
        return 200, COMPRESS[coding](body), {"content-encoding": coding, "x-request-id": "r-1"}

    return answer


def _raw_post(base: str, **kwargs: Any) -> tuple[int, dict[str, str], bytes]:
    """The answer's bytes as they came over the wire (httpx would decode them)."""
    with httpx.Client() as client, client.stream("POST", f"{base}/v1/recommendations", json=REQUEST, **kwargs) as r:
        return r.status_code, dict(r.headers), b"".join(r.iter_raw())


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_a_compressed_answer_passes_on_untouched_and_is_checked_decoded(coding: str, proxy_log: Path) -> None:
    with json_upstream(_compressed(coding, VALID)) as (upstream, _), running_proxy(upstream, log=proxy_log) as base:
        status, headers, raw = _raw_post(base)
        report = httpx.get(f"{base}/__proxy/report").json()
    assert status == 200 and headers["content-encoding"] == coding
    assert raw == COMPRESS[coding](VALID)  # the caller gets the bytes the upstream sent
    assert report["violations"] == 0, report


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "gzip, br"])
def test_a_compressed_answer_breaking_the_schema_is_found(coding: str) -> None:
    with (
        json_upstream(_compressed(coding, INVALID)) as (upstream, _),
        running_proxy(upstream, "--mode", "enforce") as base,
    ):
        replaced = httpx.post(f"{base}/v1/recommendations", json=REQUEST)
    assert replaced.status_code == 502
    assert [e["pointer"] for e in replaced.json()["errors"]] == ["/recommendations/0/score"]


def test_a_corrupt_compressed_answer_is_a_violation_and_enforce_replaces_it(proxy_log: Path) -> None:
    cut = _gzip(VALID)[:-20]

    def corrupt(path: str, request: bytes) -> tuple[int, Any, dict[str, str]]:
        return 200, cut, {"content-encoding": "gzip"}

    with json_upstream(corrupt) as (upstream, _):
        with running_proxy(upstream) as base:
            passed = _raw_post(base)
            report = httpx.get(f"{base}/__proxy/report").json()
        with running_proxy(upstream, "--mode", "enforce") as base:
            replaced = httpx.post(f"{base}/v1/recommendations", json=REQUEST)
    assert passed[0] == 200 and passed[2] == cut
    (found,) = report["operations"][0]["violations"]
    assert found["check"] == "response_encoding" and "cut short" in found["message"]
    assert replaced.status_code == 502 and "gzip" in replaced.json()["errors"][0]["message"]


def test_a_decompression_bomb_passes_through_unchecked_and_the_log_says_why(proxy_log: Path) -> None:
    bomb = _gzip(b" " * (32 << 20))  # whitespace: valid JSON padding, 32 MiB once decoded

    def answer(path: str, request: bytes) -> tuple[int, Any, dict[str, str]]:
        return 200, bomb, {"content-encoding": "gzip"}

    with json_upstream(answer) as (upstream, _), running_proxy(upstream, "--mode", "enforce", log=proxy_log) as base:
        status, _, raw = _raw_post(base)
        health = httpx.get(f"{base}/__proxy/health")
    assert status == 200 and raw == bomb and health.status_code == 200
    lines = [json.loads(x) for x in proxy_log.read_text().splitlines() if x.startswith("{")]
    (exchange,) = [x for x in lines if x.get("path") == "/v1/recommendations"]
    assert "larger than 1048576 bytes once gzip is decoded" in exchange["unchecked"]
    assert exchange["action"] == "forwarded" and exchange["violations"] == []


def test_a_compressed_request_is_judged_on_its_decoded_body() -> None:
    def echo(path: str, request: bytes) -> tuple[int, Any, dict[str, str]]:
        return 200, VALID, {"x-request-id": "r-1"}

    headers = {"content-type": "application/json", "content-encoding": "gzip"}
    valid, invalid = json.dumps(REQUEST).encode(), json.dumps({**REQUEST, "n": 0}).encode()
    with json_upstream(echo) as (upstream, seen), running_proxy(upstream, "--mode", "enforce") as base:
        passed = httpx.post(f"{base}/v1/recommendations", content=_gzip(valid), headers=headers)
        refused = httpx.post(f"{base}/v1/recommendations", content=_gzip(invalid), headers=headers)
        corrupt = httpx.post(f"{base}/v1/recommendations", content=b"\x1f\x8bnope", headers=headers)
    assert passed.status_code == 200
    assert refused.status_code == 422 and [e["pointer"] for e in refused.json()["errors"]] == ["/n"]
    assert corrupt.status_code in (400, 422) and "gzip" in corrupt.json()["errors"][0]["message"]
    assert [r.body for r in seen] == [_gzip(valid)]  # forwarded as sent, the invalid ones never
