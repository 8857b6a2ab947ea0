"""The diff between two releases: kinds of change, the version bump, and its three renderings."""

import json
from datetime import date, datetime

import pyoxigraph as ox
import pytest
from flask import Flask, render_template

from tdld.core.layout import Layout
from tdld.build.load import load_sources
from tdld.core.namespaces import BASE, PREFIXES, graph_iri
from tdld.versions.changeset import CLASS_OF_KIND, changeset_store, changeset_triples, from_json, json_text, to_json
from tdld.versions.diff import KINDS, diff_releases, ntriples
from tdld.versions.diff_view import diff_view

TDO, TDV = PREFIXES["tdo"], PREFIXES["tdv"]
PROLOGUE = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
SPARQL_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
SET = BASE + "mappings/wikidata"

ONTOLOGY = """
tdo:Actor a owl:Class ; rdfs:label "actor"@en ; rdfs:comment "Anyone who acts abroad."@en .
tdo:Place a owl:Class ; rdfs:label "place"@en .
tdo:City a owl:Class ; rdfs:label "city"@en ;
    rdfs:subClassOf tdo:Actor , [ a owl:Restriction ; owl:onProperty tdo:partner ; owl:someValuesFrom tdo:Actor ] .
tdo:partner a owl:ObjectProperty ; rdfs:label "partner"@en ; rdfs:domain tdo:Actor ; rdfs:range tdo:Actor .
[] a owl:AllDisjointClasses ; owl:members ( tdo:City tdo:Place ) .
"""
VOCABULARY = """
tdv:scheme a skos:ConceptScheme ; skos:hasTopConcept tdv:cooperation .
tdv:cooperation a skos:Concept ; skos:inScheme tdv:scheme ; skos:topConceptOf tdv:scheme ;
    skos:prefLabel "cooperation"@en ; skos:definition "Working together across borders."@en ;
    skos:narrower tdv:twinning , tdv:exchange .
tdv:twinning a skos:Concept ; skos:inScheme tdv:scheme ; skos:broader tdv:cooperation ;
    skos:prefLabel "twinning"@en , "jumelage"@fr ; skos:definition "A partnership of two towns."@en .
tdv:exchange a skos:Concept ; skos:inScheme tdv:scheme ; skos:broader tdv:cooperation ;
    skos:prefLabel "exchange"@en ; skos:definition "A visit of citizens."@en .
"""
DATA = """
actor:lyon a tdo:City ; rdfs:label "Lyon" ; tdo:partner actor:birmingham ; dcterms:source work:a .
actor:birmingham a tdo:City ; rdfs:label "Birmingham" ; dcterms:source work:a .
"""
MAPPINGS = f"""
tdv:twinning skos:exactMatch wd:Q1 .
<{SET}> a sssom:MappingSet ; sssom:mappings <{SET}#m1> .
<{SET}#m1> a sssom:Mapping ; sssom:subject_id tdv:twinning ; sssom:predicate_id skos:exactMatch ;
    sssom:object_id wd:Q1 ; sssom:confidence "0.9"^^xsd:double .
"""
LAYERS = {"ontology": ONTOLOGY, "vocabulary": VOCABULARY, "data": DATA, "mappings": MAPPINGS}


def store_of(layers: dict) -> ox.Store:
    """A release as the diff receives it: one named graph per asserted layer."""
    store = ox.Store()
    for name, turtle in layers.items():
        store.load((PROLOGUE + turtle).encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph_iri(name)))
    return store


def edited(update: str) -> ox.Store:
    store = store_of(LAYERS)
    store.update(SPARQL_PROLOGUE + update)
    return store


def kinds_of(diff) -> set:
    return {(c.term.removeprefix(BASE), c.kind) for c in diff.changes}


def g(name: str) -> str:
    return f"<{graph_iri(name)}>"


# -- what counts as no change --------------------------------------------------------------

def test_the_same_release_parsed_twice_is_no_change():
    diff = diff_releases(store_of(LAYERS), store_of(LAYERS), "1.0.0", "1.0.1")
    assert diff.changes == ()
    assert diff.bump == "none"
    assert diff.counts() == {kind: 0 for kind in KINDS}


