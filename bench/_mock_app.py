"""The mock of the benchmark contract as a module-level ASGI app, to serve it under any uvicorn stack."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mocks.app import create_app
from mocks.options import MockOptions
from validator.loader import load

_CONTRACT = Path(__file__).resolve().parents[1] / "contracts" / "recommendation-api" / "1.1.0"

app = create_app(load(os.environ.get("BENCH_CONTRACT", str(_CONTRACT))), MockOptions(log_stream=sys.stderr))
