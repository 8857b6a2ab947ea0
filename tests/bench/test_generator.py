"""The benchmark data generator: valid by the shipped shapes, real terms, three languages, repeatable."""

import importlib.util
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from tdld.core.layout import Layout
from tdld.core.namespaces import TDO as TDO_NS
from tdld.build.load import load_sources
from tdld.build.reason import reason
from tdld.build.shacl.validate import validate_graph

from ..conftest import REPO

pytestmark = pytest.mark.slow

TDO = "https://w3id.org/territorial-diplomacy/ontology#"
TDV = "https://w3id.org/territorial-diplomacy/vocab/"
ID = "https://w3id.org/territorial-diplomacy/id/"
BENCH = ID + "bench/"


def load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return load_generator()


@pytest.fixture(scope="module")
def small_project(generator, tmp_path_factory) -> Path:
    """A project with 1,000 generated triples (every kind of resource): pyshacl takes seconds."""
    root = tmp_path_factory.mktemp("generated") / "project"
    generator.write_project(root, 1000, seed=3)
    return root


@pytest.fixture(scope="module")
def generated(generator) -> Graph:
    text, _count = generator.generate(3000, seed=5)
    return Graph().parse(data=text, format="turtle")


def shipped_graph() -> Graph:
    graph = Graph()
    for folder in ("ontology", "data"):
        for path in sorted((REPO / folder).glob("*.ttl")):
            graph.parse(path)
    return graph


def test_generated_project_conforms_to_the_shipped_shapes(small_project):
    sources = load_sources(Layout(small_project))
    report = validate_graph(sources.asserted(), sources.shapes)
    assert report.violations == [], [f"{v.focus}: {v.message}" for v in report.violations[:10]]


def test_generated_project_is_consistent_and_reasoned_over(small_project):
    """The OWL RL closure of the generated data raises no contradiction (disjoint classes hold), and
    every generated twinning makes its partners cooperate both ways (prp-symp), as in the shipped data."""
    sources = load_sources(Layout(small_project))
    inferred = set(reason(sources.asserted()).inferred)
    cooperations = [(s, o) for s, p, o in inferred if p == TDO_NS.cooperatesWith]
    assert cooperations
    assert all((o, TDO_NS.cooperatesWith, s) in inferred or (o, TDO_NS.cooperatesWith, s) in sources.asserted()
               for s, o in cooperations)


def test_project_folder_holds_the_shipped_sources(small_project):
    for folder in ("ontology", "shapes", "data"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                copy = small_project / path.relative_to(REPO)
                assert copy.read_bytes() == path.read_bytes(), copy
    assert (small_project / "data" / "generated.ttl").is_file()


def namespace_of(term) -> str:
    text = str(term)
    return text[: max(text.rfind("#"), text.rfind("/")) + 1]


def test_uses_only_terms_of_the_ontology_or_of_vocabularies_the_shipped_data_uses(generated):
    shipped = shipped_graph()
    declared = {s for s in shipped.subjects() if isinstance(s, URIRef) and str(s).startswith(TDO)}
    reused = {namespace_of(t) for t in set(shipped.predicates()) | set(shipped.objects(None, RDF.type))}
    predicates = set(generated.predicates())
    classes = set(generated.objects(None, RDF.type))
    for term in predicates | classes:
        if str(term).startswith(TDO):
            assert term in declared, f"{term} is not declared in ontology/ontology.ttl"
        else:
            assert namespace_of(term) in reused, f"{term} is from a vocabulary the shipped sources do not use"


def test_links_to_real_concepts_and_acts_resolve(generated):
    """Every tdv: or shipped id/ IRI the generated data points to exists in the shipped sources."""
    shipped = shipped_graph()
    for obj in set(generated.objects()):
        if isinstance(obj, URIRef) and (str(obj).startswith(TDV) or (str(obj).startswith(ID) and not str(obj).startswith(BENCH))):
            assert (obj, RDF.type, None) in shipped, f"{obj} is not a resource of the shipped sources"
    concepts = set(shipped.subjects(RDF.type, SKOS.Concept))
    broader = {o for o in generated.objects(None, SKOS.broader) if not str(o).startswith(BENCH)}
    assert broader and broader <= concepts


def test_generated_concepts_deepen_the_hierarchy(generated):
    """Some generated concept sits two levels below a real concept of the vocabulary."""
    parents = dict(generated.subject_objects(SKOS.broader))
    depths = []
    for concept in parents:
        depth, node = 0, concept
        while node in parents:
            depth, node = depth + 1, parents[node]
        depths.append(depth)
    assert max(depths) >= 2


def test_every_resource_is_synthetic_and_sourced(generated, generator):
    subjects = {s for s in generated.subjects() if isinstance(s, URIRef)}
    source = URIRef(BENCH + "work/synthetic-benchmark-data")
    assert all(str(s).startswith(BENCH) for s in subjects)
    for subject in subjects:
        if (subject, RDF.type, None) in generated:
            assert generated.value(subject, DCTERMS.source) == source, subject
    assert "synthetic" in str(generated.value(source, RDFS.label)).lower()


def test_named_things_have_labels_in_en_fr_de(generated):
    typed = {s for s, o in generated.subject_objects(RDF.type) if str(o).startswith(TDO)}
    assert typed
    for subject in typed:
        languages = sorted(label.language for label in generated.objects(subject, RDFS.label))
        assert languages == ["de", "en", "fr"], (subject, languages)
    for concept in generated.subjects(RDF.type, SKOS.Concept):
        languages = sorted(label.language for label in generated.objects(concept, SKOS.prefLabel))
        assert languages == ["de", "en", "fr"], (concept, languages)


def test_partnerships_start_on_owl_time_instants(generated):
    time = "http://www.w3.org/2006/time#"
    twinnings = set(generated.subjects(RDF.type, URIRef(TDO + "Twinning")))
    assert twinnings
    for twinning in twinnings:
        interval = generated.value(twinning, URIRef(time + "hasTime"))
        start = generated.value(interval, URIRef(time + "hasBeginning"))
        assert (start, RDF.type, URIRef(time + "Instant")) in generated
        value = generated.value(start, URIRef(time + "inXSDDate")) or generated.value(start, URIRef(time + "inXSDgYear"))
        assert isinstance(value, Literal) and str(start).endswith(str(value))


def test_same_seed_same_bytes(generator, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    generator.write_project(first, 3000, seed=11)
    generator.write_project(second, 3000, seed=11)
    generated = Path("data") / "generated.ttl"
    assert (first / generated).read_bytes() == (second / generated).read_bytes()
    assert generator.generate(3000, seed=12)[0] != (first / generated).read_text(encoding="utf-8")


@pytest.mark.parametrize("size", [1000, 3000, 12000])
def test_size_lands_near_the_request(generator, size):
    text, count = generator.generate(size, seed=1)
    assert len(Graph().parse(data=text, format="turtle")) == count
    assert abs(count - size) <= 0.05 * size


def test_no_owl_same_as_and_no_duplicate_concept_labels(generated):
    assert not list(generated.triples((None, OWL.sameAs, None)))
    labels = list(generated.objects(None, SKOS.prefLabel))
    assert len(labels) == len(set(labels))
