"""Dumps: every format re-parses to the same graph; checksums hold; builds are atomic."""

import gzip
import json
import subprocess
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from tdld.release.dump import ALL_LAYERS, verify_checksums
from tdld.core.layout import Layout
from tdld.build.load import load_sources
from tdld.core.namespaces import ASSERTED_LAYERS, DATASET, graph_iri


RDFLIB_FORMATS = {"ttl": "turtle", "nt.gz": "nt", "jsonld": "json-ld", "rdf": "xml"}


def parse_dump(path: Path) -> Graph:
    name = path.name
    extension = name.split(".", 1)[1]
    data = path.read_bytes()
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    return Graph().parse(data=data, format=RDFLIB_FORMATS[extension])


def parse_quads(path: Path) -> Dataset:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    dataset = Dataset()
    dataset.parse(data=data, format="trig" if path.suffix == ".trig" else "nquads")
    return dataset


@pytest.fixture(scope="module")
def graphs(release) -> Dataset:
    return parse_quads(release / "tdld.nq.gz")


def union(dataset: Dataset, layers) -> Graph:
    graph = Graph()
    for layer in layers:
        for triple in dataset.graph(graph_iri(layer)):
            graph.add(triple)
    return graph


def test_named_graphs_are_the_five_layers(graphs):
    names = {str(g.identifier) for g in graphs.graphs() if len(g)}
    assert names == {str(graph_iri(layer)) for layer in ALL_LAYERS}


def test_asserted_graphs_equal_the_sources(graphs, built_project):
    sources = load_sources(Layout(built_project)).asserted()
    provenance = union(graphs, ("provenance",))
    assert len(provenance) > 0  # the statement records of the curated tables
    assert isomorphic(union(graphs, ("ontology", "vocabulary", "data", "mappings")), sources)


@pytest.mark.parametrize("extension", RDFLIB_FORMATS)
def test_asserted_dump_reparses_isomorphic(extension, release, graphs):
    expected = union(graphs, ASSERTED_LAYERS)
    assert isomorphic(parse_dump(release / f"tdld.{extension}"), expected)


@pytest.mark.parametrize("extension", RDFLIB_FORMATS)
def test_full_dump_reparses_isomorphic(extension, release, graphs):
    assert isomorphic(parse_dump(release / f"tdld-full.{extension}"), union(graphs, ALL_LAYERS))


def test_trig_and_nquads_hold_the_same_named_graphs(release, graphs):
    trig = parse_quads(release / "tdld.trig")
    for layer in ALL_LAYERS:
        assert isomorphic(trig.graph(graph_iri(layer)), graphs.graph(graph_iri(layer))), layer


