"""The app's data in a real remote SPARQL store (Oxigraph server; Virtuoso when installed).

Each store is started here on free loopback ports with its own temporary database,
loaded with `tdld publish`, and must then answer exactly as the embedded store does.
"""

import gzip
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

from tdld.read.knowledge import Knowledge
from tdld.core.namespaces import PREFIXES
from tdld.core.namespaces import ALL_GRAPHS
from tdld.remote.publish import PublishMismatch, verify
from tdld.remote.values import merged_by_value, release_graphs, value_key
from tdld.remote import RemoteQueryRunner, RemoteStore, StoreError, StoreMismatch, open_remote
from tdld.core.errors import SparqlError
from tdld.sparql.guard import Limits, check_query
from tdld.sparql.worker import Job, QueryPool

from ..conftest import EXAMPLES, free_port, http_call, run_tdld, running_server

pytestmark = pytest.mark.slow

COMPETENCY = sorted(p for p in EXAMPLES.glob("*.rq") if p.name[:2].isdigit())
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {XSD + name for name in ("double", "float", "decimal")}
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
DATA_GRAPH = "https://w3id.org/territorial-diplomacy/graph/data"
START_TIMEOUT = 90
VIRTUOSO_INI = """[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
DirsAllowed = ., {folder}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 10
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 20
"""


# -- the stores ------------------------------------------------------------------------------------


