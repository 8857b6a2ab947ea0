"""The one JSON-LD writer: pyoxigraph's expanded JSON-LD, compacted with tdld's prefixes.

Dumps and per-resource documents both use it, so the same statement reads the same in both.
"""

import codecs
import functools
import io
import json
import re

import pyoxigraph as ox

from ..core.namespaces import PREFIXES, compact


def jsonld_of(triples) -> bytes:
    """Compact JSON-LD of ``triples``, in the order given (sort them for the same bytes every time)."""
    return compact_jsonld(ox.serialize(triples, format=ox.RdfFormat.JSON_LD))


# In pyoxigraph's expanded JSON-LD every string is a keyword, a blank node label, a language tag,
# an IRI or a literal's @value. Matched in one pass from the start, a @value is consumed whole
# (so no text inside a literal is ever touched) and every other string with a scheme is an IRI.
_VALUE_OR_IRI = re.compile(r'("@value":"(?:[^"\\]|\\.)*")|"([A-Za-z][A-Za-z0-9+.\-]*:[^"\\]*)"')


def _replace(match: re.Match) -> str:
    iri = match.group(2)
    return match.group(1) if iri is None else f'"{_curie(iri)}"'


def compact_jsonld(expanded: bytes) -> bytes:
    """Expanded JSON-LD made compact: a context of tdld's prefixes and CURIEs for IRIs.

    The text is rewritten in place (:class:`JsonLdCompactor`), never parsed into objects: a
    million-triple dump stays one string instead of millions of dicts.
    """
    out = io.BytesIO()
    compactor = JsonLdCompactor(out)
    compactor.write(expanded)
    compactor.close()
    return out.getvalue()


_HEAD = ('{"@context":' + json.dumps(dict(PREFIXES), ensure_ascii=False, separators=(",", ":")) + ',"@graph":').encode("utf-8")

# Where the text may be cut between two chunks: after a node or value object, before the next
# object. A string cannot hold this sequence unescaped (its quote before @ would end the string).
_BETWEEN_OBJECTS = '},{"@'


class JsonLdCompactor:
    """A writer that takes pyoxigraph's expanded JSON-LD in pieces and writes it compacted to ``sink``.

    It keeps at most a few megabytes: each piece is compacted up to the last place it can be cut.
    """

    CHUNK = 1 << 22

    def __init__(self, sink):
        self.sink = sink
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.pending = ""
        self.started = False
        self.whole = None  # not an array of nodes: compacted the general way at the end

    def write(self, data) -> int:
        self.pending += self.decoder.decode(bytes(data))
        if self.whole is None and len(self.pending) >= self.CHUNK:
            self._emit(final=False)
        return len(data)

    def flush(self) -> None:
        pass

    def _emit(self, final: bool) -> None:
        text = self.pending
        if not self.started:
            text = text.lstrip()
            if not text:
                return
            if not text.startswith("["):
                self.whole = text
                return
            self.sink.write(_HEAD)
            self.started = True
        if final:
            cut = len(text)
        else:
            cut = text.rfind(_BETWEEN_OBJECTS) + 1
            if cut <= 0:
                self.pending = text
                return
        self.sink.write(_VALUE_OR_IRI.sub(_replace, text[:cut]).encode("utf-8"))
        self.pending = text[cut:]

    def close(self) -> None:
        self.pending += self.decoder.decode(b"", final=True)
        if self.whole is not None:
            self.sink.write(_compact_parsed(json.loads(self.whole + self.pending)))
            return
        self._emit(final=True)
        if self.started:
            self.sink.write(b"}")
        else:  # nothing was written at all: an empty graph
            self.sink.write(_compact_parsed([]))


def _compact_parsed(nodes) -> bytes:
    if isinstance(nodes, dict):
        nodes = nodes.get("@graph", [nodes])
    document = {"@context": dict(PREFIXES), "@graph": [_compact_node(node) for node in nodes]}
    # No indent: json's C encoder only serves unindented output, 5x faster on large graphs.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@functools.lru_cache(maxsize=1 << 16)
def _curie(iri: str) -> str:
    """A CURIE JSON-LD expands back to ``iri``: never one whose local part starts with //."""
    short = compact(iri)
    return iri if short == iri or short.split(":", 1)[1].startswith("//") else short


def _compact_value(value):
    """One value object, changed in place (it comes straight from json.loads)."""
    if "@id" in value:
        value["@id"] = _curie(value["@id"])
    elif "@type" in value:
        value["@type"] = _curie(value["@type"])
    return value


def _compact_node(node: dict) -> dict:
    compacted = {}
    for key, values in node.items():
        if key == "@id":
            compacted[key] = _curie(values)
        elif key == "@type":
            compacted[key] = [_curie(v) for v in values] if isinstance(values, list) else _curie(values)
        elif key.startswith("@"):
            compacted[key] = values
        else:
            compacted[_curie(key)] = [_compact_value(v) for v in values] if isinstance(values, list) else values
    return compacted
