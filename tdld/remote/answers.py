"""Results documents from any store, normalised so that pyoxigraph reads them as the embedded store's."""

import json
import re

import pyoxigraph as ox

from ..core.http import error_reason
from ..sparql.guard import QUERY_FORMS, tokens
from .http import BLANK_LABEL_UNSAFE, VIRTUOSO_ASK, StoreError


def blank_label(label: str) -> str:
    """A label pyoxigraph accepts, the same for the same store label (``nodeID://b12`` -> ``nodeID___b12``)."""
    return BLANK_LABEL_UNSAFE.sub("_", label) or "b"


def normalise_binding(cell: dict) -> dict:
    """One RDF term of a JSON results document in the form SPARQL 1.1 specifies."""
    kind = cell.get("type")
    if kind == "typed-literal":
        cell = {"type": "literal", "value": cell["value"], "datatype": cell["datatype"]}
    elif kind == "bnode":
        cell = {"type": "bnode", "value": blank_label(cell["value"])}
    elif kind == "literal" and cell.get("datatype") and cell.get("xml:lang"):
        cell = {k: v for k, v in cell.items() if k != "datatype"}
    return cell


def normalise_results(document: dict, form: str) -> dict:
    """A SPARQL 1.1 JSON results document, whatever the store's dialect."""
    if "boolean" in document:
        return {"head": {}, "boolean": bool(document["boolean"])}
    variables = document.get("head", {}).get("vars", [])
    bindings = document.get("results", {}).get("bindings", [])
    if form == "ASK" and variables == [VIRTUOSO_ASK]:
        value = bindings[0][VIRTUOSO_ASK]["value"] if bindings else "0"
        return {"head": {}, "boolean": value in ("1", "true")}
    rows = [{name: normalise_binding(cell) for name, cell in row.items()} for row in bindings]
    return {"head": {"vars": variables}, "results": {"bindings": rows}}


def parse_results(body: bytes, form: str, where: str):
    """QuerySolutions or QueryBoolean from a store's JSON results."""
    try:
        document = normalise_results(json.loads(body), form)
        return ox.parse_query_results(json.dumps(document).encode("utf-8"), format=ox.QueryResultsFormat.JSON)
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, SyntaxError) as error:
        raise StoreError(f"the SPARQL store at {where} sent results that cannot be read ({error_reason(error)})") from None


def parse_triples(body: bytes, media_type: str, where: str) -> list:
    """The triples of a CONSTRUCT/DESCRIBE answer, in whichever RDF syntax the store chose."""
    fmt = ox.RdfFormat.from_media_type(media_type.split(";")[0].strip()) or ox.RdfFormat.N_TRIPLES
    try:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
    except (ValueError, SyntaxError) as error:
        raise StoreError(f"the SPARQL store at {where} sent RDF that cannot be read ({error_reason(error)})") from None


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query-form keyword outside strings and IRIs."""
    for kind, value in tokens(query):
        if kind == "word" and value.upper() in QUERY_FORMS:
            return value.upper()
    return "SELECT"


def from_named_graphs(query: str) -> tuple:
    """The graphs a query names in its own FROM NAMED clauses."""
    items = list(tokens(query))
    found = []
    for index in range(len(items) - 2):
        if items[index][1].upper() == "FROM" and items[index + 1][1].upper() == "NAMED" and items[index + 2][0] == "iri":
            found.append(items[index + 2][1][1:-1])
    return tuple(found)


def prologue(prefixes: dict | None, query: str = "") -> str:
    """PREFIX declarations for the prefixes the query uses, on one line so line numbers stay the user's."""
    used = {value.split(":", 1)[0] for kind, value in tokens(query) if kind == "pname"} if query else None
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in (prefixes or {}).items() if used is None or p in used)


SYNTAX_HINTS = re.compile(r"error at \d+:\d+|syntax|SP030|parse", re.I)
FIRST_LINE_POSITION = re.compile(r"\berror at 1:(\d+)")


def refusal_message(message: str, prologue_length: int) -> str:
    """The store's reason for refusing a query, with line-1 columns counted from the user's text."""
    def shift(match):
        return f"error at 1:{max(1, int(match.group(1)) - prologue_length)}"

    message = FIRST_LINE_POSITION.sub(shift, message)
    if SYNTAX_HINTS.search(message):
        return f"SPARQL syntax error: {message}"
    return f"the query could not be evaluated: {message}"


def nt(term) -> str:
    """A term as SPARQL syntax (N-Triples form is valid SPARQL for IRIs and literals)."""
    return str(term)
