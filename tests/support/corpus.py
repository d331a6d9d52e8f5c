"""The corpus: public API descriptions vendored under tests/data/corpus/, one folder each with its licence,
and descriptions written for this project in the shape public ones take (tests/data/, the project's licence).

Every entry says where it was copied from (repository, commit, path) and which OpenAPI version it
declares. ``problems`` lists what lint must report in a description that is not valid as written
(a substring of each true problem's message); a valid description has none, and lint finds none.
Add descriptions here; tests/test_corpus.py checks that every folder is listed and licensed. Only
descriptions whose licence allows use by anyone for anything are vendored (no non-commercial terms:
the project is MIT); a construct found only in one under other terms is written here anew.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.support.paths import ROOT
from validator.refs import VersionRef

CORPUS_DIR = ROOT / "tests" / "data" / "corpus"
OWN_DIR = ROOT / "tests" / "data"  # descriptions written for this project
OWN = "this project"  # the source of a description written here
_OAI_LEARN = "OAI/learn.openapis.org@cff6533ce5444b144946ef6ae2722c34ef6769e0"


@dataclass(frozen=True)
class Description:
    """One vendored description: where it is, where it came from, what lint must say about it."""

    folder: str
    file: str
    openapi: str  # the version the description declares
    source: str  # owner/repository@commit:path
    licence: str  # SPDX identifier; the text is LICENSE in the folder
    problems: tuple[str, ...] = ()  # the true problems of an invalid description (message substrings)
    # What `contracts test` sends to pass the description's own security (its mock asks for credentials).
    headers: tuple[str, ...] = ()

    @property
    def vendored(self) -> bool:
        """Whether the description is someone else's, copied unchanged (else it was written here)."""
        return self.source != OWN

    @property
    def path(self) -> Path:
        """The description file."""
        return (CORPUS_DIR if self.vendored else OWN_DIR) / self.folder / self.file

    @property
    def valid(self) -> bool:
        """Whether the description is valid as written (lint must find nothing)."""
        return not self.problems

    def ref(self) -> VersionRef:
        """The description as a contract version, its version the one it declares (no layout problem)."""
        info = yaml.safe_load(self.path.read_text(encoding="utf-8"))["info"]
        return VersionRef(self.folder, str(info["version"]), self.path.parent, self.path)


CORPUS: tuple[Description, ...] = (
    Description(
        "kserve-open-inference-protocol",
        "open_inference_rest.yaml",
        "3.0.0",
        "kserve/open-inference-protocol@d49cc23f89d709d87b210ef9449e273ae243984e:"
        "specification/protocol/open_inference_rest.yaml",
        "Apache-2.0",
    ),
    Description(
        "mlserver-model-repository",
        "model_repository.yaml",
        "3.0.0",
        "SeldonIO/MLServer@a325e523b5a580d49aeb06e19e73e4a90176b63b:openapi/model_repository.yaml",
        "Apache-2.0",
    ),
    Description(
        "mlserver-dataplane",
        "dataplane.yaml",
        "3.0.3",
        "SeldonIO/MLServer@a325e523b5a580d49aeb06e19e73e4a90176b63b:openapi/dataplane.yaml",
        "Apache-2.0",
        # `type: bytes` is no JSON type, `components/enums` no Components field: its tensor schemas do not compile
        problems=(
            '"bytes" is not one of',
            "'enums' was unexpected",
            "schema cannot be compiled",
        ),
    ),
    Description(
        "tgi",
        "openapi.json",
        "3.0.3",
        "huggingface/text-generation-inference@db931fcf42da018a3657580c64bf2720f167f9ab:docs/openapi.json",
        "Apache-2.0",
        # the document says 3.0.3 but writes 3.1's numeric exclusiveMinimum (read as meant, reported as written),
        # and its /tokenize 404 example lacks the required error_type
        problems=('is not of type "boolean"', '"error_type" is a required property'),
    ),
    Description(
        "kserve-open-inference-generate",
        "generate_rest.yaml",
        "3.1.0",
        "kserve/open-inference-protocol@d49cc23f89d709d87b210ef9449e273ae243984e:"
        "specification/protocol/generate_rest.yaml",
        "Apache-2.0",
    ),
    # Written here for what a public booking API's description does: OAuth 2 scopes on every operation,
    # an extension holding a $ref to a guide (x-topics), singular examples on path parameters and on
    # 400/401 problems, named parameter examples paired with responses, request examples paired with
    # response examples, JSON and XML media types, oneOf payment methods told apart by const, webhooks.
    Description(
        "rail-bookings",
        "openapi.yaml",
        "3.1.0",
        OWN,
        "MIT",
        headers=("Authorization: Bearer corpus-token",),  # OAuth2 on every operation
    ),
    Description(
        "redocly-museum",
        "openapi.yaml",
        "3.1.0",
        "Redocly/museum-openapi-example@2770b2b2e59832d245c7b0eb0badf6568d7efb53:openapi.yaml",
        "MIT",
        headers=("Authorization: Basic Y29ycHVzOmNvcnB1cw==",),  # HTTP basic on every operation
    ),
    Description(
        "oai-flight-query",
        "3.2-query-example.yaml",
        "3.2.0",
        "OAI/learn.openapis.org@0847baee64cbc83b3531437503c35449c52a309b:examples/v3.2/3.2-query-example.yaml",
        "CC-BY-4.0",
    ),
    Description(
        "oai-flight-tags",
        "3.2-tags-example.yaml",
        "3.2.0",
        f"{_OAI_LEARN}:examples/v3.2/3.2-tags-example.yaml",
        "CC-BY-4.0",
    ),
    *(
        Description(f"oai-{name}", f"{name}.yaml", version, f"{_OAI_LEARN}:examples/v3.0/{name}.yaml", "CC-BY-4.0")
        for name, version in (
            ("petstore-expanded", "3.0.0"),
            ("api-with-examples", "3.0.0"),
            ("uspto", "3.0.1"),
            ("callback-example", "3.0.0"),
            ("link-example", "3.0.0"),
        )
    ),
)
