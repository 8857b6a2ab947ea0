"""The fast SHACL validator gives pyshacl's results, result by result.

Each comparison runs both engines on the same triples: pyshacl on the rdflib view,
the fast validator on a pyoxigraph store, and compares the sets of
(focus, path, value, component, shape, severity, messages).
"""

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from tdld.core.layout import Layout
from tdld.build.load import load_sources
from tdld.core.terms import rdflib_triples, to_oxigraph
from tdld.core.namespaces import SH, bind_prefixes, graph_iri
from tdld.build.reason import reason
from tdld.build.shacl.compile import compile_shapes
from tdld.build.shacl.fast import data_store, validate_store
from tdld.build.shacl.fragments import UnsupportedFeature
from tdld.build.shacl.validate import validate_graph, validate_triples

from ..conftest import DATA, REPO

FIXTURES = sorted((DATA / "shapes").glob("*/*.ttl"))


def path_text(results: Graph, path) -> str:
    if path is None or isinstance(path, URIRef):
        return str(path)
    return "^" + str(results.value(path, SH.inversePath))


def result_set(results: Graph) -> set:
    """The comparable content of each sh:ValidationResult."""
    found = set()
    for node in results.subjects(RDF.type, SH.ValidationResult):
        found.add((
            results.value(node, SH.focusNode),
            path_text(results, results.value(node, SH.resultPath)),
            results.value(node, SH.value),
            results.value(node, SH.sourceConstraintComponent),
            results.value(node, SH.sourceShape),
            results.value(node, SH.resultSeverity),
            frozenset(str(m) for m in results.objects(node, SH.resultMessage)),
        ))
    return found


def compare(store: ox.Store, shapes: Graph) -> set:
    """Run both engines on the store's triples; assert equality; return the results."""
    data = Graph()
    bind_prefixes(data)
    data.addN((*t, data) for t in rdflib_triples(store, None))
    reference = validate_graph(data, shapes)
    fast = validate_triples(store, shapes, data=lambda: data, validator="fast")
    expected, got = result_set(reference.results), result_set(fast.results)
    assert got - expected == set(), "results pyshacl does not give"
    assert expected - got == set(), "pyshacl results the fast validator misses"
    assert fast.conforms == reference.conforms
    assert sorted(map(repr, fast.violations)) == sorted(map(repr, reference.violations))
    return got


def store_of(*paths: Path) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    return store


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_fixture_results_equal_pyshacl(path, sources):
    results = compare(store_of(REPO / "ontology" / "ontology.ttl", path), sources.shapes)
    assert bool(results) == (path.parent.name == "invalid")


@pytest.mark.slow  # pyshacl over the whole data: seconds each
def test_shipped_data_results_equal_pyshacl(sources):
    """The store as loaded, a named graph per layer, is validated as one graph (the statement records of
    the provenance graph left out: pyshacl would take minutes over them; fixtures compare their shape)."""
    provenance = ox.NamedNode(str(graph_iri("provenance")))
    store = data_store(q for q in sources.store.quads_for_pattern(None, None, None, None) if q.graph_name != provenance)
    compare(store, sources.shapes)


@pytest.mark.slow  # pyshacl over the whole data: seconds each
def test_a_triple_in_two_layers_counts_once(core_sources):
    store = data_store(core_sources.store.quads_for_pattern(None, None, None, None))
    concept = next(store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                           ox.NamedNode("http://www.w3.org/2004/02/skos/core#Concept")))
    label = next(store.quads_for_pattern(concept.subject, ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
                                         None))
    store.add(ox.Quad(label.subject, label.predicate, label.object, ox.NamedNode("https://example.org/copy")))
    assert compare(store, core_sources.shapes) == set()


@pytest.mark.slow  # pyshacl over the whole data: seconds each
def test_shipped_data_and_closure_results_equal_pyshacl(core_sources):
    store = data_store(core_sources.store.quads_for_pattern(None, None, None, None))
    inferred = reason(core_sources.asserted(), "owlrl").inferred
    store.extend(ox.Quad(*map(to_oxigraph, t)) for t in inferred)
    compare(store, core_sources.shapes)


