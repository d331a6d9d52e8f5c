"""Serve the reference scoring service: ``.venv/bin/python examples/client-scoring-service/serve_scores.py``."""

from __future__ import annotations

import argparse

import uvicorn
from scoring_service import create_app


def main() -> None:
    """Parse --host/--port and serve until stopped."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args()
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
