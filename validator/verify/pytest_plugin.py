"""pytest plugin: ``pytest --contract REF --contract-base-url URL`` adds one test per operation and check.

Registered as the ``pytest11`` entry point ``contracts``; it does nothing unless ``--contract`` is
given, so loading it costs other test suites nothing. Every option but ``--contract`` carries the
``--contract-`` prefix, so the plugin loads beside ``pytest-base-url`` (Playwright, Selenium), which
owns ``--base-url``. ``--contract-only`` collects nothing but the contract tests (from another
repository's checkout, its own tests stay out). The suite runs once, on the first test that needs
it; every test then reports the findings of its operation and check.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

_REPORT = pytest.StashKey[Any]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The plugin's options (group ``contracts``)."""
    group = parser.getgroup("contracts", "contract tests against a live API")
    group.addoption("--contract", default=None, metavar="REF", help="contract reference, e.g. recommendation-api@1.1.0")
    group.addoption("--contract-base-url", default=None, metavar="URL", help="where the API under test answers")
    group.addoption(
        "--contract-only", action="store_true", default=False, help="collect only the contract tests, no files"
    )
    group.addoption("--contract-max-examples", type=int, default=20, metavar="N", help="generated cases per operation")
    group.addoption("--contract-seed", type=int, default=None, metavar="N", help="same seed, same cases")
    group.addoption("--contract-header", action="append", default=[], metavar="K:V", help="header for every request")
    group.addoption("--contract-workers", type=int, default=4, metavar="N", help="concurrent requests")
    group.addoption("--contract-slo-samples", type=int, default=50, metavar="N", help="sequential SLO samples")
    group.addoption("--contracts-dir", default=None, metavar="DIR", help="contracts folder (default ./contracts)")


def pytest_ignore_collect(collection_path: Any, config: pytest.Config) -> bool | None:
    """With ``--contract-only``: no test file or folder is collected, only the contract's tests."""
    return True if config.getoption("contract_only") and config.getoption("contract") else None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--contract``: append one item per operation and check of the contract."""
    ref = config.getoption("contract")
    if not ref:
        return
    from ..errors import ContractsError
    from ..loader import load
    from ..refs import contracts_dir
    from .checks import CHECK_NAMES

    if not config.getoption("contract_base_url"):
        raise pytest.UsageError("--contract needs --contract-base-url URL (where the API under test answers)")
    try:
        contract = load(ref, contracts_dir(config.getoption("contracts_dir")))
    except ContractsError as exc:
        raise pytest.UsageError(f"--contract {ref}: {exc}") from None
    config.stash[_REPORT] = {"contract": contract}
    for op in contract.operations:
        for check in CHECK_NAMES:
            items.append(
                ContractCheck.from_parent(session, name=f"{op.label}::{check}", operation=op.label, check=check)
            )


class ContractCheck(pytest.Item):
    """One operation and one check of the contract-test run."""

    def __init__(self, *, operation: str, check: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.operation = operation
        self.check = check

    def runtest(self) -> None:
        """Fail with the findings of this operation and check, if any (each distinct one listed)."""
        report = _report(self.config)
        found = [f for f in report.failures if f.operation == self.operation and f.check == self.check]
        if found:
            raise ContractViolation(found)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The finding as text: message, case, curl, request and response."""
        from ..errors import ContractsError

        if isinstance(excinfo.value, ContractViolation):
            return "\n\n".join(
                "\n".join(
                    [
                        f"{f.operation} · {f.check}: {f.message}",
                        f"case: {f.case} (seen {f.occurrences}x)",
                        f"reproduce: {f.curl}",
                        "request: " + json.dumps(f.request, indent=2, ensure_ascii=False, default=str),
                        "response: " + json.dumps(f.response, indent=2, ensure_ascii=False, default=str),
                    ]
                )
                for f in excinfo.value.failures
            )
        if isinstance(excinfo.value, ContractsError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int | None, str]:
        """Where the test comes from: the contract."""
        return (str(self.config.getoption("contract")), None, f"{self.operation} · {self.check}")


class ContractViolation(AssertionError):
    """Raised by a ContractCheck whose operation and check have findings."""

    def __init__(self, failures: list[Any]) -> None:
        super().__init__("; ".join(f.message for f in failures))
        self.failures = failures


def _report(config: pytest.Config) -> Any:
    state = config.stash[_REPORT]
    if "report" not in state:
        from .redact import Redaction
        from .runner import Options, parse_headers, run

        options = Options(
            base_url=config.getoption("contract_base_url"),
            max_examples=config.getoption("contract_max_examples"),
            seed=config.getoption("contract_seed"),
            workers=config.getoption("contract_workers"),
            headers=parse_headers(config.getoption("contract_header")),
            slo_samples=config.getoption("contract_slo_samples"),
        )
        contract = state["contract"]
        state["report"] = Redaction.of(contract.document, options.headers).report(run(contract, options))
    return state["report"]
