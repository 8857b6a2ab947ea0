"""The per-release answer cache: the same answers as without it, conditional requests, never a volatile answer."""

import urllib.parse

import pytest

from tdld.core.settings import Settings
from tdld.web import create_app
from tdld.web.cache import ResponseCache

CHEAP = "SELECT ?l WHERE { tdv:city-diplomacy skos:prefLabel ?l } ORDER BY ?l"
REQUESTS = [
    ("/doc/vocab/city-diplomacy", {"Accept": "text/html"}),
    ("/doc/vocab/city-diplomacy", {"Accept": "text/turtle"}),
    ("/doc/vocab/city-diplomacy", {"Accept": "text/html", "Accept-Language": "fr"}),
    ("/doc/vocab/city-diplomacy", {"Accept": "application/ld+json", "Accept-Encoding": "gzip"}),
    ("/doc/vocab/city-diplomacy", {"Accept": "text/turtle", "Accept-Profile": "<urn:tdld:asserted>"}),
    ("/doc/vocab/city-diplomacy?inferred=false", {"Accept": "text/turtle"}),
    ("/ontology", {"Accept": "text/turtle"}),
    ("/search/suggest?q=jumelage", {}),
    ("/sparql?" + urllib.parse.urlencode({"query": CHEAP}), {"Accept": "application/sparql-results+json"}),
    ("/sparql?" + urllib.parse.urlencode({"query": CHEAP}), {"Accept": "text/csv"}),
    ("/sparql", {"Accept": "text/turtle"}),
    ("/sparql", {"Accept": "text/turtle", "Host": "mirror.example.org"}),
]
COMPARED_HEADERS = ("Content-Type", "Content-Language", "Content-Encoding", "Vary", "ETag", "Cache-Control", "Link")


@pytest.fixture(scope="module")
def apps(knowledge):
    cached = create_app(knowledge)
    uncached = create_app(knowledge, settings=Settings(cache_mb=0))
    yield cached, uncached
    for app in (cached, uncached):
        app.config["SPARQL_POOL"].close()


def _seen(response) -> tuple:
    return response.status_code, response.get_data(), tuple(response.headers.get(h) for h in COMPARED_HEADERS)


@pytest.mark.parametrize("path, headers", REQUESTS, ids=[f"{p[:40]} {h}" for p, h in REQUESTS])
def test_cached_answers_equal_fresh_ones(apps, path, headers):
    cached, uncached = apps
    client = cached.test_client()
    first, second = client.get(path, headers=headers), client.get(path, headers=headers)
    fresh = uncached.test_client().get(path, headers=headers)
    assert first.status_code == 200
    assert _seen(first) == _seen(second) == _seen(fresh)


def test_repeated_requests_are_answered_from_the_cache(apps):
    cached, _ = apps
    cache: ResponseCache = cached.config["RESPONSE_CACHE"]
    client = cached.test_client()
    path = "/doc/vocab/town-twinning"
    client.get(path, headers={"Accept": "text/turtle"})
    hits = cache.hits
    client.get(path, headers={"Accept": "text/turtle"})
    client.head(path, headers={"Accept": "text/turtle"})
    assert cache.hits == hits + 2


def test_head_from_the_cache_has_the_headers_and_no_body(apps):
    client = apps[0].test_client()
    full = client.get("/ontology", headers={"Accept": "text/turtle"})
    head = client.head("/ontology", headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.get_data() == b""
    assert head.headers["ETag"] == full.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(full.get_data()))


def test_if_none_match_gets_304_from_the_cache_and_200_for_another_tag(apps):
    client = apps[0].test_client()
    path = "/sparql?" + urllib.parse.urlencode({"query": CHEAP})
    accept = {"Accept": "application/sparql-results+json"}
    first = client.get(path, headers=accept)
    etag = first.headers["ETag"]
    again = client.get(path, headers={**accept, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["Vary"] == first.headers["Vary"]
    assert "public" in again.headers["Cache-Control"]
    weak = client.get(path, headers={**accept, "If-None-Match": f'"nope", W/{etag}'})
    assert weak.status_code == 304
    other = client.get(path, headers={**accept, "If-None-Match": '"something-else"'})
    assert other.status_code == 200 and other.get_data() == first.get_data()


def test_volatile_queries_are_never_cached(apps):
    client = apps[0].test_client()
    path = "/sparql?" + urllib.parse.urlencode({"query": "SELECT (RAND() AS ?r) (STRUUID() AS ?u) {}"})
    answers = [client.get(path, headers={"Accept": "text/csv"}) for _ in range(2)]
    assert all(a.status_code == 200 for a in answers)
    assert all(a.headers["Cache-Control"] == "no-store" for a in answers)
    assert answers[0].get_data() != answers[1].get_data()


def test_errors_are_not_kept(apps):
    cached = apps[0]
    cache: ResponseCache = cached.config["RESPONSE_CACHE"]
    client = cached.test_client()
    path = "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?x WHERE { ?x ?y }"})
    before = len(cache.entries)
    assert client.get(path).status_code == 400
    assert client.get(path).status_code == 400
    assert len(cache.entries) == before


def test_rate_limit_applies_to_cached_answers(release):
    from tdld.read.knowledge import Knowledge

    app = create_app(Knowledge(release), settings=Settings(rate_limit=60, rate_limit_loopback=True))
    client = app.test_client()
    statuses = [client.get("/doc/vocab/city-diplomacy").status_code for _ in range(15)]
    app.config["SPARQL_POOL"].close()
    assert statuses[0] == 200 and 429 in statuses
    assert app.config["RESPONSE_CACHE"].hits >= 1


def test_the_cache_stays_within_its_byte_budget():
    body = b"x" * 400

    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"), ("Cache-Control", "public"),
                                  ("ETag", '"%s"' % environ["PATH_INFO"].strip("/"))])
        return [body]

    cache = ResponseCache(app, max_bytes=1000)
    for n in range(10):
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": f"/{n}", "wsgi.url_scheme": "http"}
        assert b"".join(cache(environ, lambda status, headers, exc_info=None: None)) == body
    assert cache.size <= 1000 and len(cache.entries) == 2
    assert [key[0] for key in cache.entries] == ["/8", "/9"]  # least recently used went first


@pytest.mark.slow
@pytest.mark.parametrize("accept", ["text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json"])
def test_two_processes_send_the_same_bytes_so_etags_agree(built_project, accept):
    """Server workers are separate processes: an ETag from one must be valid at the other."""
    import os
    import subprocess

    from ..conftest import tdld_command

    def answer(path: str, seed: str) -> bytes:
        command = [tdld_command(), "--root", str(built_project), "serve", "--get", path, "--accept", accept]
        done = subprocess.run(command, capture_output=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        return done.stdout

    for path in ("/ontology", "/doc/dataset", "/doc/vocab/scheme", "/graph/mappings"):
        assert answer(path, "1") == answer(path, "2"), path
