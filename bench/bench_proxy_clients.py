"""The upstream client of ``contracts proxy``: CPU time per forwarded request, the maintained clients side by side.

What the proxy adds to a request is mostly two HTTP legs; the client leg is the one we choose. Each client
sends the same valid POST, one request at a time over a kept-alive connection, to the constant upstream
(``bench/_upstream_app.py``) on uvloop, in interleaved rounds; the figure is the client process's own CPU
time per request (median of rounds). ``contracts`` (the proxy's own forwarding: aiohttp behind
``proxy.upstream.Forwarder``), aiohttp alone, httpx and httpcore run in the project's venv; httpx2 and
httpcore2 (Pydantic's maintained fork of httpx), aiosonic and pyreqwest (not dependencies of the project)
in a scratch venv made with uv under ``~/.cache/contracts-bench``, pinned below. httpx and httpx2 are set up
as cheaply as a proxy can use them (one shared client, HTTP/1.1 only, no environment lookups, raw body
streamed); httpcore/httpcore2 are their connection pools alone, the floor of that stack. Without uv or the
registry the scratch-venv clients are left out.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.bench_mock import STACKS, _server, _uvicorn

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "3000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
OTHERS = {"httpx2": "httpx2==2.17.0", "aiosonic": "aiosonic==1.3.3", "pyreqwest": "pyreqwest==0.15.1"}
# Installed with the pins above (httpx2 pins its httpcore2 exactly).
SCRATCH_ONLY = ("httpx2", "httpcore2", "aiosonic", "pyreqwest")
SCRATCH = Path(os.environ.get("CLIENTS_VENV", Path.home() / ".cache" / "contracts-bench" / "clients-venv"))
SCRIPT = Path(__file__).with_name("_client_cost.py")


def main() -> None:
    """Measure each client in interleaved rounds and print CPU and wall time per request."""
    python = Path(sys.executable)
    clients: dict[str, Path] = dict.fromkeys(("contracts", "aiohttp", "httpx", "httpcore"), python)
    scratch = _scratch_venv()
    if scratch is None:
        print(f"{', '.join(SCRATCH_ONLY)} SKIPPED: no scratch venv at {SCRATCH} (uv or the registry missing)")
    else:
        clients.update(dict.fromkeys(SCRATCH_ONLY, scratch))
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in clients}
    with _server(_uvicorn("bench._upstream_app:app", STACKS["httptools"]), "/v1/models/current") as upstream:
        url = upstream.url + "/v1/recommendations"
        for _ in range(ROUNDS):
            for name, interpreter in clients.items():
                done = subprocess.run(
                    [str(interpreter), str(SCRIPT), name, url, str(REQUESTS)],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                if done.returncode != 0:
                    raise RuntimeError(f"{name}: {done.stderr.strip()[-500:]}")
                cpu, wall = (float(x) for x in done.stdout.split())
                figures[name].append((cpu, wall))
    print(f"{REQUESTS} sequential POSTs per round, {ROUNDS} interleaved rounds, medians; CPU = the client process's")
    print(f"{'client':<12}{'CPU us/req':>12}{'wall us/req':>13}{'x proxy':>9}   rounds (CPU us)")
    proxy = statistics.median(c for c, _ in figures["contracts"])
    for name, values in sorted(figures.items(), key=lambda kv: statistics.median(c for c, _ in kv[1])):
        cpu = statistics.median(c for c, _ in values)
        wall = statistics.median(w for _, w in values)
        rounds = ", ".join(f"{c:.0f}" for c, _ in values)
        print(f"{name:<12}{cpu:>12.1f}{wall:>13.1f}{cpu / proxy:>9.1f}   {rounds}")


def _scratch_venv() -> Path | None:
    """The scratch venv's python with the other clients installed (made once), or None."""
    python = SCRATCH / "bin" / "python"
    marker = SCRATCH / (".installed-" + "-".join(sorted(OTHERS.values())).replace("=", ""))
    if marker.exists():
        return python
    uv = ROOT / ".tools" / "bin" / "uv"
    if not uv.exists():
        return None
    print(f"installing {', '.join(OTHERS.values())} into {SCRATCH} ...", flush=True)
    steps = [
        [str(uv), "venv", "-q", "--clear", "--python", sys.executable, str(SCRATCH)],
        [str(uv), "pip", "install", "-q", "--python", str(python), *OTHERS.values(), "uvloop"],
    ]
    for step in steps:
        if subprocess.run(step, capture_output=True).returncode != 0:
            return None
    marker.touch()
    return python


if __name__ == "__main__":
    main()
