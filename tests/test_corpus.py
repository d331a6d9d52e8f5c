"""Lint on public descriptions no one here wrote (and on ones written here in their shape): nothing false on the
valid ones, the true problems on the others."""

from __future__ import annotations

import pytest
import yaml

from tests.support.corpus import CORPUS, CORPUS_DIR, Description
from tests.support.paths import ROOT
from validator.lint import lint_version
from validator.problems import Note


def test_every_corpus_folder_is_listed_and_licensed() -> None:
    folders = {p.name for p in CORPUS_DIR.iterdir() if p.is_dir()}
    assert folders == {d.folder for d in CORPUS if d.vendored}
    project_licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    for description in CORPUS:
        if description.vendored:
            assert (CORPUS_DIR / description.folder / "LICENSE").is_file(), description.folder
            assert "-NC" not in description.licence, f"{description.folder}: non-commercial terms in an MIT project"
        else:  # written here: the project's own licence
            assert description.licence == "MIT" and "MIT License" in project_licence, description.folder
        declared = yaml.safe_load(description.path.read_text(encoding="utf-8"))["openapi"]
        assert str(declared) == description.openapi, description.folder


@pytest.mark.parametrize("description", CORPUS, ids=lambda d: d.folder)
def test_lint_finds_exactly_the_true_problems(description: Description) -> None:
    notes: list[Note] = []
    problems = lint_version(description.ref(), notes)
    if description.valid:
        assert problems == [], [(p.pointer, p.message) for p in problems]
    else:
        messages = [p.message for p in problems]
        assert all(any(known in m for known in description.problems) for m in messages), messages
        assert all(any(known in m for m in messages) for known in description.problems), messages
        assert all(p.line is not None for p in problems if p.keyword == "openapi")
    if description.openapi.startswith("3.1"):
        assert notes == []  # read as written: nothing to say
        return
    [note] = notes  # said once: converted from 3.0, or read as 3.2
    assert note.kind == ("converted" if description.openapi.startswith("3.0") else "openapi-3.2")
