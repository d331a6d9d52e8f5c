"""`contracts check`: the CI gate over a contracts folder.

Four checks, all findings returned in one :class:`GateReport`:

1. lint every version;
2. compatibility inside each major line, transitively: every released version against every earlier
   released version of its major, each change reported once, against the version that introduced
   it (a breaking change fails unless waived in ``pyproject.toml``); every pre-release against the
   release before it (its breaks fail unless it opens a new major);
3. semver honesty: a patch release whose changes call for a minor bump is a warning;
4. immutability: released versions are byte-identical to ``contracts.lock`` and, with
   ``--against GITREF``, to the same version at that git revision (pre-releases may change).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import refs as _refs
from . import versions as _versions
from .compat import Change, diff
from .contract import Contract
from .errors import ContractsError, UsageError
from .lint import lint_paths
from .loader import load
from .lock import LOCK_NAME, drift, read_lock, released_versions
from .problems import Display, Note, as_given
from .waivers import Waiver, matching, read_waivers

# What a gate finding is about: a lint problem, a breaking change (waived, or allowed in a new major), semver honesty,
# a changed released version, the lock file, an unused waiver.
FindingKind = Literal["lint", "breaking", "waived", "major", "semver", "immutable", "lock", "waiver"]


@dataclass(frozen=True, slots=True)
class GateFinding:
    """One problem or warning of the gate: what kind, where, and for breaking changes the rule and witness."""

    kind: FindingKind
    message: str
    file: str | None = None
    line: int | None = None
    pointer: str = ""
    contract: str | None = None
    rule: str | None = None
    old: str | None = None
    new: str | None = None
    change: Change | None = None
    hint: str | None = None

    @classmethod
    def of_change(
        cls, kind: FindingKind, message: str, contract: str, old: str, new: str, change: Change
    ) -> GateFinding:
        """A finding about a breaking change of ``contract`` from ``old`` to ``new``, located where the change is."""
        return cls(kind, message, change.file, change.line, change.pointer, contract, change.id, old, new, change)

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The finding as JSON (the problem shape of INTERFACE.md plus the gate's fields; files by ``display``)."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.file is not None:
            out["file"] = display(self.file)
        for key in ("line", "contract", "rule", "old", "new"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        out["pointer"] = self.pointer
        out["message"] = self.message
        if self.hint is not None:
            out["hint"] = self.hint
        if self.change is not None:
            out["change"] = self.change.to_dict(display)
        return out


@dataclass
class GateReport:
    """Everything the gate found; it passes when there is no problem (warnings do not fail)."""

    checked: list[str] = field(default_factory=list)
    compared: list[str] = field(default_factory=list)
    problems: list[GateFinding] = field(default_factory=list)
    warnings: list[GateFinding] = field(default_factory=list)
    waived: list[GateFinding] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)  # said once per version (e.g. read from OpenAPI 3.0)

    @property
    def ok(self) -> bool:
        """True when nothing fails the gate."""
        return not self.problems

    def to_dict(self, display: Display = as_given) -> dict[str, Any]:
        """The report as one JSON document (files shown by ``display``)."""
        return {
            "ok": self.ok,
            "checked": self.checked,
            "compared": self.compared,
            "problems": [p.to_dict(display) for p in self.problems],
            "warnings": [w.to_dict(display) for w in self.warnings],
            "waived": [w.to_dict(display) for w in self.waived],
        } | ({"notes": [n.to_dict(display) for n in self.notes]} if self.notes else {})


def run_check(root: Path, *, against: str | None = None, project: Path | None = None) -> GateReport:
    """Run the whole gate over ``root`` (``project`` holds pyproject.toml and contracts.lock)."""
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise UsageError(f"contracts folder {root} {what}", hint="use --contracts-dir or CONTRACTS_DIR")
    project = project or root.resolve().parent
    waivers = read_waivers(project / "pyproject.toml")
    report = GateReport()
    lint = lint_paths([], root)
    report.checked = lint.checked
    report.notes = lint.notes
    report.problems.extend(
        GateFinding("lint", p.message, p.file, p.line, p.pointer, hint=p.hint) for p in lint.problems
    )
    for name in _refs.list_contracts(root):
        _check_contract(root, name, waivers, report)
    _check_lock(root, project / LOCK_NAME, report)
    if against is not None:
        _check_against(root, against, report)
    for waiver in waivers:
        if not waiver.used:
            report.warnings.append(
                GateFinding(
                    "waiver",
                    f"waiver for {waiver.contract} {waiver.new} rule {waiver.rule} matches nothing; remove it",
                    str(project / "pyproject.toml"),
                    contract=waiver.contract,
                )
            )
    return report


# -- compatibility ------------------------------------------------------------------------------
def _check_contract(root: Path, name: str, waivers: list[Waiver], report: GateReport) -> None:
    loaded: dict[str, Contract] = {}
    for version in _refs.list_versions(root, name):
        try:
            loaded[version] = load(f"{name}@{version}", root)
        except ContractsError:
            continue  # lint already reports why it cannot be loaded
    released = [v for v in loaded if _versions.is_released(_versions.parse(v))]
    majors: dict[int, list[str]] = {}
    for version in released:
        majors.setdefault(_versions.parse(version).major, []).append(version)
    for line in majors.values():
        # One finding per change: a change is reported against the version that introduced it (and
        # the nearest version it breaks), not again for every earlier version or later release.
        seen: set[tuple[str, ...]] = set()
        for i, new in enumerate(line):
            for j in reversed(range(i)):
                old = line[j]
                result = diff(loaded[old], loaded[new])
                report.compared.append(f"{name}@{old} -> {new}: {result.required_bump}")
                for change in result.breaking_changes():
                    if _identity(change) not in seen:
                        seen.add(_identity(change))
                        _breaking(report, waivers, name, old, new, change)
                if j == i - 1:
                    _semver(report, name, old, new, result.required_bump)
    for version in loaded:
        if not _versions.is_released(_versions.parse(version)):
            _check_prerelease(report, waivers, name, version, loaded, released)


def _identity(change: Change) -> tuple[str, ...]:
    """What makes two reported changes the same change, whichever pair of versions showed it."""
    return (change.id, change.operation or "", change.pointer, change.message)


def _check_prerelease(
    report: GateReport,
    waivers: list[Waiver],
    name: str,
    version: str,
    loaded: dict[str, Contract],
    released: list[str],
) -> None:
    """A pre-release against the release before it: its breaks fail unless it opens a new major."""
    parsed = _versions.parse(version)
    before = [v for v in released if _versions.parse(v) < parsed]
    if not before:
        return
    old = max(before, key=_versions.parse)
    result = diff(loaded[old], loaded[version])
    report.compared.append(f"{name}@{old} -> {version}: {result.required_bump} (pre-release)")
    allowed = _versions.parse(old).major != parsed.major
    for change in result.breaking_changes():
        if allowed:
            message = f"{name} {version} breaks {old} (allowed: a new major): {change.message} [{change.id}]"
            report.warnings.append(GateFinding.of_change("major", message, name, old, version, change))
        else:
            _breaking(report, waivers, name, old, version, change)


def _breaking(report: GateReport, waivers: list[Waiver], name: str, old: str, new: str, change: Change) -> None:
    message = f"{name} {new} breaks {old}: {change.message} [{change.id}]"
    waiver = matching(waivers, name, old, new, change)
    if waiver is None:
        report.problems.append(GateFinding.of_change("breaking", message, name, old, new, change))
    else:
        waiver.used = True
        waived = f"{message} (waived: {waiver.reason})"
        report.waived.append(GateFinding.of_change("waived", waived, name, old, new, change))


def _semver(report: GateReport, name: str, old: str, new: str, required: str) -> None:
    before, after = _versions.parse(old), _versions.parse(new)
    actual = "minor" if after.minor != before.minor else "patch"
    if required == "minor" and actual == "patch":
        report.warnings.append(
            GateFinding(
                "semver",
                f"{name} {new} is a patch release but its changes since {old} add features: "
                f"it should be {before.major}.{before.minor + 1}.0",
                contract=name,
                old=old,
                new=new,
            )
        )


# -- immutability -------------------------------------------------------------------------------
def _check_lock(root: Path, lock_path: Path, report: GateReport) -> None:
    if not lock_path.exists():
        report.warnings.append(
            GateFinding(
                "lock",
                f"no {LOCK_NAME}: released versions are not locked; run `contracts lock` and commit it",
                str(lock_path),
            )
        )
        return
    locked = read_lock(lock_path)
    on_disk = {f"{n}@{v}" for n, v in released_versions(root)}
    for found in drift(root, locked):
        name, _, version = found.version.partition("@")
        message = (
            found.message
            if found.what == "version deleted"
            else f"released version {found.version} differs from {LOCK_NAME}: {Path(found.file).name} "
            f"{found.what}; released versions are immutable, publish a new version instead"
        )
        report.problems.append(GateFinding("immutable", message, found.file, contract=name, new=version))
    for key in sorted(on_disk - locked.keys()):
        report.warnings.append(
            GateFinding(
                "lock",
                f"released version {key} is not in {LOCK_NAME}; run `contracts lock` and commit it",
                str(lock_path),
            )
        )


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"git cannot run: {exc}", hint="--against needs git and a git checkout") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise UsageError(
            f"git {' '.join(args)} failed: {message[-1] if message else done.returncode}",
            hint="check the revision given to --against (e.g. origin/main)",
        )
    return done.stdout


def _check_against(root: Path, gitref: str, report: GateReport) -> None:
    """Released versions present at ``gitref`` must be byte-identical now."""
    top = Path(_git(["rev-parse", "--show-toplevel"], root).decode().strip())
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{gitref}^{{commit}}"], top)
    except UsageError:
        raise UsageError(
            f"unknown git revision {gitref!r}", hint="give a branch, tag or commit, e.g. origin/main"
        ) from None
    relative = root.resolve().relative_to(top.resolve()).as_posix()
    listing = _git(["ls-tree", "-r", "--name-only", gitref, "--", relative + "/"], top).decode().splitlines()
    then: dict[str, dict[str, str]] = {}
    for path in listing:
        parts = path[len(relative) + 1 :].split("/", 2) if relative != "." else path.split("/", 2)
        if len(parts) == 3 and _versions.is_version(parts[1]) and _versions.is_released(_versions.parse(parts[1])):
            then.setdefault(f"{parts[0]}@{parts[1]}", {})[parts[2]] = path
    for key, files in sorted(then.items()):
        name, _, version = key.partition("@")
        folder = root / name / version
        now = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} if folder.is_dir() else set()
        for relative_file in sorted(now | files.keys()):
            old = _git(["show", f"{gitref}:{files[relative_file]}"], top) if relative_file in files else None
            current = (folder / relative_file).read_bytes() if relative_file in now else None
            if old != current:
                what = "deleted" if current is None else "added" if old is None else "changed"
                report.problems.append(
                    GateFinding(
                        "immutable",
                        f"released version {key}: {relative_file} {what} since {gitref}; released "
                        "versions are immutable, publish a new version instead",
                        str(folder / relative_file),
                        contract=name,
                        new=version,
                    )
                )
