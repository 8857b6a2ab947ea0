"""Linked data over HTTP: Cool URIs, content negotiation, caching, errors (Flask test client)."""

import gzip
import hashlib
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from tdld.core.conneg import choose_language, negotiate, parse_accept_language

CITY = "https://w3id.org/territorial-diplomacy/vocab/city-diplomacy"
FRANCE = "https://w3id.org/territorial-diplomacy/id/actor/france"


@pytest.mark.parametrize("accept, expected", [
    ("text/html", "html"),
    ("text/turtle", "turtle"),
    ("application/ld+json", "jsonld"),
    ("application/rdf+xml", "rdfxml"),
    ("application/n-triples", "ntriples"),
    ("", "html"),
    ("*/*", "html"),
    ("text/*", "html"),
    ("application/*", "jsonld"),
    ("text/turtle;q=0.9, application/ld+json", "jsonld"),
    ("text/html;q=0.1, text/turtle;q=0.8", "turtle"),
    ("text/turtle;q=0, */*;q=0.1", "html"),
    ("application/json", "jsonld"),
    ("image/png", None),
    ("text/html;q=0", None),
])
def test_negotiate_table(accept, expected):
    chosen = negotiate(accept)
    assert (chosen.key if chosen else None) == expected


def test_accept_language_table():
    assert parse_accept_language("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5") == ["fr", "en", "de"]
    assert choose_language(None, "de-DE,de;q=0.9") == "de"
    assert choose_language("fr", "de") == "fr"
    assert choose_language("xx", "es, it") == "en"


def test_thing_iri_answers_303_to_its_document(client):
    response = client.get("/vocab/city-diplomacy", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/vocab/city-diplomacy")
    followed = client.get(response.headers["Location"], headers={"Accept": "text/turtle"})
    assert followed.status_code == 200
    assert followed.headers["Content-Type"].startswith("text/turtle")


def test_ontology_terms_are_hash_iris_served_by_the_ontology_document(client):
    response = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.data, format="turtle")
    assert (URIRef("https://w3id.org/territorial-diplomacy/ontology#Twinning"), RDFS.label, None) in graph
    html = client.get("/ontology").get_data(as_text=True)
    assert 'id="Twinning"' in html


