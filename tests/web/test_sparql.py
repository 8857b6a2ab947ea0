"""The SPARQL endpoint over a real server process: protocol, formats, refusals, limits, real clients."""

import csv
import io
import json
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ElementTree

import pytest
from rdflib import Dataset, Graph

from ..clients import rsparql_command
from ..conftest import http_call, running_server

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
LABELS = 'SELECT ?label WHERE { tdv:city-diplomacy skos:prefLabel ?label } ORDER BY ?label'
CONSTRUCT = "CONSTRUCT { ?c skos:prefLabel ?l } WHERE { ?c skos:prefLabel ?l FILTER(?c = tdv:city-diplomacy) }"
LOOKUP = "SELECT ?p ?o WHERE { tdv:city-diplomacy ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DATA_GRAPH = "https://w3id.org/territorial-diplomacy/graph/data"
TIMEOUT = 2

# City diplomacy has one preferred label in each of English, French, German and Spanish.
PREFERRED_LABELS = 4


@pytest.fixture(scope="module")
def endpoint(built_project, tmp_path_factory):
    options = ("--sparql-timeout", str(TIMEOUT), "--sparql-workers", "2", "--sparql-max-results", "5000",
               "--service-allowlist", "")
    with running_server(built_project, tmp_path_factory.mktemp("sparql"), *options) as base:
        yield base + "/sparql"


@pytest.fixture(scope="module")
def disk_endpoint(built_project, tmp_path_factory):
    """The endpoint with query workers reading the store from disk, as the web process does."""
    options = ("--sparql-workers", "1", "--sparql-memory-quads", "0", "--service-allowlist", "")
    with running_server(built_project, tmp_path_factory.mktemp("sparql-disk"), *options) as base:
        yield base + "/sparql"


def call(url, method="GET", data=None, headers=None, params=None):
    return http_call(url, method, data, headers, params)


def solution_set(body: bytes, accept: str) -> list:
    """The solutions of a SELECT answer in a fixed order, to compare answers whose order may differ."""
    if accept in ("text/csv", "text/tab-separated-values"):
        header, *rows = body.decode("utf-8").splitlines()
        return [header, *sorted(rows)]
    import pyoxigraph as ox

    kind = ox.QueryResultsFormat.JSON if "json" in accept else ox.QueryResultsFormat.XML
    parsed = ox.parse_query_results(body, format=kind)
    names = [v.value for v in parsed.variables]
    return [names, *sorted(tuple(str(row[name]) for name in names) for row in parsed)]


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# -- protocol: the three ways to send a query -----------------------------------------------

