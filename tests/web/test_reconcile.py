"""The reconciliation service end to end over a real `tdld serve`: the requests OpenRefine sends, replayed.

OpenRefine talks to a reconciliation service from two places: its web UI in the browser
(the manifest when a service is added, suggest while a user types, previews in iframes,
property proposals; cross-origin, with CORS or JSONP) and its Java backend (the query
batches and data extension, as ``application/x-www-form-urlencoded`` POSTs). Every JSON
answer is validated against the schemas of tests/data/schemas/, written from the specification.
"""

import csv
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from ..conftest import REPO, http_call, running_server
from ..reconcile.test_schemas import validate

pytestmark = pytest.mark.slow

# What OpenRefine's web UI sends (jQuery $.ajax from http://127.0.0.1:3333) ...
BROWSER = {"Origin": "http://127.0.0.1:3333", "Referer": "http://127.0.0.1:3333/project?project=1",
           "Accept": "application/json, text/javascript, */*; q=0.01", "X-Requested-With": "XMLHttpRequest"}
# ... and what its backend sends (java.net.HttpURLConnection, ParsingUtilities.encode).
BACKEND = {"User-Agent": "Java/11.0.21", "Accept": "text/html, image/gif, image/jpeg, *; q=.2, */*; q=.2",
           "Content-Type": "application/x-www-form-urlencoded"}
JSONP = "jQuery36007482018301296485_1732631000000"


@pytest.fixture(scope="module")
def base(built_project, tmp_path_factory):
    with running_server(built_project, tmp_path_factory.mktemp("reconcile")) as url:
        yield url