def test_blank_nodes_written_with_other_labels_and_order_are_no_change():
    """A restriction and a disjointness list spelled out with their own labels are the same axioms."""
    respelled = ONTOLOGY.replace(
        "rdfs:subClassOf tdo:Actor , [ a owl:Restriction ; owl:onProperty tdo:partner ; owl:someValuesFrom tdo:Actor ] .",
        "rdfs:subClassOf _:zz9 , tdo:Actor .\n_:zz9 owl:someValuesFrom tdo:Actor ; owl:onProperty tdo:partner ; a owl:Restriction .",
    ).replace(
        "[] a owl:AllDisjointClasses ; owl:members ( tdo:City tdo:Place ) .",
        "_:q1 owl:members _:l1 ; a owl:AllDisjointClasses .\n_:l1 rdf:rest _:l2 ; rdf:first tdo:City .\n"
        "_:l2 rdf:first tdo:Place ; rdf:rest rdf:nil .",
    )
    assert respelled != ONTOLOGY
    new = store_of(LAYERS | {"ontology": respelled})
    new.load(b"<urn:x> <urn:y> <urn:z> .", format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri("inferred")))
    assert diff_releases(store_of(LAYERS), new, "1.0.0", "1.0.1").changes == ()


# -- each kind and the bump it calls for ---------------------------------------------------

SCENARIOS = {
    "relabelled": (f"""DELETE DATA {{ GRAPH {g('vocabulary')} {{ tdv:twinning skos:prefLabel "twinning"@en }} }};
                     INSERT DATA {{ GRAPH {g('vocabulary')} {{ tdv:twinning skos:prefLabel "town twinning"@en }} }}""",
                   {("vocab/twinning", "relabelled")}, "patch"),
    "alt label": (f"""INSERT DATA {{ GRAPH {g('vocabulary')} {{ tdv:exchange skos:altLabel "citizen exchange"@en }} }}""",
                  {("vocab/exchange", "relabelled")}, "patch"),
    "redefined": (f"""DELETE DATA {{ GRAPH {g('ontology')} {{ tdo:Actor rdfs:comment "Anyone who acts abroad."@en }} }};
                    INSERT DATA {{ GRAPH {g('ontology')} {{ tdo:Actor rdfs:comment "Anyone who can act abroad."@en }} }}""",
                  {("ontology#Actor", "redefined")}, "patch"),
    "other": (f"""INSERT DATA {{ GRAPH {g('data')} {{ actor:lyon dcterms:source work:b }} }}""",
              {("id/actor/lyon", "other")}, "patch"),
    "added, its parent unmoved": (
        f"""INSERT DATA {{ GRAPH {g('vocabulary')} {{
              tdv:youth-exchange a skos:Concept ; skos:inScheme tdv:scheme ; skos:broader tdv:exchange ;
                  skos:prefLabel "youth exchange"@en .
              tdv:exchange skos:narrower tdv:youth-exchange . }} }}""",
        {("vocab/youth-exchange", "added")}, "minor"),
    "deprecated": (f"""INSERT DATA {{ GRAPH {g('vocabulary')} {{
                         tdv:exchange owl:deprecated true ; dcterms:isReplacedBy tdv:twinning }} }}""",
                   {("vocab/exchange", "deprecated")}, "minor"),
    "mapping made": (f"""INSERT DATA {{ GRAPH {g('mappings')} {{ tdv:exchange skos:closeMatch wd:Q2 }} }}""",
                     {("vocab/exchange", "mappings")}, "minor"),
    "mapping evidence": (f"""DELETE DATA {{ GRAPH {g('mappings')} {{ <{SET}#m1> sssom:confidence "0.9"^^xsd:double }} }};
                           INSERT DATA {{ GRAPH {g('mappings')} {{ <{SET}#m1> sssom:confidence "0.6"^^xsd:double }} }}""",
                         {("vocab/twinning", "mappings")}, "minor"),
    "removed": (f"""DELETE WHERE {{ GRAPH {g('vocabulary')} {{ tdv:exchange ?p ?o }} }};
                   DELETE DATA {{ GRAPH {g('vocabulary')} {{ tdv:cooperation skos:narrower tdv:exchange }} }}""",
                {("vocab/exchange", "removed")}, "major"),
    "removed, its mapping left behind": (
        f"""DELETE WHERE {{ GRAPH {g('vocabulary')} {{ tdv:twinning ?p ?o }} }};
            DELETE DATA {{ GRAPH {g('vocabulary')} {{ tdv:cooperation skos:narrower tdv:twinning }} }}""",
        {("vocab/twinning", "removed")}, "major"),
    "moved": (f"""DELETE DATA {{ GRAPH {g('vocabulary')} {{ tdv:exchange skos:broader tdv:cooperation .
                                                         tdv:cooperation skos:narrower tdv:exchange }} }};
                 INSERT DATA {{ GRAPH {g('vocabulary')} {{ tdv:exchange skos:broader tdv:twinning }} }}""",
              {("vocab/exchange", "moved")}, "major"),
    "made a top concept": (f"""INSERT DATA {{ GRAPH {g('vocabulary')} {{ tdv:scheme skos:hasTopConcept tdv:twinning }} }}""",
                           {("vocab/twinning", "moved")}, "major"),
    "range": (f"""DELETE DATA {{ GRAPH {g('ontology')} {{ tdo:partner rdfs:range tdo:Actor }} }};
                 INSERT DATA {{ GRAPH {g('ontology')} {{ tdo:partner rdfs:range tdo:City }} }}""",
              {("ontology#partner", "axioms")}, "major"),
    "restriction": (f"""DELETE {{ GRAPH {g('ontology')} {{ ?r owl:someValuesFrom tdo:Actor }} }}
                       INSERT {{ GRAPH {g('ontology')} {{ ?r owl:someValuesFrom tdo:City }} }}
                       WHERE {{ GRAPH {g('ontology')} {{ tdo:City rdfs:subClassOf ?r . ?r owl:onProperty tdo:partner }} }}""",
                    {("ontology#City", "axioms")}, "major"),
    "disjointness": (f"""INSERT DATA {{ GRAPH {g('ontology')} {{ [] a owl:AllDisjointClasses ; owl:members ( tdo:Actor tdo:Place ) }} }}""",
                     {("ontology#Actor", "axioms"), ("ontology#Place", "axioms")}, "major"),
    "type of a thing": (f"""DELETE DATA {{ GRAPH {g('data')} {{ actor:birmingham a tdo:City }} }};
                           INSERT DATA {{ GRAPH {g('data')} {{ actor:birmingham a tdo:Actor }} }}""",
                        {("id/actor/birmingham", "axioms")}, "major"),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_each_kind_of_change_is_found_with_its_bump(name):
    update, expected, bump = SCENARIOS[name]
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "1.1.0")
    assert kinds_of(diff) == expected
    assert diff.bump == bump


