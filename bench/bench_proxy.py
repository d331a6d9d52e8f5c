"""Proxy overhead on loopback: an upstream alone vs through `contracts proxy` (report, enforce) vs through
`prism proxy` (Stoplight Prism 5.14.2, plain and with --errors), all in front of the same upstream process.

Two upstreams, one after the other: ``bench/_upstream_app.py``, a bare ASGI endpoint answering a valid
recommendation, so that the figures are the proxies' own cost; then the reference service, a real model
API, which spends milliseconds per request scoring its catalogue (behind it every proxy looks cheap and
all proxies look alike).

One run, interleaved rounds, wrk. Requests are ``POST /v1/recommendations`` of recommendation-api 1.1.0
with a valid body (answered 200 by the upstream, checked both ways by the proxies). Two loads:

- throughput: 32 connections, saturating (the targets: >= 0.5x the upstream's req/s, >= 4x Prism's);
- latency: 1 connection, one request at a time, so the p99 is the path's own latency rather than queueing
  behind 31 other connections (the target: at most 2 ms added to the upstream's p99). The p99 added
  under the saturating load is printed beside it.

Figures are medians over rounds; ratios are the median of per-round ratios. wrk comes from Debian's
packages and Prism from the npm registry (as in ``bench_mock``); without them the bench says so.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench.bench_mock import (
    CONTRACT,
    STACKS,
    VALID,
    Target,
    _check,
    _cpu_seconds,
    _ensure_prism,
    _ensure_wrk,
    _server,
    _uvicorn,
    _wrk,
)

VENV_BIN = Path(sys.executable).parent
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SATURATING, SEQUENTIAL = 32, 1
STACK = STACKS["httptools"]  # the upstream on the stack `contracts proxy` ships with


def main() -> None:
    """Run the interleaved benchmark against each upstream and print figures, ratios and the issue's targets."""
    wrk = _ensure_wrk()
    if wrk is None:
        print("SKIPPED proxy overhead: wrk is not installed and `apt-get install -y wrk` failed")
        return
    prism = _ensure_prism()
    if prism is None:
        print("Prism SKIPPED: @stoplight/prism-cli could not be installed with npm; the comparison is left out")
    for name, argv in UPSTREAMS.items():
        print(f"--- upstream: {name}")
        targets, latency = _measure(wrk, prism, argv)
        _report(targets, latency)


# The constant upstream shows the proxies' own cost; the reference service is a real model API behind them.
UPSTREAMS = {
    "constant valid answer (bench/_upstream_app.py)": _uvicorn("bench._upstream_app:app", STACK),
    "reference service (examples/recommendation-service)": [
        str(VENV_BIN / "python"),
        str(Path(__file__).resolve().parents[1] / "examples" / "recommendation-service" / "serve.py"),
        "--port",
        "{port}",
    ],
}


def _measure(wrk: str, prism: Path | None, upstream_argv: list[str]) -> tuple[list[Target], dict[str, Target]]:
    with ExitStack() as stack:
        upstream = stack.enter_context(_server(upstream_argv, "/v1/models/current"))
        targets = [Target("upstream alone", upstream.url, VALID, 200, upstream.pid)]
        for mode in ("report", "enforce"):
            argv = [str(VENV_BIN / "contracts"), "proxy", str(CONTRACT), "--upstream", upstream.url]
            proxy = stack.enter_context(_server([*argv, "--mode", mode, "--port", "{port}"], "/__proxy/health"))
            targets.append(Target(f"contracts proxy {mode}", proxy.url, VALID, 200, proxy.pid))
        if prism is not None:
            spec = str(CONTRACT / "openapi.yaml")
            for name, extra in (("prism proxy", []), ("prism proxy --errors", ["--errors"])):
                server = stack.enter_context(
                    _server(
                        [str(prism), "proxy", spec, upstream.url, *extra, "-h", "127.0.0.1", "-p", "{port}"],
                        "/v1/models/current",
                        timeout=60,
                    )
                )
                targets.append(Target(name, server.url, VALID, 200, server.pid))
        for target in targets:
            _check(target)
        latency = {t.name: Target(t.name, t.url, t.body, t.expect, t.pid) for t in targets}
        with tempfile.TemporaryDirectory() as scratch:
            where = Path(scratch)
            for target in targets:  # warm-up
                _wrk(wrk, target, 1.0, where)
            for _ in range(ROUNDS):
                for target in targets:
                    before = _cpu_seconds(target.pid)
                    rps, p99, count = _wrk(wrk, target, SECONDS, where)
                    target.cpu_us.append((_cpu_seconds(target.pid) - before) / max(count, 1) * 1e6)
                    target.rps.append(rps)
                    target.p99_ms.append(p99)
                for target in latency.values():
                    rps, p99, _ = _wrk(wrk, target, SECONDS, where, connections=SEQUENTIAL, threads=1)
                    target.rps.append(rps)
                    target.p99_ms.append(p99)
    return targets, latency


def _report(targets: list[Target], latency: dict[str, Target]) -> None:
    base = targets[0]

    def ratio(a: Target, b: Target) -> float:
        return statistics.median(x / y for x, y in zip(a.rps, b.rps, strict=True))

    def added(a: Target, b: Target) -> float:
        return statistics.median(x - y for x, y in zip(a.p99_ms, b.p99_ms, strict=True))

    print(
        f"wrk, {ROUNDS} interleaved rounds of {SECONDS:g}s, medians; throughput at -t2 -c{SATURATING}, "
        f"latency at -t1 -c{SEQUENTIAL}; CPU = the server's own CPU time per request (the upstream's not included)"
    )
    print(
        f"{'target':<24}{'req/s':>9}{'x upstream':>11}{'p99 ms':>9}{'CPU us':>9}"
        f"{'seq req/s':>11}{'seq p99 ms':>12}{'added p99':>11}   rounds (req/s)"
    )
    for t in targets:
        seq = latency[t.name]
        print(
            f"{t.name:<24}{statistics.median(t.rps):>9.0f}{ratio(t, base):>11.2f}{statistics.median(t.p99_ms):>9.2f}"
            f"{statistics.median(t.cpu_us):>9.1f}{statistics.median(seq.rps):>11.0f}"
            f"{statistics.median(seq.p99_ms):>12.2f}{added(seq, latency[base.name]):>11.2f}   "
            + ", ".join(f"{r:.0f}" for r in t.rps)
        )
    by_name = {t.name: t for t in targets}
    checks: list[tuple[str, bool]] = []
    for mode in ("report", "enforce"):
        ours = by_name[f"contracts proxy {mode}"]
        value = ratio(ours, base)
        checks.append((f"{mode}: {value:.2f}x the upstream's req/s (>= 0.5x)", value >= 0.5))
        extra = added(latency[ours.name], latency[base.name])
        checks.append((f"{mode}: {extra:.2f} ms added to p99, one connection (<= 2 ms)", extra <= 2.0))
        loaded = added(ours, base)
        print(f"{mode}: p99 added under {SATURATING} connections: {loaded:.2f} ms (queueing included)")
        for prism_name, kind in (("prism proxy", "report"), ("prism proxy --errors", "enforce")):
            if prism_name in by_name and kind == mode:
                versus = ratio(ours, by_name[prism_name])
                checks.append((f"{mode}: {versus:.2f}x {prism_name} (>= 4x)", versus >= 4.0))
    for label, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}")


if __name__ == "__main__":
    main()
