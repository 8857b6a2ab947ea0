"""OWL 2 RL: each rule the ontology relies on gives its triple; contradictions name culprits.

Tests are named after the rules of the OWL 2 RL profile (tables 4-9 of OWL 2 Profiles).
"""


import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, TIME

from tdld.core.errors import Inconsistent
from tdld.core.namespaces import ORG, PROV, TDO
from tdld.build.reason import reason

from ..conftest import REPO

PREFIXES = """
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix ex: <https://example.org/> .
@prefix org: <http://www.w3.org/ns/org#> .
"""
EX = "https://example.org/"


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def inferred_from(turtle: str) -> Graph:
    graph = Graph().parse(REPO / "ontology" / "ontology.ttl")
    graph.parse(data=PREFIXES + turtle, format="turtle")
    return reason(graph).inferred


def test_cax_sco_instances_inherit_superclasses():
    """cax-sco: T(?c1 rdfs:subClassOf ?c2), T(?x rdf:type ?c1) → T(?x rdf:type ?c2)."""
    inferred = inferred_from("ex:lyon a tdo:City .")
    for cls in (TDO.LocalAuthority, TDO.SubStateAuthority, TDO.TerritorialAuthority, TDO.Actor, PROV.Agent):
        assert (ex("lyon"), RDF.type, cls) in inferred


def test_prp_dom_and_prp_rng_type_the_ends_of_a_link():
    """prp-dom / prp-rng: a partnership's partner is an actor, its subject a partnership."""
    inferred = inferred_from("ex:p tdo:partner ex:a .")
    assert (ex("p"), RDF.type, TDO.Partnership) in inferred
    assert (ex("a"), RDF.type, TDO.Actor) in inferred


def test_prp_inv_gives_both_directions():
    """prp-inv1 / prp-inv2: T(?p1 owl:inverseOf ?p2), T(?x ?p1 ?y) → T(?y ?p2 ?x), and back."""
    inferred = inferred_from("ex:p a tdo:Partnership ; tdo:partner ex:a . ex:b tdo:partnerIn ex:p . ex:c org:memberOf ex:n .")
    assert (ex("a"), TDO.partnerIn, ex("p")) in inferred
    assert (ex("p"), TDO.partner, ex("b")) in inferred
    assert (ex("n"), ORG.hasMember, ex("c")) in inferred


def test_prp_symp_makes_cooperation_mutual():
    """prp-symp: T(?p a owl:SymmetricProperty), T(?x ?p ?y) → T(?y ?p ?x)."""
    inferred = inferred_from("ex:a tdo:cooperatesWith ex:b .")
    assert (ex("b"), TDO.cooperatesWith, ex("a")) in inferred


def test_prp_trp_chains_subdivisions_and_components():
    """prp-trp: T(?p a owl:TransitiveProperty), T(?x ?p ?y), T(?y ?p ?z) → T(?x ?p ?z)."""
    inferred = inferred_from(
        "ex:city tdo:subdivisionOf ex:region . ex:region a tdo:RegionalAuthority ; tdo:subdivisionOf ex:state . "
        "ex:iii tdo:componentOf ex:interreg . ex:interreg tdo:componentOf ex:policy ."
    )
    assert (ex("city"), TDO.subdivisionOf, ex("state")) in inferred
    assert (ex("state"), TDO.hasSubdivision, ex("city")) in inferred
    assert (ex("iii"), TDO.componentOf, ex("policy")) in inferred


def test_prp_spo1_lifts_to_superproperties():
    """prp-spo1: an organiser takes part; replacing is dcterms:replaces; a start date is a time."""
    inferred = inferred_from("ex:m tdo:organisedBy ex:uclg . ex:new tdo:replaces ex:old . ex:new tdo:startedOn ex:y .")
    assert (ex("m"), TDO.participant, ex("uclg")) in inferred
    assert (ex("uclg"), TDO.participatedIn, ex("m")) in inferred
    assert (ex("new"), DCTERMS.replaces, ex("old")) in inferred
    assert (ex("old"), TDO.replacedBy, ex("new")) in inferred
    assert (ex("new"), TIME.hasTime, ex("y")) in inferred


def test_cax_adc_disjoint_actor_classes_are_inconsistent_and_named():
    """cax-adc: an individual in two of the AllDisjointClasses is a contradiction naming it."""
    with pytest.raises(Inconsistent) as caught:
        inferred_from("ex:bavaria a tdo:State , tdo:FederatedState .")
    assert "https://example.org/bavaria" in str(caught.value)


def test_cax_dw_via_domain_contradiction_is_named():
    """A legal act used as a partner becomes an Actor by prp-rng, contradicting disjointness."""
    with pytest.raises(Inconsistent) as caught:
        inferred_from("ex:law a tdo:NationalLaw . ex:p tdo:partner ex:law .")
    assert "https://example.org/law" in str(caught.value)


def test_shipped_inferences_answer_real_questions(reasoning):
    inferred = reasoning.inferred
    actor = "https://w3id.org/territorial-diplomacy/id/actor/"
    policy = "https://w3id.org/territorial-diplomacy/id/policy/"
    assert (URIRef(actor + "brazil"), TDO.cooperatesWith, URIRef(actor + "french-guiana")) in inferred
    assert (URIRef(policy + "interreg-i"), TDO.componentOf, URIRef(policy + "eu-regional-policy")) in inferred
    assert (URIRef(actor + "france"), TDO.hasSubdivision, URIRef(actor + "french-guiana")) in inferred


def test_inferred_graph_holds_no_owlrl_noise(reasoning):
    """The inferred graph keeps entailments about resources, not x owl:sameAs x or built-in axioms."""
    inferred = reasoning.inferred
    assert not [t for t in inferred if t[1] == URIRef("http://www.w3.org/2002/07/owl#sameAs") and t[0] == t[2]]
    assert not [s for s in inferred.subjects() if str(s).startswith("http://www.w3.org/2002/07/owl#")]
