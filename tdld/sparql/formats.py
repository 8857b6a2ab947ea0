"""Result formats of the SPARQL 1.1 Protocol, and how a client asks for them."""

from dataclasses import dataclass

from ..core.conneg import Representation, negotiate

SOLUTION_FORMATS = (
    Representation("json", "application/sparql-results+json", "srj", ("application/json",), "JSON"),
    Representation("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml"), "XML"),
    Representation("csv", "text/csv", "csv", (), "CSV"),
    Representation("tsv", "text/tab-separated-values", "tsv", (), "TSV"),
)
GRAPH_FORMATS = (
    Representation("turtle", "text/turtle", "ttl", (), "Turtle"),
    Representation("ntriples", "application/n-triples", "nt", ("text/plain",), "N-Triples"),
    Representation("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml"), "RDF/XML"),
    Representation("jsonld", "application/ld+json", "jsonld", ("application/json",), "JSON-LD"),
    Representation("trig", "application/trig", "trig", (), "TriG"),
    Representation("nquads", "application/n-quads", "nq", (), "N-Quads"),
)
FORMAT_PARAMETER = {
    "json": "json", "srj": "json", "application/sparql-results+json": "json",
    "xml": "xml", "srx": "xml", "application/sparql-results+xml": "xml",
    "csv": "csv", "text/csv": "csv", "tsv": "tsv", "text/tab-separated-values": "tsv",
    "turtle": "turtle", "ttl": "turtle", "text/turtle": "turtle",
    "nt": "ntriples", "ntriples": "ntriples", "n-triples": "ntriples", "application/n-triples": "ntriples",
    "rdf": "rdfxml", "rdfxml": "rdfxml", "rdf/xml": "rdfxml", "application/rdf+xml": "rdfxml",
    "jsonld": "jsonld", "json-ld": "jsonld", "application/ld+json": "jsonld",
    "trig": "trig", "application/trig": "trig", "nq": "nquads", "nquads": "nquads", "application/n-quads": "nquads",
}
BY_KEY = {r.key: r for r in SOLUTION_FORMATS + GRAPH_FORMATS}


@dataclass(frozen=True)
class Choice:
    key: str
    media_type: str


def choose(form: str, accept: str | None, format_parameter: str | None) -> Choice | None:
    """The result format for a query form: ?format= first, then Accept; None means 406."""
    offered = GRAPH_FORMATS if form in ("CONSTRUCT", "DESCRIBE") else SOLUTION_FORMATS
    if format_parameter:
        key = FORMAT_PARAMETER.get(format_parameter.strip().lower())
        if key is None or BY_KEY[key] not in offered:
            names = ", ".join(r.extension for r in offered)
            from ..core.errors import SparqlError

            raise SparqlError(f"format {format_parameter!r} is not available for {form}; use one of: {names}", status=406)
        return Choice(key, BY_KEY[key].media_type)
    if accept and "text/html" in accept and "*/*" in accept and not any(
            r.media_type in accept for r in offered):
        # A browser following a link: answer in the default format rather than 406.
        accept = None
    chosen = negotiate(accept, offered)
    if chosen is None and form in ("CONSTRUCT", "DESCRIBE") and accept:
        # Clients that do not parse the query (roqet, some libraries) ask for results formats:
        # answer with the RDF syntax of the same family, as other endpoints do.
        if "sparql-results+xml" in accept:
            chosen = BY_KEY["rdfxml"]
        elif "sparql-results+json" in accept:
            chosen = BY_KEY["jsonld"]
    return Choice(chosen.key, chosen.media_type) if chosen else None
