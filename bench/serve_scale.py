#!/usr/bin/env python3
"""Serving at scale: tdld's server next to Oxigraph's own server and rdflib, in one run.

    python bench/serve_scale.py [--scales 10000,100000] [--duration 5] [--connections 1,8,32]
                                [--rounds 1] [--project DIR] [--workdir DIR] [--json FILE]

For each scale it generates a project with bench/generate.py, builds it with `tdld build`
(or takes an already built --project), then prints medians and ratios measured side by side:

- start-up: `tdld serve --workers 2` (granian) and `oxigraph serve`, until the first answer;
- SPARQL queries (lookup, DESCRIBE, label search, join, GROUP BY, property path,
  OPTIONAL+language+ORDER BY+LIMIT): median over HTTP through tdld, through Oxigraph's
  server, through a bare Flask + pyoxigraph endpoint under granian with 2 workers
  (bench/bare_endpoint.py: tdld's engine with none of its limits), and in-process with
  rdflib's engine (the engine a plain rdflib endpoint uses);
- throughput and p50/p99 latency with wrk at each number of connections: resource pages in
  HTML and Turtle, the search endpoint, and a cheap, a GROUP BY and an OPTIONAL+language
  query, "cold" (every request a new query text) and "warm" (the same GET repeated); the
  bare endpoint is run cold only, since it keeps nothing;
- memory: peak resident set of every process of each server.

Needs wrk (Debian package wrk) for the throughput part; loopback only. Figures are
printed, never asserted: the machine is shared and noisy, so read the ratios.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from proc_memory import process_tree, rollup_kib, status_kib  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TDO = "https://w3id.org/territorial-diplomacy/ontology#"
JSON_RESULTS = "application/sparql-results+json"
# "Cold": every request a new query text. wrk's Lua random numbers repeat from one run to
# the next, so each run also gets a nonce of its own; without it a later run would send
# texts an earlier run had sent, and tdld's answer cache would make them warm.
WRK_SCRIPT = """
local counter = 0
local prefix, cold, nonce = "", "0", ""
function setup(thread) thread:set("tid", tostring(math.random(1, 1000000))) end
function init(args) prefix = args[1]; cold = args[2]; nonce = args[3] end
function request()
  counter = counter + 1
  local path = prefix
  if cold == "1" then path = path .. "%20%23" .. nonce .. "t" .. tid .. "x" .. counter end
  return wrk.format("GET", path)
