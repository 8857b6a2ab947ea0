#!/usr/bin/env python3
"""Load test of the production setup: N concurrent clients, a realistic mix, for a fixed time.

    python bench/load.py [--clients 32] [--duration 60] [--workers 2] [--url http://host:port]

Without --url it starts `tdld serve --workers W` (granian) on a free loopback port from the
current build and stops it afterwards. Prints requests/s, latency percentiles per kind of
request, status counts, failures, and the server's memory (RSS of all its processes) in
the first and the last quarter of the run. Loopback only; bounded in time and count.
"""

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proc_memory import process_tree, status_kib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/doc/vocab/city-diplomacy", "/doc/vocab/territorial-diplomacy", "/doc/id/actor/france",
         "/doc/id/act/regulation-1082-2006", "/ontology", "/browse/concepts", "/browse/timeline", "/"]
CHEAP_SPARQL = "SELECT ?l WHERE { tdv:city-diplomacy skos:prefLabel ?l }"
HEAVY_SPARQL = "SELECT ?c (COUNT(*) AS ?n) WHERE { ?s a ?c . ?s ?p ?o } GROUP BY ?c ORDER BY DESC(?n)"


def mix(rng: random.Random, has_reconcile: bool) -> tuple[str, str, str, dict, bytes | None]:
    """(kind, method, path, headers, body) of one request, drawn from a realistic mix."""
    roll = rng.random()
    if roll < 0.30:
        return "page html", "GET", rng.choice(PAGES), {"Accept": "text/html"}, None
    if roll < 0.45:
        return "page turtle", "GET", rng.choice(PAGES[:4]), {"Accept": "text/turtle"}, None
    if roll < 0.55:
        word = rng.choice(["diplomatie", "twinning", "Städte", "cooperation", "interreg", "zzz"])
        return "search", "GET", "/search/suggest?" + urllib.parse.urlencode({"q": word}), {}, None
    if roll < 0.62 and has_reconcile:
        queries = json.dumps({"q0": {"query": rng.choice(["paradiplomacy", "Conseil de l'Europe", "jumelage"])}})
        body = urllib.parse.urlencode({"queries": queries}).encode()
        return "reconcile", "POST", "/reconcile", {"Content-Type": "application/x-www-form-urlencoded"}, body
    if roll < 0.80:
        query = urllib.parse.urlencode({"query": CHEAP_SPARQL})
        return "sparql cheap", "GET", "/sparql?" + query, {"Accept": "application/sparql-results+json"}, None
    if roll < 0.92:
        query = urllib.parse.urlencode({"query": HEAVY_SPARQL})
        return "sparql heavy", "GET", "/sparql?" + query, {"Accept": "application/sparql-results+json"}, None
    return "download", "GET", rng.choice(["/download/tdld.ttl", "/download/tdld.nq.gz"]), {}, None


def rss_of_tree(pid: int) -> int:
    """Resident memory, in KiB, of a process and all its descendants."""
    return sum(status_kib(p, "VmRSS") for p in process_tree(pid))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(workers: int, root: Path = ROOT) -> tuple[subprocess.Popen, str]:
    port = free_port()
    tdld = Path(sys.executable).parent / "tdld"
    process = subprocess.Popen([str(tdld), "--root", str(root), "serve", "--host", "127.0.0.1", "--port", str(port),
                                "--workers", str(workers), "--service-allowlist", ""],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


def run(url: str, clients: int, duration: float, pid: int | None, seed: int = 1) -> dict:
    parsed = urllib.parse.urlsplit(url)
    probe = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    probe.request("GET", "/reconcile")
    has_reconcile = probe.getresponse().status == 200
    latencies: dict = defaultdict(list)
    statuses: Counter = Counter()
    failures: Counter = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
        while time.monotonic() < stop_at:
            kind, method, path, headers, body = mix(rng, has_reconcile)
            started = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    statuses[response.status] += 1
                    latencies[kind].append(elapsed)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    failures[type(error).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)

    memory: list = []

    def sample_memory() -> None:
        while time.monotonic() < stop_at:
            if pid:
                memory.append((time.monotonic(), rss_of_tree(pid)))
            time.sleep(0.5)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    sampler = threading.Thread(target=sample_memory)
    started = time.monotonic()
    for thread in threads + [sampler]:
        thread.start()
    for thread in threads + [sampler]:
        thread.join(duration + 60)
    elapsed = time.monotonic() - started
    quarter = max(1, len(memory) // 4)
    first = max((m for _t, m in memory[:quarter]), default=0)
    last = max((m for _t, m in memory[-quarter:]), default=0)
    all_latencies = sorted(x for values in latencies.values() for x in values)
    return {
        "requests": sum(statuses.values()), "seconds": elapsed, "statuses": dict(statuses), "failures": dict(failures),
        "p50": statistics.median(all_latencies) if all_latencies else 0,
        "p99": all_latencies[int(len(all_latencies) * 0.99) - 1] if all_latencies else 0,
        "by_kind": {k: (len(v), statistics.median(v), sorted(v)[int(len(v) * 0.99) - 1] if v else 0) for k, v in latencies.items()},
        "rss_first_quarter_kib": first, "rss_last_quarter_kib": last,
        "rss_growth": (last - first) / first if first else 0.0,
    }


def report(result: dict, clients: int) -> str:
    lines = [f"{clients} clients, {result['seconds']:.0f} s: {result['requests']} requests, "
             f"{result['requests'] / result['seconds']:.0f} req/s",
             f"latency p50 {result['p50'] * 1000:.1f} ms, p99 {result['p99'] * 1000:.1f} ms",
             f"statuses {result['statuses']}, failed requests {sum(result['failures'].values())} {result['failures']}"]
    for kind, (count, p50, p99) in sorted(result["by_kind"].items()):
        lines.append(f"  {kind:14} {count:6} requests, p50 {p50 * 1000:7.1f} ms, p99 {p99 * 1000:7.1f} ms")
    lines.append(f"RSS of the server's processes: {result['rss_first_quarter_kib'] / 1024:.1f} MiB (first quarter peak) → "
                 f"{result['rss_last_quarter_kib'] / 1024:.1f} MiB (last quarter peak), growth {result['rss_growth'] * 100:+.1f} %")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="an already running server (memory is then not measured)")
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--root", type=Path, default=ROOT, help="project folder whose build is served")
    args = parser.parse_args(argv)
    process = None
    if args.url:
        url, pid = args.url, None
    else:
        process, url = start_server(args.workers, args.root)
        pid = process.pid
    try:
        run(url, args.clients, args.warmup, None, seed=99)  # warm every worker and SPARQL process
        result = run(url, args.clients, args.duration, pid)
        print(report(result, args.clients))
        print(json.dumps({k: v for k, v in result.items() if k != "by_kind"}))
        bad = sum(v for s, v in result["statuses"].items() if s >= 500) + sum(result["failures"].values())
        return 1 if bad else 0
    finally:
        if process:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
