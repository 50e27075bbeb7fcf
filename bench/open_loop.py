"""An open-loop HTTP/1.1 load driver: requests leave at a steady rate whether or not earlier ones were
answered, as scans arrive at a front desk, and each latency counts from when its request was due.

A closed loop (wrk) sends the next request only after an answer, so a slow server is sent less and its
queue never shows (coordinated omission). Here request i is due at start + i / rate; it gets a connection
of its own (gunicorn's sync workers close every connection after one answer anyway) and its latency runs
from that due instant to the last byte of the answer, so time spent waiting for a worker counts.

Standard library only (asyncio streams). Used by bench/run_http.py; alone:
python bench/open_loop.py URL TOKEN SITE CODES_FILE [--rate 50] [--seconds 15] [--prefix open]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class OpenLoopResult:
    sent: int
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lag_ms: float = 0.0  # the worst delay of a request leaving after its due instant (the driver's own lag)
    # Requests not answered within the timeout: each counts in the percentiles as a latency of the timeout
    # (a cashier who waited that long and more), not as a failure of the run: an overloaded server is a
    # result, a wrong answer is not.
    timed_out: int = 0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        # Nearest rank: the p-th percentile is a latency that was measured, never an interpolation.
        rank = max(1, -(-len(ordered) * p // 100))
        return ordered[int(rank) - 1]


async def _one(
    host: str, port: int, request: bytes, due: float, result: OpenLoopResult, timeout: float
) -> None:
    loop = asyncio.get_running_loop()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            length = None
            while (line := await reader.readline()) not in (b"\r\n", b"\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = await (reader.readexactly(length) if length is not None else reader.read())
        parts = status_line.split(maxsplit=2)
        status = int(parts[1]) if len(parts) > 1 else 0
        if not 200 <= status < 300:
            result.failures.append(f"{status} {body[:300]!r}")
            return
        result.latencies_ms.append((loop.time() - due) * 1000)
    except TimeoutError:
        result.timed_out += 1
        result.latencies_ms.append(timeout * 1000)
    except (OSError, asyncio.IncompleteReadError, ValueError) as error:
        result.failures.append(f"{type(error).__name__}: {error}")
    finally:
        if writer is not None:
            writer.close()


def scan_request(host: str, port: int, path: str, token: str, site: str, code: str, client_id: str) -> bytes:
    body = json.dumps({"site": site, "code": code, "client_id": client_id}).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def drive(
    url: str,
    *,
    token: str,
    site: str,
    codes: list[str],
    rate: float,
    seconds: float,
    prefix: str,
    seed: int = 1,
    timeout: float = 10.0,
) -> OpenLoopResult:
    """Send rate × seconds requests to `url` at a steady rate; every request has a new client id."""
    address = urlsplit(url)
    host, port, path = address.hostname or "127.0.0.1", address.port or 80, address.path
    rng = random.Random(seed)
    count = int(rate * seconds)
    result = OpenLoopResult(sent=count)
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    tasks = []
    for i in range(count):
        due = start + i / rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        result.lag_ms = max(result.lag_ms, (loop.time() - due) * 1000)
        request = scan_request(host, port, path, token, site, rng.choice(codes), f"{prefix}-{i}")
        tasks.append(asyncio.create_task(_one(host, port, request, due, result, timeout)))
    await asyncio.gather(*tasks)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("token")
    parser.add_argument("site")
    parser.add_argument("codes", type=Path)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--prefix", default="open")
    options = parser.parse_args(argv)
    codes = options.codes.read_text().split()
    result = asyncio.run(
        drive(
            options.url,
            token=options.token,
            site=options.site,
            codes=codes,
            rate=options.rate,
            seconds=options.seconds,
            prefix=options.prefix,
        )
    )
    print(
        json.dumps(
            {
                "sent": result.sent,
                "answered": len(result.latencies_ms),
                "failures": len(result.failures),
                "first_failure": result.failures[0] if result.failures else None,
                "p50_ms": result.percentile(50),
                "p99_ms": result.percentile(99),
                "lag_ms": result.lag_ms,
                "timed_out": result.timed_out,
            }
        )
    )
    return 1 if result.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