@pytest.mark.slow  # pyshacl over the whole data: seconds each
def test_generated_data_results_equal_pyshacl(tmp_path):
    generator = REPO / "bench" / "generate.py"
    if not generator.is_file():
        pytest.skip("no data generator in this checkout")
    subprocess.run([sys.executable, str(generator), "--triples", "3000", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    generated = load_sources(Layout(tmp_path))
    compare(generated.store, generated.shapes)


FAULTS = """
@prefix ex: <https://w3id.org/territorial-diplomacy/id/test/> .
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:p1 a tdo:Twinning ; rdfs:label "P"@en , "Q"@EN ; tdo:partner ex:concept , "a literal" ;
    dcterms:source "not an IRI" .
ex:i1 a time:Instant ; time:inXSDDate "2004-01-01"^^xsd:date , "2004-01-02" ;
    time:inXSDgYear "2004"^^xsd:gYear , "12345"^^xsd:gYear .
ex:i2 a time:Instant .
ex:interval a time:ProperInterval ; time:hasBeginning ex:i1 , ex:i2 ; time:hasEnd ex:concept .
[] a tdo:Actor ; rdfs:label "blank"@en-GB ; tdo:partner [ a tdo:Actor ] .
ex:concept a skos:Concept ; skos:prefLabel "x" , "Y"@en-GB , "y"@en-gb ; skos:inScheme ex:concept ;
    skos:altLabel "x" ; skos:topConceptOf ex:concept .
ex:french-only a skos:Concept ; skos:prefLabel "seulement en français"@fr ; skos:inScheme ex:concept .
"""


@pytest.mark.slow  # pyshacl over the whole data: seconds each
def test_faults_of_every_kind_equal_pyshacl(core_sources):
    """The shipped data, every invalid fixture and more faults in one graph, blank nodes included."""
    store = data_store(core_sources.store.quads_for_pattern(None, None, None, None))
    for path in sorted((DATA / "shapes" / "invalid").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.as_uri())
    store.load(FAULTS.encode(), format=ox.RdfFormat.TURTLE)
    components = {str(result[3]).rsplit("#", 1)[-1] for result in compare(store, core_sources.shapes)}
    assert len(components) >= 12, components


UNSUPPORTED = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <https://example.org/> .
ex:Shape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:p ; sh:lessThan ex:q ; sh:message "Values of p are less than those of q, always." ] .
"""


def test_an_unsupported_feature_is_named():
    shapes = Graph().parse(data=UNSUPPORTED, format="turtle")
    with pytest.raises(UnsupportedFeature) as caught:
        compile_shapes(shapes)
    assert "sh:lessThan" in str(caught.value)
    assert "<https://example.org/Shape>" in str(caught.value)


def test_a_query_pyoxigraph_cannot_read_is_refused_before_running():
    shapes = Graph().parse(data=UNSUPPORTED.replace("sh:lessThan ex:q ;", "sh:minCount 1 ;") + """
        ex:Shape sh:sparql [ sh:message "Broken query for a test, never run on data." ;
                             sh:select "SELECT $this WHERE { $this undeclared:p ?x }" ] .
    """, format="turtle")
    with pytest.raises(UnsupportedFeature, match="cannot parse"):
        compile_shapes(shapes)


def test_an_unsupported_feature_falls_back_to_pyshacl():
    shapes = Graph().parse(data=UNSUPPORTED, format="turtle")
    turtle = "@prefix ex: <https://example.org/> . ex:a a ex:Thing ; ex:p 5 ; ex:q 3 ."
    store = ox.Store()
    store.load(turtle.encode(), format=ox.RdfFormat.TURTLE)
    data = Graph().parse(data=turtle, format="turtle")
    report = validate_triples(store.quads_for_pattern(None, None, None, None), shapes, data=lambda: data,
                              validator="fast")
    assert not report.conforms
    assert report.violations[0].focus_iri == "https://example.org/a"


def test_a_wrong_query_is_caught(core_sources):
    """The comparison can fail: a check that loses its filter finds results pyshacl does not."""
    checks = compile_shapes(core_sources.shapes)
    broken = next(c for c in checks if "FILTER(!" in c.query)
    index = checks.index(broken)
    checks[index] = replace(broken, query=broken.query.replace("FILTER(!", "FILTER("))
    store = data_store(core_sources.store.quads_for_pattern(None, None, None, None))
    assert result_set(validate_store(store, core_sources.shapes, checks)) != result_set(
        validate_store(store, core_sources.shapes))


def test_messages_substitute_sparql_variables():
    from tdld.build.shacl.fast import format_message

    text = format_message("The value {?value} of {$this}.", {"value": Literal("2004"), "this": BNode("b")})
    assert text == "The value 2004 of b."


REWRITE_PROLOGUE = "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"


@pytest.mark.parametrize("select, rewritten", [
    ("SELECT $this WHERE { $this ?p ?v . FILTER NOT EXISTS { ?v rdf:type ?c } $this rdf:type ?c }", True),
    ("SELECT $this WHERE { $this ?p ?v . FILTER NOT EXISTS { ?v rdf:type ?c } OPTIONAL { $this rdf:type ?c } }", False),
    ("SELECT $this WHERE { $this ?p ?v . FILTER NOT EXISTS { ?x rdf:type ?c } }", False),
    ("SELECT $this WHERE { { $this ?p ?v FILTER NOT EXISTS { ?v ?p $this } } UNION { ?v ?p $this } }", False),
    ("SELECT $this WHERE { $this ?p ?v . FILTER NOT EXISTS { ?v ?p $this FILTER(?v != 1) } }", False),
])
def test_not_exists_becomes_minus_only_where_it_is_equal(select, rewritten):
    from tdld.build.shacl.rewrite import minus_for_not_exists

    result = minus_for_not_exists(REWRITE_PROLOGUE, select)
    assert ("MINUS" in result) == rewritten, result
    if rewritten:
        assert "NOT EXISTS" not in result and result.rstrip().endswith("}")
        store = ox.Store()
        store.load(b"<x:a> <x:p> <x:b> . <x:b> a <x:C> . <x:a> a <x:C> . <x:c> <x:p> <x:d> . <x:c> a <x:C> .",
                   format=ox.RdfFormat.TURTLE)
        before = {str(s["this"]) for s in store.query(REWRITE_PROLOGUE + select)}
        after = {str(s["this"]) for s in store.query(REWRITE_PROLOGUE + result)}
        assert before == after and before
