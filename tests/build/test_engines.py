"""The fast engines give the reference engines' results on the shipped data.

`reasonable` must infer exactly owlrl's useful triples and catch the same
contradictions; the dumps pyoxigraph writes must be the graphs rdflib would write.
"""

import gzip
import importlib.util

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from tdld.release.dump import ALL_LAYERS, ASSERTED_LAYERS, TRIPLE_FORMATS, merged, serialise
from tdld.core.errors import Inconsistent
from tdld.core.namespaces import PREFIXES, PROV, TDO, graph_iri
from tdld.core.terms import to_oxigraph
from tdld.build.reason import REASONERS, reason

from ..conftest import REPO

PREFIX = """
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix ex: <https://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
"""
CONTRADICTIONS = {
    "two disjoint actor classes": ("ex:bavaria a tdo:State , tdo:FederatedState .", "https://example.org/bavaria"),
    "disjoint via a range": ("ex:law a tdo:NationalLaw . ex:p tdo:partner ex:law .", "https://example.org/law"),
    "two disjoint acts": ("ex:act a tdo:Treaty , tdo:Bill .", "https://example.org/act"),
    "a member of owl:Nothing": ("ex:x a owl:Nothing .", "https://example.org/x"),
    "same and different": ("ex:a owl:sameAs ex:b . ex:a owl:differentFrom ex:b .", "https://example.org/b"),
}


def needs(reasoner: str) -> None:
    if reasoner == "reasonable":
        pytest.importorskip("reasonable")


@pytest.fixture(scope="module")
def inferred(sources) -> dict:
    """Each available reasoner's useful inferred triples on the shipped data."""
    available = [r for r in REASONERS if r != "reasonable" or importlib.util.find_spec("reasonable")]
    return {reasoner: reason(sources.asserted(), reasoner).inferred for reasoner in available}


@pytest.mark.slow  # both reasoners over the whole data: owlrl takes tens of seconds
@pytest.mark.parametrize("reasoner", REASONERS)
def test_the_builds_triple_set_gives_what_the_asserted_graph_gives(sources, inferred, reasoner):
    """The build hands the reasoners a set of triples, not an rdflib graph (1.4 s less at 100k)."""
    needs(reasoner)
    triples = sources.asserted_triples()
    assert triples == frozenset(sources.asserted())
    reasoning = reason(triples, reasoner)
    assert set(reasoning.inferred) == set(inferred[reasoner])
    assert reasoning.asserted_count == len(sources.asserted())


@pytest.mark.slow
def test_reasonable_infers_exactly_what_owlrl_infers(inferred):
    needs("reasonable")
    fast, reference = set(inferred["reasonable"]), set(inferred["owlrl"])
    assert fast - reference == set()
    assert reference - fast == set()


@pytest.mark.slow
def test_schema_rules_reasonable_lacks_are_completed(inferred):
    """scm-spo and scm-dom1: reasonable alone derives neither; tdld.build.owlrules adds them."""
    needs("reasonable")
    for triples in (inferred["reasonable"], inferred["owlrl"]):
        assert (TDO.organisedBy, RDFS.subPropertyOf, PROV.wasAssociatedWith) in triples
        assert (TDO.partner, RDFS.range, PROV.Agent) in triples


@pytest.mark.parametrize("reasoner", REASONERS)
@pytest.mark.parametrize("case", CONTRADICTIONS, ids=str)
def test_each_reasoner_names_the_culprit_of_a_contradiction(reasoner, case):
    needs(reasoner)
    turtle, culprit = CONTRADICTIONS[case]
    graph = Graph().parse(REPO / "ontology" / "ontology.ttl")
    graph.parse(data=PREFIX + turtle, format="turtle")
    with pytest.raises(Inconsistent) as caught:
        reason(graph, reasoner)
    assert culprit in str(caught.value)


RDFLIB_READS = {"ttl": "turtle", "nt.gz": "nt", "jsonld": "json-ld", "rdf": "xml"}


def release_store(sources, reasoning):
    """The six named graphs of a release in one pyoxigraph store, assembled from the sources and a closure."""
    store = ox.Store()
    for name in ASSERTED_LAYERS:
        store.extend(sources.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(name))))
    inferred = ox.NamedNode(graph_iri("inferred"))
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), inferred) for s, p, o in reasoning.inferred)
    return store


@pytest.fixture(scope="module")
def release(sources):
    return release_store(sources, reason(sources.asserted()))


@pytest.mark.slow  # rdflib writes and compares the whole data by isomorphism
@pytest.mark.parametrize("layers", (ASSERTED_LAYERS, ALL_LAYERS), ids=("asserted", "full"))
@pytest.mark.parametrize("fmt", TRIPLE_FORMATS, ids=lambda f: f.extension)
def test_pyoxigraph_dumps_equal_rdflib_dumps(fmt, layers, release, sources):
    """What pyoxigraph writes re-parses to the graph rdflib writes from the same triples."""
    reference = Graph()
    for layer in layers:
        reference += sources.graph(layer) if layer != "inferred" else reason(sources.asserted()).inferred
    written_by_rdflib = Graph().parse(data=reference.serialize(format=fmt.rdflib_format), format=RDFLIB_READS[fmt.extension])
    data = serialise(merged(release, layers), fmt)
    if fmt.gzipped:
        data = gzip.decompress(data)
    written_by_pyoxigraph = Graph().parse(data=data, format=RDFLIB_READS[fmt.extension])
    assert len(written_by_pyoxigraph) == len(written_by_rdflib)
    assert isomorphic(written_by_pyoxigraph, written_by_rdflib)


def test_turtle_dump_declares_tdld_prefixes(release):
    text = serialise(merged(release, ASSERTED_LAYERS), TRIPLE_FORMATS[0]).decode("utf-8")
    for prefix in ("tdo", "tdv", "skos", "actor"):
        assert f"@prefix {prefix}: <{PREFIXES[prefix]}> ." in text


