"""Interactions name every required parameter; a singular ``example`` is never one side of an interaction."""

from __future__ import annotations

from pathlib import Path

from validator.compiled import CompiledContract
from validator.interactions import assemble
from validator.lint import lint_paths
from validator.loader import load

DOC = """\
openapi: 3.1.0
info: {title: models, version: 1.0.0}
paths:
  /models/{model_id}:
    get:
      operationId: getModel
      parameters:
        - name: model_id
          in: path
          required: true
          schema: {type: string, default: gbm}
          examples:
            latest: {value: gbm}
        - name: version
          in: query
          schema: {type: string}
          example: 1.0.0
          examples:
            pinned: {value: 2.0.0}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
              example: {model_id: gbm}
              examples:
                latest: {value: {model_id: gbm}}
                pinned: {value: {model_id: gbm, version: 2.0.0}}
"""


def _contract(tmp_path: Path, text: str = DOC) -> Path:
    folder = tmp_path / "models" / "1.0.0"
    folder.mkdir(parents=True)
    (folder / "openapi.yaml").write_text(text)
    return tmp_path


def test_a_required_parameter_left_without_any_value_is_a_problem(tmp_path: Path) -> None:
    # No example named 'pinned', no example, default or enum: interaction 'pinned' cannot be sent.
    root = _contract(tmp_path, DOC.replace("schema: {type: string, default: gbm}", "schema: {type: string}"))
    report = lint_paths(["models@1.0.0"], root)
    problems = [p for p in report.problems if p.keyword == "examples"]
    assert len(problems) == 1, report.problems
    problem = problems[0]
    assert problem.pointer == "/paths/~1models~1{model_id}/get/parameters/0"
    assert problem.file is not None and problem.file.endswith("openapi.yaml") and problem.line is not None
    assert "'pinned'" in problem.message and "model_id" in problem.message
    assert problem.hint is not None and "pinned" in problem.hint


def test_a_singular_example_is_a_default_not_an_interaction(tmp_path: Path) -> None:
    contract = load("models@1.0.0", _contract(tmp_path))
    op = contract.operation("getModel")
    assert set(op.interactions) == {"latest", "pinned"}
    version = next(p for p in op.parameters if p.name == "version")
    assert version.example == ("1.0.0",) and dict(version.examples) == {"pinned": "2.0.0"}
    assert op.interactions["latest"].parameters == {"model_id": "gbm"}


def test_a_parameter_with_one_admitted_value_needs_no_name(tmp_path: Path) -> None:
    # An OIP-style versioned path: the version's schema admits "1" only, so every interaction means it.
    fixed = DOC.replace("schema: {type: string, default: gbm}", "schema: {type: string, enum: [gbm]}")
    root = _contract(tmp_path, fixed)
    assert not [p for p in lint_paths(["models@1.0.0"], root).problems if p.keyword == "examples"]
    contract = load("models@1.0.0", root)
    op = contract.operation("getModel")
    assembled = assemble(op, op.interactions["pinned"], CompiledContract(contract).resolved_at)
    assert [(p.name, v) for p, v in assembled.values] == [("model_id", "gbm"), ("version", "2.0.0")]
    assert not assembled.filled  # nothing was chosen, so the case name says nothing


def test_a_required_parameter_with_a_fallback_is_filled_and_named_not_a_problem(tmp_path: Path) -> None:
    # model_id has no example named 'pinned' but a schema default: the test takes it and says so.
    root = _contract(tmp_path)
    assert not [p for p in lint_paths(["models@1.0.0"], root).problems if p.keyword == "examples"]
    contract = load("models@1.0.0", root)
    op = contract.operation("getModel")
    assembled = assemble(op, op.interactions["pinned"], CompiledContract(contract).resolved_at)
    assert [(p.name, v) for p, v in assembled.values] == [("model_id", "gbm"), ("version", "2.0.0")]
    assert assembled.filled == {"model_id": "its schema's default"}