def answers(query_url: str) -> bool:
    try:
        with urllib.request.urlopen(query_url + "?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def running_store(command: list, query_url: str, log_path: Path):
    """A store process that answers SPARQL at query_url; stopped (and waited for) afterwards."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not answers(query_url):
                if process.poll() is not None:
                    pytest.fail(f"{command[0]} exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{command[0]} did not answer within {START_TIMEOUT} s")
                time.sleep(0.25)
            yield process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)


@contextmanager
def oxigraph_server(folder: Path):
    port = free_port()
    command = [str(OXIGRAPH), "serve", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}",
               "--timeout-s", "30"]
    url = f"http://127.0.0.1:{port}/query"
    with running_store(command, url, folder / "oxigraph.log") as process:
        yield url, url, process


@contextmanager
def virtuoso_server(folder: Path):
    if not VIRTUOSO:
        pytest.skip("virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource)")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(folder=folder, http_port=http_port, sql_port=sql_port), encoding="utf-8")
    url = f"http://127.0.0.1:{http_port}/sparql"
    with running_store([VIRTUOSO, "-f", "-c", str(ini)], url, folder / "virtuoso.out") as process:
        # Virtuoso's Graph Store endpoint needs the database administrator's (Digest) credentials.
        yield url, f"http://dba:dba@127.0.0.1:{http_port}/sparql", process


SERVERS = {"oxigraph": oxigraph_server, "virtuoso": virtuoso_server}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server_name(request):
    return request.param


@pytest.fixture(scope="module")
def server(server_name, tmp_path_factory):
    """(query URL, URL to publish with, process) of a fresh, empty store."""
    with SERVERS[server_name](tmp_path_factory.mktemp(server_name)) as started:
        yield started


@pytest.fixture(scope="module")
def published(server, built_project):
    """The store's query URL once `tdld publish` has loaded the built release into it."""
    query_url, publish_url, _process = server
    result = run_tdld("publish", "--store", publish_url, root=built_project)
    assert result.returncode == 0, result.stderr
    return query_url, publish_url, result.stdout


@pytest.fixture(scope="module")
def remote_knowledge(published, release):
    return Knowledge(release, store=RemoteStore(published[0]))


@pytest.fixture(scope="module")
def pool(release):
    pool = QueryPool(release, size=1, timeout=30)
    yield pool
    pool.close()


def release_triple_counts(release: Path, folded_by_value: bool = False) -> dict:
    """Triples per graph, counted straight from the release's N-Quads dump.

    With folded_by_value, literals of equal value count once, as Virtuoso keeps them.
    """
    graphs = {g: [] for g in ALL_GRAPHS}
    with gzip.open(release / "tdld.nq.gz", "rb") as handle:
        for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
            graphs[quad.graph_name.value].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return {g: len(set(t)) - (len(merged_by_value(t)) if folded_by_value else 0) for g, t in graphs.items()}


# -- comparing answers -----------------------------------------------------------------------------


def comparable(term):
    """A term as compared across stores: blank nodes are anonymous, numbers compared by value.

    Virtuoso keeps numeric literals as numbers, so xsd:double "1" comes back as "1.0".
    """
    if isinstance(term, ox.BlankNode):
        return "_:"
    if isinstance(term, ox.Literal) and term.datatype.value in NUMBERS:
        return ("number", float(term.value))
    return str(term) if term is not None else ""


def by_value(term):
    """A term as a store that keeps values sees it: Virtuoso holds "2012"^^xsd:gYear and
    "2012-01"^^xsd:gYearMonth of one subject and predicate as one value (tdld/remote/values.py)."""
    key = value_key(term)
    return repr(key if isinstance(key, tuple) else comparable(term))


def description_of(knowledge: Knowledge, iri: str, asserted_only: bool = False):
    described = knowledge.describe(iri, asserted_only)
    outgoing = sorted({(s.predicate, by_value(s.value), s.inferred) for s in described.outgoing})
    return outgoing, described.inbound, described.inbound_truncated


def solutions(body: bytes, fmt=ox.QueryResultsFormat.JSON, ordered: bool = False):
    results = ox.parse_query_results(body, format=fmt)
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    names = [v.value for v in results.variables]
    rows = [tuple(comparable(s[n]) for n in names) for s in results]
    return names, rows if ordered else sorted(rows, key=repr)


def triples(body: bytes, fmt) -> list:
    return sorted(tuple(comparable(t) for t in (q.subject, q.predicate, q.object)) for q in ox.parse(body, format=fmt))


def job_for(query: str, fmt: str = "json", **options) -> Job:
    return Job(query, check_query(query, Limits(graphs=ALL_GRAPHS), PREFIXES).form, fmt, **options)


# -- publish ----------------------------------------------------------------------------------------


def test_publish_loads_every_graph_with_the_release_counts(published, release, server_name):
    query_url, _publish_url, output = published
    folds = server_name == "virtuoso"
    expected = release_triple_counts(release, folded_by_value=folds)
    assert all(expected.values())
    assert RemoteStore(query_url).triple_counts() == expected
    assert "verified" in output and f"{sum(expected.values())} triples" in output
    if folds and expected != release_triple_counts(release):
        # The release has a gYear and a gYearMonth of the same start on one subject and property.
        assert output.count("\n") == 2 and "keeps one literal per value" in output
    else:
        assert output.count("\n") == 1


def test_publish_refuses_a_store_that_lost_a_triple(published, release):
    """A count short of the release, beyond folding equal values, is a loss."""
    graphs = release_graphs(release)
    data = next(g for g in graphs if g.endswith("/data"))
    graphs[data] = graphs[data] + [ox.Triple(ox.NamedNode("https://example.org/never-sent"),
                                             ox.NamedNode("https://example.org/p"), ox.Literal("x"))]
    with pytest.raises(PublishMismatch, match="data: store"):
        verify(RemoteStore(published[0]), graphs)


def test_publish_again_needs_replace_and_then_replaces(published, built_project, release, server_name):
    query_url, publish_url, _output = published
    refused = run_tdld("publish", "--store", publish_url, root=built_project)
    assert refused.returncode == 1
    assert refused.stderr.count("\n") == 1 and "--replace" in refused.stderr and "Traceback" not in refused.stderr
    replaced = run_tdld("publish", "--store", publish_url, "--replace", root=built_project)
    assert replaced.returncode == 0, replaced.stderr
    folds = server_name == "virtuoso"
    assert RemoteStore(query_url).triple_counts() == release_triple_counts(release, folded_by_value=folds)


def test_publish_to_a_stopped_store_fails_in_one_line(built_project):
    result = run_tdld("publish", "--store", f"http://127.0.0.1:{free_port()}/query", root=built_project)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_publish_needs_a_graph_store_it_can_name(built_project):
    result = run_tdld("publish", "--store", f"http://127.0.0.1:{free_port()}/somewhere", root=built_project)
    assert result.returncode == 2 and "--graph-store" in result.stderr


# -- the read model ---------------------------------------------------------------------------------


def test_labels_counts_and_types_match_the_embedded_store(remote_knowledge, knowledge):
    assert remote_knowledge.counts() == knowledge.counts()
    assert remote_knowledge._labels == knowledge._labels
    for iri in sorted(knowledge._labels)[::7]:
        assert remote_knowledge.types_of(iri) == knowledge.types_of(iri), iri
        assert remote_knowledge.exists(iri)
    assert not remote_knowledge.exists(PREFIXES["tdv"] + "no-such-concept")


def test_descriptions_match_the_embedded_store(remote_knowledge, knowledge):
    iris = sorted({q.subject.value for q in knowledge.store.quads_for_pattern(None, None, None, None)
                   if isinstance(q.subject, ox.NamedNode)})
    assert len(iris) > 100
    for iri in iris[::3]:
        assert description_of(remote_knowledge, iri) == description_of(knowledge, iri), iri
        assert description_of(remote_knowledge, iri, True) == description_of(knowledge, iri, True), iri


@pytest.mark.parametrize("text", ["city diplomacy", "Städte", "coopération", "twin", "egtc", "zzzz-nothing"])
def test_search_hits_match_the_embedded_store(remote_knowledge, knowledge, text):
    assert remote_knowledge.search(text) == knowledge.search(text)
    assert remote_knowledge.near(text) == knowledge.near(text)


def test_blank_node_structures_match_the_embedded_store(remote_knowledge, knowledge):
    """owl:AllDisjointClasses axioms are blank nodes holding RDF lists of blank nodes."""
    def axioms(k: Knowledge) -> list:
        kind = ox.NamedNode("http://www.w3.org/2002/07/owl#AllDisjointClasses")
        found = []
        for quad in k.store.quads_for_pattern(None, None, kind, None):
            found.append(sorted(members(k, quad.subject, 0)))
        return sorted(found)

    def members(k: Knowledge, node, depth: int) -> list:
        out = []
        for _s, p, o in k.blank_node_triples(node):
            if isinstance(o, ox.BlankNode) and depth < 50:
                out += members(k, o, depth + 1)
            elif p.value.endswith("#first"):
                out.append(o.value)
        return out

    expected = axioms(knowledge)
    assert expected and all(expected)
    assert axioms(remote_knowledge) == expected


# -- the endpoint's runner --------------------------------------------------------------------------


@pytest.mark.parametrize("path", COMPETENCY, ids=lambda p: p.stem)
def test_runner_answers_competency_questions_like_the_pool(published, pool, path):
    runner = RemoteQueryRunner(published[0], timeout=30)
    query = path.read_text(encoding="utf-8")
    ordered = "ORDER BY" in query.upper()
    for fmt, parse in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML),
                       ("tsv", ox.QueryResultsFormat.TSV)):
        job = job_for(query, fmt)
        assert solutions(runner.run(job), parse, ordered) == solutions(pool.run(job), parse, ordered), fmt


