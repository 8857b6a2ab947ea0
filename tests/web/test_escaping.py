"""A label with markup and quotes renders escaped on every page that shows it."""

import json

import pytest

from tdld.read.knowledge import Knowledge
from tdld.core.layout import Layout
from tdld.build.pipeline import build
from tdld.web.site import build_site
from tdld.web import create_app

from ..conftest import copy_project

EVIL = '<script>alert("x")</script> \'single\' "double"'
def lit(text: str, lang: str) -> str:
    """A Turtle literal: JSON string escaping is valid Turtle escaping."""
    return json.dumps(text, ensure_ascii=False) + "@" + lang


HOSTILE_DATA = """
@prefix tdv: <https://w3id.org/territorial-diplomacy/vocab/> .
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix event: <https://w3id.org/territorial-diplomacy/id/event/> .
@prefix date: <https://w3id.org/territorial-diplomacy/id/date/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix work: <https://w3id.org/territorial-diplomacy/id/work/> .

tdv:scheme skos:hasTopConcept tdv:hostile .
tdv:hostile a skos:Concept ; skos:inScheme tdv:scheme ; skos:topConceptOf tdv:scheme ;
    skos:prefLabel %(en)s , %(fr)s , %(de)s ;
    skos:definition %(def_en)s , %(def_fr)s ;
    skos:related tdv:territorial-diplomacy ;
    dcterms:source work:ehne-territorial-diplomacy .
event:hostile a tdo:Event ;
    rdfs:label %(ev_en)s , %(ev_fr)s , %(ev_de)s ;
    rdfs:comment "An event with a hostile label."@en , "Un événement au libellé hostile."@fr ;
    time:hasTime date:1975-09-23 ;
    dcterms:source work:ehne-territorial-diplomacy .
""" % {
    "en": lit(EVIL, "en"), "fr": lit(EVIL + " fr", "fr"), "de": lit(EVIL + " de", "de"),
    "def_en": lit("Defined as " + EVIL, "en"), "def_fr": lit("Défini comme " + EVIL, "fr"),
    "ev_en": lit(EVIL + " event", "en"), "ev_fr": lit(EVIL + " événement", "fr"), "ev_de": lit(EVIL + " Ereignis", "de"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project", with_tables=False)
    (root / "data" / "hostile.ttl").write_text(HOSTILE_DATA, encoding="utf-8")
    result = build(Layout(root))
    return result.release


PAGES = ["/", "/doc/vocab/hostile", "/doc/vocab/territorial-diplomacy", "/search?q=script", "/browse/concepts",
         "/browse/entities", "/browse/timeline", "/doc/id/event/hostile", "/doc/id/date/1975-09-23",
         "/doc/vocab/hostile?lang=fr", "/doc/id/actor/frnce-script"]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_label_is_escaped_in_html(hostile, path):
    client = create_app(Knowledge(hostile)).test_client()
    response = client.get(path)
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 404)
    assert "<script>alert" not in body
    if response.status_code == 200 and path != "/doc/id/actor/frnce-script":
        assert "&lt;script&gt;alert(" in body or "\\u003cscript\\u003e" in body


@pytest.mark.slow
def test_hostile_label_is_escaped_in_the_static_site(hostile, tmp_path):
    out = tmp_path / "site"
    build_site(hostile, out)
    for page in out.rglob("*.html"):
        assert "<script>alert" not in page.read_text(encoding="utf-8"), page


def test_embedded_json_ld_cannot_close_its_script_element(hostile):
    client = create_app(Knowledge(hostile)).test_client()
    body = client.get("/doc/vocab/hostile").get_data(as_text=True)
    start = body.index('<script type="application/ld+json">')
    end = body.index("</script>", start)
    assert "\\u003cscript\\u003e" in body[start:end]
