"""Serialise the built dataset into every download format, with checksums."""

import gzip
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .namespaces import PREFIXES, bind_prefixes, graph_iri


@dataclass(frozen=True)
class DumpFormat:
    """One downloadable serialisation: rdflib's name for it, its media type, and whether it has graphs."""

    extension: str
    rdflib_format: str
    media_type: str
    quads: bool = False
    gzipped: bool = False


TRIPLE_FORMATS = (
    DumpFormat("ttl", "turtle", "text/turtle"),
    DumpFormat("nt.gz", "nt", "application/n-triples", gzipped=True),
    DumpFormat("jsonld", "json-ld", "application/ld+json"),
    DumpFormat("rdf", "xml", "application/rdf+xml"),
)
QUAD_FORMATS = (
    DumpFormat("trig", "trig", "application/trig", quads=True),
    DumpFormat("nq.gz", "nquads", "application/n-quads", quads=True, gzipped=True),
)
ASSERTED_LAYERS = ("ontology", "vocabulary", "data", "mappings")
ALL_LAYERS = ASSERTED_LAYERS + ("inferred",)


@dataclass(frozen=True)
class DumpFile:
    name: str
    format: DumpFormat
    content: str  # "asserted", "full" or "graphs"
    size: int
    sha256: str


def merged(dataset: Dataset, layers) -> Graph:
    """One graph holding the triples of the given named graphs."""
    graph = Graph()
    bind_prefixes(graph)
    for layer in layers:
        for triple in dataset.graph(graph_iri(layer)):
            graph.add(triple)
    return graph


def serialise(target, fmt: DumpFormat) -> bytes:
    if fmt.rdflib_format == "json-ld":
        data = target.serialize(format="json-ld", context=dict(PREFIXES), indent=1, auto_compact=True)
    else:
        data = target.serialize(format=fmt.rdflib_format)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    # mtime=0 keeps gzip output identical for identical content.
    return gzip.compress(raw, mtime=0) if fmt.gzipped else raw


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_file(path: Path, data: bytes) -> None:
    """Write and flush to disk, so that a release is complete before it is published."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_dumps(dataset: Dataset, folder: Path, stem: str = "tdld") -> list[DumpFile]:
    """Write asserted and full (asserted + inferred) dumps, and the named-graph dumps."""
    files = []
    for content, layers in (("asserted", ASSERTED_LAYERS), ("full", ALL_LAYERS)):
        graph = merged(dataset, layers)
        for fmt in TRIPLE_FORMATS:
            name = f"{stem}.{fmt.extension}" if content == "asserted" else f"{stem}-full.{fmt.extension}"
            files.append(_write(folder / name, serialise(graph, fmt), fmt, content))
    quads = quad_store(dataset)
    for fmt in QUAD_FORMATS:
        files.append(_write(folder / f"{stem}.{fmt.extension}", serialise_quads(quads, fmt), fmt, "graphs"))
    return files


def quad_store(dataset: Dataset) -> ox.Store:
    """The named graphs in a pyoxigraph store, whose TriG/N-Quads writers are fast and exact."""
    store = ox.Store()
    for layer in ALL_LAYERS:
        ntriples = dataset.graph(graph_iri(layer)).serialize(format="nt", encoding="utf-8")
        store.load(ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(graph_iri(layer))))
    return store


def serialise_quads(store: ox.Store, fmt: DumpFormat) -> bytes:
    if fmt.extension == "trig":
        raw = store.dump(format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES))
    else:
        raw = store.dump(format=ox.RdfFormat.N_QUADS)
    return gzip.compress(raw, mtime=0) if fmt.gzipped else raw


def _write(path: Path, data: bytes, fmt: DumpFormat, content: str) -> DumpFile:
    write_file(path, data)
    return DumpFile(path.name, fmt, content, len(data), hashlib.sha256(data).hexdigest())


def checksum_lines(files) -> str:
    """The SHA256SUMS text, in the format ``sha256sum -c`` reads."""
    return "".join(f"{f.sha256}  {f.name}\n" for f in sorted(files, key=lambda f: f.name))


def verify_checksums(folder: Path) -> list[str]:
    """Names of files whose SHA-256 differs from SHA256SUMS (empty when all match)."""
    bad = []
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        expected, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file() or sha256_of(path) != expected:
            bad.append(name)
    return bad
