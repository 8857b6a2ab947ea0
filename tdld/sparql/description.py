"""A truthful SPARQL 1.1 Service Description of this endpoint."""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, VOID

from ..core.namespaces import GRAPH_NAMES, bind_prefixes, graph_iri

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")
RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                  "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads")


def service_description(endpoint: str, counts: dict, services: tuple = ()) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("sd", SD)
    service = URIRef(endpoint)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    for name in RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if services:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
        for allowed in services:
            graph.add((service, RDFS.seeAlso, URIRef(allowed)))
    graph.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    graph.add((service, RDFS.comment, Literal(
        "Read-only. Queries are evaluated with simple entailment over the union of the named graphs "
        "(the default graph is that union). The OWL 2 RL closure of the data is materialised in advance "
        f"in the named graph <{graph_iri('inferred')}>; leave it out with FROM or default-graph-uri to query "
        "asserted statements only. SPARQL Update, LOAD and SERVICE to endpoints outside the allowlist are refused.",
        lang="en")))
    # Fixed blank node labels: the same description is the same bytes, so its ETag holds.
    dataset = BNode("dataset")
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode("default-graph")
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, DCTERMS.description, Literal("the union of all named graphs", lang="en")))
    graph.add((default, VOID.triples, Literal(sum(counts.values()))))
    for name in GRAPH_NAMES:
        named = BNode(f"named-{name}")
        inner = BNode(f"graph-{name}")
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, graph_iri(name)))
        graph.add((named, SD.graph, inner))
        graph.add((inner, RDF.type, SD.Graph))
        graph.add((inner, VOID.triples, Literal(counts.get(name, 0))))
        if name == "inferred":
            graph.add((named, DCTERMS.description, Literal(
                "triples entailed under OWL 2 RL (owlrl) and not asserted", lang="en")))
    return graph
