"""Does a body really parse as the format it claims? Pure functions over bytes.

Documents are parsed with rdflib, as a typical client would; dumps with pyoxigraph,
which reads every download format (TriG and N-Quads too) many times faster. Neither
fetches anything: a JSON-LD body naming a remote context is refused before parsing
(rdflib would fetch it), and pyoxigraph has no loader for remote contexts.
"""

import html
import json
import zlib

import pyoxigraph as ox
from rdflib import Graph

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}


class Unparsable(ValueError):
    """The body is not what its media type says, in one line."""


def parse_document(body: bytes, media_type: str, location: str) -> Graph:
    """An RDF document as an rdflib graph; relative IRIs resolve against ``location``."""
    name = RDFLIB_FORMATS.get(media_type)
    if name is None:
        raise Unparsable(f"{media_type or 'no media type'} is not an RDF format")
    if name == "json-ld":
        _refuse_remote_contexts(body)
    graph = Graph()
    try:
        graph.parse(data=body, format=name, publicID=location)
    except Exception as error:  # noqa: BLE001 - rdflib raises many kinds; each means "does not parse"
        raise Unparsable(f"not valid {media_type}: {_first_line(error)}") from None
    return graph


def _refuse_remote_contexts(body: bytes) -> None:
    try:
        document = json.loads(body)
    except ValueError as error:
        raise Unparsable(f"not valid JSON: {_first_line(error)}") from None
    for context in _contexts(document):
        if isinstance(context, str) or (isinstance(context, dict) and "@import" in context):
            raise Unparsable("names a remote JSON-LD context; not fetched")


def _contexts(node):
    """Every @context value in a JSON document, flattened out of lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "@context":
                yield from (value if isinstance(value, list) else [value])
            else:
                yield from _contexts(value)
    elif isinstance(node, list):
        for item in node:
            yield from _contexts(item)


def gunzip(body: bytes, cap: int) -> bytes:
    """Decompressed bytes, refusing more than ``cap`` (a small file may inflate enormously)."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        out = inflater.decompress(body, cap + 1)
    except zlib.error as error:
        raise Unparsable(f"not valid gzip: {error}") from None
    if len(out) > cap or inflater.unconsumed_tail:
        raise Unparsable(f"inflates beyond {cap} bytes; not parsed")
    if not inflater.eof:
        raise Unparsable("truncated gzip stream")
    return out


def count_statements(body: bytes, media_type: str) -> int:
    """How many triples or quads a dump holds, parsed as ``media_type``."""
    fmt = ox.RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise Unparsable(f"{media_type} is not an RDF format pyoxigraph reads")
    try:
        return sum(1 for _ in ox.parse(body, format=fmt))
    except (SyntaxError, ValueError, OSError) as error:
        raise Unparsable(f"not valid {media_type}: {_first_line(error)}") from None


def html_names(body: bytes, iri: str) -> bool:
    """Whether an HTML page is about ``iri``: it shows the IRI, or anchors its fragment."""
    text = body.decode("utf-8", errors="replace")
    if "<html" not in text[:2048].lower():
        return False
    fragment = iri.partition("#")[2]
    if fragment:
        return f'id="{html.escape(fragment)}"' in text
    return iri in text or html.escape(iri) in text


def _first_line(error: Exception) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:200]
