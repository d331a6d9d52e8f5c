"""The docs page's vendored Swagger UI: the pinned npm version, unaltered, and a release that renders 3.1."""

from __future__ import annotations

import hashlib
import json

from mocks.admin import swagger_ui_folder, swagger_ui_version
from tests.support.paths import ROOT

PIN = ROOT / "vendor" / "docs-ui"


def test_vendored_version_is_the_pinned_one() -> None:
    pinned = json.loads((PIN / "package.json").read_text())["dependencies"]["swagger-ui-dist"]
    locked = json.loads((PIN / "package-lock.json").read_text())["packages"]["node_modules/swagger-ui-dist"]["version"]
    assert swagger_ui_version() == pinned == locked


def test_vendored_files_are_unaltered() -> None:
    folder = swagger_ui_folder()
    assert folder is not None
    for line in (folder / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name


def test_swagger_ui_is_a_release_that_renders_openapi_3_1() -> None:
    version = swagger_ui_version()
    assert version is not None
    assert int(version.split(".")[0]) >= 5  # 4.x answers "Unable to render this definition" for 3.1
