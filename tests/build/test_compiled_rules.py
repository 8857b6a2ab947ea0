"""tdld's compiled rules infer what owlrl (the reference) infers, and hand other ontologies on."""

import re

import pytest
from rdflib import Graph

from tdld.build.compiled_rules import compiled_closure, unsupported
from tdld.build.owlrules import group_by_predicate
from tdld.build.reason import general_reasoner, useful_inferred
from tdld.core.errors import Inconsistent

PREFIXES = """
@prefix ex: <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""
# Every kind of axiom the compiled rules cover, chained so that each rule feeds another:
# a sub-property feeds an inverse, which feeds a symmetric and a transitive property, whose
# closure feeds domains and ranges, whose classes have superclasses and equivalents.
CHAINED = PREFIXES + """
ex:Place a owl:Class . ex:Region a owl:Class ; rdfs:subClassOf ex:Place . ex:Area a owl:Class ; owl:equivalentClass ex:Place .
ex:Actor a owl:Class . ex:City a owl:Class ; rdfs:subClassOf ex:Actor .
ex:inside a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:domain ex:Place ; rdfs:range ex:Region .
ex:contains a owl:ObjectProperty ; owl:inverseOf ex:inside .
ex:hasDistrict a owl:ObjectProperty ; rdfs:subPropertyOf ex:contains .
ex:twin a owl:ObjectProperty , owl:SymmetricProperty ; rdfs:domain ex:City .
ex:partnerOf owl:equivalentProperty ex:twin .
ex:label a owl:DatatypeProperty ; rdfs:range rdfs:Literal .
ex:bavaria ex:hasDistrict ex:swabia . ex:swabia ex:hasDistrict ex:augsburg . ex:europe ex:contains ex:bavaria .
ex:augsburg ex:partnerOf ex:dayton . ex:dayton ex:label "Dayton" . ex:ring ex:inside ex:ring2 . ex:ring2 ex:inside ex:ring .
ex:x a ex:Region .
"""


def graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_each_rule_feeds_the_others_as_in_owlrl():
    asserted = graph(CHAINED)
    got, used = useful_inferred(asserted, "compiled")
    expected, _ = useful_inferred(asserted, "owlrl")
    assert used == "compiled"
    assert got == expected
    as_text = {tuple(str(t).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for t in triple) for triple in got}
    assert ("augsburg", "inside", "europe") in as_text, "inverse, then transitive"
    assert ("dayton", "type", "City") in as_text and ("augsburg", "type", "Actor") in as_text
    assert ("ring", "inside", "ring") in as_text, "a cycle closes on itself"
    assert ("x", "type", "Area") in as_text


def test_the_shipped_ontology_needs_no_general_reasoner(sources):
    triples = sources.rule_input()
    assert unsupported(group_by_predicate(triples)) is None
    got, used = useful_inferred(triples, "compiled")
    assert used == "compiled"
    assert got == useful_inferred(sources.asserted_triples(), "owlrl")[0]


@pytest.mark.parametrize("axiom, named", [
    ("ex:p a owl:FunctionalProperty .", "FunctionalProperty"),
    ("ex:a owl:sameAs ex:b .", "sameAs"),
    ("ex:C owl:intersectionOf ( ex:A ex:B ) .", "intersectionOf"),
    ("ex:R a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:A .", "Restriction|onProperty|someValuesFrom"),
    ("ex:p owl:propertyChainAxiom ( ex:q ex:r ) .", "propertyChainAxiom"),
    ("ex:p rdfs:subPropertyOf rdfs:subClassOf .", "subClassOf"),
])
def test_other_axioms_go_to_the_general_reasoner_with_the_same_result(axiom, named):
    asserted = graph(CHAINED + axiom)
    assert re.search(named, unsupported(group_by_predicate(asserted))), "the axiom is named"
    assert compiled_closure(asserted) is None
    got, used = useful_inferred(asserted, "compiled")
    assert used == general_reasoner()
    assert got == useful_inferred(asserted, "owlrl")[0]


def test_disjoint_classes_reached_through_a_range_are_a_contradiction():
    asserted = graph(PREFIXES + """
    ex:Region a owl:Class . ex:City a owl:Class . [] a owl:AllDisjointClasses ; owl:members ( ex:Region ex:City ) .
    ex:inside rdfs:range ex:Region . ex:lyon a ex:City . ex:villeurbanne ex:inside ex:lyon .
    """)
    assert compiled_closure(asserted) is not None
    with pytest.raises(Inconsistent, match="https://example.org/lyon"):
        useful_inferred(asserted, "compiled")