def test_a_release_with_several_changes_takes_the_largest_bump_and_sorts_them():
    update = ";\n".join(SCENARIOS[name][0] for name in ("relabelled", "other", "mapping made", "moved"))
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "2.0.0")
    assert diff.bump == "major"
    assert [(c.kind, c.term) for c in diff.changes] == sorted((c.kind, c.term) for c in diff.changes)
    assert diff.counts()["moved"] == 1 and sum(diff.counts().values()) == len(diff.changes) == 4
    assert [c.term for c in diff.of_kind("relabelled")] == [TDV + "twinning"]
    moved = diff.of_kind("moved")[0]
    assert {ntriples(t) for t in moved.removed} == {
        f"<{TDV}exchange> <{PREFIXES['skos']}broader> <{TDV}cooperation> .",
        f"<{TDV}cooperation> <{PREFIXES['skos']}narrower> <{TDV}exchange> ."}
    assert [ntriples(t) for t in moved.added] == [f"<{TDV}exchange> <{PREFIXES['skos']}broader> <{TDV}twinning> ."]


def test_a_deprecation_names_its_replacements_including_sub_properties_of_is_replaced_by():
    update = f"""INSERT DATA {{
        GRAPH {g('ontology')} {{ tdo:supersededBy rdfs:subPropertyOf tdo:replacedBy }}
        GRAPH {g('vocabulary')} {{ tdv:exchange owl:deprecated true ; dcterms:isReplacedBy tdv:twinning ;
                                                tdo:supersededBy tdv:cooperation }} }}"""
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "1.1.0")
    (deprecation,) = diff.of_kind("deprecated")
    assert deprecation.replaced_by == (TDV + "cooperation", TDV + "twinning")
    assert len(deprecation.added) == 3 and deprecation.removed == ()


def test_a_replacement_without_deprecation_is_a_fact_not_a_deprecation():
    """tdo:replacedBy also records that one policy succeeded another: that is no deprecation."""
    update = f"INSERT DATA {{ GRAPH {g('data')} {{ actor:lyon tdo:replacedBy actor:birmingham }} }}"
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "1.0.1")
    assert kinds_of(diff) == {("id/actor/lyon", "other")}
    assert diff.bump == "patch"


