"""RDF representations of what a page shows: a resource's description, a graph, the dataset."""


import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph

from ..core.namespaces import PREFIXES, bind_prefixes, graph_iri
from ..core.terms import to_oxigraph, to_rdflib
from ..release.jsonld import jsonld_of
from ..release.labels import LABEL_PREDICATES
from .knowledge import Knowledge

RDFLIB_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml", "ntriples": "nt"}


def _keep(term, lang: str | None) -> bool:
    return not (lang and isinstance(term, ox.Literal) and term.language and term.language != lang)


def description_graph(knowledge: Knowledge, iri: str, asserted_only: bool = False, lang: str | None = None) -> Graph:
    """The resource's own triples, the labels of what it links to, and its inbound links."""
    graph = Graph()
    bind_prefixes(graph)
    description = knowledge.describe(iri, asserted_only)
    subject = URIRef(iri)
    linked = set()
    for statement in description.outgoing:
        if not _keep(statement.value, lang):
            continue
        graph.add((subject, URIRef(statement.predicate), to_rdflib(statement.value)))
        if isinstance(statement.value, ox.NamedNode):
            linked.add(statement.value.value)
        elif isinstance(statement.value, ox.BlankNode):
            _add_blank(knowledge, statement.value, graph, lang, depth=0)
    for source, predicate, _inferred in description.inbound:
        graph.add((URIRef(source), URIRef(predicate), subject))
        linked.add(source)
    for other in linked:
        for language, text in knowledge.labels_of(other).items():
            if lang and language and language != lang:
                continue
            graph.add((URIRef(other), URIRef(LABEL_PREDICATES[1]), Literal(text, lang=language or None)))
    return graph


def _add_blank(knowledge: Knowledge, node, graph: Graph, lang, depth: int) -> None:
    if depth > 3:
        return
    for s, p, o in knowledge.blank_node_triples(node):
        if _keep(o, lang):
            graph.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
        if isinstance(o, ox.BlankNode):
            _add_blank(knowledge, o, graph, lang, depth + 1)


def named_graph(knowledge: Knowledge, name: str, lang: str | None = None) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for quad in knowledge.store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph_iri(name)))):
        if _keep(quad.object, lang):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def ontology_document(knowledge: Knowledge, lang: str | None = None, asserted_only: bool = False) -> Graph:
    """The ontology graph, plus (unless asserted only) what was inferred about its terms."""
    graph = named_graph(knowledge, "ontology", lang)
    if not asserted_only:
        inferred = named_graph(knowledge, "inferred", lang)
        for s, p, o in inferred:
            if str(s).startswith(PREFIXES["tdo"]):
                graph.add((s, p, o))
    return graph


def mapping_set_graph(knowledge: Knowledge, set_iri: str) -> Graph:
    """The mapping set and its sssom:Mapping nodes (hash IRIs of the set's document)."""
    graph = Graph()
    bind_prefixes(graph)
    for quad in knowledge.store.quads_for_pattern(None, None, None, ox.NamedNode(str(graph_iri("mappings")))):
        subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        if subject == set_iri or subject.startswith(set_iri + "#"):
            graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph


def void_graph(knowledge: Knowledge) -> Graph:
    """The release's VoID/DCAT description, with blank node labels derived from content.

    Parsing gives blank nodes fresh random labels; canonical ones make every process
    send the same bytes, so ETags and conditional requests hold across server workers.
    """
    parsed = Graph()
    parsed.parse(data=knowledge.void_turtle, format="turtle")
    graph = Graph()
    bind_prefixes(graph)
    for triple in to_canonical_graph(parsed):
        graph.add(triple)
    return graph


OXIGRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML, "ntriples": ox.RdfFormat.N_TRIPLES}


def serialise(graph: Graph, key: str) -> bytes:
    """The graph in one format, byte for byte the same in every process (so ETags agree).

    rdflib's writers follow its store's hash order, which changes from one process to the
    next; pyoxigraph writes sorted triples in order, and fast. JSON-LD is the dumps' writer.
    """
    triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph]
    triples.sort(key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    if key == "jsonld":
        return jsonld_of(triples)
    options = {"prefixes": used_prefixes(triples)} if key in ("turtle", "rdfxml") else {}
    return ox.serialize(triples, format=OXIGRAPH_FORMATS[key], **options)


def used_prefixes(triples) -> dict:
    """The prefixes that shorten at least one IRI of these triples, so documents declare no others."""
    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object) if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    return {prefix: ns for prefix, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}
