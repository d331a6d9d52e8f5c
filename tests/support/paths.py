"""Where the repository, its example contracts and the tests' own contracts are."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
QA_CONTRACTS = ROOT / "tests" / "verify" / "contracts"  # recommendation-qa: parameter examples, security