@pytest.mark.parametrize("query", [
    "ASK { ?s a skos:Concept }",
    "ASK { FILTER(false) }",
    "SELECT ?c ?l WHERE { ?c skos:prefLabel ?l } ORDER BY ?c ?l",
])
def test_runner_select_and_ask_match_the_pool(published, pool, query):
    runner = RemoteQueryRunner(published[0], timeout=30)
    job = job_for(query)
    assert solutions(runner.run(job)) == solutions(pool.run(job))


def test_runner_counts_match_the_pool_but_for_values_the_store_folds(published, pool, release, server_name):
    """Counts agree, except that Virtuoso holds one literal per value (see remote/values.py)."""
    runner = RemoteQueryRunner(published[0], timeout=30)
    exact = release_triple_counts(release)
    held = release_triple_counts(release, folded_by_value=server_name == "virtuoso")
    per_graph = job_for("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    remote = {row[0]: int(row[1].split('"')[1]) for row in solutions(runner.run(per_graph))[1]}
    local = {row[0]: int(row[1].split('"')[1]) for row in solutions(pool.run(per_graph))[1]}
    assert local == {f"<{g}>": n for g, n in exact.items()}
    assert remote == {f"<{g}>": n for g, n in held.items()}
    total = job_for("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(solutions(runner.run(total))[1][0][0].split('"')[1]) == \
        int(solutions(pool.run(total))[1][0][0].split('"')[1]) - (sum(exact.values()) - sum(held.values()))


def test_runner_honours_default_and_named_graphs_like_the_pool(published, pool):
    runner = RemoteQueryRunner(published[0], timeout=30)
    for job in (job_for("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=(DATA_GRAPH,)),
                job_for("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=(DATA_GRAPH,))):
        assert solutions(runner.run(job)) == solutions(pool.run(job))


@pytest.mark.parametrize("fmt, rdf_format", [
    ("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES), ("rdfxml", ox.RdfFormat.RDF_XML),
    ("jsonld", ox.RdfFormat.JSON_LD), ("nquads", ox.RdfFormat.N_QUADS),
])
def test_runner_construct_matches_the_pool(published, pool, fmt, rdf_format):
    runner = RemoteQueryRunner(published[0], timeout=30)
    job = job_for("CONSTRUCT { ?c skos:prefLabel ?l ; skos:broader ?b } WHERE { ?c skos:prefLabel ?l "
                  "OPTIONAL { ?c skos:broader ?b } }", fmt)
    built = triples(runner.run(job), rdf_format)
    assert len(built) > 50 and built == triples(pool.run(job), rdf_format)


def test_runner_refuses_answers_over_the_result_cap(published):
    runner = RemoteQueryRunner(published[0], timeout=30, max_results=5)
    for query in ("SELECT ?s WHERE { ?s a skos:Concept }", "CONSTRUCT WHERE { ?s a skos:Concept }"):
        with pytest.raises(SparqlError) as raised:
            runner.run(job_for(query, "json" if query.startswith("SELECT") else "turtle"))
        assert raised.value.http_status == 413
    assert solutions(runner.run(job_for("SELECT ?s WHERE { ?s a skos:Concept } LIMIT 5")))[1]


def test_runner_stops_a_query_at_the_time_limit(published):
    runner = RemoteQueryRunner(published[0], timeout=1)
    with pytest.raises(SparqlError) as raised:
        runner.run(job_for(SLOW))
    assert raised.value.http_status == 503 and raised.value.retry_after and "limit" in str(raised.value)


def test_runner_reports_a_syntax_error_as_400(published):
    runner = RemoteQueryRunner(published[0], timeout=30)
    with pytest.raises(SparqlError) as raised:
        runner.run(Job("SELECT ?s WHERE { ?s ?p ", "SELECT", "json"))
    assert raised.value.http_status == 400 and "\n" not in str(raised.value)
    with pytest.raises(SyntaxError):
        RemoteStore(published[0]).query("SELECT ?s WHERE { ?s ?p ", prefixes=PREFIXES)


def test_a_stopped_store_gives_a_one_line_error():
    dead = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreError) as raised:
        RemoteStore(dead, timeout=5).quads_for_pattern(None, None, None, None)
    assert "cannot be reached" in str(raised.value) and "\n" not in str(raised.value)
    with pytest.raises(SparqlError) as raised:
        RemoteQueryRunner(dead, timeout=5).run(Job("ASK {}", "ASK", "json"))
    assert raised.value.http_status == 503 and raised.value.retry_after


# -- the app ----------------------------------------------------------------------------------------


def test_serve_reads_pages_from_the_remote_store(built_project, tmp_path):
    """A label changed in the store only (same triple count) shows on the served page."""
    label = PREFIXES["skos"] + "prefLabel"
    concept = PREFIXES["tdv"] + "city-diplomacy"
    change = (f'DELETE DATA {{ GRAPH <{ALL_GRAPHS[1]}> {{ <{concept}> <{label}> "city diplomacy"@en }} }} ; '
              f'INSERT DATA {{ GRAPH <{ALL_GRAPHS[1]}> {{ <{concept}> <{label}> "city diplomacy, as stored"@en }} }}')
    with oxigraph_server(tmp_path) as (query_url, publish_url, _process):
        assert run_tdld("publish", "--store", publish_url, root=built_project).returncode == 0
        status, _headers, _body = http_call(query_url.removesuffix("/query") + "/update", "POST", change.encode(),
                                            {"Content-Type": "application/sparql-update"})
        assert status in (200, 204)
        with running_server(built_project, tmp_path, "--store", query_url) as base:
            status, _headers, body = http_call(base + "/doc/vocab/city-diplomacy", headers={"Accept": "text/turtle"})
            assert status == 200 and b"city diplomacy, as stored" in body
            status, _headers, body = http_call(base + "/search/suggest?q=as%20stored")
            assert status == 200 and b"city-diplomacy" in body


def test_serve_refuses_a_store_that_does_not_hold_the_release(built_project, release, tmp_path):
    with oxigraph_server(tmp_path) as (query_url, _publish_url, _process):
        with pytest.raises(StoreMismatch):
            open_remote(query_url, release)
        result = run_tdld("serve", "--store", query_url, "--get", "/", root=built_project)
    assert result.returncode == 1 and "tdld publish" in result.stderr and result.stderr.count("\n") == 1


def test_serve_with_a_stopped_store_fails_in_one_line(built_project):
    result = run_tdld("serve", "--store", f"http://127.0.0.1:{free_port()}/query", "--get", "/", root=built_project)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "cannot be reached" in result.stderr


def test_query_runner_follows_the_store_setting(published, release):
    from tdld.web.sparql import query_runner
    from tdld.core.settings import Settings

    knowledge = Knowledge(release, store=RemoteStore(published[0]))
    remote = query_runner(knowledge, Settings(store=published[0], sparql_max_results=3))
    assert isinstance(remote, RemoteQueryRunner)
    with pytest.raises(SparqlError) as raised:
        remote.run(job_for("SELECT ?s WHERE { ?s a skos:Concept }"))
    assert raised.value.http_status == 413
    embedded = query_runner(knowledge, Settings())
    assert isinstance(embedded, QueryPool)
    embedded.close()
