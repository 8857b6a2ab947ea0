"""The bare reference endpoint of bench/serve_scale.py gives tdld's answers, so its figures compare like with like.

The benchmark reads the gap between tdld and the bare endpoint as the cost of tdld's
limits; that holds only if both evaluate the same queries over the same graphs.
"""

import importlib.util
import json
import urllib.parse
from pathlib import Path

import pytest
from ..conftest import http_call

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "serve_scale.py"
JSON_RESULTS = "application/sparql-results+json"


@pytest.fixture(scope="module")
def serve_scale():
    spec = importlib.util.spec_from_file_location("serve_scale", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bare(serve_scale, release, tmp_path_factory):
    server = serve_scale.start_bare(release, tmp_path_factory.mktemp("bare"))
    yield server
    server.stop()


def solutions(body: bytes) -> list:
    results = json.loads(body)
    return sorted(json.dumps(row, sort_keys=True) for row in results["results"]["bindings"])


def benchmark_queries(serve_scale, knowledge) -> dict:
    """The benchmark's queries whose answers no LIMIT cuts, on IRIs of the shipped release."""
    rows = knowledge.store.query("SELECT ?s WHERE { ?s a <https://w3id.org/territorial-diplomacy/ontology#State> } "
                                 "ORDER BY ?s LIMIT 2", use_default_graph_as_union=True)
    states = [row["s"].value for row in rows]
    actor = next(iter(knowledge.store.query(
        "SELECT ?s WHERE { ?s a <https://w3id.org/territorial-diplomacy/ontology#Actor> } ORDER BY ?s LIMIT 1",
        use_default_graph_as_union=True)))["s"].value
    texts = serve_scale.queries({"city": actor, "word": "city", "states": states})
    return {name: texts[name] for name in ("lookup", "group by", "property path", "join")}


def test_the_bare_endpoint_answers_the_benchmark_queries_as_tdld_does(serve_scale, bare, knowledge, client):
    queries = benchmark_queries(serve_scale, knowledge)
    for name, text in queries.items():
        status, _headers, body = http_call(bare.query_url(text), headers={"Accept": JSON_RESULTS})
        assert status == 200, (name, body[:300])
        ours = client.get("/sparql?" + urllib.parse.urlencode({"query": text}), headers={"Accept": JSON_RESULTS})
        assert ours.status_code == 200, (name, ours.data[:300])
        assert solutions(body) == solutions(ours.data), name
    counted = json.loads(http_call(bare.query_url(queries["group by"]), headers={"Accept": JSON_RESULTS})[2])
    assert len(counted["results"]["bindings"]) > 5  # a union over the release's graphs, not an empty default graph
