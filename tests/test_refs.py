"""Contract references: NAME@VERSION, NAME@MAJOR[.MINOR], NAME, paths; unknowns list what exists."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.paths import CONTRACTS
from validator.errors import NotFoundError, UsageError
from validator.refs import resolve


def _mkversion(root: Path, name: str, version: str) -> None:
    folder = root / name / version
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(f"openapi: 3.1.0\ninfo: {{title: t, version: {version}}}\npaths: {{}}\n")


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("recommendation-api@1.0.0", "1.0.0"),
        ("recommendation-api@1", "1.2.0"),
        ("recommendation-api@1.0", "1.0.0"),
        ("recommendation-api", "2.0.0"),
        ("client-scoring", "1.1.0"),
    ],
)
def test_reference_forms_pick_the_right_version(ref: str, expected: str) -> None:
    assert resolve(ref, CONTRACTS).version == expected


def test_bare_name_prefers_released_over_prerelease(tmp_path: Path) -> None:
    for version in ("1.0.0", "1.1.0", "2.0.0-rc.1"):
        _mkversion(tmp_path, "demo", version)
    assert resolve("demo", tmp_path).version == "1.1.0"
    assert resolve("demo@2", tmp_path).version == "2.0.0-rc.1"  # only a pre-release in that line
    assert resolve("demo@2.0.0-rc.1", tmp_path).version == "2.0.0-rc.1"


def test_semver_order_not_string_order(tmp_path: Path) -> None:
    for version in ("1.2.0", "1.10.0", "1.9.0"):
        _mkversion(tmp_path, "demo", version)
    assert resolve("demo", tmp_path).version == "1.10.0"


def test_paths_to_folder_and_file() -> None:
    by_folder = resolve(str(CONTRACTS / "client-scoring" / "1.0.0"))
    by_file = resolve(str(CONTRACTS / "client-scoring" / "1.0.0" / "openapi.yaml"))
    assert (by_folder.name, by_folder.version) == ("client-scoring", "1.0.0")
    assert by_file.document == by_folder.document


def test_unknown_contract_lists_contracts() -> None:
    with pytest.raises(NotFoundError) as info:
        resolve("nope", CONTRACTS)
    assert info.value.available == ["client-scoring", "contracts-service", "iris-classifier", "recommendation-api"]


def test_unknown_version_lists_versions() -> None:
    with pytest.raises(NotFoundError) as info:
        resolve("recommendation-api@3", CONTRACTS)
    assert info.value.available == ["1.0.0", "1.1.0", "1.2.0", "2.0.0"]


@pytest.mark.parametrize("ref", ["../etc@1.0.0", "Bad_Name", "recommendation-api@x.y"])
def test_malformed_references_are_usage_errors(ref: str) -> None:
    with pytest.raises(UsageError):
        resolve(ref, CONTRACTS)


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("", "empty contract reference"),  # used to resolve to the working directory
        ("  ", "empty contract reference"),
        ("recommendation-api@", "has nothing after '@'"),  # used to mean the newest released version
    ],
)
def test_empty_references_and_empty_versions_are_usage_errors(ref: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        resolve(ref, CONTRACTS)
    assert message in info.value.message
    assert info.value.hint
