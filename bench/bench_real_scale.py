"""Real scale: lint, diff and mock start-up on Stripe-sized and GitHub-sized descriptions, beside the peers.

The descriptions are generated (:mod:`bench._shapes`: the public files cannot be fetched here, nor
vendored) at 1/4, 1/2 and the full public size, each with a second version of a few dozen edits.
Every command runs as its own process, as a user runs it: ``contracts lint FILE``, ``contracts diff
OLD NEW``, ``contracts mock FILE`` (spawn to its first answer), Redocly CLI's ``redocly lint FILE``
and Optic's ``optic diff OLD NEW --check`` on the same files. Figures per command: wall seconds, CPU
seconds (user + system: what the machine's load does not change) and peak resident memory, all from
the same process's own accounting (``wait4``'s rusage, ``/proc`` for the mock), so measuring memory
costs no time (no tracemalloc). Growth: each figure at full size over the same figure at 1/4.

The peers come from the npm registry into ``~/.cache/contracts-bench`` (``BENCH_PEERS_DIR``); one that
cannot be installed is reported as skipped. Optic's dependency tree resolves two copies of ``ajv``
that break it at start, so its folder pins one (``overrides``). ``CONTRACTS_MAX_SECONDS`` is raised for
our commands: the default wall-clock bound for untrusted documents (60 s) would cut a run on a busy
machine, and these documents are trusted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench._shapes import github_shaped, second_version, stripe_shaped

# BENCH_SCALES=0.05,0.1 runs a quick smoke pass; the targets are read at the last scale.
SCALES = tuple(float(x) for x in os.environ.get("BENCH_SCALES", "0.25,0.5,1").split(","))
SHAPES: dict[str, Callable[[float], dict[str, Any]]] = {
    name: build
    for name, build in (("stripe-shaped", stripe_shaped), ("github-shaped", github_shaped))
    if name in os.environ.get("BENCH_SHAPES", "stripe-shaped,github-shaped").split(",")
}
PEER_TIMEOUT = float(os.environ.get("BENCH_PEER_TIMEOUT", "240"))
OUR_TIMEOUT = 900.0
PEERS_DIR = Path(os.environ.get("BENCH_PEERS_DIR", Path.home() / ".cache" / "contracts-bench"))
REDOCLY = ("@redocly/cli", "2.77.0", "redocly")
OPTIC = ("@useoptic/optic", "1.0.9", "optic")
OVERRIDES = {"@useoptic/optic": {"ajv": "8.17.1"}}
VENV_BIN = Path(sys.executable).parent
TARGET_SECONDS, TARGET_MB, TARGET_MOCK_SECONDS = 10.0, 1024.0, 2.0
_CRASHES = ("Maximum call stack size exceeded", "heap out of memory", "RUST_BACKTRACE")
QUIET_PEERS = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "OPTIC_TELEMETRY_LEVEL": "off",
    "NO_UPDATE_NOTIFIER": "1",
}


@dataclass(frozen=True)
class Figure:
    """One measured command: wall and CPU seconds, peak resident MB; ``done`` False when it timed out or failed."""

    wall: float
    cpu: float
    peak_mb: float
    done: bool
    note: str = ""

    def cell(self) -> str:
        """``wall s (cpu s) MB`` as the tables show it."""
        if not self.done:
            return f"{self.note:>27}"
        return f"{self.wall:7.2f} ({self.cpu:6.2f}) {self.peak_mb:6.0f}"


def main() -> None:
    """Generate the descriptions, measure every command at every size, print tables, growth and targets."""
    redocly, optic = _ensure(REDOCLY), _ensure(OPTIC)
    for name, binary in (("Redocly CLI", redocly), ("Optic", optic)):
        if binary is None:
            print(f"{name} SKIPPED: it could not be installed with npm into {PEERS_DIR}")
    results: dict[str, dict[float, dict[str, Figure]]] = {}
    sizes: dict[str, dict[float, tuple[float, int, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-real-scale-") as tmp:
        for shape, build in SHAPES.items():
            results[shape], sizes[shape] = {}, {}
            for scale in SCALES:
                old, new, size, operations, schemas = _write(Path(tmp), shape, scale, build)
                sizes[shape][scale] = (size, operations, schemas)
                row = results[shape][scale] = {}
                # Exit 1 is a lint that ran and found problems: its cost counts the same.
                row["lint"] = _command([str(VENV_BIN / "contracts"), "lint", str(old)], _ours(), OUR_TIMEOUT, {0, 1})
                row["diff"] = _command(
                    [str(VENV_BIN / "contracts"), "diff", str(old), str(new)], _ours(), OUR_TIMEOUT, {0, 1}
                )
                row["mock"] = _mock_start(old)
                peers = {
                    "redocly": None if redocly is None else [str(redocly), "lint", str(old)],
                    "optic": None if optic is None else [str(optic), "diff", str(old), str(new), "--check"],
                }
                for key, argv in peers.items():
                    if argv is None:
                        continue
                    earlier = [r[key] for r in results[shape].values() if key in r and r is not row]
                    if any(not f.done for f in earlier):  # stopped at a smaller size: a larger one would be too
                        row[key] = Figure(PEER_TIMEOUT, float("nan"), float("nan"), False, "not run (stopped before)")
                    else:
                        row[key] = _command(argv, _peers(), PEER_TIMEOUT, None)
                print(f"  measured {shape} at {scale}x", flush=True)
    _report(results, sizes)


def _write(
    tmp: Path, shape: str, scale: float, build: Callable[[float], dict[str, Any]]
) -> tuple[Path, Path, float, int, int]:
    """Both versions as indented JSON files (as published), each in its version folder."""
    document = build(scale)
    paths = []
    for version, body in (("1.0.0", document), ("2.0.0", second_version(document))):
        folder = tmp / f"{shape}-{scale}" / version
        folder.mkdir(parents=True)
        target = folder / "openapi.json"
        target.write_text(json.dumps(body, indent=2), encoding="utf-8")
        paths.append(target)
    operations = sum(1 for item in document["paths"].values() for _ in item)
    return paths[0], paths[1], paths[0].stat().st_size / 1e6, operations, len(document["components"]["schemas"])


def _ours() -> dict[str, str]:
    return {**os.environ, "CONTRACTS_MAX_SECONDS": "3600", "NO_COLOR": "1"}


def _peers() -> dict[str, str]:
    return {**os.environ, **QUIET_PEERS}


def _command(argv: list[str], env: dict[str, str], timeout: float, ok: set[int] | None) -> Figure:
    """Run one command to its end; its wall time, CPU time and peak RSS from its own rusage."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, start_new_session=True)
    assert proc.stderr is not None
    os.set_blocking(proc.stderr.fileno(), False)
    errors = b""
    while True:
        chunk = proc.stderr.read(65536)
        if chunk:
            errors = (errors + chunk)[-2000:]
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > timeout:
            os.killpg(proc.pid, 9)
            os.wait4(proc.pid, 0)
            return Figure(timeout, float("nan"), float("nan"), False, f"> {timeout:.0f} s (stopped)")
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    figure = Figure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, True)
    text = errors.decode(errors="replace")
    crash = next((c for c in _CRASHES if c in text), None)
    if crash is not None:  # Redocly reports a blown stack on the 10 MB description with exit 1, as for problems
        print(f"    {Path(argv[0]).name} {argv[1]} crashed: {crash}", flush=True)
        return Figure(wall, figure.cpu, figure.peak_mb, False, "crashed")
    if ok is not None and proc.returncode not in ok:
        last = errors.decode(errors="replace").strip().splitlines()[-1:] or ["(no message)"]
        print(f"    {Path(argv[0]).name} {argv[1]} exited {proc.returncode}: {last[0][:200]}", flush=True)
        return Figure(wall, figure.cpu, figure.peak_mb, False, f"failed (exit {proc.returncode})")
    return figure


