"""Load check of the web app: concurrent clients sending predictions over loopback.

Starts ``handgrad serve`` in a subprocess (the default model), then runs ``--clients``
threads that each send ``--requests`` predictions over HTTP exactly as the page does
(``POST /gradio_api/run/predict`` with the 30 values, the threshold and the client's session;
the prediction event is not queued), each checked to hold a probability, with a bounded
total time. Prints
requests, errors and latency percentiles.

    PYTHONPATH=src python benchmarks/load_app.py [--clients 50] [--requests 20]

Not a test: speed is measured here, never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

from handgrad import load_breast_cancer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/gradio_api/info")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not come up in time")


def _predict(conn: http.client.HTTPConnection, payload: bytes) -> str:
    """One prediction the way the page sends it; returns "complete" or what went wrong."""
    conn.request("POST", "/gradio_api/run/predict", payload, {"Content-Type": "application/json"})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        return f"HTTP {response.status}: {body[:200]!r}"
    result = json.loads(body)["data"][0]
    return "complete" if str(result).startswith("### P(") else f"unexpected: {result[:80]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="per client")
    parser.add_argument("--time-limit", type=float, default=180.0, help="seconds, in all")
    args = parser.parse_args()

    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    port = _free_port()
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    src = str(Path(__file__).resolve().parents[1] / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    server = subprocess.Popen(
        [sys.executable, "-m", "handgrad", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, time.monotonic() + 90)
        X = load_breast_cancer().X
        deadline = time.monotonic() + args.time_limit
        latencies: list[float] = []  # requests after the first of each session
        first: list[float] = []  # the first request of each session
        errors: list[str] = []
        lock = threading.Lock()
        start = threading.Barrier(args.clients)

        def send(conn: http.client.HTTPConnection, k: int, i: int) -> tuple[str, float]:
            row = X[(k * args.requests + i) % len(X)].tolist()
            # Like a page: one session per client (Gradio builds a session's state once).
            payload = json.dumps({"data": [*row, 0.5], "session_hash": f"client{k}"}).encode()
            t0 = time.perf_counter()
            try:
                event = _predict(conn, payload)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                event = f"{type(exc).__name__}: {exc}"
            return event, time.perf_counter() - t0

        def client(k: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            start.wait()
            event, elapsed = send(conn, k, -1)  # a session's first request builds its state
            with lock:
                if event == "complete":
                    first.append(elapsed)
                else:
                    errors.append(event)
            for i in range(args.requests):
                if time.monotonic() > deadline:
                    with lock:
                        errors.append("time limit reached before sending")
                    continue
                event, elapsed = send(conn, k, i)
                if event != "complete":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    if event == "complete":
                        latencies.append(elapsed)
                    else:
                        errors.append(event)
            conn.close()

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        t_start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t_start
    finally:
        server.terminate()
        server.wait(timeout=30)

    lat = np.array(latencies) * 1000.0
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPU(s), {_cpu_name()}, "
        f"Python {platform.python_version()}, load average before: {load_before}"
    )
    total = args.clients * (args.requests + 1)
    print(
        f"clients: {args.clients}, requests: {total} ({args.clients} session starts + "
        f"{args.clients} x {args.requests}), completed: {lat.size + len(first)}, "
        f"errors: {len(errors)}, wall: {wall:.1f} s, "
        f"throughput: {(lat.size + len(first)) / wall:.0f} req/s"
    )
    starts = np.array(first) * 1000.0
    every = np.concatenate([starts, lat])
    for name, values in (("all", every), ("session start", starts), ("steady state", lat)):
        if values.size:
            p50, p90, p99 = np.percentile(values, [50, 90, 99])
            print(
                f"latency ms, {name} ({values.size}): p50 {p50:.0f}, p90 {p90:.0f}, "
                f"p99 {p99:.0f}, max {values.max():.0f}"
            )
    if errors:
        print("first errors:", sorted(set(errors))[:5])
    return 0 if not errors else 1


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    raise SystemExit(main())