def test_jsonld_is_compact_with_a_context(release):
    """Keys and IRIs are CURIEs of the context's prefixes, never full IRIs where a prefix fits."""
    document = json.loads((release / "tdld.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["tdo"] == "https://w3id.org/territorial-diplomacy/ontology#"
    keys = {key for node in document["@graph"] for key in node}
    assert "rdfs:label" in keys and not any(key.startswith("http://www.w3.org/2000/01/rdf-schema#") for key in keys)
    assert any(node.get("@id") == "tdo:Actor" for node in document["@graph"])


def test_checksums_match_and_use_sha256sum_format(release):
    assert verify_checksums(release) == []
    completed = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_manifest_and_void_describe_every_file(release, graphs):
    manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
    names = {f["name"] for f in manifest["files"]}
    # Besides the dumps: the manifest, the description, the checksums, the store and the label index.
    assert names == {p.name for p in release.iterdir()} - {"build.json", "void.ttl", "SHA256SUMS", "store", "labels.json",
                                                           "quality.json", "validation.ttl"}
    for entry in manifest["files"]:
        assert (release / entry["name"]).stat().st_size == entry["size"]
    void = Graph().parse(release / "void.ttl")
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    assert len(list(void.objects(DATASET, DCAT.distribution))) == len(manifest["files"])
    assert int(void.value(DATASET, VOID.triples)) == len(union(graphs, ALL_LAYERS))
    assert int(void.value(URIRef(graph_iri("inferred")), VOID.triples)) == len(graphs.graph(graph_iri("inferred")))
    assert void.value(DATASET, URIRef("http://purl.org/dc/terms/license")) is not None




def test_the_release_carries_its_quality_record_and_the_void_its_measurements(release):
    """What the build measured is published with the release, and the same figures are DQV measurements."""
    quality = json.loads((release / "quality.json").read_text(encoding="utf-8"))
    assert quality["shacl_violations"] == 0 and quality["inconsistencies"] == 0 and quality["closure_conforms"]
    assert quality["kinds"]["EGTC"]["count"] >= 60
    assert "quality.json" in (release / "SHA256SUMS").read_text(encoding="utf-8") and verify_checksums(release) == []
    void = Graph().parse(release / "void.ttl")
    dqv = "http://www.w3.org/ns/dqv#"
    measured = {str(void.value(m, URIRef(dqv + "isMeasurementOf"))): void.value(m, URIRef(dqv + "value")).toPython()
                for m in void.objects(DATASET, URIRef(dqv + "hasQualityMeasurement"))}
    base = "https://w3id.org/territorial-diplomacy/quality#"
    assert measured[base + "count-EGTC"] == quality["kinds"]["EGTC"]["count"]
    assert float(measured[base + "name-fr-concept"]) == quality["kinds"]["concept"]["name fr"]
    assert measured[base + "shacl-violations"] == 0


def test_the_release_carries_its_shacl_validation_report(release):
    """The report a SHACL engine wrote for the release (asserted data and closure), named in the VoID."""
    report = Graph().parse(release / "validation.ttl")
    sh = "http://www.w3.org/ns/shacl#"
    top = report.value(predicate=RDF.type, object=URIRef(sh + "ValidationReport"))
    assert top is not None and report.value(top, URIRef(sh + "conforms")).toPython() is True
    assert "validation.ttl" in (release / "SHA256SUMS").read_text(encoding="utf-8") and verify_checksums(release) == []
    void = Graph().parse(release / "void.ttl")
    assert (DATASET, URIRef("http://www.w3.org/ns/dqv#hasQualityMetadata"),
            URIRef("https://w3id.org/territorial-diplomacy/download/validation.ttl")) in void


TRICKY = """
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/territorial-diplomacy/id/actor/a> rdfs:label "a},{\\"@id\\":\\"https://w3id.org/territorial-diplomacy/id/actor/b\\"}"@en ,
        "Zürich – Łódź – Θεσσαλονίκη" , "https://w3id.org/territorial-diplomacy/ontology#Actor" ;
    rdfs:seeAlso <urn:x-example:1> , <https://w3id.org/territorial-diplomacy/ontology#Actor> ;
    tdo:note [ rdfs:label "blank" ] .
"""


@pytest.mark.parametrize("piece", [1, 5, 4096])
def test_json_ld_compacted_piece_by_piece_equals_the_whole_and_its_graph(piece):
    """The dumps are compacted as they stream: cut anywhere, even inside a character or a literal, the
    result is the whole text's compaction, literals that look like JSON or IRIs are left as they were."""
    import io

    import pyoxigraph as ox

    from tdld.release.jsonld import JsonLdCompactor, compact_jsonld

    store = ox.Store()
    store.load(TRICKY.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    expanded = store.dump(format=ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph())
    out = io.BytesIO()
    compactor = JsonLdCompactor(out)
    compactor.CHUNK = 8
    for start in range(0, len(expanded), piece):
        compactor.write(expanded[start:start + piece])
    compactor.close()
    assert out.getvalue() == compact_jsonld(expanded)
    document = json.loads(out.getvalue())
    assert "tdo:Actor" in json.dumps(document["@graph"])  # the IRI was compacted, where it is an IRI
    assert isomorphic(Graph().parse(data=out.getvalue(), format="json-ld"), Graph().parse(data=TRICKY, format="turtle"))
