"""Hostile input: property-based tests over negotiation, parameters, paths and search; a short fuzz run."""

import importlib.util
import json
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tdld.core.conneg import REPRESENTATIONS, negotiate, parse_accept, parse_accept_language
from tdld.core.urls import UrlMap

pytestmark = pytest.mark.slow

TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HTTP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
HEADER = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=200)


@FAST
@given(TEXT)
def test_negotiation_never_fails_and_honours_q_zero(accept):
    chosen = negotiate(accept)
    assert chosen is None or chosen in REPRESENTATIONS
    for media_range in parse_accept(accept):
        assert 0.0 <= media_range.q <= 1.0


@FAST
@given(st.lists(st.sampled_from(["text/html", "text/turtle", "application/ld+json", "image/png", "*/*"]),
                min_size=1, max_size=4),
       st.lists(st.sampled_from(["0", "0.1", "0.5", "1"]), min_size=4, max_size=4))
def test_a_type_with_q_zero_is_never_chosen(types, qualities):
    header = ", ".join(f"{t};q={q}" for t, q in zip(types, qualities))
    chosen = negotiate(header)
    if chosen is not None:
        pairs = list(zip(types, qualities))
        refused = {t for t, _q in pairs if t != "*/*" and all(q == "0" for u, q in pairs if u == t)}
        assert chosen.media_type not in refused


@FAST
@given(TEXT)
def test_accept_language_gives_plain_tags(header):
    for tag in parse_accept_language(header):
        assert tag and tag == tag.lower() and "-" not in tag


@FAST
@given(st.from_regex(r"[a-z0-9-]{1,40}(/[a-z0-9-]{1,20}){0,2}", fullmatch=True))
def test_every_thing_iri_maps_to_its_document_and_back(local):
    urls = UrlMap()
    iri = "https://w3id.org/territorial-diplomacy/id/" + local
    path = urls.page_path(iri)
    assert path.startswith("/doc/id/")
    assert urls.document_iri(path.removeprefix("/doc/")) == iri


@HTTP
@given(path=TEXT, query=TEXT)
def test_any_path_or_query_is_answered_without_a_server_error(client, path, query):
    quoted = urllib.parse.quote(path, safe="/")  # what a client puts on the wire
    for target in ("/doc/" + quoted, "/id/" + quoted, "/vocab/" + quoted, "/download/" + quoted, "/static/" + quoted):
        response = client.get(target, query_string={"q": query, "lang": query, "format": query})
        assert response.status_code < 500, (target, response.status_code)
        response.close()
    assert client.get("/search", query_string={"q": query}).status_code == 200
    assert client.get("/search/suggest", query_string={"q": query}).status_code == 200


@HTTP
@given(HEADER, HEADER)
def test_any_header_values_are_answered_without_a_server_error(client, accept, language):
    response = client.get("/doc/vocab/city-diplomacy", headers={"Accept": accept, "Accept-Language": language})
    assert response.status_code in (200, 406)


@FAST
@given(TEXT)
def test_search_never_fails_and_stays_bounded(knowledge, text):
    hits = knowledge.search(text, limit=20)
    assert len(hits) <= 20
    assert all(h.iri.startswith("https://w3id.org/territorial-diplomacy/") for h in hits)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=20,
)
RECONCILE_QUERY = st.fixed_dictionaries({}, optional={
    "query": TEXT | JSON_VALUES, "type": TEXT | JSON_VALUES, "limit": st.integers() | TEXT,
    "type_strict": st.sampled_from(["any", "all", "should"]) | TEXT,
    "properties": st.lists(st.fixed_dictionaries({}, optional={"pid": TEXT, "v": JSON_VALUES}), max_size=3) | JSON_VALUES,
})


@HTTP
@given(st.dictionaries(TEXT, RECONCILE_QUERY | JSON_VALUES, max_size=5))
def test_any_reconciliation_batch_gets_results_or_a_json_error(client, batch):
    response = client.post("/reconcile", data={"queries": json.dumps(batch)})
    assert response.status_code in (200, 400, 413), response.status_code
    body = response.get_json()
    assert isinstance(body, dict) and (response.status_code == 200 or "error" in body)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@HTTP
@given(JSON_VALUES, TEXT)
def test_any_extension_or_suggest_request_is_answered_without_a_server_error(client, extension, prefix):
    assert client.post("/reconcile", data={"extend": json.dumps(extension)}).status_code in (200, 400, 404, 413)
    for kind in ("entity", "type", "property"):
        assert client.get(f"/reconcile/suggest/{kind}", query_string={"prefix": prefix}).status_code in (200, 400)
    assert client.get("/reconcile/preview", query_string={"id": prefix}).status_code in (200, 400, 404)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed for this Python")
@pytest.mark.parametrize("fuzzer", ["fuzz_sparql.py", "fuzz_reconcile.py"])
def test_short_fuzz_run_of_the_entry_points(fuzzer):
    fuzzer = Path(__file__).parents[1] / "fuzz" / fuzzer
    completed = subprocess.run([sys.executable, str(fuzzer), "-runs=20000", "-max_len=4096"],
                               capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "Done 20000 runs" in completed.stderr
