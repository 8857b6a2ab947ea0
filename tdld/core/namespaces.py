"""The IRIs tdld mints and the vocabularies it reuses, in one place."""

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SKOS,
    TIME,
    VANN,
    VOID,
    XSD,
)

BASE = "https://w3id.org/territorial-diplomacy/"

TDO = Namespace(BASE + "ontology#")
TDV = Namespace(BASE + "vocab/")
ONTOLOGY = URIRef(BASE + "ontology")
SCHEME = TDV["scheme"]
DATASET = URIRef(BASE + "dataset")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
BIBO = Namespace("http://purl.org/ontology/bibo/")
CITO = Namespace("http://purl.org/spar/cito/")
SCHEMA = Namespace("http://schema.org/")
SSSOM = Namespace("https://w3id.org/sssom/")
SEMAPV = Namespace("https://w3id.org/semapv/vocab/")
WD = Namespace("http://www.wikidata.org/entity/")
EUROVOC = Namespace("http://eurovoc.europa.eu/")
SH = Namespace("http://www.w3.org/ns/shacl#")
OWLRL_ERROR = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")

# provenance: which source states each fact of the curated tables (rdf:Statement records).
ASSERTED_LAYERS = ("ontology", "vocabulary", "data", "mappings", "provenance")
# What OWL RL reads: the records of who says what entail nothing, and would cost the reasoners time.
REASONED_LAYERS = ("ontology", "vocabulary", "data", "mappings")
GRAPH_NAMES = ASSERTED_LAYERS + ("inferred",)


def graph_iri(name: str) -> URIRef:
    """The IRI of one of the dataset's named graphs."""
    if name not in GRAPH_NAMES:
        raise ValueError(f"unknown graph {name!r}")
    return URIRef(f"{BASE}graph/{name}")


PREFIXES = {
    "tdo": str(TDO),
    "tdv": str(TDV),
    "actor": BASE + "id/actor/",
    "person": BASE + "id/person/",
    "act": BASE + "id/act/",
    "policy": BASE + "id/policy/",
    "partnership": BASE + "id/partnership/",
    "event": BASE + "id/event/",
    "place": BASE + "id/place/",
    "date": BASE + "id/date/",
    "work": BASE + "id/work/",
    "country": "http://publications.europa.eu/resource/authority/country/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "vann": str(VANN),
    "prov": str(PROV),
    "org": str(ORG),
    "time": str(TIME),
    "eli": str(ELI),
    "foaf": str(FOAF),
    "bibo": str(BIBO),
    "cito": str(CITO),
    "schema": str(SCHEMA),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sssom": str(SSSOM),
    "semapv": str(SEMAPV),
    "wd": str(WD),
    "eurovoc": str(EUROVOC),
}


def compact(iri: str, prefixes: dict = PREFIXES) -> str:
    """The CURIE of ``iri`` under the longest matching namespace, or the IRI itself."""
    best = ""
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace) and len(iri) > len(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(prefixes[best]):]}" if best else iri


def bind_prefixes(graph) -> None:
    """Give a graph or dataset tdld's prefixes, for readable serialisations."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)


def sparql_prologue() -> str:
    """PREFIX lines for every prefix tdld knows, for queries written by hand."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


ALL_GRAPHS = tuple(str(graph_iri(name)) for name in GRAPH_NAMES)