@pytest.mark.parametrize("accept, fmt", [
    ("text/turtle", "turtle"), ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
    ("application/n-triples", "nt"),
])
def test_each_rdf_format_describes_the_resource(client, accept, fmt):
    response = client.get("/doc/vocab/city-diplomacy", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(accept)
    graph = Graph().parse(data=response.data, format=fmt)
    labels = {str(l) for l in graph.objects(URIRef(CITY), SKOS.prefLabel)}
    assert {"city diplomacy", "Städtediplomatie"} <= labels or "city diplomacy" in labels
    # labels of linked resources come along
    assert (URIRef("https://w3id.org/territorial-diplomacy/vocab/territorial-diplomacy"), RDFS.label, None) in graph


def test_jsonld_is_compact_with_context(client):
    document = json.loads(client.get("/doc/vocab/city-diplomacy.jsonld").data)
    assert "@context" in document and document["@context"]["skos"] == "http://www.w3.org/2004/02/skos/core#"


@pytest.mark.parametrize("suffix, media", [
    (".ttl", "text/turtle"), (".jsonld", "application/ld+json"), (".rdf", "application/rdf+xml"),
    (".nt", "application/n-triples"), (".html", "text/html"),
])
def test_extension_overrides_accept(client, suffix, media):
    response = client.get("/doc/id/actor/france" + suffix, headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media)


def test_format_parameter_overrides_accept(client):
    response = client.get("/doc/id/actor/france?format=ttl", headers={"Accept": "text/html"})
    assert response.headers["Content-Type"].startswith("text/turtle")
    assert client.get("/doc/id/actor/france?format=pdf").status_code == 400


def test_unsupported_type_gets_406_listing_the_available_ones(client):
    response = client.get("/doc/id/actor/france", headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    for media in ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples"):
        assert media in text


def test_vary_link_and_cors_headers(client):
    response = client.get("/doc/vocab/city-diplomacy", headers={"Accept": "text/turtle"})
    assert "Accept" in response.headers["Vary"] and "Accept-Language" in response.headers["Vary"]
    links = response.headers["Link"]
    for ext in ("ttl", "jsonld", "rdf", "nt", "html"):
        assert f"/doc/vocab/city-diplomacy.{ext}>" in links
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_language_chooses_labels_with_fallback_and_content_language(client):
    fr = client.get("/doc/vocab/city-diplomacy", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert fr.headers["Content-Language"] == "fr"
    assert "<h1>diplomatie" in fr.get_data(as_text=True)
    de = client.get("/doc/vocab/city-diplomacy?lang=de", headers={"Accept-Language": "fr"})
    assert de.headers["Content-Language"] == "de"
    fallback = client.get("/doc/vocab/city-diplomacy", headers={"Accept-Language": "es, it;q=0.5"})
    assert fallback.headers["Content-Language"] == "en"
    assert "<h1>city diplomacy</h1>" in fallback.get_data(as_text=True)
    # a German definition is missing for some concepts: the page falls back to English
    person = client.get("/doc/id/person/yves-viltard?lang=de")
    assert person.status_code == 200 and "Viltard" in person.get_data(as_text=True)


def test_rdf_keeps_all_languages_unless_asked(client):
    everything = Graph().parse(data=client.get("/doc/vocab/city-diplomacy.ttl").data, format="turtle")
    languages = {l.language for l in everything.objects(URIRef(CITY), SKOS.prefLabel)}
    assert languages == {"en", "fr", "de", "es"}
    only_fr = Graph().parse(data=client.get("/doc/vocab/city-diplomacy.ttl?lang=fr").data, format="turtle")
    assert {l.language for l in only_fr.objects(URIRef(CITY), SKOS.prefLabel)} == {"fr"}


def test_asserted_only_parameter_and_inferred_marking(client):
    inferred = "https://w3id.org/territorial-diplomacy/ontology#hasSubdivision"
    full = Graph().parse(data=client.get("/doc/id/actor/france.ttl").data, format="turtle")
    assert (URIRef(FRANCE), URIRef(inferred), None) in full
    asserted = Graph().parse(data=client.get("/doc/id/actor/france.ttl?inferred=false").data, format="turtle")
    assert (URIRef(FRANCE), URIRef(inferred), None) not in asserted
    html = client.get("/doc/id/actor/france").get_data(as_text=True)
    assert 'class="inferred"' in html


def test_inbound_links_are_shown(client):
    html = client.get("/doc/id/actor/french-guiana").get_data(as_text=True)
    assert "Linked from" in html and "/doc/id/partnership/french-guiana-brazil" in html


def test_etag_last_modified_and_304(client):
    first = client.get("/doc/vocab/city-diplomacy", headers={"Accept": "text/turtle"})
    etag = first.headers["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["Last-Modified"] and "max-age" in first.headers["Cache-Control"]
    again = client.get("/doc/vocab/city-diplomacy", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    since = client.get("/doc/vocab/city-diplomacy", headers={"Accept": "text/turtle",
                                                            "If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get("/doc/vocab/city-diplomacy", headers={"Accept": "application/ld+json"})
    assert other.headers["ETag"] != etag


def test_head_everywhere(client):
    for path in ("/", "/doc/vocab/city-diplomacy", "/ontology", "/browse/timeline", "/downloads", "/download/tdld.ttl"):
        with client.head(path) as head:  # a file is streamed: the server closes it, as a WSGI server does
            assert head.status_code == 200, path
            assert head.data == b""
            assert int(head.headers["Content-Length"]) == len(client.get(path).data)


def test_gzip_for_large_bodies(client):
    response = client.get("/ontology", headers={"Accept": "text/turtle", "Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert gzip.decompress(response.data) == plain.data
    assert response.headers["ETag"] != plain.headers["ETag"]


def test_unknown_iri_gets_helpful_404(client):
    response = client.get("/doc/id/actor/frnce")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert 'name="q"' in html and "/doc/id/actor/france" in html
    assert client.get("/id/actor/atlantis").status_code == 404
    assert client.get("/vocab/nothing-here", headers={"Accept": "text/turtle"}).status_code == 404


@pytest.mark.parametrize("path", [
    "/doc/id/actor/%00", "/doc/" + "a" * 5000, "/id/<script>", "/doc/id/%2e%2e/%2e%2e/etc/passwd",
    "/download/../pyproject.toml", "/download/%2e%2e%2fpyproject.toml", "/static/../app.py",
    "/graph/nothing", "/ontology.exe", "/doc/vocab/city-diplomacy.exe", "/search?q=" + "x" * 10000,
    "/search/suggest?limit=abc", "/doc/id/actor/france?format=%00",
    "/download/..%2Fpyproject.toml", "/download/%2e%2e%2F%2e%2e%2Fetc%2Fpasswd", "/static/..%2F..%2Fpyproject.toml",
    "/static/%2e%2e/web/app.py", "/doc/id%2F..%2F..%2Fetc%2Fpasswd", "/id/%C3%A9t%C3%A9/%E2%80%AE", "/doc/" + "%41" * 3000,
])
def test_hostile_paths_never_get_500(client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, (path, response.status_code)
    assert b"Traceback" not in response.data


def test_search_is_multilingual_and_accent_insensitive(client):
    for text, expected in (("diplomatie des villes", "/doc/vocab/city-diplomacy"),
                           ("paradiplomacy", "/doc/vocab/para-diplomacy"),
                           ("Städtepartnerschaft", "/doc/vocab/town-twinning"),
                           ("stadtepartnerschaft", "/doc/vocab/town-twinning"),
                           ("COOPERATION DECENTRALISEE", "/doc/vocab/decentralized-cooperation")):
        html = client.get("/search", query_string={"q": text}).get_data(as_text=True)
        assert expected in html, text


def test_suggest_endpoint_returns_json(client):
    data = client.get("/search/suggest?q=jumel").get_json()
    assert data["query"] == "jumel"
    assert any(r["href"] == "/doc/vocab/town-twinning" for r in data["results"])
    assert client.get("/search/suggest?q=jumel").headers["Access-Control-Allow-Origin"] == "*"


def test_a_dump_download_resumes_is_conditional_and_names_its_file(client, release):
    """Range gives 206 and the bytes asked; the ETag is the file's SHA-256; If-None-Match gives 304."""
    whole = (release / "tdld.nt.gz").read_bytes()
    manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
    digest = next(f["sha256"] for f in manifest["files"] if f["name"] == "tdld.nt.gz")

    def fetch(path, **headers):
        with client.get(path, headers=headers) as response:  # files are streamed; a server closes them
            return response.status_code, response.headers, response.data

    status, headers, body = fetch("/download/tdld.nt.gz")
    assert status == 200 and body == whole and headers["Accept-Ranges"] == "bytes"
    assert headers["ETag"] == f'"{digest}"'
    assert headers["Content-Disposition"] == "attachment; filename=tdld.nt.gz"
    status, headers, body = fetch("/download/tdld.nt.gz", Range="bytes=100-199")
    assert status == 206 and body == whole[100:200] and headers["Content-Range"] == f"bytes 100-199/{len(whole)}"
    status, _h, body = fetch("/download/tdld.nt.gz", Range=f"bytes={len(whole) - 10}-")
    assert status == 206 and body == whole[-10:]
    assert fetch("/download/tdld.nt.gz", Range=f"bytes={len(whole) + 5}-")[0] == 416
    assert fetch("/download/tdld.nt.gz", **{"If-None-Match": f'"{digest}"'})[0] == 304
    # A resumed download of a file that changed meanwhile gets the whole new file, not a spliced one.
    status, _h, body = fetch("/download/tdld.nt.gz", Range="bytes=100-199", **{"If-Range": '"another"'})
    assert status == 200 and body == whole
    status, headers, body = fetch("/download/void.ttl")
    assert status == 200 and headers["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'


def test_downloads_page_and_files(client, release):
    html = client.get("/downloads").get_data(as_text=True)
    manifest = json.loads((release / "build.json").read_text())
    for entry in manifest["files"]:
        assert entry["name"] in html and entry["sha256"] in html
    assert client.get("/download/tdld.ttl").data == (release / "tdld.ttl").read_bytes()
    assert client.get("/download/tdld.nt.gz").headers["Content-Type"] == "application/gzip"


def test_dataset_description_dereferences(client):
    assert client.get("/dataset").status_code == 303
    assert client.get("/.well-known/void").headers["Location"].endswith("/doc/dataset")
    graph = Graph().parse(data=client.get("/doc/dataset.ttl").data, format="turtle")
    assert (URIRef("https://w3id.org/territorial-diplomacy/dataset"), URIRef("http://rdfs.org/ns/void#triples"), None) in graph


def test_named_graphs_dereference(client):
    graph = Graph().parse(data=client.get("/graph/inferred.ttl").data, format="turtle")
    assert len(graph) > 100


def test_pages_show_mapped_wikidata_and_eurovoc_items_with_labels_and_evidence(client):
    html = client.get("/doc/id/actor/france").get_data(as_text=True)
    assert '<a href="http://www.wikidata.org/entity/Q142" rel="external">France</a>' in html
    assert "confidence" in html and "reviewed by" in html
    concept = client.get("/doc/vocab/subsidiarity").get_data(as_text=True)
    assert 'href="http://eurovoc.europa.eu/5812"' in concept and "principle of subsidiarity" in concept


def test_the_base_iri_is_configurable():
    from tdld.core.urls import UrlMap

    urls = UrlMap("https://example.org/td")
    assert urls.page_path("https://example.org/td/vocab/city-diplomacy") == "/doc/vocab/city-diplomacy"
    assert urls.page_path("https://example.org/td/ontology#Twinning") == "/ontology#Twinning"
    assert urls.page_path("https://example.org/td/id/actor/france", "ttl") == "/doc/id/actor/france.ttl"
    assert urls.page_path("https://w3id.org/territorial-diplomacy/vocab/city-diplomacy") is None  # not ours: external
    assert urls.document_iri("vocab/city-diplomacy") == "https://example.org/td/vocab/city-diplomacy"


def test_an_app_on_another_base_serves_only_that_base(knowledge):
    from tdld.web import create_app

    client = create_app(knowledge, base="https://example.org/td/").test_client()
    assert client.get("/doc/vocab/city-diplomacy").status_code == 404  # the data's IRIs are not under that base
    html = client.get("/").get_data(as_text=True)
    assert 'href="https://w3id.org/territorial-diplomacy/vocab/' in html  # so they are linked as external IRIs
    for path in ("/browse/concepts", "/browse/entities", "/browse/timeline", "/browse/sources", "/ontology",
                 "/search?q=city", "/downloads", "/sparql?query=SELECT%20%3Fs%20WHERE%20%7B%3Fs%20a%20skos%3AConcept%7D"):
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["text/html", "text/turtle", "application/ld+json", "application/json",
                                 "application/rdf+xml", "*/*", "text/*", "application/*", "image/png"]), max_size=5),
       st.lists(st.sampled_from(["", ";q=0", ";q=0.1", ";q=0.5", ";q=1", ";q=bad"]), min_size=5, max_size=5))
def test_remembered_negotiation_answers_as_a_fresh_one(types, qualities):
    """Negotiation remembers answers per Accept header; the remembered answer is the computed one."""
    from tdld.core.conneg import REPRESENTATIONS, _negotiate, negotiate

    accept = ", ".join(t + q for t, q in zip(types, qualities, strict=False))
    for offered in (REPRESENTATIONS, REPRESENTATIONS[1:]):
        first = negotiate(accept, offered)
        assert first == negotiate(accept, offered) == _negotiate(accept, tuple(offered))


def test_a_page_shows_which_source_states_each_value(client):
    """Ister-Granum's dates come from two sources, a founding date and a registration date: each asserted
    value names its own source, linked to the source's page (an inferred copy of it names none)."""
    html = client.get("/doc/id/actor/ister-granum", headers={"Accept": "text/html"}).get_data(as_text=True)
    values = [dd.split("</dd>")[0] for dd in html.split("<dd")[1:]]
    registered = [v for v in values if "2008-11-12" in v and "inferred" not in v]
    founded = [v for v in values if "2008-05-06" in v and "inferred" not in v]
    assert len(registered) == 1 and len(founded) == 1
    assert "according to" in registered[0] and 'href="/doc/id/work/cesci-ister-granum"' in registered[0]
    assert 'href="/doc/id/work/ister-granum-website-2017"' in founded[0] and "cesci-ister-granum" not in founded[0]
    french = client.get("/doc/id/actor/ister-granum?lang=fr", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "selon" in french


def test_the_egtc_page_draws_groupings_per_year_and_countries_that_cooperate(client, knowledge):
    """One bar per year a source dates an EGTC from, one row per EGTC, one matrix cell per pair of countries."""
    html = client.get("/browse/egtcs").get_data(as_text=True)
    egtcs = knowledge.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a tdo:EuropeanGroupingOfTerritorialCooperation }")
    assert html.count('<td><a href="/doc/id/actor/') == int(egtcs[0]["n"].value) >= 60
    bars = dict(re.findall(r"<title>(\d{4}): (\d+)</title>", html))
    assert bars and sum(map(int, bars.values())) <= int(egtcs[0]["n"].value) and "2008" in bars
    assert "<title>HUN–SVK: " in html and "<title>SVK–HUN: " in html  # Ister-Granum, Arrabona, ...


def test_the_map_of_terms_places_every_concept_and_sets_related_terms_side_by_side(client, knowledge):
    """One dot per concept, linked to its page; the clusters of related terms list each with its definition."""
    html = client.get("/browse/terms").get_data(as_text=True)
    concepts = {row["c"].value for row in knowledge.select(
        "SELECT DISTINCT ?c WHERE { GRAPH <https://w3id.org/territorial-diplomacy/graph/vocabulary> { ?c a skos:Concept } }")}
    wheel = html[html.index("<svg"):html.index("</svg>")]
    assert wheel.count('<g class="term') == len(concepts) >= 120
    linked = set(re.findall(r'<g class="term f\d+"><a href="([^"]+)"', wheel))
    assert linked == {"/doc/" + iri.split("territorial-diplomacy/", 1)[1] for iri in concepts}
    related = knowledge.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?x ?y WHERE { "
                               "GRAPH <https://w3id.org/territorial-diplomacy/graph/vocabulary> { ?a skos:related ?b } "
                               "FILTER(?a != ?b) BIND(IF(STR(?a) < STR(?b), ?a, ?b) AS ?x) BIND(IF(STR(?a) < STR(?b), ?b, ?a) AS ?y) } }")
    assert wheel.count('class="related"') == int(related[0]["n"].value)
    # Paradiplomacy and the terms kept apart from it sit in one cluster, each with its definition.
    clusters = html[html.index('id="clusters"'):]
    table = next(t for t in clusters.split('<table class="cluster">') if 'href="/doc/vocab/para-diplomacy"' in t)
    assert 'href="/doc/vocab/city-diplomacy"' in table or 'href="/doc/vocab/multilayered-diplomacy"' in table
    assert table.count("<tr><td>") >= 3 and "Ivo Duchacek" in table


def test_the_quality_page_shows_the_published_scorecard(client, release):
    quality = json.loads((release / "quality.json").read_text(encoding="utf-8"))
    html = client.get("/quality").get_data(as_text=True)
    assert f"<th scope=\"row\">EGTC</th><td>{quality['kinds']['EGTC']['count']}</td>" in html
    assert "0 SHACL violation(s)" in html and "orphan-concept" in html
    for name in ("quality.json", "validation.ttl"):
        assert f'href="/download/{name}"' in html
        answer = client.get(f"/download/{name}")
        assert answer.status_code == 200 and answer.data == (release / name).read_bytes()
