"""The /sparql endpoint and its query page."""

import json
from importlib import resources

from flask import Blueprint, Response, current_app, render_template, request

from ..core.conneg import Representation, negotiate
from ..core.errors import SparqlError
from ..core.namespaces import (
    ALL_GRAPHS,
    GRAPH_NAMES,
    PREFIXES,
    graph_iri,
    sparql_prologue,
)
from ..core.settings import Settings
from ..read.documents import serialise
from ..read.knowledge import Knowledge
from ..release.void import release_counts
from ..remote.runner import RemoteQueryRunner
from ..sparql.answer import answer
from ..sparql.description import service_description
from ..sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS, choose
from ..sparql.guard import Limits, check_query
from ..sparql.protocol import parse_request
from ..sparql.shortcut import shortcut_paths
from ..sparql.worker import Job, QueryPool
from .headers import add_common, finish_complete, now_http_date
from .quick import QuickAnswers
from .respond import MAX_URL_PATH, page_language

HTML = Representation("html", "text/html", "html", (), "HTML")
DESCRIPTION_FORMATS = (HTML,) + tuple(r for r in GRAPH_FORMATS if r.key in ("turtle", "rdfxml", "jsonld", "ntriples"))
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Max-Age": "86400",
}
DEFAULT_QUERY = sparql_prologue() + """
SELECT ?concept ?label WHERE {
  ?concept a skos:Concept ; skos:prefLabel ?label .
  FILTER(LANG(?label) = "en")
} ORDER BY ?label LIMIT 50"""


def examples() -> list[dict]:
    """The competency questions shipped with tdld, as example queries."""
    folder = resources.files("tdld") / "examples"
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            text = entry.read_text(encoding="utf-8")
            title = text.splitlines()[0].removeprefix("# Question:").strip()
            found.append({"name": entry.name.removesuffix(".rq"), "title": title, "query": text})
    return found


bp = Blueprint("sparql", __name__)


class Endpoint:
    """The endpoint of one app: its query runner, limits and the release's facts it needs at hand."""

    def __init__(self, knowledge: Knowledge, settings: Settings, urls):
        self.knowledge, self.settings, self.urls = knowledge, settings, urls
        self.pool = query_runner(knowledge, settings)
        self.graphs = ALL_GRAPHS
        self.limits = Limits(max_length=settings.sparql_max_length,
                             service_allowlist=tuple(settings.service_allowlist), graphs=self.graphs)
        # The release's VoID states the counts: no pass over the data at start-up, nor over the network.
        stated = release_counts(knowledge.release)
        self.counts = {name: stated.get(str(graph_iri(name)), 0) for name in GRAPH_NAMES}
        self.examples = examples()
        # Bounded queries are answered here, on the store the pages read: no worker round trip.
        self.local_store = knowledge.store if isinstance(self.pool, QueryPool) else None
        # Transitive properties whose paths the closure answers exactly (checked by the build).
        self.closed_paths = frozenset(knowledge.manifest.get("closed_transitive_properties", ()))

    def evaluate(self, text: str, checked, default_graphs=(), named_graphs=(), fmt: str = "json") -> bytes:
        for iri in default_graphs + named_graphs:
            if iri not in self.graphs:
                raise SparqlError(f"unknown graph <{iri}>: this dataset's graphs are " + ", ".join(self.graphs))
        if self.local_store is not None and self.pool.union_default and not default_graphs and not named_graphs:
            text = shortcut_paths(text, PREFIXES, self.closed_paths)
        job = Job(text, checked.form, fmt, tuple(default_graphs), tuple(named_graphs),
                  self.settings.sparql_max_results, checked.predeclared)
        if checked.bounded and self.local_store is not None:
            return answer(self.local_store, job, self.pool.union_default)
        return self.pool.run(job)

    def quick(self, environ) -> tuple[str, bytes, bool] | None:
        """(content type, body, repeatable) of a bounded GET query answered here, or None for the usual path.

        Only answers that succeed are made here; anything else (an error, a page, a query
        that needs a worker) takes the Flask route, which says why.
        """
        if self.local_store is None:
            return None
        try:
            parsed = parse_request("GET", None, environ.get("QUERY_STRING", "").encode("latin-1"), b"")
            if parsed.query is None:
                return None
            accept = environ.get("HTTP_ACCEPT")
            if parsed.format is None and html_wanted(accept):
                return None
            checked = check_query(parsed.query, self.limits, PREFIXES)
            if not checked.bounded:
                return None
            choice = choose(checked.form, accept, parsed.format)
            if choice is None:
                return None
            body = self.evaluate(parsed.query, checked, parsed.default_graphs, parsed.named_graphs, choice.key)
        except (SparqlError, UnicodeEncodeError):
            return None
        return content_type(choice), body, checked.repeatable

    def quick_headers(self, media_type: str, body: bytes, repeatable: bool, accept_encoding: str):
        """The headers Flask's route and after-request step would give this answer, and the body to send."""
        headers = {"Content-Type": media_type, "Vary": "Accept",
                   "Cache-Control": "public, max-age=60" if repeatable else "no-store", **CORS}
        add_common(headers, "/sparql")
        body = finish_complete(headers, body, accept_encoding, self.knowledge.built)
        headers["Content-Length"] = str(len(body))
        headers["Date"] = now_http_date()
        return list(headers.items()), body

    def table(self, data: dict) -> dict:
        """SPARQL JSON results as the query page shows them: IRIs linked and labelled."""
        if "boolean" in data:
            return {"boolean": data["boolean"]}
        variables = data["head"]["vars"]
        rows = []
        for binding in data["results"]["bindings"]:
            row = []
            for variable in variables:
                cell = binding.get(variable)
                if cell is None:
                    row.append(None)
                elif cell["type"] == "uri":
                    row.append({"iri": cell["value"], "href": self.urls.href(cell["value"]),
                                "label": self.knowledge.label(cell["value"], page_language())})
                else:
                    row.append({"text": cell["value"], "lang": cell.get("xml:lang", "")})
            rows.append(row)
        return {"variables": variables, "rows": rows}