def test_a_removed_mapping_is_filed_under_its_term_with_its_evidence():
    update = f"""DELETE WHERE {{ GRAPH {g('mappings')} {{ <{SET}#m1> ?p ?o }} }};
                 DELETE DATA {{ GRAPH {g('mappings')} {{ tdv:twinning skos:exactMatch wd:Q1 . <{SET}> sssom:mappings <{SET}#m1> }} }}"""
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "1.1.0")
    assert kinds_of(diff) == {("vocab/twinning", "mappings")}, "no term removed: a mapping record is evidence"
    assert diff.bump == "minor"
    assert len(diff.changes[0].removed) == 7


# -- RDF change sets --------------------------------------------------------------------

def test_the_changeset_answers_which_terms_were_relabelled_between_two_releases():
    update = ";\n".join(SCENARIOS[name][0] for name in ("relabelled", "alt label", "moved"))
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "1.1.0")
    store = changeset_store(diff)
    rows = store.query(SPARQL_PROLOGUE + """
        PREFIX cs: <http://purl.org/vocab/changeset/schema#>
        SELECT ?term ?label WHERE {
          ?diff a tdo:ReleaseDiff ; tdo:fromRelease <https://w3id.org/territorial-diplomacy/version/1.0.0> ;
                tdo:toRelease <https://w3id.org/territorial-diplomacy/version/1.1.0> ; tdo:hasTermChange ?change .
          ?change a tdo:Relabelling , cs:ChangeSet ; cs:subjectOfChange ?term ;
                  cs:addition [ a rdf:Statement ; rdf:subject ?term ; rdf:predicate ?p ; rdf:object ?label ] .
        } ORDER BY ?term""")
    assert [(r["term"].value, r["label"].value) for r in rows] == [
        (TDV + "exchange", "citizen exchange"), (TDV + "twinning", "town twinning")]
    bump = store.query(SPARQL_PROLOGUE + "SELECT ?b WHERE { ?d tdo:suggestedBump ?b }")
    assert [r["b"].value for r in bump] == ["major"]


def test_the_changeset_uses_the_release_iris_and_date_it_is_given():
    diff = diff_releases(store_of(LAYERS), edited(SCENARIOS["deprecated"][0]), "1.1.0", "build")
    triples = changeset_triples(diff, new_iri=BASE + "version/build", created=date(2026, 12, 1))
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode()
    assert f"<{BASE}version/build>" in text and f"<{BASE}version/1.1.0>" in text
    assert '"2026-12-01"^^<http://www.w3.org/2001/XMLSchema#date>' in text
    assert f"<{TDO}replacementTerm> <{TDV}twinning>" in text
    assert triples == changeset_triples(diff, new_iri=BASE + "version/build", created=date(2026, 12, 1))


def test_every_term_the_changeset_uses_is_defined_in_the_shipped_ontology():
    ontology = load_sources().store
    diff = diff_releases(store_of(LAYERS), edited(SCENARIOS["deprecated"][0]), "1.0.0", "1.1.0")
    used = set(CLASS_OF_KIND.values()) | {TDO + "ReleaseDiff", TDO + "Release", TDO + "TermChange"}
    used |= {t.predicate.value for t in changeset_triples(diff) if t.predicate.value.startswith(TDO)}
    assert TDO + "replacementTerm" in used and TDO + "suggestedBump" in used
    for iri in used:
        assert list(ontology.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(PREFIXES["rdfs"] + "isDefinedBy"), None,
                                               ox.NamedNode(graph_iri("ontology")))), iri


# -- JSON ------------------------------------------------------------------------------

def test_the_json_round_trips_and_is_the_same_for_the_same_changes():
    update = ";\n".join(SCENARIOS[name][0] for name in ("restriction", "deprecated", "disjointness", "mapping evidence"))
    first = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "2.0.0")
    again = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "2.0.0")  # fresh blank node labels
    assert json_text(first) == json_text(again)
    document = json.loads(json_text(first))
    assert list(document) == ["from", "to", "bump", "counts", "changes"]
    assert document["bump"] == "major" and document["counts"]["axioms"] == 3
    assert from_json(document) == first
    assert to_json(from_json(document)) == document
    for change in document["changes"]:
        for line in change["removed"] + change["added"]:
            assert len(list(ox.parse(line.encode(), format=ox.RdfFormat.N_TRIPLES))) == 1


