"""Bounded SPARQL GETs answered before Flask get exactly the answer Flask's route gives."""

import gzip
import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from tdld.web.quick import QuickAnswers

LOOKUP = "SELECT ?p ?o WHERE { tdv:city-diplomacy ?p ?o }"
JSON_RESULTS = "application/sparql-results+json"
DATA_GRAPH = "https://w3id.org/territorial-diplomacy/graph/data"
BOUNDED = [
    ({"query": LOOKUP}, {"Accept": JSON_RESULTS}),
    ({"query": LOOKUP}, {"Accept": JSON_RESULTS, "Accept-Encoding": "gzip, deflate"}),
    ({"query": LOOKUP + " LIMIT 3"}, {"Accept": "application/sparql-results+xml"}),
    ({"query": LOOKUP}, {"Accept": "text/csv"}),
    ({"query": LOOKUP, "format": "tsv"}, {"Accept": "text/html"}),
    ({"query": LOOKUP}, {}),
    ({"query": "ASK { tdv:city-diplomacy ?p ?o }", "default-graph-uri": DATA_GRAPH}, {"Accept": JSON_RESULTS}),
    ({"query": "SELECT * WHERE { <https://w3id.org/territorial-diplomacy/id/nowhere> ?p ?o }"}, {"Accept": JSON_RESULTS}),
]
NOT_QUICK = [
    ({"query": LOOKUP}, {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}),  # the query page
    ({"query": LOOKUP.replace("?o }", "?o FILTER(true) }")}, {"Accept": JSON_RESULTS}),  # needs a worker
    ({"query": LOOKUP}, {"Accept": "image/png"}),  # 406
    ({"query": LOOKUP, "format": "png"}, {}),  # 406
    ({"query": LOOKUP, "default-graph-uri": "http://example.org/elsewhere"}, {"Accept": JSON_RESULTS}),  # 400
    ({"query": LOOKUP, "update": "CLEAR ALL"}, {"Accept": JSON_RESULTS}),  # refused
    ({"query": LOOKUP}, {"Accept": JSON_RESULTS, "If-None-Match": '"x"'}),  # conditional
    ({"query": "SELECT ?p WHERE { tdv:city-diplomacy ?p ?o } ORDER BY ?p"}, {"Accept": JSON_RESULTS}),
]


def quick_layer(app) -> QuickAnswers:
    layer = app.wsgi_app
    while not isinstance(layer, QuickAnswers):
        layer = layer.app
    return layer


def answer(wsgi, params: dict, headers: dict):
    environ = EnvironBuilder(path="/sparql", query_string=params, headers=headers).get_environ()
    body_chunks, status, answer_headers = run_wsgi_app(wsgi, environ)
    body = b"".join(body_chunks)
    kept = sorted((name.lower(), value) for name, value in answer_headers.items() if name.lower() != "date")
    return status, kept, body


@pytest.mark.parametrize("params,headers", BOUNDED)
def test_a_bounded_query_is_answered_before_flask_with_flasks_exact_answer(app, params, headers):
    layer = quick_layer(app)
    environ = EnvironBuilder(path="/sparql", query_string=params, headers=headers).get_environ()
    assert layer.answer(environ) is not None  # this request does take the quick path
    quick = answer(layer, params, headers)
    routed = answer(layer.app, params, headers)  # the Flask app alone
    assert quick[0] == routed[0] == "200 OK"
    assert quick[1] == routed[1]  # every header, ETag and Content-Length included
    assert quick[2] == routed[2]


@pytest.mark.parametrize("params,headers", NOT_QUICK)
def test_pages_errors_conditionals_and_worker_queries_take_flasks_route(app, params, headers):
    layer = quick_layer(app)
    environ = EnvironBuilder(path="/sparql", query_string=params, headers=headers).get_environ()
    if "If-None-Match" not in headers:
        assert layer.answer(environ) is None
    assert answer(layer, params, headers) == answer(layer.app, params, headers)


def test_the_quick_answer_is_gzipped_only_when_asked_and_decodes_to_the_plain_one(app):
    layer = quick_layer(app)
    _s, plain_headers, plain = answer(layer, {"query": LOOKUP}, {"Accept": JSON_RESULTS})
    _s, zipped_headers, zipped = answer(layer, {"query": LOOKUP}, {"Accept": JSON_RESULTS, "Accept-Encoding": "gzip"})
    assert ("content-encoding", "gzip") in zipped_headers and "content-encoding" not in dict(plain_headers)
    assert gzip.decompress(zipped) == plain
    assert json.loads(plain)["results"]["bindings"]
    assert dict(zipped_headers)["etag"] != dict(plain_headers)["etag"]


def test_a_quick_answer_with_if_none_match_of_its_etag_is_a_304(client):
    first = client.get("/sparql", query_string={"query": LOOKUP}, headers={"Accept": JSON_RESULTS})
    again = client.get("/sparql", query_string={"query": LOOKUP},
                       headers={"Accept": JSON_RESULTS, "If-None-Match": first.headers["ETag"]})
    assert first.status_code == 200 and again.status_code == 304
