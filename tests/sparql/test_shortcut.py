"""Transitive paths read from the closure: the same answers as the path, and only where that is certain."""

from collections import Counter

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdld.core.namespaces import PREFIXES
from tdld.sparql.shortcut import shortcut_paths
from tdld.release.transitive import closed_transitive_properties

TDO = "https://w3id.org/territorial-diplomacy/ontology#"
SUB = TDO + "subdivisionOf"
CLOSED = frozenset({SUB})
EX = "http://example.org/"
P = EX + "within"
OWL_TRANSITIVE = "http://www.w3.org/2002/07/owl#TransitiveProperty"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def rewritten(text: str) -> str:
    return shortcut_paths(text, PREFIXES, CLOSED)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a tdo:subdivisionOf+ ?b }",
    "SELECT * WHERE { ?a <https://w3id.org/territorial-diplomacy/ontology#subdivisionOf>+ ?b }",
    "PREFIX t: <https://w3id.org/territorial-diplomacy/ontology#> SELECT * WHERE { ?a t:subdivisionOf+ ?b }",
    "SELECT * WHERE { ?a a tdo:City ; tdo:subdivisionOf+ ?b }",
    "SELECT * WHERE { ?a ^tdo:subdivisionOf+ ?b }",
    "SELECT * WHERE { ?a tdo:partner|tdo:subdivisionOf+ ?b }",
    "SELECT * WHERE { [ a tdo:City ] tdo:subdivisionOf+ ?b }",
    "SELECT * WHERE { tdo:x tdo:subdivisionOf+ ?b OPTIONAL { ?b tdo:subdivisionOf+ ?c } }",
])
def test_a_closed_transitive_path_in_a_verb_position_is_read_as_the_property(query):
    result = rewritten(query)
    assert result == query.replace("subdivisionOf+", "subdivisionOf ").replace("subdivisionOf>+", "subdivisionOf> ")
    assert len(result) == len(query)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { ?a tdo:subdivisionOf* ?b }",  # zero steps: not the same
    "SELECT * WHERE { ?a tdo:partner+ ?b }",  # not closed
    "SELECT * WHERE { ?a tdo:subdivisionOf + ?b }",  # not written right after the IRI
    "SELECT * WHERE { ?a tdo:x ?b FILTER(?b = tdo:subdivisionOf+1) }",
    "SELECT * WHERE { ?a tdo:x ?b FILTER(\"5\"^^tdo:subdivisionOf+1) }",
    "SELECT * WHERE { ?a tdo:x ?b FILTER(?b || tdo:subdivisionOf+1) }",
    "SELECT * WHERE { ?a tdo:x ?b FILTER(?b / tdo:subdivisionOf+1) }",
    "SELECT * WHERE { ?a tdo:x/tdo:subdivisionOf+ ?b }",  # sequences are left to the engine
    "SELECT * FROM <https://w3id.org/territorial-diplomacy/graph/data> WHERE { ?a tdo:subdivisionOf+ ?b }",
    "SELECT * WHERE { GRAPH ?g { ?a tdo:subdivisionOf+ ?b } }",
    "SELECT * WHERE { SERVICE <https://query.wikidata.org/sparql> { ?a tdo:subdivisionOf+ ?b } }",
    "BASE <https://w3id.org/territorial-diplomacy/ontology> SELECT * WHERE { ?a <#subdivisionOf>+ ?b }",
    "PREFIX tdo: <http://example.org/> SELECT * WHERE { ?a tdo:subdivisionOf+ ?b }",  # another namespace
    "SELECT * WHERE { ?a tdo:x ?b } # tdo:subdivisionOf+",
    'SELECT * WHERE { ?a tdo:x "?b tdo:subdivisionOf+ ?c" }',
])
def test_anything_else_is_left_as_written(query):
    assert rewritten(query) == query


def test_nothing_is_read_differently_without_closed_properties():
    query = "SELECT * WHERE { ?a tdo:subdivisionOf+ ?b }"
    assert shortcut_paths(query, PREFIXES, frozenset()) == query


# -- the build's check, and the answers, on generated hierarchies ---------------------

