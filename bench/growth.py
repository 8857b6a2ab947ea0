#!/usr/bin/env python3
"""How each query's time grows with the data: two scales queried alternately, in one process.

    python bench/growth.py [--scales 100000,1000000] [--repeat 9] [--workdir DIR]
                           [--small DIR --large DIR] [--memory-quads N] [--json FILE]

Measured one scale after the other, minutes apart, the growth of a query mixes the data
with whatever else the shared machine did meanwhile (the same query took 39 to 59 ms from
one minute to the next). Here every round runs each query on the small store, then on the
large one, so both medians see the same machine. Each query is timed the way tdld's
endpoint evaluates it (the guard, the transitive-path reading, the engine, the results
written) on the store a query worker would use (in memory up to ``--memory-quads``, as
``tdld serve --sparql-memory-quads``; on disk above), and as Oxigraph's engine evaluates
the text alone on the on-disk store, as Oxigraph's server reads it. Growth is printed
next to the growth of the data (quads) and of what the query reads.
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_scale import prepare, queries, samples  # noqa: E402

from tdld.core.namespaces import PREFIXES  # noqa: E402
from tdld.sparql.answer import answer  # noqa: E402
from tdld.sparql.guard import Limits, check_query  # noqa: E402
from tdld.sparql.memory import fits_in_memory, worker_store  # noqa: E402
from tdld.sparql.shortcut import shortcut_paths  # noqa: E402
from tdld.sparql.worker import Job  # noqa: E402
from tdld.release.store import open_store  # noqa: E402

TDO = "https://w3id.org/territorial-diplomacy/ontology#"
# What each query has to read, counted in each store: the work that should grow with the data.
READS = {
    "group by": "SELECT (COUNT(*) AS ?n) WHERE { ?s a ?c }",
    "optional+lang": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?c a <{TDO}City> }}",
    "join": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?t a <{TDO}Twinning> }}",
    "label search": "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
}


class Scale:
    """One built release: its stores, its query texts, and how tdld reads them."""

    def __init__(self, release: Path, memory_quads: int):
        self.store = open_store(release)  # on disk: Oxigraph's engine reads this one
        self.worker_store = worker_store(release, memory_quads)
        self.in_memory = fits_in_memory(len(self.store), memory_quads)
        self.sample = samples(release)
        self.texts = queries(self.sample)
        manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
        self.closed = frozenset(manifest.get("closed_transitive_properties", ()))
        self.limits = Limits()

    def count(self, query: str) -> int:
        return int(next(iter(self.store.query(query, use_default_graph_as_union=True)))[0].value)

    def tdld(self, text: str) -> float:
        started = time.perf_counter()
        checked = check_query(text, self.limits, PREFIXES)
        result_format = "ntriples" if checked.form in ("CONSTRUCT", "DESCRIBE") else "json"
        job = Job(shortcut_paths(text, PREFIXES, self.closed), checked.form, result_format)
        answer(self.worker_store, job, union_default=True)
        return time.perf_counter() - started

    def engine(self, text: str) -> float:
        started = time.perf_counter()
        results = self.store.query(text, use_default_graph_as_union=True)
        if isinstance(results, (ox.QuerySolutions, ox.QueryTriples)):
            for _ in results:  # solutions are computed as they are read
                pass
        return time.perf_counter() - started


def measure(small: Scale, large: Scale, repeat: int) -> list[dict]:
    rows = []
    data_growth = large.sample["triples"] / small.sample["triples"]
    for name in small.texts:
        times = {(scale, way): [] for scale in ("small", "large") for way in ("tdld", "engine")}
        for round_ in range(repeat):
            for label, scale in (("small", small), ("large", large)):
                text = scale.texts[name] + f"\n# round {round_}"  # a new text each time: nothing cached
                times[(label, "tdld")].append(scale.tdld(text))
                times[(label, "engine")].append(scale.engine(text))
        medians = {key: statistics.median(values) for key, values in times.items()}
        read = READS.get(name)
        reads_growth = large.count(read) / max(1, small.count(read)) if read else None
        rows.append({
            "query": name, "data_growth": data_growth, "reads_growth": reads_growth,
            "tdld_ms": [medians[("small", "tdld")] * 1000, medians[("large", "tdld")] * 1000],
            "engine_ms": [medians[("small", "engine")] * 1000, medians[("large", "engine")] * 1000],
            "tdld_growth": medians[("large", "tdld")] / medians[("small", "tdld")],
            "engine_growth": medians[("large", "engine")] / medians[("small", "engine")],
        })
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="100000,1000000", help="two generated sizes, small then large")
    parser.add_argument("--small", help="an already built project for the small scale")
    parser.add_argument("--large", help="an already built project for the large scale")
    parser.add_argument("--repeat", type=int, default=9, help="rounds; each runs every query on both stores")
    parser.add_argument("--memory-quads", type=int, default=500_000,
                        help="tdld's store is in memory up to this many quads, as in `tdld serve` (0: disk)")
    parser.add_argument("--workdir", help="keep generated and built projects here and reuse them")
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args()
    small_scale, large_scale = (int(s) for s in args.scales.split(","))
    with tempfile.TemporaryDirectory(prefix="tdld-growth-") as folder:
        workdir = Path(args.workdir or folder)
        workdir.mkdir(parents=True, exist_ok=True)
        small_project = Path(args.small) if args.small else prepare(small_scale, workdir)
        large_project = Path(args.large) if args.large else prepare(large_scale, workdir)
        small = Scale((small_project / "build" / "current").resolve(), args.memory_quads)
        large = Scale((large_project / "build" / "current").resolve(), args.memory_quads)
        rows = measure(small, large, args.repeat)
    print(f"quads: {small.sample['triples']:,} -> {large.sample['triples']:,} "
          f"({rows[0]['data_growth']:.1f}x); medians of {args.repeat} alternating rounds")
    where = {True: "in memory", False: "on disk"}
    print(f"  tdld's store: {where[small.in_memory]} -> {where[large.in_memory]}; the engine's: on disk")
    print(f"  {'query':15} {'tdld ms':>17} {'growth':>7} {'engine ms':>17} {'growth':>7} {'it reads':>9}")
    for row in rows:
        reads = f"{row['reads_growth']:8.1f}x" if row["reads_growth"] else f"{'':>9}"
        print(f"  {row['query']:15} {row['tdld_ms'][0]:8.2f} {row['tdld_ms'][1]:8.2f} {row['tdld_growth']:6.1f}x "
              f"{row['engine_ms'][0]:8.2f} {row['engine_ms'][1]:8.2f} {row['engine_growth']:6.1f}x {reads}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