# -- HTML ------------------------------------------------------------------------------

def render_page(view: dict) -> str:
    app = Flask("tdld.web")  # the real templates folder, with Flask's autoescaping
    with app.test_request_context("/diff"):
        return render_template("diff.html", view=view, t=lambda key: key, lang="en", languages=("en",),
                               lang_url=lambda code: "?lang=" + code, version="1.1.0",
                               built=datetime(2026, 12, 1), sparql_path=None)


def test_the_page_shows_labels_before_and_after_and_escapes_everything():
    update = f"""DELETE DATA {{ GRAPH {g('vocabulary')} {{ tdv:twinning skos:prefLabel "twinning"@en }} }};
                 INSERT DATA {{ GRAPH {g('vocabulary')} {{ tdv:twinning skos:prefLabel "<b>twins</b>"@en }} }};
                 {SCENARIOS['restriction'][0]}"""
    diff = diff_releases(store_of(LAYERS), edited(update), "1.0.0", "2.0.0")
    labels = {TDV + "twinning": "<script>alert(1)</script>", TDO + "City": "city", TDO + "partner": "partner",
              TDO + "Actor": "actor"}
    view = diff_view(diff, "en", lambda iri: labels.get(iri, iri.rsplit("/", 1)[-1]), lambda iri: "/page?iri=" + iri)
    assert view["bump"] == "major" and view["total"] == 2
    (relabel,) = next(s for s in view["sections"] if s["kind"] == "relabelled")["changes"]
    (row,) = relabel["rows"]
    assert [v["text"] for v in row["before"]] == ["twinning"] and [v["text"] for v in row["after"]] == ["<b>twins</b>"]
    (axiom,) = next(s for s in view["sections"] if s["kind"] == "axioms")["changes"]
    assert [v["text"] for v in axiom["rows"][0]["before"]] == ["[owl#onProperty partner; owl#someValuesFrom actor]"]
    html = render_page(view)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>twins" not in html and "&lt;b&gt;twins&lt;/b&gt;" in html
    assert "<del>" in html and "<ins>" in html and "diff_kind_relabelled" in html


# -- the shipped knowledge base ---------------------------------------------------------

def test_edits_to_the_shipped_sources_are_found_exactly():
    old = load_sources(Layout()).store
    new = ox.Store()
    new.load(old.dump(format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    vocabulary = g("vocabulary")
    new.update(SPARQL_PROLOGUE + f"""
        DELETE {{ GRAPH {vocabulary} {{ tdv:para-diplomacy skos:prefLabel ?label }} }}
        INSERT {{ GRAPH {vocabulary} {{ tdv:para-diplomacy skos:prefLabel "paradiplomacy (sub-state)"@en }} }}
        WHERE {{ GRAPH {vocabulary} {{ tdv:para-diplomacy skos:prefLabel ?label FILTER(LANG(?label) = "en") }} }};
        INSERT DATA {{ GRAPH {vocabulary} {{
          tdv:decentralized-diplomacy owl:deprecated true ; dcterms:isReplacedBy tdv:decentralized-cooperation .
          tdv:sister-city-network a skos:Concept ; skos:inScheme tdv:scheme ; skos:broader tdv:town-twinning ;
              skos:prefLabel "sister-city network"@en ; dcterms:source work:ehne-territorial-diplomacy . }} }};
        DELETE DATA {{ GRAPH {vocabulary} {{ tdv:macro-regional-cooperation skos:broader tdv:territorial-cooperation .
                                           tdv:territorial-cooperation skos:narrower tdv:macro-regional-cooperation }} }};
        INSERT DATA {{ GRAPH {vocabulary} {{ tdv:macro-regional-cooperation skos:broader tdv:cross-border-cooperation }} }}""")
    assert diff_releases(old, old, "1.0.0", "1.0.0").changes == ()
    diff = diff_releases(old, new, "1.0.0", "2.0.0")
    assert kinds_of(diff) == {("vocab/para-diplomacy", "relabelled"), ("vocab/decentralized-diplomacy", "deprecated"),
                              ("vocab/sister-city-network", "added"), ("vocab/macro-regional-cooperation", "moved")}
    assert diff.of_kind("deprecated")[0].replaced_by == (TDV + "decentralized-cooperation",)
    assert diff.bump == "major"
