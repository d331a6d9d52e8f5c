"""Benchmarks: each ``bench/bench_*.py`` module has ``main() -> None`` and prints ratios measured in one run."""
