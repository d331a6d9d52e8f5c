"""Every hostile document gets a bounded answer from lint, diff, check, validate and the mock's start-up.

Each command runs as a process under ``--max-seconds`` and must exit by itself, with the status and
the reason the table below names, well before the test's own timeout (which only turns a hang into a
failure instead of a stuck run).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.hostile.build_fixtures import BOMBS, CASES, CYCLES, document
from tests.hostile.conftest import contracts_with
from tests.support.servers import contracts_cmd

pytestmark = pytest.mark.slow  # real processes: seconds per case
LIMIT_SECONDS = 10
HANG = 60  # a command still running after this long has hung
# Exit statuses of lint, diff, check and validate (payload {"s": 60 a's}) per case.
EXPECTED: dict[str, tuple[int, int, int, int]] = {
    "pattern-lookahead": (0, 1, 1, 1),  # the witness is found at once; the payload just does not match
    "pattern-backtracking": (0, 1, 1, 2),  # the payload needs more steps than the limit: too complex
    "pattern-backreference": (0, 1, 1, 2),
    "pattern-repeat-bomb": (1, 1, 1, 2),  # the engine refuses the pattern (its size limit)
    "required-fan": (0, 2, 2, 1),  # no value can be built for a witness: too complex
    **{case: (2, 2, 2, 2) for case in BOMBS},
    **{case: (1, 2, 1, 2) for case in CYCLES},  # a $ref cycle is a problem of the document
}
PAYLOAD = {"s": "a" * 60}


def contracts(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``contracts ARGS`` as a process; the timeout only turns a hang into a failure."""
    return subprocess.run(
        contracts_cmd(*args),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
        env=None if env is None else {"NO_COLOR": "1", "PATH": "/usr/bin:/bin", **env},
    )


def run(*args: str, cwd: Path) -> tuple[int, dict[str, object]]:
    done = contracts("--max-seconds", str(LIMIT_SECONDS), *args, "--format", "json", cwd=cwd)
    return done.returncode, json.loads(done.stdout)


def reason(report: dict[str, object]) -> str:
    return json.dumps(report.get("error") or report.get("problems"))


def test_every_case_has_an_expected_answer() -> None:
    assert set(EXPECTED) == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_lint_diff_check_and_validate_end_within_their_limit(case: str, tmp_path: Path) -> None:
    root = contracts_with(case, tmp_path)
    (tmp_path / "payload.json").write_text(json.dumps(PAYLOAD))
    commands = {
        "lint": ("lint", "hostile@1.1.0"),
        "diff": ("diff", "hostile@1.0.0", "hostile@1.1.0"),
        "check": ("check",),
        "validate": ("validate", "hostile@1.1.0", "--operation", "p", "--request", "payload.json"),
    }
    got = {}
    for name, args in commands.items():
        code, report = run(*args, "--contracts-dir", str(root), cwd=tmp_path)
        got[name] = code
        if code == 2:  # a refusal says why: a limit, a cycle, or the engine refusing the pattern
            assert any(word in reason(report) for word in ("too complex", "$ref cycle", "cannot be compiled")), report
    assert tuple(got.values()) == EXPECTED[case], got


@pytest.mark.parametrize("case", sorted(BOMBS | CYCLES))
def test_the_mock_refuses_to_start_on_a_bomb_or_a_cycle(case: str, tmp_path: Path) -> None:
    root = contracts_with(case, tmp_path)
    done = contracts(
        "--max-seconds",
        str(LIMIT_SECONDS),
        "mock",
        "hostile@1.1.0",
        "--port",
        "0",
        cwd=tmp_path,
        env={"CONTRACTS_DIR": str(root)},
    )
    assert done.returncode == 2
    assert "too complex" in done.stderr or "$ref cycle" in done.stderr


def _wide_pair(folder: Path, width: int) -> Path:
    """Two versions of one body of ``width`` string members, each maxLength lowered: ``width`` breaks to prove."""
    root = folder / "contracts"
    for version, bound in (("1.0.0", 10), ("1.1.0", 5)):
        members = {f"p{i}": {"type": "string", "maxLength": bound} for i in range(width)}
        (root / "wide" / version).mkdir(parents=True)
        body = document(version, {"type": "object", "properties": members})
        (root / "wide" / version / "openapi.yaml").write_text(json.dumps(body))
    return root


def test_a_diff_past_its_time_limit_exits_2_saying_so(tmp_path: Path) -> None:
    # Proving 2,000 breaks costs about 0.75 s of CPU here: far past the limit on any machine. (A small
    # document finished its analysis within a 1 ms limit on a quiet machine.)
    root = _wide_pair(tmp_path, 2000)
    done = contracts(
        "--max-seconds",
        "0.02",
        "diff",
        "wide@1.0.0",
        "wide@1.1.0",
        "--format",
        "json",
        cwd=tmp_path,
        env={"CONTRACTS_DIR": str(root)},
    )
    assert done.returncode == 2
    error = json.loads(done.stdout)["error"]
    assert error["limit"] == "seconds"
    assert "took longer than 0.02 s" in error["message"]


def test_a_limit_that_is_not_a_positive_number_is_a_usage_error(tmp_path: Path) -> None:
    done = contracts("lint", cwd=tmp_path, env={"CONTRACTS_MAX_EXPANSION": "lots"})
    assert done.returncode == 2
    assert "CONTRACTS_MAX_EXPANSION='lots' is not a number" in done.stderr
