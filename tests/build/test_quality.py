"""The quality checks find what they name, and only that (each on a small graph made to trigger it)."""

import pyoxigraph as ox

from tdld.build.quality import run_checks

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix ex: <https://example.org/> .
"""
ONTOLOGY = "<https://w3id.org/territorial-diplomacy/ontology>"


def checks_on(turtle: str) -> dict:
    store = ox.Store()
    store.load((PREFIXES + turtle).encode("utf-8"), format=ox.RdfFormat.TURTLE)
    return run_checks(store)


def test_overlapping_labels_names_both_concepts_of_one_scheme_whatever_the_case():
    found = checks_on("""
        ex:a skos:inScheme ex:s ; skos:prefLabel "Twin towns"@en .
        ex:b skos:inScheme ex:s ; skos:prefLabel "twin towns"@en .
        ex:c skos:inScheme ex:s ; skos:prefLabel "twin towns"@fr .
        ex:d skos:inScheme ex:other ; skos:prefLabel "twin towns"@en .
    """)["overlapping-labels"]
    assert found == ["https://example.org/a", "https://example.org/b"]


def test_missing_disjointness_names_actor_classes_outside_every_disjointness_axiom():
    found = checks_on(f"""
        ex:A rdfs:subClassOf tdo:Actor ; rdfs:isDefinedBy {ONTOLOGY} .
        ex:B rdfs:subClassOf tdo:Actor ; rdfs:isDefinedBy {ONTOLOGY} .
        ex:C rdfs:subClassOf tdo:Actor ; rdfs:isDefinedBy {ONTOLOGY} .
        tdo:TerritorialAuthority rdfs:subClassOf tdo:Actor ; rdfs:isDefinedBy {ONTOLOGY} .
        [] a owl:AllDisjointClasses ; owl:members ( ex:A ex:B ) .
    """)["missing-disjointness"]
    assert found == ["https://example.org/C"]
