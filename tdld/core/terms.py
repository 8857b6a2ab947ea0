"""Terms between rdflib and pyoxigraph: the one converter every layer uses."""

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def rdflib_triples(store: ox.Store, graph_name):
    """The triples of one named graph (or of all of them, once each) as rdflib terms."""
    convert = TermConverter()
    seen = set() if graph_name is None else None
    for quad in store.quads_for_pattern(None, None, None, graph_name):
        triple = (convert(quad.subject), convert(quad.predicate), convert(quad.object))
        if seen is not None:
            if triple in seen:
                continue
            seen.add(triple)
        yield triple


class TermConverter:
    """Terms of one library to the other's (pyoxigraph to rdflib unless told), each distinct term converted once."""

    def __init__(self, convert=None):
        self.cache = {}
        self.convert = convert or to_rdflib

    def __call__(self, term):
        found = self.cache.get(term)
        if found is None:
            found = self.cache[term] = self.convert(term)
        return found


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(term):
    """An rdflib term as a pyoxigraph term (blank node labels are kept)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if not isinstance(term, Literal):
        raise TypeError(f"unsupported term {term!r}")
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype is not None:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))
