"""SPARQL 1.1 Protocol: turn an HTTP request into a query and its dataset, or a clear 4xx."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus

from ..core.errors import Refused, SparqlError

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


@dataclass(frozen=True)
class QueryRequest:
    query: str | None
    default_graphs: tuple = ()
    named_graphs: tuple = ()
    format: str | None = None  # the ?format= parameter of a GET (its first value), which overrides Accept


def _single(pairs: list, name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise SparqlError(f"the parameter '{name}' is given {len(values)} times; give it once")
    return values[0] if values else None


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SparqlError(f"the {what} is not valid UTF-8 (byte {error.start})") from None


def _pairs(text: str) -> list:
    """parse_qsl with blank values kept; the common ``query=...`` alone is read without splitting."""
    if "&" not in text and text.startswith("query="):
        return [("query", unquote_plus(text[6:]))]
    return parse_qsl(text, keep_blank_values=True)


def parse_request(method: str, content_type: str | None, query_string: bytes, body: bytes) -> QueryRequest:
    """Read query, default-graph-uri and named-graph-uri the three ways the protocol allows."""
    url_pairs = _pairs(_decode(query_string, "URL"))
    media = (content_type or "").split(";")[0].strip().lower()
    if method == "GET":
        pairs = url_pairs
        query = _single(pairs, "query")
    elif method == "POST" and media == FORM:
        pairs = parse_qsl(_decode(body, "request body"), keep_blank_values=True)
        if any(k == "query" for k, _ in url_pairs):
            raise SparqlError("with a form POST, send 'query' in the body, not in the URL")
        query = _single(pairs, "query")
        pairs = pairs + [p for p in url_pairs if p[0] in ("default-graph-uri", "named-graph-uri")]
    elif method == "POST" and media == QUERY_BODY:
        pairs = url_pairs
        if any(k == "query" for k, _ in url_pairs):
            raise SparqlError("with application/sparql-query, the query is the body; do not repeat it in the URL")
        query = _decode(body, "request body")
    elif method == "POST" and media == UPDATE_BODY:
        raise Refused("SPARQL Update is not accepted here: this endpoint is read-only")
    elif method == "POST":
        raise SparqlError(f"unsupported content type {media or '(none)'!r}; use {FORM} or {QUERY_BODY}")
    else:
        raise SparqlError(f"method {method} is not allowed", status=405)
    updates = [v for k, v in pairs if k in ("update", "using-graph-uri", "using-named-graph-uri")]
    if updates and query is not None:
        raise SparqlError("'query' and 'update' cannot be sent together")
    if updates:
        raise Refused("SPARQL Update is not accepted here: this endpoint is read-only")
    if query is not None and not query.strip():
        raise SparqlError("the query is empty")
    return QueryRequest(
        query=query,
        default_graphs=tuple(v for k, v in pairs if k == "default-graph-uri"),
        named_graphs=tuple(v for k, v in pairs if k == "named-graph-uri"),
        format=next((v for k, v in url_pairs if k == "format"), None) if method == "GET" else None,
    )
