"""Describe the dataset and its downloads in VoID and DCAT.

The counts are SPARQL aggregates over the pyoxigraph store that holds the release.
"""

from datetime import datetime

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from ..core.namespaces import (
    ALL_GRAPHS,
    BASE,
    DATASET,
    PREFIXES,
    bind_prefixes,
    graph_iri,
)
from ..core.version import VERSION as __version__
from .dump import ALL_LAYERS, DumpFile

SPDX = "http://spdx.org/rdf/terms#"
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
SOURCE = URIRef("https://ehne.fr/encyclopedia/themes/european-humanism/diplomatic-practices/territorial-diplomacy")


def download_iri(name: str) -> URIRef:
    return URIRef(f"{BASE}download/{name}")


COUNTS = """SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?p) AS ?properties)
    (COUNT(DISTINCT ?o) AS ?objects) (COUNT(DISTINCT IF(isIRI(?s), ?s, ?none)) AS ?entities)
WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } VALUES ?g { %s } } }"""
CLASSES = """SELECT ?class (COUNT(*) AS ?n)
WHERE { SELECT DISTINCT ?s ?class WHERE { GRAPH ?g { ?s a ?class } VALUES ?g { %s } } } GROUP BY ?class"""


def _graphs(layers) -> str:
    return " ".join(f"<{graph_iri(layer)}>" for layer in layers)


COUNTED = (("triples", VOID.triples), ("subjects", VOID.distinctSubjects), ("properties", VOID.properties),
           ("objects", VOID.distinctObjects), ("entities", VOID.entities))


def _counts(dataset: ox.Store, layers) -> dict:
    """VoID counts of the union of some named graphs, each triple counted once."""
    row = next(iter(dataset.query(COUNTS % _graphs(layers))))
    return {name: int(row[name].value) for name, _ in COUNTED}


def _add_counts(counts: dict, target: Graph, node) -> None:
    for name, predicate in COUNTED:
        target.add((node, predicate, Literal(counts[name])))


def measure(dataset: ox.Store) -> dict:
    """What the description counts, queried from the release's store: apart from describing, so that
    it runs while the dumps are written."""
    return {"layers": {layer: _counts(dataset, (layer,)) for layer in ALL_LAYERS},
            "all": _counts(dataset, ALL_LAYERS), "classes": _class_sizes(dataset, ALL_LAYERS)}


def _class_sizes(dataset: ox.Store, layers) -> dict:
    """Instances per class over the union of some named graphs."""
    return {_term(row["class"]): int(row["n"].value) for row in dataset.query(CLASSES % _graphs(layers))}


def _term(term):
    return URIRef(term.value) if isinstance(term, ox.NamedNode) else BNode(term.value)


def describe(measured: dict, files: list[DumpFile], built: datetime) -> Graph:
    """A VoID + DCAT description: counts per named graph, class partitions, distributions.

    ``measured`` is what :func:`measure` found in the release's store.
    """
    void = Graph()
    bind_prefixes(void)
    void.bind("spdx", SPDX)
    d = DATASET
    void.add((d, RDF.type, VOID.Dataset))
    void.add((d, RDF.type, DCAT.Dataset))
    void.add((d, DCTERMS.title, Literal("Territorial diplomacy as linked data", lang="en")))
    void.add((d, DCTERMS.title, Literal("La diplomatie territoriale en données liées", lang="fr")))
    void.add((d, DCTERMS.description, Literal(
        "An ontology, a concept scheme and sourced instance data about the foreign action of cities, "
        "regions and federated states, validated with SHACL and reasoned over with OWL 2 RL.", lang="en")))
    void.add((d, DCTERMS.license, LICENCE))
    void.add((d, DCTERMS.creator, Literal("tdld editors")))
    void.add((d, DCTERMS.source, SOURCE))
    void.add((d, DCTERMS.modified, Literal(built.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    void.add((d, OWL.versionInfo, Literal(__version__)))
    void.add((d, URIRef(str(DCAT) + "version"), Literal(__version__)))
    void.add((d, VOID.uriSpace, Literal(BASE)))
    for namespace in ("tdo", "tdv", "skos", "dcterms", "prov", "org", "time", "eli", "foaf", "bibo", "schema"):
        void.add((d, VOID.vocabulary, URIRef(PREFIXES[namespace])))
    for layer in ALL_LAYERS:
        subset = graph_iri(layer)
        void.add((d, VOID.subset, subset))
        void.add((subset, RDF.type, VOID.Dataset))
        void.add((subset, DCTERMS.title, Literal(f"{layer} graph", lang="en")))
        _add_counts(measured["layers"][layer], void, subset)
    _add_counts(measured["all"], void, d)
    classes = measured["classes"]
    void.add((d, VOID.classes, Literal(len(classes))))
    for cls, count in sorted(classes.items()):
        partition = BNode()
        void.add((d, VOID.classPartition, partition))
        void.add((partition, VOID["class"], cls))
        void.add((partition, VOID.entities, Literal(count)))
    for f in files:
        url = download_iri(f.name)
        void.add((d, VOID.dataDump, url))
        dist = BNode()
        void.add((d, DCAT.distribution, dist))
        void.add((dist, RDF.type, DCAT.Distribution))
        void.add((dist, DCAT.downloadURL, url))
        void.add((dist, DCAT.mediaType, URIRef(f"https://www.iana.org/assignments/media-types/{f.format.media_type}")))
        void.add((dist, DCTERMS["format"], Literal(f.format.media_type)))
        if f.format.gzipped:
            void.add((dist, DCAT.compressFormat, URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
        void.add((dist, DCAT.byteSize, Literal(f.size, datatype=XSD.nonNegativeInteger)))
        void.add((dist, DCTERMS.title, Literal(f"{f.content} dump, {f.format.media_type}", lang="en")))
        void.add((dist, DCTERMS.license, LICENCE))
        checksum = BNode()
        void.add((dist, URIRef(SPDX + "checksum"), checksum))
        void.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        void.add((checksum, URIRef(SPDX + "checksumValue"), Literal(f.sha256, datatype=XSD.hexBinary)))
    return void


def release_counts(release) -> dict:
    """Triples per named graph as the release's VoID description states them."""
    return stated_counts((release / "void.ttl").read_bytes())


def stated_counts(void_turtle: bytes) -> dict:
    """Triples per named graph as a VoID description in Turtle states them."""
    void = ox.Store()
    void.load(void_turtle, format=ox.RdfFormat.TURTLE)
    triples = ox.NamedNode("http://rdfs.org/ns/void#triples")
    counts = {}
    for graph in ALL_GRAPHS:
        for quad in void.quads_for_pattern(ox.NamedNode(graph), triples, None, None):
            counts[graph] = int(quad.object.value)
    return counts
