"""Hosted mocks: ``/mocks/{name}/{version}/...`` is the mock of that version, as ``contracts mock`` serves it.

One mock ASGI app per version is built on first use (cached in the catalogue snapshot, so a reload
builds fresh ones) and called with the prefix moved into ``root_path``. The mock enforces the
service's body limit itself (it answers 413 as ``contracts mock`` does).
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

from ..contract import Contract
from ..errors import ContractsError
from ..refs import check_name
from ..report.display import for_contracts
from .catalogue import Catalogue, check_version
from .observability import Metrics, StatusRecorder
from .problem_details import contracts_error, problem

MockFactory = Callable[[Contract], ASGIApp]


def mock_factory(max_body_bytes: int) -> MockFactory:
    """The ``mocks`` package's app factory with the service's body limit and JSON request logs.

    ``mocks`` is imported lazily: only the service uses it, never the core.
    """
    from mocks.app import create_app
    from mocks.options import MockOptions

    options = MockOptions(max_body_bytes=max_body_bytes, log_json=True)
    return lambda contract: create_app(contract, options)


class MockHost:
    """ASGI app mounted at ``/mocks``: dispatches to the mock of the named contract version."""

    def __init__(self, catalogue: Catalogue, metrics: Metrics, factory: Callable[[], MockFactory]) -> None:
        self.catalogue = catalogue
        self.metrics = metrics
        self.factory = factory

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        # Starlette mounts keep the full path and move the prefix into root_path.
        root_path: str = scope.get("root_path", "")
        path: str = scope["path"]
        inner = path[len(root_path) :] if root_path and path.startswith(root_path) else path
        parts = inner.lstrip("/").split("/", 2)
        if len(parts) < 2 or not parts[1]:
            await problem(404, "Unknown mock", "use /mocks/{name}/{version}/{path of the API}")(scope, receive, send)
            return
        name, version = parts[0], parts[1]
        snap = self.catalogue.current
        try:
            check_name(name)
            check_version(version)
            snap.ref(name, version)
            app = snap.cached("mock", name, version, lambda: self.factory()(snap.contract(name, version)))
        except ContractsError as exc:
            await contracts_error(exc, for_contracts(self.catalogue.root))(scope, receive, send)
            return
        child = dict(scope)
        child["root_path"] = f"{root_path}/{name}/{version}"
        recorder = StatusRecorder(scope, receive, send)
        try:
            await app(child, recorder.receive, recorder.send)
        finally:
            self.metrics.mock_requests.labels(name, str(recorder.status)).inc()
