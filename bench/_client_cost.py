"""One HTTP client's CPU time per request: ``python _client_cost.py CLIENT URL N`` prints ``cpu_us wall_us``.

Run by ``bench_proxy_clients`` in the project's venv (``contracts``: the proxy's forwarding, aiohttp behind
``proxy.upstream.Forwarder``; aiohttp alone; httpx and httpcore) and in a scratch venv for the clients the
project does not install. Only the standard library and the client under test are imported, so the script
runs in either.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

BODY = b'{"customer_id":"C0000042","context":{"channel":"web","locale":"en-GB"},"n":5}'
WARM_UP = 200
One = Callable[[], Awaitable[bytes]]


async def _contracts(url: str) -> tuple[One, Callable[[], Awaitable[None]]]:
    from proxy.options import ProxyOptions
    from proxy.upstream import Forwarder

    base, _, path = url.partition("/v1/")
    forwarder = Forwarder(ProxyOptions(upstream=base))
    headers = [(b"content-type", b"application/json"), (b"host", base.split("//")[1].encode())]

    async def one() -> bytes:
        answer = await forwarder.send("POST", "/v1/" + path, list(headers), BODY)
        return answer.body

    return one, forwarder.aclose


async def _aiohttp(url: str) -> tuple[One, Callable[[], Awaitable[None]]]:
    aiohttp: Any = importlib.import_module("aiohttp")
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=256),
        cookie_jar=aiohttp.DummyCookieJar(),
        auto_decompress=False,
        skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding", "Content-Type"),
    )
    headers = {"content-type": "application/json"}

    async def one() -> bytes:
        response = await session.request("POST", url, headers=headers, data=BODY, allow_redirects=False)
        body: bytes = await response.read()
        response.release()
        return body

    return one, session.close


def _httpx_like(module: str) -> Callable[[str], Awaitable[tuple[One, Callable[[], Awaitable[None]]]]]:
    """httpx or its maintained fork httpx2 at their cheapest for a proxy: one shared AsyncClient, HTTP/1.1
    only, no environment lookups, a pool as large as the proxy's, the raw target, the raw body streamed."""

    async def make(url: str) -> tuple[One, Callable[[], Awaitable[None]]]:
        httpx: Any = importlib.import_module(module)
        client = httpx.AsyncClient(
            http1=True,
            http2=False,
            trust_env=False,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=256, max_keepalive_connections=256),
            timeout=httpx.Timeout(30.0, connect=5.0),
        )
        target = httpx.URL(url)
        headers = [(b"content-type", b"application/json")]
        raw = {"target": target.raw_path}

        async def one() -> bytes:
            request = client.build_request("POST", target, content=BODY, headers=headers, extensions=raw)
            response = await client.send(request, stream=True)
            chunks = [chunk async for chunk in response.aiter_raw()]
            await response.aclose()
            return b"".join(chunks)

        return one, client.aclose

    return make


def _pool(module: str) -> Callable[[str], Awaitable[tuple[One, Callable[[], Awaitable[None]]]]]:
    """httpcore or httpcore2 alone (the connection pool under httpx/httpx2): the floor of that stack."""

    async def make(url: str) -> tuple[One, Callable[[], Awaitable[None]]]:
        core: Any = importlib.import_module(module)
        pool = core.AsyncConnectionPool(max_connections=256, http1=True, http2=False)
        headers = [(b"content-type", b"application/json"), (b"host", url.split("/")[2].encode())]
        timeouts = {"timeout": {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}}

        async def one() -> bytes:
            async with pool.stream("POST", url, headers=headers, content=BODY, extensions=timeouts) as response:
                return b"".join([chunk async for chunk in response.aiter_stream()])

        return one, pool.aclose

    return make


async def _aiosonic(url: str) -> tuple[One, Callable[[], Awaitable[None]]]:
    aiosonic: Any = importlib.import_module("aiosonic")
    client = aiosonic.HTTPClient()
    headers = {"content-type": "application/json"}

    async def one() -> bytes:
        response = await client.post(url, data=BODY, headers=headers)
        return bytes(await response.content())

    async def close() -> None:
        return None

    return one, close


async def _pyreqwest(url: str) -> tuple[One, Callable[[], Awaitable[None]]]:
    builder: Any = importlib.import_module("pyreqwest.client").ClientBuilder
    client = builder().build()
    await client.__aenter__()
    headers = {"content-type": "application/json"}

    async def one() -> bytes:
        response = await client.post(url).headers(headers).body_bytes(BODY).build().send()
        return bytes(await response.bytes())

    async def close() -> None:
        await client.__aexit__(None, None, None)

    return one, close


CLIENTS = {
    "contracts": _contracts,
    "aiohttp": _aiohttp,
    "httpx": _httpx_like("httpx"),
    "httpcore": _pool("httpcore"),
    "httpx2": _httpx_like("httpx2"),
    "httpcore2": _pool("httpcore2"),
    "aiosonic": _aiosonic,
    "pyreqwest": _pyreqwest,
}


async def _measure(client: str, url: str, count: int) -> tuple[float, float]:
    one, close = await CLIENTS[client](url)
    for _ in range(WARM_UP):
        await one()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(count):
        await one()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    await close()
    return cpu / count * 1e6, wall / count * 1e6


def main() -> None:
    """Measure the client named on the command line; print CPU and wall microseconds per request."""
    client, url, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    try:
        uvloop: Any = importlib.import_module("uvloop")
        uvloop.install()  # the loop the proxy runs on (uvicorn picks uvloop when installed)
    except ImportError:
        pass
    cpu, wall = asyncio.run(_measure(client, url, count))
    print(f"{cpu:.1f} {wall:.1f}")


if __name__ == "__main__":
    main()