def _mock_start(document: Path) -> Figure:
    """Spawn ``contracts mock`` and time it to its first answer; its CPU and peak RSS read from /proc then."""
    from tests.support.servers import free_port, stop

    port = free_port()
    argv = [str(VENV_BIN / "contracts"), "mock", str(document), "--port", str(port)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ours(), start_new_session=True
    )
    try:
        while True:
            if proc.poll() is not None:
                return Figure(0.0, 0.0, 0.0, False, f"failed (exit {proc.returncode})")
            try:
                httpx.get(f"http://127.0.0.1:{port}/__mock/health", timeout=1.0)
                break
            except httpx.TransportError:
                if time.perf_counter() - started > OUR_TIMEOUT:
                    return Figure(OUR_TIMEOUT, 0.0, 0.0, False, "did not answer")
                time.sleep(0.01)
        wall = time.perf_counter() - started
        return Figure(wall, _cpu_seconds(proc.pid), _peak_mb(proc.pid), True)
    finally:
        stop(proc)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _ensure(peer: tuple[str, str, str]) -> Path | None:
    """The peer's executable, installed from the npm registry on first use (None when it cannot be)."""
    package, version, command = peer
    folder = PEERS_DIR / f"{command}-{version}"
    binary = folder / "node_modules" / ".bin" / command
    if binary.exists():
        return binary
    if not shutil.which("npm"):
        return None
    print(f"installing {package}@{version} into {folder} ...", flush=True)
    folder.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {"private": True, "dependencies": {package: version}}
    if package in OVERRIDES:
        manifest["overrides"] = OVERRIDES[package]
    (folder / "package.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=folder, capture_output=True)
    return binary if done.returncode == 0 and binary.exists() else None


COLUMNS = (
    ("lint", "contracts lint"),
    ("diff", "contracts diff"),
    ("mock", "mock start-up"),
    ("redocly", "redocly lint"),
    ("optic", "optic diff"),
)


def _report(
    results: dict[str, dict[float, dict[str, Figure]]], sizes: dict[str, dict[float, tuple[float, int, int]]]
) -> None:
    print("\nwall s (CPU s) peak MB for each command; sizes of the old version as indented JSON")
    for shape, rows in results.items():
        print(f"\n{shape}")
        print(f"{'scale':>6} {'MB':>6} {'ops':>5} {'schemas':>7} " + " ".join(f"{title:>27}" for _, title in COLUMNS))
        for scale, row in rows.items():
            size, operations, schemas = sizes[shape][scale]
            cells = " ".join(row[key].cell() if key in row else f"{'skipped':>27}" for key, _ in COLUMNS)
            print(f"{scale:>5}x {size:6.1f} {operations:5} {schemas:7} {cells}")
        first, last = rows[SCALES[0]], rows[SCALES[-1]]
        grown = sizes[shape][SCALES[-1]][0] / sizes[shape][SCALES[0]][0]
        growth = []
        for key, title in COLUMNS:
            a, b = first.get(key), last.get(key)
            if a is not None and b is not None and a.done and b.done and a.cpu > 0 and a.peak_mb > 0:
                growth.append(f"{title} CPU {b.cpu / a.cpu:.2f}x, memory {b.peak_mb / a.peak_mb:.2f}x")
        print(f"growth from {SCALES[0]}x to {SCALES[-1]}x (size {grown:.2f}x): " + "; ".join(growth))
    _targets(results)


def _targets(results: dict[str, dict[float, dict[str, Figure]]]) -> None:
    if "stripe-shaped" not in results:
        return
    stripe = results["stripe-shaped"][SCALES[-1]]
    print(f"\ntargets (Stripe-shaped description at {SCALES[-1]}x):")
    for key, peer in (("lint", "redocly"), ("diff", "optic")):
        ours = stripe[key]
        within = ours.done and ours.wall < TARGET_SECONDS and ours.peak_mb < TARGET_MB
        print(
            f"  {key}: {ours.wall:.2f} s wall, {ours.cpu:.2f} s CPU, {ours.peak_mb:.0f} MB "
            f"(target < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB): {'met' if within else 'NOT met'}"
        )
        other = stripe.get(peer)
        if other is None:
            print(f"  {key} against {peer}: peer skipped")
        elif not other.done:
            print(f"  {key} against {peer}: peer {other.note.strip()}, ours {ours.wall:.2f} s: faster")
        else:
            verdict = "at least as fast" if ours.wall <= other.wall else "SLOWER"
            print(
                f"  {key} against {peer}: {ours.wall:.2f} s vs {other.wall:.2f} s wall "
                f"({ours.cpu:.2f} vs {other.cpu:.2f} s CPU): {verdict}"
            )
    for shape, rows in results.items():
        mock = rows[SCALES[-1]]["mock"]
        ok = mock.done and mock.wall < TARGET_MOCK_SECONDS
        print(
            f"  mock start-up, {shape}: {mock.wall:.2f} s wall, {mock.cpu:.2f} s CPU "
            f"(target < {TARGET_MOCK_SECONDS:.0f} s): {'met' if ok else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
