"""The corpus of public API descriptions (tests/data/corpus/): what each is, where it came from, its licence.

Each description is vendored unchanged, beside the licence file of the repository it came from, in a
folder named after its ``info.version``, so any command takes the folder as its reference. Issue 21's
tests run lint, the mock and ``contracts test`` on every one; ``bench/bench_corpus.py`` times the round
trip. Larger descriptions are reproduced by :mod:`tests.support.corpus_generator` (same shape, made here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tests.support.paths import ROOT

CORPUS_DIR = ROOT / "tests" / "data" / "corpus"


@dataclass(frozen=True, slots=True)
class Description:
    """One vendored public description."""

    name: str
    version: str  # the folder, = info.version
    openapi: str  # the OpenAPI version it is written in
    licence: str  # SPDX identifier of the licence file beside it
    source: str  # where it was copied from (repository, commit, path)
    # What ``contracts test`` must send to pass the description's own security (the mock asks for it).
    headers: tuple[str, ...] = ()
    # Problems lint must find (pointers): the description's own mistakes, never false ones.
    problems: tuple[str, ...] = ()
    notes: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def folder(self) -> Path:
        """The version folder (a contract reference for every command)."""
        return CORPUS_DIR / self.name / self.version

    @property
    def runnable(self) -> bool:
        """Whether the mock can serve it (a description whose schemas do not compile cannot be)."""
        return not self.problems


DESCRIPTIONS: tuple[Description, ...] = (
    Description(
        "train-travel",
        "1.2.1",
        "3.1.0",
        "CC-BY-NC-SA-4.0",
        "https://github.com/bump-sh-examples/train-travel-api @ 478d17375a3172e0a84ce922521b481270216674 openapi.yaml",
        headers=("Authorization: Bearer corpus-token",),
        notes="OAuth2 on every operation; singular examples beside named ones; 4xx shared responses with "
        "RFC 9457 bodies; a $ref to a Markdown file inside the x-topics extension; webhooks",
    ),
    Description(
        "museum",
        "1.2.1",
        "3.1.0",
        "MIT",
        "https://github.com/Redocly/museum-openapi-example @ 2770b2b2e59832d245c7b0eb0badf6568d7efb53 openapi.yaml",
        headers=("Authorization: Basic Y29ycHVzOmNvcnB1cw==",),
        notes="HTTP basic auth; named examples shared through components/examples; oneOf request bodies; webhooks",
    ),
    Description(
        "oip-generate",
        "1.0.0",
        "3.1.0",
        "Apache-2.0",
        "https://github.com/kserve/open-inference-protocol @ d49cc23f89d709d87b210ef9449e273ae243984e "
        "specification/protocol/generate_rest.yaml",
        notes="Open Inference Protocol text generation; text/event-stream responses; ${MODEL_NAME} path variables",
    ),
    Description(
        "oip-rest",
        "2.0",
        "3.0.0",
        "Apache-2.0",
        "https://github.com/kserve/open-inference-protocol @ d49cc23f89d709d87b210ef9449e273ae243984e "
        "specification/protocol/open_inference_rest.yaml",
        notes="Open Inference Protocol v2 REST (health, metadata, infer); OpenAPI 3.0, read through the conversion",
    ),
    Description(
        "mlserver-dataplane",
        "2.0",
        "3.0.3",
        "Apache-2.0",
        "https://github.com/SeldonIO/MLServer @ a325e523b5a580d49aeb06e19e73e4a90176b63b openapi/dataplane.yaml",
        problems=("/components", "/components/schemas/TensorData/oneOf/1/type"),
        notes="invalid as published: `components.enums` is no OpenAPI field and `type: bytes` no JSON Schema "
        "type, so the schemas that reach TensorData do not compile; lint says so, the mock cannot serve it",
    ),
)