def hierarchy_store(edges: list, closure: bool, duplicate: bool = False) -> ox.Store:
    """``edges`` asserted in one graph; with ``closure``, the missing transitive edges in another."""
    store = ox.Store()
    asserted, inferred = ox.NamedNode(EX + "graph/asserted"), ox.NamedNode(EX + "graph/inferred")
    p = ox.NamedNode(P)
    store.add(ox.Quad(p, ox.NamedNode(RDF_TYPE), ox.NamedNode(OWL_TRANSITIVE), asserted))
    pairs = {(EX + f"n{a}", EX + f"n{b}") for a, b in edges}
    for a, b in pairs:
        store.add(ox.Quad(ox.NamedNode(a), p, ox.NamedNode(b), asserted))
    if closure:
        closed = set(pairs)
        while True:
            more = {(a, d) for a, b in closed for c, d in closed if b == c} - closed
            if not more:
                break
            closed |= more
        target = asserted if duplicate else inferred
        for a, b in sorted(closed - pairs) + (sorted(pairs)[:1] if duplicate else []):
            store.add(ox.Quad(ox.NamedNode(a), p, ox.NamedNode(b), inferred if duplicate else target))
    return store


def rows(store: ox.Store, query: str) -> Counter:
    return Counter(tuple(str(t) for t in solution) for solution in store.query(query, use_default_graph_as_union=True))


edge_lists = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)).filter(lambda e: e[0] < e[1]),
                      min_size=1, max_size=12)
ends = st.sampled_from(["?a", "?b", f"<{EX}n0>", f"<{EX}n3>", f"<{EX}n6>"])
shapes = st.sampled_from([
    "SELECT * WHERE {{ {s} <{p}>+ {o} }}",
    "SELECT * WHERE {{ {s} ^<{p}>+ {o} }}",
    "SELECT * WHERE {{ ?x <{p}> ?y . {s} <{p}>+ {o} }}",
    "SELECT * WHERE {{ ?x <{p}> ?y OPTIONAL {{ ?y <{p}>+ {o} }} }}",
    "SELECT (COUNT(*) AS ?n) WHERE {{ {s} <{p}>+ {o} }}",
    "ASK {{ {s} <{p}>+ {o} }}",
])


@settings(max_examples=150, deadline=None)
@given(edge_lists, shapes, ends, ends)
def test_on_a_closed_hierarchy_the_read_query_has_the_paths_answers(edges, shape, subject, obj):
    store = hierarchy_store(edges, closure=True)
    assert closed_transitive_properties(store) == [P]
    query = shape.format(s=subject, o=obj, p=P)
    faster = shortcut_paths(query, {}, frozenset({P}))
    assert faster != query
    if query.startswith("ASK"):
        assert bool(store.query(faster, use_default_graph_as_union=True)) == bool(
            store.query(query, use_default_graph_as_union=True))
    else:
        assert rows(store, faster) == rows(store, query)


@settings(max_examples=60, deadline=None)
@given(edge_lists)
def test_a_hierarchy_without_its_closure_or_with_an_edge_twice_is_not_listed(edges):
    pairs = set(edges)
    open_chain = any(b == c and (a, d) not in pairs for a, b in pairs for c, d in pairs)
    assert closed_transitive_properties(hierarchy_store(edges, closure=False)) == ([] if open_chain else [P])
    assert closed_transitive_properties(hierarchy_store(edges, closure=True, duplicate=True)) == []


def test_an_edge_in_the_default_graph_is_not_listed():
    store = hierarchy_store([(0, 1)], closure=True)
    store.add(ox.Quad(ox.NamedNode(EX + "n4"), ox.NamedNode(P), ox.NamedNode(EX + "n5"), ox.DefaultGraph()))
    assert closed_transitive_properties(store) == []


def test_the_release_lists_its_closed_transitive_properties_and_they_answer_like_paths(knowledge):
    listed = knowledge.manifest["closed_transitive_properties"]
    assert TDO + "componentOf" in listed and SUB in listed
    store = knowledge.store
    for iri in listed:
        for shape in ("SELECT * WHERE {{ ?a <{p}>+ ?b }}", "SELECT * WHERE {{ ?a ^<{p}>+ ?b . ?b a ?type }}"):
            query = shape.format(p=iri)
            faster = shortcut_paths(query, PREFIXES, frozenset(listed))
            assert faster != query and rows(store, faster) == rows(store, query)