def test_get_select_json(endpoint):
    status, headers, body = call(endpoint, params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert count_of(body) > 1000
    assert "Accept" in headers["Vary"]


def test_post_form_and_post_query_body_agree_with_get(endpoint):
    accept = {"Accept": "application/sparql-results+json"}
    _s, _h, by_get = call(endpoint, params={"query": COUNT}, headers=accept)
    status, _h, by_form = call(endpoint, "POST", urllib.parse.urlencode({"query": COUNT}).encode(),
                               {**accept, "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    status, _h, by_body = call(endpoint, "POST", COUNT.encode(), {**accept, "Content-Type": "application/sparql-query"})
    assert status == 200
    assert count_of(by_get) == count_of(by_form) == count_of(by_body)


def test_default_graph_uri_and_named_graph_uri(endpoint):
    accept = {"Accept": "application/sparql-results+json"}
    _s, _h, union = call(endpoint, params={"query": COUNT}, headers=accept)
    status, _h, data_only = call(endpoint, params={"query": COUNT, "default-graph-uri": DATA_GRAPH}, headers=accept)
    assert status == 200 and 0 < count_of(data_only) < count_of(union)
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    _s, _h, body = call(endpoint, params={"query": query, "named-graph-uri": DATA_GRAPH}, headers=accept)
    graphs = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert graphs == [DATA_GRAPH]
    status, _h, body = call(endpoint, params={"query": COUNT, "default-graph-uri": "http://127.0.0.1:9/x"})
    assert 400 <= status < 500 and b"unknown graph" in body


# -- result formats, checked with independent parsers -----------------------------------------

def test_select_as_xml_csv_tsv(endpoint):
    _s, headers, body = call(endpoint, params={"query": LABELS}, headers={"Accept": "application/sparql-results+xml"})
    assert headers["Content-Type"].startswith("application/sparql-results+xml")
    namespace = {"r": "http://www.w3.org/2005/sparql-results#"}
    literals = [e.text for e in ElementTree.fromstring(body).findall(".//r:literal", namespace)]
    assert "city diplomacy" in literals and len(literals) == PREFERRED_LABELS
    _s, headers, body = call(endpoint, params={"query": LABELS}, headers={"Accept": "text/csv"})
    assert headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["label"] and ["city diplomacy"] in rows
    _s, headers, body = call(endpoint, params={"query": LABELS, "format": "tsv"})
    assert headers["Content-Type"].startswith("text/tab-separated-values")
    assert body.decode("utf-8").splitlines()[0] == "?label" and '"city diplomacy"@en' in body.decode("utf-8")


def test_ask_in_json_and_xml(endpoint):
    _s, _h, body = call(endpoint, params={"query": "ASK { FILTER(false) }"}, headers={"Accept": "application/sparql-results+json"})
    assert json.loads(body)["boolean"] is False
    _s, _h, body = call(endpoint, params={"query": "ASK { ?s a skos:Concept }", "format": "xml"})
    assert ElementTree.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


@pytest.mark.parametrize("accept, rdflib_format", [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
])
def test_construct_in_every_graph_format(endpoint, accept, rdflib_format):
    status, headers, body = call(endpoint, params={"query": CONSTRUCT}, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert len(Graph().parse(data=body, format=rdflib_format)) == PREFERRED_LABELS


def test_construct_as_trig_and_nquads(endpoint):
    for fmt, parser in (("trig", "trig"), ("nq", "nquads")):
        status, _h, body = call(endpoint, params={"query": CONSTRUCT, "format": fmt})
        assert status == 200
        dataset = Dataset()
        dataset.parse(data=body, format=parser)
        assert len(dataset) == PREFERRED_LABELS


def test_describe(endpoint):
    query = "DESCRIBE <https://w3id.org/territorial-diplomacy/id/actor/france>"
    _s, _h, body = call(endpoint, params={"query": query}, headers={"Accept": "text/turtle"})
    assert len(Graph().parse(data=body, format="turtle")) > 5


def test_q_values_choose_the_format(endpoint):
    _s, headers, _b = call(endpoint, params={"query": LABELS},
                           headers={"Accept": "application/sparql-results+json;q=0.5, text/csv"})
    assert headers["Content-Type"].startswith("text/csv")
    status, _h, body = call(endpoint, params={"query": LABELS}, headers={"Accept": "image/png"})
    assert status == 406 and b"application/sparql-results+json" in body


# -- readable 4xx for bad requests ------------------------------------------------------------

@pytest.mark.parametrize("case", ["syntax", "engine-syntax", "empty", "repeated", "query-and-update", "content-type", "not-utf8"])
def test_bad_requests_get_400_with_a_reason(endpoint, case):
    if case == "syntax":
        result = call(endpoint, params={"query": "SELEC ?x WHERE { ?x ?p ?o }"})
        expected = b"syntax error"
    elif case == "engine-syntax":
        result = call(endpoint, params={"query": "SELECT ?x WHERE { ?x ?p }"})
        expected = b"SPARQL syntax error: error at 1:"
    elif case == "empty":
        result = call(endpoint, params={"query": "  "})
        expected = b"empty"
    elif case == "repeated":
        result = call(endpoint + "?query=ASK%7B%7D&query=ASK%7B%7D")
        expected = b"given 2 times"
    elif case == "query-and-update":
        result = call(endpoint, "POST", urllib.parse.urlencode({"query": "ASK {}", "update": "CLEAR ALL"}).encode(),
                      {"Content-Type": "application/x-www-form-urlencoded"})
        expected = b"cannot be sent together"
    elif case == "content-type":
        result = call(endpoint, "POST", b"ASK {}", {"Content-Type": "text/plain"})
        expected = b"unsupported content type"
    else:
        result = call(endpoint, "POST", b"ASK { \xff\xfe }", {"Content-Type": "application/sparql-query"})
        expected = b"not valid UTF-8"
    status, headers, body = result
    assert status == 400, body
    assert expected in body and b"Traceback" not in body
    assert headers["Access-Control-Allow-Origin"] == "*"


# -- no update, whichever way it is sent ---------------------------------------------------------

def test_updates_are_refused_and_nothing_changes(endpoint):
    accept = {"Accept": "application/sparql-results+json"}
    before = count_of(call(endpoint, params={"query": COUNT}, headers=accept)[2])
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    attempts = [
        call(endpoint, params={"update": update}),
        call(endpoint, params={"query": update}),
        call(endpoint, "POST", urllib.parse.urlencode({"update": update}).encode(),
             {"Content-Type": "application/x-www-form-urlencoded"}),
        call(endpoint, "POST", update.encode(), {"Content-Type": "application/sparql-update"}),
        call(endpoint, "POST", update.encode(), {"Content-Type": "application/sparql-query"}),
        call(endpoint, "POST", b"CLEAR ALL", {"Content-Type": "application/sparql-query"}),
        call(endpoint, "POST", b"DROP GRAPH <https://w3id.org/territorial-diplomacy/graph/data>",
             {"Content-Type": "application/sparql-update"}),
    ]
    for status, _h, body in attempts:
        assert 400 <= status < 500, body
    after = count_of(call(endpoint, params={"query": COUNT}, headers=accept)[2])
    assert after == before


def test_an_update_sent_as_a_query_is_a_malformed_query_and_load_is_refused(endpoint):
    """The SPARQL protocol answers an update in query= with 400; LOAD, a fetch, stays 403 like SERVICE and FROM."""
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    for sent in (call(endpoint, params={"query": update}),
                 call(endpoint, "POST", b"CLEAR ALL", {"Content-Type": "application/sparql-query"}),
                 call(endpoint, params={"query": "PREFIX ex: <http://example.org/> DELETE WHERE { ?s ?p ?o }"})):
        status, _h, body = sent
        assert status == 400 and b"malformed query" in body and b"SPARQL Update" in body, body
    status, _h, body = call(endpoint, params={"query": "LOAD <http://example.org/data.ttl>"})
    assert status == 403 and b"LOAD is refused" in body
    status, _h, body = call(endpoint, params={"query": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"})
    assert status == 403


# -- service description, CORS ------------------------------------------------------------------

@pytest.mark.parametrize("accept, fmt", [("text/turtle", "turtle"), ("application/rdf+xml", "xml"),
                                         ("application/ld+json", "json-ld")])
def test_service_description(endpoint, accept, fmt):
    status, headers, body = call(endpoint, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=body, format=fmt)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    answers = graph.query(f"""
        PREFIX sd: <{sd}>
        SELECT ?name WHERE {{ ?s a sd:Service ; sd:endpoint ?e ; sd:supportedLanguage sd:SPARQL11Query ;
                               sd:feature sd:UnionDefaultGraph ; sd:defaultDataset/sd:namedGraph/sd:name ?name }}""")
    names = {str(row.name).rsplit("/", 1)[-1] for row in answers}
    assert names == {"ontology", "vocabulary", "data", "mappings", "provenance", "inferred"}
    assert "sparql" in body.decode("utf-8")


def test_cors_and_preflight(endpoint):
    status, headers, _b = call(endpoint, "OPTIONS", headers={"Origin": "https://example.org",
                                                              "Access-Control-Request-Method": "POST"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*" and "POST" in headers["Access-Control-Allow-Methods"]
    _s, headers, _b = call(endpoint, params={"query": "ASK {}"})
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_query_page_shows_a_results_table(endpoint):
    status, headers, body = call(endpoint, params={"query": LABELS}, headers={"Accept": "text/html"})
    html = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "<table>" in html and "city diplomacy" in html and "format=csv" in html
    _s, _h, page = call(endpoint, headers={"Accept": "text/html"})
    assert "textarea" in page.decode("utf-8") and "Which legal instruments" in page.decode("utf-8")


# -- safety -------------------------------------------------------------------------------------

def test_slow_query_is_stopped_within_the_limit_and_the_next_is_prompt(endpoint):
    started = time.monotonic()
    status, headers, body = call(endpoint, params={"query": SLOW})
    elapsed = time.monotonic() - started
    assert status == 503 and b"limit" in body
    assert elapsed < TIMEOUT + 1 + 1.5, elapsed  # the limit plus one second, plus worker restart slack
    started = time.monotonic()
    status, _h, _b = call(endpoint, params={"query": "ASK { ?s ?p ?o }"})
    assert status == 200
    assert time.monotonic() - started < 3


def test_too_many_results_too_long_too_deep(endpoint):
    status, _h, body = call(endpoint, params={"query": "SELECT * WHERE { ?s ?p ?o . ?x a skos:Concept }"})
    assert status == 413 and b"more than 5000 results" in body
    status, _h, body = call(endpoint, "POST", ("ASK { " + "?s ?p ?o . " * 3000 + "}").encode(),
                            {"Content-Type": "application/sparql-query"})
    assert status == 413 and b"limit" in body
    deep = "ASK { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    status, _h, body = call(endpoint, "POST", deep.encode(), {"Content-Type": "application/sparql-query"})
    assert status in (400, 413)
    assert call(endpoint, params={"query": "ASK {}"})[0] == 200  # the server survived


def test_concurrency_is_bounded_with_503(built_project, tmp_path):
    options = ("--sparql-timeout", "3", "--sparql-workers", "1", "--service-allowlist", "")
    with running_server(built_project, tmp_path, *options) as base:
        results = []
        threads = [threading.Thread(target=lambda: results.append(call(base + "/sparql", params={"query": SLOW})))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        statuses = sorted(r[0] for r in results)
        assert statuses == [503, 503, 503]
        assert any(b"busy" in r[2] for r in results) and all("Retry-After" in r[1] for r in results)


def test_a_lookup_is_answered_while_every_worker_is_busy(built_project, tmp_path):
    """One heavy query holds the only worker; a one-pattern lookup does not wait for it."""
    options = ("--sparql-timeout", "4", "--sparql-workers", "1", "--service-allowlist", "")
    with running_server(built_project, tmp_path, *options) as base:
        heavy = threading.Thread(target=lambda: call(base + "/sparql", params={"query": SLOW}))
        heavy.start()
        time.sleep(0.5)
        status, _h, body = call(base + "/sparql", params={"query": LOOKUP},
                                headers={"Accept": "application/sparql-results+json"})
        busy = heavy.is_alive()
        heavy.join(30)
        assert busy, "the heavy query should still hold the worker"
        assert status == 200
        assert {"type": "literal", "value": "city diplomacy", "xml:lang": "en"} in [
            row["o"] for row in json.loads(body)["results"]["bindings"]]


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml",
                                    "text/csv", "text/tab-separated-values"])
def test_lookups_answered_in_process_equal_the_workers_answers(disk_endpoint, endpoint, accept):
    """The same bytes whichever path answered (a FILTER sends it to a worker), both reading the disk.

    Workers that copied the release into memory give the same solutions, in the order of
    the in-memory store: a query without ORDER BY leaves the order to the store.
    """
    with_filter = LOOKUP.replace("?o }", "?o FILTER(true) }")
    in_process = call(disk_endpoint, params={"query": LOOKUP}, headers={"Accept": accept})
    by_worker = call(disk_endpoint, params={"query": with_filter}, headers={"Accept": accept})
    assert in_process[0] == by_worker[0] == 200
    assert in_process[2] == by_worker[2]
    by_memory_worker = call(endpoint, params={"query": with_filter}, headers={"Accept": accept})
    assert by_memory_worker[0] == 200
    assert solution_set(by_memory_worker[2], accept) == solution_set(in_process[2], accept)
    graph_only = {"default-graph-uri": DATA_GRAPH}
    for query in ("ASK { tdv:city-diplomacy ?p ?o }", "ASK { tdv:city-diplomacy ?p ?o FILTER(true) }"):
        status, _h, body = call(endpoint, params={"query": query, **graph_only},
                                headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and json.loads(body)["boolean"] is False  # vocabulary terms are not in the data graph


class Listener:
    """A loopback TCP listener that records whether anyone connected."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(5)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                connection, _ = self.socket.accept()
                self.connections += 1
                connection.close()
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join(2)
        self.socket.close()


def test_ssrf_attempts_are_refused_and_nothing_is_fetched(endpoint):
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/sparql"
    try:
        attempts = {
            "SERVICE": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
            "SERVICE SILENT": f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
            "SERVICE prefixed": f"PREFIX x: <http://127.0.0.1:{listener.port}/> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
            "SERVICE variable": f"SELECT * WHERE {{ BIND(<{target}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
            "FROM": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}",
            "FROM NAMED": f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
            "FROM file": "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
            "LOAD": f"LOAD <{target}>",
            "LOAD file": "LOAD <file:///etc/passwd> INTO GRAPH <http://example.org/g>",
        }
        for name, query in attempts.items():
            status, _h, body = call(endpoint, params={"query": query})
            assert 400 <= status < 500, (name, status, body)
            assert b"allowlist" in body or b"read-only" in body or b"dataset's named graphs" in body, (name, body)
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


# -- real clients -------------------------------------------------------------------------------

def test_sparqlwrapper_select_and_construct(endpoint):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                    "SELECT ?l WHERE { <https://w3id.org/territorial-diplomacy/vocab/city-diplomacy> skos:prefLabel ?l }")
    client.setReturnFormat(JSON)
    labels = {b["l"]["value"] for b in client.query().convert()["results"]["bindings"]}
    assert "city diplomacy" in labels
    client.setQuery(CONSTRUCT.replace("skos:", "<http://www.w3.org/2004/02/skos/core#").replace(
        "#prefLabel", "#prefLabel>").replace("tdv:city-diplomacy", "<https://w3id.org/territorial-diplomacy/vocab/city-diplomacy>"))
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == PREFERRED_LABELS


@pytest.mark.skipif(shutil.which("roqet") is None, reason="rasqal-utils (roqet) is not installed; .ci/run installs it")
def test_roqet_select(endpoint):
    """rasqal's roqet (C). Its protocol client (0.9.33) reads every answer as variable bindings, so SELECT only."""
    select = subprocess.run(["roqet", "-p", endpoint, "-r", "csv", "-e",
                             "SELECT ?l WHERE { <https://w3id.org/territorial-diplomacy/vocab/city-diplomacy> "
                             "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l }"],
                            capture_output=True, text=True, timeout=60)
    assert select.returncode == 0, select.stderr
    assert "city diplomacy" in select.stdout


def test_jena_rsparql_select_and_construct(endpoint, tmp_path):
    """Apache Jena's rsparql (Java), which parses the query itself: SELECT as JSON and TSV, CONSTRUCT as Turtle and N-Triples."""
    rsparql = rsparql_command(tmp_path)
    iri = "<https://w3id.org/territorial-diplomacy/vocab/city-diplomacy>"
    skos = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    (tmp_path / "select.rq").write_text(skos + f"SELECT ?l WHERE {{ {iri} skos:prefLabel ?l }}", encoding="utf-8")
    (tmp_path / "construct.rq").write_text(skos + f"CONSTRUCT {{ {iri} skos:prefLabel ?l }} WHERE {{ {iri} skos:prefLabel ?l }}",
                                           encoding="utf-8")

    def run(query: str, results: str) -> str:
        done = subprocess.run([str(rsparql), "--service", endpoint, "--query", str(tmp_path / query), "--results", results],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    bindings = json.loads(run("select.rq", "json"))["results"]["bindings"]
    assert {(b["l"]["value"], b["l"]["xml:lang"]) for b in bindings} >= {("city diplomacy", "en"),
                                                                          ("diplomatie des villes", "fr")}
    assert len(bindings) == PREFERRED_LABELS
    tsv = run("select.rq", "tsv").splitlines()
    assert tsv[0] == "?l" and '"city diplomacy"@en' in tsv and len(tsv) == PREFERRED_LABELS + 1
    for results, parser in (("ttl", "turtle"), ("nt", "nt")):
        assert len(Graph().parse(data=run("construct.rq", results), format=parser)) == PREFERRED_LABELS


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_curl_construct_and_select(endpoint):
    construct = subprocess.run(["curl", "-sS", "--fail", "-H", "Accept: text/turtle", "--data-urlencode",
                                "query=" + CONSTRUCT, endpoint], capture_output=True, text=True, timeout=60)
    assert construct.returncode == 0, construct.stderr
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == PREFERRED_LABELS
    select = subprocess.run(["curl", "-sS", "--fail", "-H", "Content-Type: application/sparql-query",
                             "-H", "Accept: text/csv", "--data-binary", LABELS, endpoint],
                            capture_output=True, text=True, timeout=60)
    assert select.returncode == 0, select.stderr
    assert list(csv.reader(io.StringIO(select.stdout)))[0] == ["label"]
