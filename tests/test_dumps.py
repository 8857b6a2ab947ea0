"""Dumps: every format re-parses to the same graph; checksums hold; builds are atomic."""

import gzip
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from tdld.release.dump import ALL_LAYERS, verify_checksums
from tdld.core.errors import ValidationFailed
from tdld.core.layout import Layout
from tdld.build.load import load_sources
from tdld.core.namespaces import DATASET, graph_iri
from tdld.build.pipeline import build

from .conftest import release_files, tdld_command
from .test_cli import INVALID_ACT

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
    assert isomorphic(union(graphs, ("ontology", "vocabulary", "data", "mappings")), sources)


@pytest.mark.parametrize("extension", RDFLIB_FORMATS)
def test_asserted_dump_reparses_isomorphic(extension, release, graphs):
    expected = union(graphs, ("ontology", "vocabulary", "data", "mappings"))
    assert isomorphic(parse_dump(release / f"tdld.{extension}"), expected)


@pytest.mark.parametrize("extension", RDFLIB_FORMATS)
def test_full_dump_reparses_isomorphic(extension, release, graphs):
    assert isomorphic(parse_dump(release / f"tdld-full.{extension}"), union(graphs, ALL_LAYERS))


def test_trig_and_nquads_hold_the_same_named_graphs(release, graphs):
    trig = parse_quads(release / "tdld.trig")
    for layer in ALL_LAYERS:
        assert isomorphic(trig.graph(graph_iri(layer)), graphs.graph(graph_iri(layer))), layer


def test_jsonld_is_compact_with_a_context(release):
    document = json.loads((release / "tdld.jsonld").read_text(encoding="utf-8"))
    assert document["@context"]["tdo"] == "https://w3id.org/territorial-diplomacy/ontology#"
    assert "@graph" in document


def test_checksums_match_and_use_sha256sum_format(release):
    assert verify_checksums(release) == []
    completed = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=release, capture_output=True, text=True)
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_manifest_and_void_describe_every_file(release, graphs):
    manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
    names = {f["name"] for f in manifest["files"]}
    # Besides the dumps: the manifest, the description, the checksums, the store and the label index.
    assert names == {p.name for p in release.iterdir()} - {"build.json", "void.ttl", "SHA256SUMS", "store", "labels.json"}
    for entry in manifest["files"]:
        assert (release / entry["name"]).stat().st_size == entry["size"]
    void = Graph().parse(release / "void.ttl")
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    assert len(list(void.objects(DATASET, DCAT.distribution))) == len(manifest["files"])
    assert int(void.value(DATASET, VOID.triples)) == len(union(graphs, ALL_LAYERS))
    assert int(void.value(URIRef(graph_iri("inferred")), VOID.triples)) == len(graphs.graph(graph_iri("inferred")))
    assert void.value(DATASET, URIRef("http://purl.org/dc/terms/license")) is not None


def snapshot(root: Path) -> tuple[Path, dict]:
    current = (root / "build" / "current").resolve()
    return current, release_files(current)


def assert_intact(root: Path, before: tuple[Path, dict]) -> None:
    current, files = snapshot(root)
    assert current == before[0]
    assert files == before[1]
    assert verify_checksums(current) == []


def test_failed_build_leaves_previous_release_intact(project):
    build(Layout(project))
    before = snapshot(project)
    (project / "data" / "undated.ttl").write_text(INVALID_ACT, encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build(Layout(project))
    assert_intact(project, before)


def test_build_interrupted_while_writing_leaves_no_partial_release(project, monkeypatch):
    build(Layout(project))
    before = snapshot(project)
    import tdld.release.folder

    real = tdld.release.folder.write_dumps

    def write_then_fail(dataset, folder, *args, **kwargs):
        real(dataset, folder, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(tdld.release.folder, "write_dumps", write_then_fail)
    with pytest.raises(KeyboardInterrupt):
        build(Layout(project))
    assert_intact(project, before)
    assert [p.name for p in (project / "build" / "releases").iterdir() if p.name.startswith(".")] == []


def test_build_killed_while_writing_keeps_last_release_and_next_build_succeeds(project):
    build(Layout(project))
    before = snapshot(project)
    releases = project / "build" / "releases"
    process = subprocess.Popen([tdld_command(), "--root", str(project), "build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if any(p.name.startswith(".tmp-") and any(p.iterdir()) for p in releases.iterdir()):
            break
        time.sleep(0.01)
    assert process.poll() is None, "the build finished before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert_intact(project, before)
    result = build(Layout(project))
    assert verify_checksums(result.release) == []
    assert (project / "build" / "current").resolve() == result.release
    assert [p.name for p in releases.iterdir() if p.name.startswith(".")] == []
