"""Serialise the built dataset into every download format, with checksums.

The dataset is a pyoxigraph store holding the six named graphs; pyoxigraph writes
every format 40-50x faster than rdflib. Its JSON-LD is expanded, so it is compacted
here with tdld's prefixes as the context.
"""

import gzip
import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from ..core.files import sha256_of, write_file
from ..core.namespaces import ASSERTED_LAYERS, GRAPH_NAMES, PREFIXES, graph_iri
from .jsonld import compact_jsonld


@dataclass(frozen=True)
class DumpFormat:
    """One downloadable serialisation: its name for rdflib and pyoxigraph, its media type, whether it has graphs."""

    extension: str
    rdflib_format: str
    media_type: str
    oxigraph_format: ox.RdfFormat
    quads: bool = False
    gzipped: bool = False


TRIPLE_FORMATS = (
    DumpFormat("ttl", "turtle", "text/turtle", ox.RdfFormat.TURTLE),
    DumpFormat("nt.gz", "nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, gzipped=True),
    DumpFormat("jsonld", "json-ld", "application/ld+json", ox.RdfFormat.JSON_LD),
    DumpFormat("rdf", "xml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
)
QUAD_FORMATS = (
    DumpFormat("trig", "trig", "application/trig", ox.RdfFormat.TRIG, quads=True),
    DumpFormat("nq.gz", "nquads", "application/n-quads", ox.RdfFormat.N_QUADS, quads=True, gzipped=True),
)
ALL_LAYERS = GRAPH_NAMES


@dataclass(frozen=True)
class DumpFile:
    name: str
    format: DumpFormat
    content: str  # "asserted", "full" or "graphs"
    size: int
    sha256: str


def merged(dataset: ox.Store, layers) -> ox.Store:
    """One store whose default graph holds the triples of the given named graphs, once each."""
    graph = ox.Store()
    graph.extend(ox.Quad(q.subject, q.predicate, q.object)
                 for layer in layers for q in dataset.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(layer))))
    return graph


def serialise(graph: ox.Store, fmt: DumpFormat) -> bytes:
    """A triple format from the store's default graph, gzipped when the format says so."""
    raw = graph.dump(format=fmt.oxigraph_format, from_graph=ox.DefaultGraph(), prefixes=dict(PREFIXES))
    if fmt.oxigraph_format == ox.RdfFormat.JSON_LD:
        raw = compact_jsonld(raw)
    return gzipped(raw) if fmt.gzipped else raw


def gzipped(raw: bytes) -> bytes:
    """mtime=0 keeps the output identical for identical content; level 6 is 2-3x faster than 9."""
    return gzip.compress(raw, compresslevel=6, mtime=0)


CONTENTS = ("asserted", "full", "graphs")


def write_dumps(dataset: ox.Store, folder: Path, stem: str = "tdld", contents=CONTENTS) -> list[DumpFile]:
    """Write asserted and full (asserted + inferred) dumps, and the named-graph dumps, or those of ``contents``.

    The files are written by a few threads at once: pyoxigraph serialises and gzip compresses
    without holding the interpreter, so the cores share the work. The list keeps one order.
    The asserted dumps read only the asserted graphs: they may be written before the inferred one exists.
    """
    tasks = []
    for content, layers in (("asserted", ASSERTED_LAYERS), ("full", ALL_LAYERS)):
        if content not in contents:
            continue
        graph = merged(dataset, layers)
        for fmt in TRIPLE_FORMATS:
            name = f"{stem}.{fmt.extension}" if content == "asserted" else f"{stem}-full.{fmt.extension}"
            tasks.append((folder / name, partial(serialise, graph, fmt), fmt, content))
    if "graphs" in contents:
        for fmt in QUAD_FORMATS:
            tasks.append((folder / f"{stem}.{fmt.extension}", partial(serialise_quads, dataset, fmt), fmt, "graphs"))
    with ThreadPoolExecutor(max_workers=min(len(tasks), os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda task: _write(task[0], task[1](), task[2], task[3]), tasks))


def serialise_quads(store: ox.Store, fmt: DumpFormat) -> bytes:
    prefixes = dict(PREFIXES) if fmt.extension == "trig" else None
    raw = store.dump(format=fmt.oxigraph_format, prefixes=prefixes)
    return gzipped(raw) if fmt.gzipped else raw


def _write(path: Path, data: bytes, fmt: DumpFormat, content: str) -> DumpFile:
    write_file(path, data)
    return DumpFile(path.name, fmt, content, len(data), hashlib.sha256(data).hexdigest())


def verify_checksums(folder: Path) -> list[str]:
    """Names of files whose SHA-256 differs from SHA256SUMS (empty when all match)."""
    bad = []
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        expected, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file() or sha256_of(path) != expected:
            bad.append(name)
    return bad
