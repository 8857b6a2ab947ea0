"""Serialise the built dataset into every download format, with checksums.

The dataset is a pyoxigraph store holding the six named graphs; pyoxigraph writes
every format 40-50x faster than rdflib. Its JSON-LD is expanded, so it is compacted
here with tdld's prefixes as the context.
"""

import gzip
import hashlib
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox

from ..core.files import sha256_of
from ..core.namespaces import ASSERTED_LAYERS, GRAPH_NAMES, PREFIXES, graph_iri
from .jsonld import JsonLdCompactor


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
    graph.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                 for layer in layers for q in dataset.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(layer))))
    return graph


class CountingFile:
    """A dump file being written: what passes through is counted and hashed, then synced on close.

    The dumps are streamed to disk this way, never held whole in memory.
    """

    def __init__(self, path: Path):
        self.handle = path.open("wb")
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        self.handle.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        self.handle.flush()

    def close(self) -> None:
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()


def _stream(out: CountingFile, fmt: DumpFormat, write) -> None:
    """Run ``write(sink)`` into ``out``: through gzip (mtime=0: the same bytes for the same content;
    level 6 is 2-3x faster than 9) and, for JSON-LD, through the compaction."""
    sink = gzip.GzipFile(fileobj=out, mode="wb", compresslevel=6, mtime=0) if fmt.gzipped else out
    compacting = JsonLdCompactor(sink) if fmt.oxigraph_format == ox.RdfFormat.JSON_LD else None
    write(compacting or sink)
    if compacting is not None:
        compacting.close()
    if sink is not out:
        sink.close()


def serialise_triples(graph: ox.Store, fmt: DumpFormat, sink) -> None:
    """A triple format from the store's default graph."""
    graph.dump(sink, format=fmt.oxigraph_format, from_graph=ox.DefaultGraph(), prefixes=dict(PREFIXES))


def serialise(graph: ox.Store, fmt: DumpFormat) -> bytes:
    """A triple format of the store's default graph in memory, written the way the dump files are."""
    buffer = io.BytesIO()
    _stream(buffer, fmt, partial(serialise_triples, graph, fmt))
    return buffer.getvalue()


def serialise_quads(store: ox.Store, fmt: DumpFormat, sink) -> None:
    prefixes = dict(PREFIXES) if fmt.extension == "trig" else None
    store.dump(sink, format=fmt.oxigraph_format, prefixes=prefixes)


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
            tasks.append((folder / name, partial(serialise_triples, graph, fmt), fmt, content))
    if "graphs" in contents:
        for fmt in QUAD_FORMATS:
            tasks.append((folder / f"{stem}.{fmt.extension}", partial(serialise_quads, dataset, fmt), fmt, "graphs"))
    with ThreadPoolExecutor(max_workers=min(len(tasks), os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda task: _write(*task), tasks))


def _write(path: Path, write, fmt: DumpFormat, content: str) -> DumpFile:
    if not fmt.gzipped and fmt.oxigraph_format != ox.RdfFormat.JSON_LD:
        # Nothing to do on the way: pyoxigraph writes the file itself, without a call back into
        # the interpreter per piece, and the file is read back once for its checksum.
        write(str(path))
        with path.open("rb+") as handle:
            os.fsync(handle.fileno())
        return DumpFile(path.name, fmt, content, path.stat().st_size, sha256_of(path))
    out = CountingFile(path)
    try:
        _stream(out, fmt, write)
    finally:
        out.close()
    return DumpFile(path.name, fmt, content, out.size, out.digest.hexdigest())


def verify_checksums(folder: Path) -> list[str]:
    """Names of files whose SHA-256 differs from SHA256SUMS (empty when all match)."""
    bad = []
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        expected, _, name = line.partition("  ")
        path = folder / name
        if not path.is_file() or sha256_of(path) != expected:
            bad.append(name)
    return bad
