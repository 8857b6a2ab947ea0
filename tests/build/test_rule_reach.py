"""The reasoner is given only the triples a rule can read, and the closure does not change."""

import pytest
from tdld.build.load import load_sources
from tdld.build.reason import default_reasoner, useful_inferred
from tdld.build.rule_reach import RuleReach
from tdld.core.layout import Layout

TDO = "https://w3id.org/territorial-diplomacy/ontology#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SCHEMA = [
    (TDO + "City", RDFS + "subClassOf", TDO + "LocalAuthority"),
    (TDO + "partner", TYPE, OWL + "ObjectProperty"),
    (TDO + "twinnedWith", TYPE, OWL + "SymmetricProperty"),
    (TDO + "seat", RDFS + "range", TDO + "Place"),
    (TDO + "Note", TYPE, OWL + "Class"),
]


def test_triples_no_axiom_mentions_are_left_out():
    reach = RuleReach(SCHEMA)
    assert not reach.keeps(RDFS + "label", None)
    assert not reach.keeps(TDO + "partner", None), "a declaration alone fires no rule"
    assert not reach.keeps(TYPE, TDO + "Note")
    assert reach.keeps(TYPE, TDO + "City") and reach.keeps(TYPE, None)
    assert reach.keeps(TDO + "twinnedWith", None) and reach.keeps(TDO + "seat", None)
    assert reach.keeps(RDFS + "subClassOf", None) and reach.keeps(OWL + "inverseOf", None)


@pytest.mark.parametrize("equality", [
    (TDO + "x", OWL + "sameAs", TDO + "y"),
    (TDO + "seat", TYPE, OWL + "FunctionalProperty"),
    (TDO + "code", TYPE, OWL + "InverseFunctionalProperty"),
    (TDO + "Twinning", OWL + "hasKey", None),
    (None, OWL + "maxCardinality", None),
])
def test_once_resources_may_be_made_equal_every_triple_is_kept(equality):
    reach = RuleReach([*SCHEMA, equality])
    assert reach.keeps(RDFS + "label", None) and reach.keeps(TYPE, TDO + "Note")


def _with(project, name, text):
    (project / "data" / name).write_text("@prefix tdo: <%s> .\n@prefix owl: <%s> .\n@prefix rdfs: <%s> .\n%s"
                                         % (TDO, OWL, RDFS, text), encoding="utf-8")


def test_the_shipped_knowledge_has_the_same_closure_from_what_the_rules_read(project):
    """owlrl on every asserted triple is the reference; both reasoners read the smaller input."""
    sources = load_sources(Layout(project))
    everything = sources.asserted_triples()
    reachable = sources.rule_input()
    assert reachable < everything
    assert not any(str(p) == RDFS + "comment" for _, p, _ in reachable), "comments feed no rule here"
    expected, _ = useful_inferred(everything, "owlrl")
    for reasoner in {"owlrl", default_reasoner()}:
        assert useful_inferred(reachable, reasoner)[0] == expected, reasoner


def test_a_label_travels_along_same_as(project):
    """With owl:sameAs every triple can be copied to another subject: none is left out."""
    _with(project, "same.ttl", '<https://example.org/a> owl:sameAs <https://example.org/b> .\n'
                               '<https://example.org/a> rdfs:label "Alpha" .\n')
    sources = load_sources(Layout(project))
    assert sources.rule_input() == sources.asserted_triples()
    inferred, _ = useful_inferred(sources.rule_input(), "owlrl")
    assert any(str(s) == "https://example.org/b" and str(o) == "Alpha" for s, _, o in inferred)