@pytest.fixture(scope="module")
def manifest(base):
    status, headers, body = call(base + "/reconcile", headers=BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    return json.loads(body)


def call(url, method="GET", params=None, form=None, headers=None, data=None):
    """(status, headers, body) without raising on 4xx/5xx; ``form`` is URL-encoded as OpenRefine does."""
    if form is not None:
        data = urllib.parse.urlencode(form).encode("ascii")
        headers = {**BACKEND, **(headers or {})}
    return http_call(url, method, data, headers, params)


def reconcile(base, queries: dict) -> dict:
    """POST a query batch as OpenRefine's StandardReconConfig does; both sides checked against the schemas."""
    validate("reconciliation-query-batch", queries)
    status, headers, body = call(base + "/reconcile", "POST", form={"queries": json.dumps(queries)})
    assert status == 200, body
    assert headers["Access-Control-Allow-Origin"] == "*" and headers["Cache-Control"] == "no-store"
    results = json.loads(body)
    validate("reconciliation-result-batch", results)
    assert set(results) == set(queries)
    for result in results.values():
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
        assert sum(c["match"] for c in result["result"]) <= 1
    return {key: value["result"] for key, value in results.items()}


def unwrap_jsonp(body: bytes, callback: str = JSONP):
    text = body.decode("ascii")
    assert text.startswith(f"/**/{callback}(") and text.endswith(");")
    return json.loads(text[len(callback) + 5:-2])


# -- adding the service -------------------------------------------------------------------------

def test_manifest(base, manifest):
    validate("manifest", manifest)
    assert manifest["identifierSpace"] == "https://w3id.org/territorial-diplomacy/"
    assert manifest["schemaSpace"] == "https://w3id.org/territorial-diplomacy/ontology#"
    assert {"skos:Concept", "tdo:Actor", "tdo:LegalAct", "tdo:Event", "tdo:Place"} <= {t["id"] for t in manifest["defaultTypes"]}
    assert manifest["view"]["url"] == base + "/{{id}}"
    assert manifest["suggest"]["entity"]["service_url"] == base + "/reconcile"
    assert manifest["batchSize"] == 50


def test_manifest_by_jsonp_as_older_openrefine_asks(base, manifest):
    status, headers, body = call(base + "/reconcile", params={"callback": JSONP, "_": "1732631000001"}, headers=BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert unwrap_jsonp(body) == manifest


def test_the_manifest_urls_answer(base, manifest):
    """Every URL the manifest announces works, with the id inserted as OpenRefine does (encodeURI of the
    template) and as the specification asks (the id encoded as a URI component)."""
    schemas = {"entity": "suggest-entities-response", "type": "suggest-types-response",
               "property": "suggest-properties-response"}
    for kind, meta in manifest["suggest"].items():
        status, _h, body = call(meta["service_url"] + meta["service_path"], params={"prefix": "fr"}, headers=BROWSER)
        assert status == 200, kind
        validate(schemas[kind], json.loads(body))
    proposals = manifest["extend"]["propose_properties"]
    status, _h, body = call(proposals["service_url"] + proposals["service_path"], params={"type": "tdo:State"})
    assert status == 200
    validate("data-extension-property-proposal", json.loads(body))
    for ident in ("id/actor/france", urllib.parse.quote("id/actor/france", safe="")):
        status, headers, body = call(manifest["preview"]["url"].replace("{{id}}", ident), headers=BROWSER)
        assert status == 200 and headers["Content-Type"].startswith("text/html") and b"France" in body
        with urllib.request.urlopen(manifest["view"]["url"].replace("{{id}}", ident), timeout=30) as response:
            assert response.status == 200 and response.url == base + "/doc/id/actor/france"


# -- reconciling a column ------------------------------------------------------------------------

def test_guessing_the_type_of_a_column(base):
    """OpenRefine first sends the column's first values without a type and counts the candidates' types."""
    def guess(values):
        results = reconcile(base, {f"q{i}": {"query": value, "limit": 3} for i, value in enumerate(values)})
        counts: dict = {}
        for result in results.values():
            for candidate in result:
                for kind in candidate["type"]:
                    counts[kind["id"]] = counts.get(kind["id"], 0) + candidate["score"]
        return max(counts, key=counts.get)

    assert guess(["Bâle", "Marrakech", "Den Haag", "Utrecht", "Madrid"]) == "tdo:Place"
    assert guess(["paradiplomacy", "jumelage", "Städtediplomatie", "coopération transfrontalière"]) == "skos:Concept"


def test_a_column_of_town_names_against_places(base):
    results = reconcile(base, {f"q{i}": {"query": town, "type": "tdo:Place", "type_strict": "should"}
                               for i, town in enumerate(["Bâle", "Marrakech", "Den Haag", "Utrecht", "Madrid", "Lyon"])})
    assert [r[0]["id"] if r and r[0]["match"] else None for r in results.values()] == [
        "id/place/basel", "id/place/marrakesh", "id/place/the-hague", "id/place/utrecht", "id/place/madrid", None]
    assert all(c["type"] == [{"id": "tdo:Place", "name": "place"}] for r in results.values() for c in r)


MULTILINGUAL = [
    ("paradiplomacy", "vocab/para-diplomacy"),
    ("diplomatie des villes", "vocab/city-diplomacy"),
    ("Städtepartnerschaft", "vocab/town-twinning"),
    ("stadtepartnerschaft", "vocab/town-twinning"),
    ("STAEDTEPARTNERSCHAFT", "vocab/town-twinning"),
    ("COOPÉRATION DÉCENTRALISÉE", "vocab/decentralized-cooperation"),
    ("grenzüberschreitende Zusammenarbeit", "vocab/cross-border-cooperation"),
    ("Conseil de l'Europe", "id/actor/council-of-europe"),
    ("conseil de l’europe", "id/actor/council-of-europe"),
    ("Europarat", "id/actor/council-of-europe"),
]


def test_multilingual_accent_and_case_insensitive_matches(base):
    batch = {f"q{i}": {"query": text, "type_strict": "should"} for i, (text, _) in enumerate(MULTILINGUAL)}
    results = reconcile(base, batch)
    for i, (text, expected) in enumerate(MULTILINGUAL):
        first = results[f"q{i}"][0]
        assert (first["id"], first["match"]) == (expected, True), text
        assert first["score"] >= 90


def test_a_column_of_concepts_of_the_scheme(base):
    results = reconcile(base, {"q0": {"query": "paradiplomacy", "type": "skos:Concept", "type_strict": "should"},
                               "q1": {"query": "jumelage de villes", "type": "tdv:scheme", "type_strict": "should"}})
    assert results["q0"][0]["id"] == "vocab/para-diplomacy" and results["q0"][0]["match"]
    assert results["q1"][0]["id"] == "vocab/town-twinning" and results["q1"][0]["match"]
    # the type asked for is among the candidate's types, so that OpenRefine sees it match
    assert [t["id"] for t in results["q1"][0]["type"]] == ["skos:Concept", "tdv:scheme"]


def test_a_vague_query_is_never_a_match(base):
    results = reconcile(base, {"q0": {"query": "cooperation"}, "q1": {"query": "diplomacy"},
                               "q2": {"query": "Europe"}, "q3": {"query": "Lyon"}})
    assert len(results["q0"]) >= 5
    assert not any(c["match"] for result in results.values() for c in result)


def test_a_type_narrows_the_candidates(base):
    results = reconcile(base, {"all": {"query": "Europe", "limit": 50},
                               "concepts": {"query": "Europe", "type": "skos:Concept", "limit": 50},
                               "actors": {"query": "Europe", "type": "tdo:Actor", "type_strict": "should", "limit": 50}})
    every = {c["id"] for c in results["all"]}
    concepts = {c["id"] for c in results["concepts"]}
    actors = {c["id"] for c in results["actors"]}
    assert concepts and actors and concepts | actors <= every and not concepts & actors
    assert all(c["id"].startswith("vocab/") for c in results["concepts"])
    assert all(c["id"].startswith("id/actor/") for c in results["actors"])


def test_property_columns_change_scores(base):
    """Columns chosen as properties in OpenRefine's dialog arrive as {pid, v}; a reconciled cell as {id, name}."""
    results = reconcile(base, {
        "same": {"query": "France", "type": "tdo:Actor", "type_strict": "should",
                 "properties": [{"pid": "wikidata", "v": "Q142"}]},
        "other": {"query": "France", "type": "tdo:Actor", "type_strict": "should",
                  "properties": [{"pid": "wikidata", "v": "Q183"}]},
        "typed": {"query": "Frankreich", "properties": [{"pid": "rdf:type", "v": {"id": "tdo:State", "name": "state"}}]},
        "alone": {"properties": [{"pid": "wikidata", "v": "Q78"}]},
    })
    assert results["same"][0]["id"] == "id/actor/france" and results["same"][0]["match"]
    assert results["other"][0]["id"] == "id/actor/france" and not results["other"][0]["match"]
    assert results["other"][0]["score"] < results["same"][0]["score"]
    assert results["typed"][0]["score"] == 100
    assert results["alone"][0]["id"] == "id/place/basel"


def test_queries_by_get_and_the_single_query_of_protocol_0_1(base):
    status, _h, body = call(base + "/reconcile", params={"queries": json.dumps({"q0": {"query": "Bâle"}})})
    assert status == 200 and json.loads(body)["q0"]["result"][0]["id"] == "id/place/basel"
    status, _h, body = call(base + "/reconcile", params={"query": "Bâle"})
    answer = json.loads(body)
    validate("reconciliation-result", answer)
    assert answer["result"][0]["id"] == "id/place/basel"


# -- suggest and preview -----------------------------------------------------------------------

def test_suggest_as_the_user_types(base):
    _s, _h, body = call(base + "/reconcile/suggest/type", params={"prefix": "Act"}, headers=BROWSER)
    types = json.loads(body)
    validate("suggest-types-response", types)
    assert types["result"][0]["id"] == "tdo:Actor"
    _s, _h, body = call(base + "/reconcile/suggest/entity", params={"prefix": "jumel", "type": "skos:Concept"}, headers=BROWSER)
    entities = json.loads(body)
    validate("suggest-entities-response", entities)
    assert entities["result"][0]["id"] == "vocab/town-twinning" and entities["result"][0]["name"].startswith("jumelage")
    _s, _h, body = call(base + "/reconcile/suggest/entity", params={"prefix": "Städte"}, headers=BROWSER)
    assert {"vocab/town-twinning", "vocab/city-diplomacy"} <= {e["id"] for e in json.loads(body)["result"]}
    _s, _h, body = call(base + "/reconcile/suggest/property", params={"prefix": "wiki"}, headers=BROWSER)
    properties = json.loads(body)
    validate("suggest-properties-response", properties)
    assert properties["result"][0]["id"] == "wikidata"


def test_suggest_pages_with_cursor_and_answers_jsonp(base):
    _s, _h, first = call(base + "/reconcile/suggest/entity", params={"prefix": "co", "limit": 3})
    _s, _h, second = call(base + "/reconcile/suggest/entity", params={"prefix": "co", "limit": 3, "cursor": 3})
    first_ids = [e["id"] for e in json.loads(first)["result"]]
    second_ids = [e["id"] for e in json.loads(second)["result"]]
    assert len(first_ids) == len(second_ids) == 3 and not set(first_ids) & set(second_ids)
    status, headers, body = call(base + "/reconcile/suggest/entity", params={"prefix": "co", "limit": 3,
                                                                             "callback": JSONP, "_": "2"})
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    assert [e["id"] for e in unwrap_jsonp(body)["result"]] == first_ids


def test_preview_is_a_small_escaped_html_card_that_may_be_framed(base):
    status, headers, body = call(base + "/reconcile/preview", params={"id": "id/actor/council-of-europe", "lang": "fr"})
    html = body.decode("utf-8")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "Conseil de l&#39;Europe" in html and "Conseil de l'Europe" not in html
    assert "Wikidata Q8908" in html and f'href="{base}/doc/id/actor/council-of-europe"' in html
    assert "<script" not in html and len(body) < 4000
    assert "frame-ancestors *" in headers["Content-Security-Policy"] and "X-Frame-Options" not in headers
    assert headers["Content-Language"] == "fr"


# -- data extension ------------------------------------------------------------------------------

def shipped_wikidata_mappings() -> dict:
    """{local id: QID} for the identity mappings (schema:sameAs, skos:exactMatch) of the shipped SSSOM table."""
    prefixes = {"actor": "id/actor/", "act": "id/act/", "event": "id/event/", "place": "id/place/", "tdv": "vocab/"}
    lines = [line for line in (REPO / "data/mappings/wikidata.sssom.tsv").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    found = {}
    for row in csv.DictReader(lines, delimiter="\t"):
        if row["predicate_id"] in ("schema:sameAs", "skos:exactMatch"):
            prefix, local = row["subject_id"].split(":", 1)
            found[prefixes[prefix] + local] = row["object_id"].removeprefix("wd:")
    return found


def test_extend_fetches_the_wikidata_qids_of_the_shipped_mappings(base):
    mappings = shipped_wikidata_mappings()
    assert mappings["id/actor/france"] == "Q142"
    query = {"ids": sorted(mappings) + ["vocab/territorial-diplomacy"], "properties": [{"id": "wikidata"}]}
    validate("data-extension-query", query)
    status, _h, body = call(base + "/reconcile", "POST", form={"extend": json.dumps(query)})
    answer = json.loads(body)
    assert status == 200
    validate("data-extension-response", answer)
    assert answer["meta"] == [{"id": "wikidata", "name": "Wikidata ID"}]
    for ident, qid in mappings.items():
        assert answer["rows"][ident]["wikidata"] == [{"str": qid}], ident
    assert answer["rows"]["vocab/territorial-diplomacy"]["wikidata"] == []     # a broadMatch is not the same item


def test_extend_as_openrefine_after_proposing_properties(base):
    status, headers, body = call(base + "/reconcile/propose_properties",
                                 params={"type": "tdo:State", "limit": 10, "callback": JSONP}, headers=BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("application/javascript")
    proposal = unwrap_jsonp(body)
    validate("data-extension-property-proposal", proposal)
    chosen = [p["id"] for p in proposal["properties"]]
    assert proposal["type"] == "tdo:State" and "wikidata" in chosen and len(chosen) <= 10
    query = {"ids": ["id/actor/france", "id/actor/germany"],
             "properties": [{"id": pid} for pid in chosen] + [{"id": "label", "settings": {"lang": "de"}}]}
    status, _h, body = call(base + "/reconcile", "POST", form={"extend": json.dumps(query)})
    answer = json.loads(body)
    validate("data-extension-response", answer)
    assert [m["id"] for m in answer["meta"]] == chosen + ["label"]
    assert all(set(row) == set(chosen) | {"label"} for row in answer["rows"].values())
    assert answer["rows"]["id/actor/france"]["label"] == [{"str": "Frankreich"}]
    assert answer["rows"]["id/actor/germany"]["wikidata"] == [{"str": "Q183"}]


# -- CORS, refusals ------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/reconcile", None, None),
    ("POST", "/reconcile", None, {"queries": json.dumps({"q0": {"query": "France"}})}),
    ("POST", "/reconcile", None, {"extend": json.dumps({"ids": ["id/actor/france"], "properties": [{"id": "wikidata"}]})}),
    ("GET", "/reconcile/suggest/entity", {"prefix": "fr"}, None),
    ("GET", "/reconcile/suggest/type", {"prefix": "fr"}, None),
    ("GET", "/reconcile/suggest/property", {"prefix": "fr"}, None),
    ("GET", "/reconcile/preview", {"id": "id/actor/france"}, None),
    ("GET", "/reconcile/propose_properties", {"type": "skos:Concept"}, None),
    ("GET", "/reconcile/suggest/nothing", {"prefix": "fr"}, None),
    ("GET", "/reconcile/flyout", {"id": "x"}, None),
]


@pytest.mark.parametrize(("method", "path", "params", "form"), ROUTES, ids=[f"{m} {p}" for m, p, *_ in ROUTES])
def test_cors_on_every_route_and_preflight(base, method, path, params, form):
    status, headers, _body = call(base + path, method, params=params, form=form, headers=BROWSER)
    assert status in (200, 404)
    assert headers["Access-Control-Allow-Origin"] == "*"
    status, headers, body = call(base + path, "OPTIONS", headers={
        "Origin": "http://127.0.0.1:3333", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()


HOSTILE = [
    ("invalid JSON", "POST", "/reconcile", None, {"queries": "{not json"}, 400),
    ("a list, not a batch", "POST", "/reconcile", None, {"queries": "[1, 2]"}, 400),
    ("a huge batch", "POST", "/reconcile", None, {"queries": json.dumps({f"q{i}": {"query": "x"} for i in range(500)})}, 413),
    ("an unknown type", "POST", "/reconcile", None, {"queries": json.dumps({"q0": {"query": "x", "type": "tdo:Nothing"}})}, 400),
    ("an unknown property", "POST", "/reconcile", None,
     {"queries": json.dumps({"q0": {"query": "x", "properties": [{"pid": "P17", "v": "Q142"}]}})}, 400),
    ("a negative limit", "POST", "/reconcile", None, {"queries": json.dumps({"q0": {"query": "x", "limit": -1}})}, 400),
    ("a very long query", "POST", "/reconcile", None, {"queries": json.dumps({"q0": {"query": "x" * 5000}})}, 400),
    ("deep nesting", "POST", "/reconcile", None, {"queries": "[" * 50_000 + "]" * 50_000}, 400),
    ("a parameter twice", "GET", "/reconcile", [("queries", "{}"), ("queries", "{}")], None, 400),
    ("a script as callback", "GET", "/reconcile", {"callback": "alert(document.cookie)//"}, None, 400),
    ("extend, unknown property", "POST", "/reconcile", None,
     {"extend": json.dumps({"ids": ["id/actor/france"], "properties": [{"id": "P17"}]})}, 400),
    ("extend, too many ids", "POST", "/reconcile", None,
     {"extend": json.dumps({"ids": [f"id/{i}" for i in range(1000)], "properties": [{"id": "label"}]})}, 413),
    ("extend, not a query", "POST", "/reconcile", None, {"extend": '{"ids": "all"}'}, 400),
    ("extend, bad setting", "POST", "/reconcile", None,
     {"extend": json.dumps({"ids": ["id/actor/france"], "properties": [{"id": "label", "settings": {"lang": "<x>"}}]})}, 400),
    ("suggest without prefix", "GET", "/reconcile/suggest/entity", {"limit": "3"}, None, 400),
    ("suggest, bad cursor", "GET", "/reconcile/suggest/entity", {"prefix": "a", "cursor": "-5"}, None, 400),
    ("suggest, unknown type", "GET", "/reconcile/suggest/entity", {"prefix": "a", "type": "tdo:Nothing"}, None, 400),
    ("an unknown suggest service", "GET", "/reconcile/suggest/everything", {"prefix": "a"}, None, 404),
    ("preview without id", "GET", "/reconcile/preview", None, None, 400),
    ("preview of nothing", "GET", "/reconcile/preview", {"id": "id/actor/<script>"}, None, 404),
    ("proposals for an unknown type", "GET", "/reconcile/propose_properties", {"type": "tdo:Nothing"}, None, 400),
    ("proposals, bad limit", "GET", "/reconcile/propose_properties", {"type": "tdo:State", "limit": "x"}, None, 400),
]


@pytest.mark.parametrize(("why", "method", "path", "params", "form", "expected"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_input_is_refused_with_a_json_reason(base, why, method, path, params, form, expected):
    status, headers, body = call(base + path, method, params=params, form=form)
    assert status == expected, body
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Access-Control-Allow-Origin"] == "*"
    error = json.loads(body)
    validate("error", error)
    assert "Traceback" not in error["error"]


def test_raw_hostile_bodies(base):
    """Bytes that are not UTF-8 (replaced on decoding, so no valid JSON is left) and a body larger than the
    service reads are refused, not crashed on."""
    status, _h, body = call(base + "/reconcile", "POST", data=b"queries=%FF%FE%00", headers=BACKEND)
    assert status == 400 and "error" in json.loads(body)
    status, _h, body = call(base + "/reconcile", "POST", data=b"queries=" + b"x" * 2_500_000, headers=BACKEND)
    assert status == 413 and "error" in json.loads(body)
    status, _h, _body = call(base + "/reconcile", headers=BROWSER)
    assert status == 200                                                     # still serving