end
"""


# -- the data -----------------------------------------------------------------------------
def prepare(scale: int, workdir: Path) -> Path:
    """A generated project of about ``scale`` triples, built with the real pipeline."""
    project = workdir / f"project-{scale}"
    if (project / "build" / "current" / "build.json").exists():
        return project
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--triples", str(scale),
                    "--out", str(project), "--force"], check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([str(BIN / "tdld"), "--root", str(project), "build"], check=True, stdout=subprocess.DEVNULL)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
    return project


def samples(release: Path) -> dict:
    """IRIs and words the queries use, read from the built store."""
    from tdld.release.store import open_store

    store = open_store(release)

    def first(query: str) -> list:
        return [t.value for t in next(iter(store.query(query, use_default_graph_as_union=True)))]

    city, label = first(f'SELECT ?c ?l WHERE {{ ?c a <{TDO}City> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l '
                        f'FILTER(LANG(?l) = "en") }} LIMIT 1')
    states = [s["s"].value for s in store.query(f"SELECT ?s WHERE {{ ?s a <{TDO}State> }} LIMIT 2",
                                                use_default_graph_as_union=True)]
    triples = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    return {"city": city, "word": label[:4].lower(), "states": states, "triples": triples}


def queries(sample: dict) -> dict:
    city, word, (one, two) = sample["city"], sample["word"], sample["states"]
    prologue = ("PREFIX tdo: <https://w3id.org/territorial-diplomacy/ontology#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ")
    return {
        "lookup": prologue + f"SELECT ?p ?o WHERE {{ <{city}> ?p ?o }}",
        "describe": prologue + f"DESCRIBE <{city}>",
        "label search": prologue + f'SELECT ?s ?l WHERE {{ ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "{word}")) }} LIMIT 20',
        "join": prologue + f"SELECT ?t ?a ?b WHERE {{ ?t a tdo:Twinning ; tdo:partner ?a, ?b . "
                           f"?a tdo:subdivisionOf+ <{one}> . ?b tdo:subdivisionOf+ <{two}> }} LIMIT 100",
        "group by": prologue + "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
        "property path": prologue + "SELECT (COUNT(?c) AS ?n) WHERE { ?c skos:broader+ ?top . "
                                    "FILTER NOT EXISTS { ?top skos:broader ?above } }",
        "optional+lang": prologue + 'SELECT ?c ?l WHERE { ?c a tdo:City . OPTIONAL { ?c rdfs:label ?l '
                                    'FILTER(LANG(?l) = "fr") } } ORDER BY ?l LIMIT 20',
    }


# -- servers ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, limit: float = 600) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if process.poll() is not None:
            raise SystemExit(f"serve_scale: the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"serve_scale: {url} did not answer within {limit} s")


class Server:
    def __init__(self, name: str, command: list, probe: str, sparql: str, port: int, log: Path,
                 env: dict | None = None, cwd: Path | None = None):
        self.name, self.sparql = name, sparql
        self.base = f"http://127.0.0.1:{port}"
        started = time.perf_counter()
        with open(log, "wb") as output:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL, cwd=cwd, env={**os.environ, **(env or {})})
        wait_for(self.base + probe, self.process)
        self.startup = time.perf_counter() - started

    def query_url(self, text: str) -> str:
        return f"{self.base}{self.sparql}?{urllib.parse.urlencode({'query': text})}"

    def peak_rss_mb(self) -> float:
        return sum(status_kib(pid, "VmHWM") for pid in process_tree(self.process.pid)) / 1024

    def pss_mb(self) -> float:
        """Memory now, shared pages divided among the processes sharing them (forked query workers)."""
        return sum(rollup_kib(pid, "Pss") for pid in process_tree(self.process.pid)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_tdld(project: Path, workdir: Path) -> Server:
    port = free_port()
    command = [str(BIN / "tdld"), "--root", str(project), "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", "2"]
    return Server("tdld", command, "/", "/sparql", port, workdir / "tdld-serve.log")


def start_oxigraph(release: Path, workdir: Path) -> Server:
    location = workdir / "oxigraph-store"
    shutil.rmtree(location, ignore_errors=True)
    shutil.copytree(release / "store", location)
    port = free_port()
    command = [str(BIN / "oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
               "--union-default-graph"]
    return Server("oxigraph", command, "/query?query=ASK%7B%7D", "/query", port, workdir / "oxigraph.log")


def start_bare(release: Path, workdir: Path) -> Server:
    port = free_port()
    command = [str(BIN / "granian"), "--interface", "wsgi", "--http", "1", "--workers", "2", "--blocking-threads", "4",
               "--host", "127.0.0.1", "--port", str(port), "bare_endpoint:app"]
    return Server("bare", command, "/query?query=ASK%7B%7D", "/query", port, workdir / "bare.log",
                  env={"TDLD_BARE_STORE": str(release / "store")}, cwd=ROOT / "bench")


# -- measurements -------------------------------------------------------------------------
def http_median(server: Server, text: str, repeat: int) -> float:
    """Median seconds of a query over HTTP, each time a new text (a trailing comment) so no cache helps."""
    timings = []
    for n in range(repeat):
        accept = "text/turtle" if "DESCRIBE" in text else JSON_RESULTS
        request = urllib.request.Request(server.query_url(f"{text} #{time.time_ns()}-{n}"), headers={"Accept": accept})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def search_median(server: Server, word: str, repeat: int) -> float:
    """Median seconds of the label search endpoint; an unused parameter makes every URL new."""
    timings = []
    for n in range(repeat):
        url = f"{server.base}/search/suggest?{urllib.parse.urlencode({'q': word, 'n': f'{time.time_ns()}-{n}'})}"
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def _rdflib_worker(release: str, connection) -> None:
    """Child process: load the quads into rdflib once, then time each query it is sent."""
    import gzip

    from rdflib import Dataset

    dataset = Dataset(default_union=True)
    with gzip.open(Path(release) / "tdld.nq.gz", "rb") as handle:
        dataset.parse(handle, format="nquads")
    connection.send("ready")
    while True:
        text = connection.recv()
        started = time.perf_counter()
        list(dataset.query(text))
        connection.send(time.perf_counter() - started)


def rdflib_medians(release: Path, texts: dict, repeat: int, budget: float) -> dict:
    """rdflib's engine on the same quads, in a child process; a query over ``budget`` seconds is stopped.

    A stopped query is reported as ``None`` (more than the budget), and the child is started again.
    """
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    medians: dict = {}
    child = None
    for name, text in texts.items():
        timings = []
        for _ in range(repeat):
            if child is None:
                ours, theirs = context.Pipe()
                child = context.Process(target=_rdflib_worker, args=(str(release), theirs), daemon=True)
                child.start()
                ours.recv()
            ours.send(text)
            if not ours.poll(budget):
                child.kill()
                child.join()
                child = None
                timings = []
                break
            timings.append(ours.recv())
        medians[name] = statistics.median(timings) if timings else None
    if child is not None:
        child.kill()
    return medians


def wrk(url: str, accept: str, connections: int, duration: int, cold: bool, script: Path) -> dict:
    parsed = urllib.parse.urlsplit(url)
    path = parsed.path + ("?" + parsed.query if parsed.query else "")
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{duration}s", "--latency",
               "-H", f"Accept: {accept}", "-s", str(script), f"{parsed.scheme}://{parsed.netloc}",
               "--", path, "1" if cold else "0", secrets.token_hex(8)]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rate, "p50_ms": _percentile(output, "50%"), "p99_ms": _percentile(output, "99%"),
            "non_2xx": int(errors.group(1)) if errors else 0}


def _percentile(output: str, label: str) -> float:
    value, unit = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)", output, re.M).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def throughput(tdld: Server, bare: Server, oxigraph: Server, texts: dict, sample: dict, args, script: Path) -> list:
    """wrk at each number of connections; where both servers answer, their runs alternate.

    With ``--rounds N`` each pair is measured N times, tdld then Oxigraph, and the medians
    are kept: both servers then see the same machine, which a shared host does not keep
    still for the length of a whole benchmark. The bare endpoint joins the cold runs.
    """
    city_path = "/doc/" + sample["city"].split("territorial-diplomacy/", 1)[1]
    groups = [
        ("resource page HTML", [(tdld, tdld.base + city_path)], "text/html", False),
        ("resource page Turtle", [(tdld, tdld.base + city_path)], "text/turtle", False),
        ("search", [(tdld, tdld.base + "/search/suggest?" + urllib.parse.urlencode({"q": sample["word"]}))],
         "application/json", False),
    ]
    for name in ("lookup", "group by", "optional+lang"):
        for temperature in ("cold", "warm"):
            compared = (tdld, bare, oxigraph) if temperature == "cold" else (tdld, oxigraph)
            groups.append((f"{name} ({temperature})",
                           [(server, server.query_url(texts[name])) for server in compared],
                           JSON_RESULTS, temperature == "cold"))
    rows = []
    for label, servers, accept, cold in groups:
        for connections in args.connections:
            runs: dict = {server.name: [] for server, _url in servers}
            for _round in range(args.rounds):
                for server, url in servers:
                    runs[server.name].append(wrk(url, accept, connections, args.duration, cold, script))
            for name, figures in runs.items():
                row = {key: statistics.median(run[key] for run in figures) for key in ("rps", "p50_ms", "p99_ms")}
                row["non_2xx"] = sum(run["non_2xx"] for run in figures)
                rows.append({"target": label, "server": name, "connections": connections, "rounds": args.rounds, **row})
                print(f"    {label:28} {name:9} c={connections:<3} {row['rps']:9.0f} req/s  "
                      f"p50 {row['p50_ms']:7.2f} ms  p99 {row['p99_ms']:8.2f} ms"
                      + (f"  non-2xx {row['non_2xx']}" if row["non_2xx"] else ""), flush=True)
    return rows


def _started(servers: list, server: Server) -> Server:
    servers.append(server)
    return server


def run_scale(scale: int, args, workdir: Path) -> dict:
    print(f"\n== {scale:,} generated triples", flush=True)
    project = Path(args.project) if args.project else prepare(scale, workdir)
    release = (project / "build" / "current").resolve()
    sample = samples(release)
    texts = queries(sample)
    print(f"  store: {sample['triples']:,} quads (shipped data, generated data and inferences)", flush=True)
    servers: list = []
    try:  # a server that fails to start stops those already started
        tdld = _started(servers, start_tdld(project, workdir))
        oxigraph = _started(servers, start_oxigraph(release, workdir))
        bare = _started(servers, start_bare(release, workdir))
    except BaseException:
        for server in servers:
            server.stop()
        raise
    result = {"scale": scale, "quads": sample["triples"],
              "startup_s": {"tdld": tdld.startup, "oxigraph": oxigraph.startup}}
    try:
        print(f"  start-up: tdld {tdld.startup:.2f} s, oxigraph {oxigraph.startup:.2f} s", flush=True)
        for server in servers:  # the first query of each worker loads its store
            for _ in range(4):
                http_median(server, texts["lookup"], 1)
        medians = {name: {server.name: http_median(server, text, args.repeat) for server in servers}
                   for name, text in texts.items()}
        if scale <= args.rdflib_max:
            for name, seconds in rdflib_medians(release, texts, 3, budget=30).items():
                medians[name]["rdflib"] = seconds
        result["queries_s"] = medians
        result["search_endpoint_s"] = search_median(tdld, sample["word"], args.repeat)
        print(f"  label search endpoint (/search/suggest): median {result['search_endpoint_s'] * 1000:.1f} ms", flush=True)
        print(f"  {'query':16} {'tdld ms':>9} {'bare ms':>9} {'oxigraph ms':>12} {'rdflib ms':>11} "
              f"{'tdld/oxigraph':>14} {'bare/oxigraph':>14} {'rdflib/tdld':>12}")
        for name, row in medians.items():
            rdflib = row.get("rdflib", "not run")
            rdflib_ms = f"{rdflib * 1000:11.1f}" if isinstance(rdflib, float) else f"{'> 30 s' if rdflib is None else rdflib:>11}"
            ratio = f"{rdflib / row['tdld']:11.1f}x" if isinstance(rdflib, float) else f"{'':>12}"
            print(f"  {name:16} {row['tdld'] * 1000:9.2f} {row['bare'] * 1000:9.2f} {row['oxigraph'] * 1000:12.2f} "
                  f"{rdflib_ms} {row['tdld'] / row['oxigraph']:13.2f}x {row['bare'] / row['oxigraph']:13.2f}x {ratio}",
                  flush=True)
        if shutil.which("wrk"):
            print("  throughput (wrk):", flush=True)
            result["throughput"] = throughput(tdld, bare, oxigraph, texts, sample, args, workdir / "wrk.lua")
        else:
            print("  throughput: skipped (wrk is not installed)")
        result["peak_rss_mb"] = {"tdld": tdld.peak_rss_mb(), "oxigraph": oxigraph.peak_rss_mb()}
        result["pss_mb"] = {"tdld": tdld.pss_mb(), "oxigraph": oxigraph.pss_mb()}
        print(f"  memory: peak RSS summed over all processes tdld {result['peak_rss_mb']['tdld']:.0f} MiB, "
              f"oxigraph {result['peak_rss_mb']['oxigraph']:.0f} MiB; at the end, shared pages counted once "
              f"(PSS) tdld {result['pss_mb']['tdld']:.0f} MiB, oxigraph {result['pss_mb']['oxigraph']:.0f} MiB",
              flush=True)
    finally:
        for server in servers:
            server.stop()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="10000,100000", help="generated triples per scale (comma-separated)")
    parser.add_argument("--project", help="an already built project to measure instead of generating one")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--connections", default="1,8,32", help="concurrent connections per wrk run")
    parser.add_argument("--rounds", type=int, default=1,
                        help="wrk runs per server and setting, alternating between the servers; medians kept")
    parser.add_argument("--repeat", type=int, default=15, help="runs per query for the medians")
    parser.add_argument("--rdflib-max", type=int, default=100_000, help="largest scale rdflib is measured at")
    parser.add_argument("--json", help="write every figure to this file")
    parser.add_argument("--workdir", help="keep generated and built projects here and reuse them in later runs")
    args = parser.parse_args()
    args.connections = [int(c) for c in args.connections.split(",")]
    scales = [int(s) for s in args.scales.split(",")]
    with tempfile.TemporaryDirectory(prefix="tdld-serve-scale-") as folder:
        workdir = Path(args.workdir or folder)
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "wrk.lua").write_text(WRK_SCRIPT)
        results = [run_scale(scale, args, workdir) for scale in scales]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
