#!/usr/bin/env python3
"""Why queries run on pyoxigraph: the same queries on rdflib and pyoxigraph, same data, same run.

    python bench/sparql_engines.py [--copies N] [--repeat R]

Loads the current build (``tdld build`` first), optionally multiplied into N renamed
copies to reach a realistic size, and prints the median time of each query on both
engines with their ratio, plus two correctness checks. Figures vary between machines;
the ratios are what to compare.
"""

import argparse
import gzip
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tdld.core.namespaces import sparql_prologue  # noqa: E402
from tdld.release.folder import current_release  # noqa: E402

QUERIES = {
    "lookup of one IRI": "SELECT ?p ?o WHERE { <https://w3id.org/territorial-diplomacy/vocab/city-diplomacy> ?p ?o }",
    "label CONTAINS scan": 'SELECT ?s ?l WHERE { ?s skos:prefLabel|rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), "diplom")) }',
    "GROUP BY class": "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n)",
    "skos:broader* path": "SELECT ?a ?b WHERE { ?a skos:broader* ?b }",
    "OPTIONAL + language + ORDER BY": """SELECT ?c ?en ?fr WHERE { ?c a skos:Concept ; skos:prefLabel ?en .
        FILTER(LANG(?en) = "en") OPTIONAL { ?c skos:prefLabel ?fr FILTER(LANG(?fr) = "fr") } } ORDER BY ?en LIMIT 20""",
}
CORRECTNESS = {
    "ASK { FILTER(false) } is false": ("ASK { FILTER(false) }", False),
    "OPTIONAL { VALUES } keeps unmatched rows": (
        "SELECT ?x ?y WHERE { VALUES ?x { 1 2 } OPTIONAL { VALUES (?x ?y) { (1 10) } } }", 2),
}


def multiplied_nquads(release: Path, copies: int) -> bytes:
    """The N-Quads dump, with every tdld IRI renamed per copy, so the data grows but keeps its shape."""
    original = gzip.decompress((release / "tdld.nq.gz").read_bytes()).decode("utf-8")
    parts = [original]
    for n in range(1, copies):
        parts.append(original.replace("https://w3id.org/territorial-diplomacy/id/", f"https://w3id.org/territorial-diplomacy/id/c{n}-")
                     .replace("https://w3id.org/territorial-diplomacy/vocab/", f"https://w3id.org/territorial-diplomacy/vocab/c{n}-")
                     .replace("_:", f"_:c{n}"))
    return "".join(parts).encode("utf-8")


def median_seconds(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    data = multiplied_nquads(current_release(), args.copies)
    oxi = ox.Store()
    start = time.perf_counter()
    oxi.load(data, format=ox.RdfFormat.N_QUADS)
    ox_load = time.perf_counter() - start
    rdf = Dataset(default_union=True)
    start = time.perf_counter()
    rdf.parse(data=data, format="nquads")
    rdf_load = time.perf_counter() - start
    triples = len(oxi)
    prologue = sparql_prologue()
    print(f"{triples} quads ({args.copies} copies of the build), median of {args.repeat} runs")
    print(f"{'work':34} {'rdflib':>10} {'pyoxigraph':>11} {'ratio':>8}")
    print(f"{'parse N-Quads':34} {rdf_load * 1000:9.1f}ms {ox_load * 1000:10.1f}ms {rdf_load / ox_load:7.1f}x")
    for name, query in QUERIES.items():
        text = prologue + query
        slow = median_seconds(lambda: list(rdf.query(text)), args.repeat)
        fast = median_seconds(lambda: list(oxi.query(text, use_default_graph_as_union=True)), args.repeat)
        print(f"{name:34} {slow * 1000:9.1f}ms {fast * 1000:10.1f}ms {slow / fast:7.1f}x")
    print("correctness:")
    for name, (query, expected) in CORRECTNESS.items():
        rdf_answer = rdf.query(query)
        ox_answer = oxi.query(query)
        if isinstance(expected, bool):
            got_rdf, got_ox = bool(rdf_answer.askAnswer), bool(ox_answer)
        else:
            got_rdf, got_ox = len(list(rdf_answer)), len(list(ox_answer))
        print(f"  {name}: rdflib {'ok' if got_rdf == expected else f'WRONG ({got_rdf})'}, "
              f"pyoxigraph {'ok' if got_ox == expected else f'WRONG ({got_ox})'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