def init_app(app, knowledge: Knowledge, settings: Settings, urls) -> "QueryPool | RemoteQueryRunner":
    """Set up the endpoint of ``app`` and its quick path for bounded GETs; returns its query runner."""
    app.extensions["tdld.sparql"] = endpoint = Endpoint(knowledge, settings, urls)
    app.wsgi_app = QuickAnswers(app.wsgi_app, "/sparql", endpoint.quick, endpoint.quick_headers,
                                max_query_string=MAX_URL_PATH * 4)
    app.register_blueprint(bp)
    return endpoint.pool


def endpoint() -> Endpoint:
    return current_app.extensions["tdld.sparql"]


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql():
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    parsed = parse_request(request.method, request.content_type, request.query_string,
                           request.get_data(cache=False) if request.method == "POST" else b"")
    wants_page = request.args.get("format") is None and html_wanted(request.headers.get("Accept"))
    if parsed.query is None:
        return query_page(None) if request.method == "GET" and wants_page else description()
    if wants_page and request.method == "GET":
        return query_page(parsed.query)
    checked = check_query(parsed.query, endpoint().limits, PREFIXES)
    choice = choose(checked.form, request.headers.get("Accept"),
                    request.args.get("format") or request.form.get("format"))
    if choice is None:
        names = ", ".join(r.media_type for r in (GRAPH_FORMATS if checked.form in ("CONSTRUCT", "DESCRIBE")
                                                  else SOLUTION_FORMATS))
        raise SparqlError(f"none of the accepted types is available for {checked.form}; available: {names}",
                          status=406)
    body = endpoint().evaluate(parsed.query, checked, parsed.default_graphs, parsed.named_graphs, choice.key)
    response = Response(body, status=200)
    response.headers["Content-Type"] = content_type(choice)
    if not checked.repeatable:
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.after_request
def protocol_headers(response: Response) -> Response:
    """Every answer of the endpoint, errors included: negotiated, cacheable only as GET, open to any origin."""
    if request.method != "OPTIONS":
        response.headers["Vary"] = "Accept"
        response.headers.setdefault("Cache-Control", "no-store" if request.method == "POST" else "public, max-age=60")
    response.headers.update(CORS)
    return response


def html_wanted(accept: str | None) -> bool:
    chosen = negotiate(accept, (HTML,) + SOLUTION_FORMATS + GRAPH_FORMATS)
    return chosen is not None and chosen.key == "html" and "text/html" in (accept or "")


def content_type(choice) -> str:
    return choice.media_type + ("; charset=utf-8" if choice.media_type.startswith("text/") else "")


def description() -> Response:
    """The SPARQL 1.1 Service Description, for a request without a query."""
    chosen = negotiate(request.headers.get("Accept"), DESCRIPTION_FORMATS[1:]) or DESCRIPTION_FORMATS[1]
    graph = service_description(request.base_url, endpoint().counts, tuple(endpoint().settings.service_allowlist))
    response = Response(serialise(graph, chosen.key))
    response.headers["Content-Type"] = chosen.media_type
    return response


def query_page(query: str | None) -> Response:
    """The query page, with the results of ``query`` when one was sent."""
    result = error = checked = None
    if query:
        try:
            checked = check_query(query, endpoint().limits, PREFIXES)
            if checked.form in ("CONSTRUCT", "DESCRIBE"):
                result = {"graph": endpoint().evaluate(query, checked, fmt="turtle").decode("utf-8")}
            else:
                result = endpoint().table(json.loads(endpoint().evaluate(query, checked, fmt="json")))
        except SparqlError as failure:
            error = str(failure)
    body = render_template("sparql.html", query=query or DEFAULT_QUERY, ran=query, result=result, error=error,
                           examples=endpoint().examples, endpoint="/sparql", lang=page_language())
    response = Response(body, status=200 if not error else 400, mimetype="text/html")
    if checked is not None and not checked.repeatable:
        response.headers["Cache-Control"] = "no-store"
    return response


def query_runner(knowledge, settings):
    """The endpoint's runner for the configured store: worker processes, or the remote store."""
    if settings.store == "embedded":
        from ..sparql.worker import QueryPool

        return QueryPool(knowledge.release, size=settings.sparql_workers, timeout=settings.sparql_timeout,
                         queue_timeout=settings.sparql_queue_timeout, memory_quads=settings.sparql_memory_quads)
    return RemoteQueryRunner(settings.store, timeout=settings.sparql_timeout, max_results=settings.sparql_max_results,
                             size=settings.sparql_workers, queue_timeout=settings.sparql_queue_timeout)
