"""The /sparql endpoint and its query page."""

import json
from importlib import resources

from flask import Response, render_template, request

from ..core.conneg import Representation, negotiate
from ..read.knowledge import Knowledge
from ..core.namespaces import GRAPH_NAMES, PREFIXES, graph_iri, sparql_prologue
from ..core.settings import Settings
from ..sparql.description import service_description
from ..sparql.errors import SparqlError
from ..sparql.formats import GRAPH_FORMATS, SOLUTION_FORMATS, choose
from ..sparql.answer import answer
from ..sparql.guard import Limits, check_query
from ..sparql.protocol import parse_request
from ..sparql.shortcut import shortcut_paths
from ..sparql.worker import Job, QueryPool
from ..core.namespaces import ALL_GRAPHS
from ..release.void import release_counts
from ..read.documents import serialise
from .headers import add_common, finish_complete, now_http_date
from .quick import QuickAnswers
from .respond import MAX_URL_PATH, page_language
from ..remote.runner import RemoteQueryRunner

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


def register(app, knowledge: Knowledge, settings: Settings, urls) -> "QueryPool | RemoteQueryRunner":
    pool = query_runner(knowledge, settings)
    graphs = ALL_GRAPHS
    limits = Limits(max_length=settings.sparql_max_length, service_allowlist=tuple(settings.service_allowlist),
                    graphs=graphs)
    # The release's VoID states the counts: no pass over the data at start-up, nor over the network.
    stated = release_counts(knowledge.release)
    counts = {name: stated.get(str(graph_iri(name)), 0) for name in GRAPH_NAMES}
    example_list = examples()
    # Bounded queries are answered here, on the store the pages read: no worker round trip.
    local_store = knowledge.store if isinstance(pool, QueryPool) else None
    # Transitive properties whose paths the closure answers exactly (checked by the build).
    closed_paths = frozenset(knowledge.manifest.get("closed_transitive_properties", ()))

    def evaluate(text: str, checked, default_graphs=(), named_graphs=(), fmt: str = "json") -> bytes:
        for iri in default_graphs + named_graphs:
            if iri not in graphs:
                raise SparqlError(f"unknown graph <{iri}>: this dataset's graphs are " + ", ".join(graphs))
        if local_store is not None and pool.union_default and not default_graphs and not named_graphs:
            text = shortcut_paths(text, PREFIXES, closed_paths)
        job = Job(text, checked.form, fmt, tuple(default_graphs), tuple(named_graphs), settings.sparql_max_results,
                  checked.predeclared)
        if checked.bounded and local_store is not None:
            return answer(local_store, job, pool.union_default)
        return pool.run(job)

    def quick(environ) -> tuple[str, bytes, bool] | None:
        """(content type, body, repeatable) of a bounded GET query answered here, or None for the usual path.

        Only answers that succeed are made here; anything else (an error, a page, a query
        that needs a worker) takes the Flask route, which says why.
        """
        if local_store is None:
            return None
        try:
            parsed = parse_request("GET", None, environ.get("QUERY_STRING", "").encode("latin-1"), b"")
            if parsed.query is None:
                return None
            accept = environ.get("HTTP_ACCEPT")
            if parsed.format is None and _html_wanted(accept):
                return None
            checked = check_query(parsed.query, limits, PREFIXES)
            if not checked.bounded:
                return None
            choice = choose(checked.form, accept, parsed.format)
            if choice is None:
                return None
            body = evaluate(parsed.query, checked, parsed.default_graphs, parsed.named_graphs, choice.key)
        except (SparqlError, UnicodeEncodeError):
            return None
        return _content_type(choice), body, checked.repeatable

    def quick_headers(content_type: str, body: bytes, repeatable: bool, accept_encoding: str):
        """The headers Flask's route and after-request step would give this answer, and the body to send."""
        headers = {"Content-Type": content_type, "Vary": "Accept",
                   "Cache-Control": "public, max-age=60" if repeatable else "no-store", **CORS}
        add_common(headers, "/sparql")
        body = finish_complete(headers, body, accept_encoding, knowledge.built)
        headers["Content-Length"] = str(len(body))
        headers["Date"] = now_http_date()
        return list(headers.items()), body

    app.wsgi_app = QuickAnswers(app.wsgi_app, "/sparql", quick, quick_headers, max_query_string=MAX_URL_PATH * 4)

    @app.route("/sparql", methods=["GET", "POST", "OPTIONS"])
    def sparql():
        if request.method == "OPTIONS":
            return Response(status=204, headers=CORS)
        try:
            parsed = parse_request(request.method, request.content_type, request.query_string,
                                   request.get_data(cache=False) if request.method == "POST" else b"")
            wants_page = request.args.get("format") is None and _html_wanted(request.headers.get("Accept"))
            if parsed.query is None:
                if request.method == "GET" and wants_page:
                    return _page(None)
                return _description()
            if wants_page and request.method == "GET":
                return _page(parsed.query)
            checked = check_query(parsed.query, limits, PREFIXES)
            choice = choose(checked.form, request.headers.get("Accept"),
                            request.args.get("format") or request.form.get("format"))
            if choice is None:
                names = ", ".join(r.media_type for r in (GRAPH_FORMATS if checked.form in ("CONSTRUCT", "DESCRIBE")
                                                          else SOLUTION_FORMATS))
                raise SparqlError(f"none of the accepted types is available for {checked.form}; available: {names}",
                                  status=406)
            body = evaluate(parsed.query, checked, parsed.default_graphs, parsed.named_graphs, choice.key)
            response = Response(body, status=200)
            response.headers["Content-Type"] = _content_type(choice)
            if not checked.repeatable:
                response.headers["Cache-Control"] = "no-store"
        except SparqlError as error:
            response = Response(f"{error.status} {error}\n", status=error.status, mimetype="text/plain")
            if error.retry_after:
                response.headers["Retry-After"] = str(error.retry_after)
        response.headers["Vary"] = "Accept"
        response.headers.setdefault("Cache-Control", "no-store" if request.method == "POST" else "public, max-age=60")
        response.headers.update(CORS)
        return response

    def _html_wanted(accept: str | None) -> bool:
        chosen = negotiate(accept, (HTML,) + SOLUTION_FORMATS + GRAPH_FORMATS)
        return chosen is not None and chosen.key == "html" and "text/html" in (accept or "")

    def _content_type(choice) -> str:
        return choice.media_type + ("; charset=utf-8" if choice.media_type.startswith("text/") else "")

    def _description() -> Response:
        chosen = negotiate(request.headers.get("Accept"), DESCRIPTION_FORMATS[1:]) or DESCRIPTION_FORMATS[1]
        graph = service_description(request.base_url, counts, tuple(settings.service_allowlist))
        response = Response(serialise(graph, chosen.key))
        response.headers["Content-Type"] = chosen.media_type
        return response

    def _page(query: str | None) -> Response:
        result = error = checked = None
        if query:
            try:
                checked = check_query(query, limits, PREFIXES)
                if checked.form in ("CONSTRUCT", "DESCRIBE"):
                    result = {"graph": evaluate(query, checked, fmt="turtle").decode("utf-8")}
                else:
                    data = json.loads(evaluate(query, checked, fmt="json"))
                    result = _table(data)
            except SparqlError as failure:
                error = str(failure)
        body = render_template("sparql.html", query=query or DEFAULT_QUERY, ran=query, result=result, error=error,
                               examples=example_list, endpoint="/sparql", lang=page_language())
        response = Response(body, status=200 if not error else 400, mimetype="text/html")
        if checked is not None and not checked.repeatable:
            response.headers["Cache-Control"] = "no-store"
        return response

    def _table(data: dict) -> dict:
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
                    row.append({"iri": cell["value"], "href": urls.href(cell["value"]),
                                "label": knowledge.label(cell["value"], page_language())})
                else:
                    row.append({"text": cell["value"], "lang": cell.get("xml:lang", "")})
            rows.append(row)
        return {"variables": variables, "rows": rows}

    return pool


def query_runner(knowledge, settings):
    """The endpoint's runner for the configured store: worker processes, or the remote store."""
    if settings.store == "embedded":
        from ..sparql.worker import QueryPool

        return QueryPool(knowledge.release, size=settings.sparql_workers, timeout=settings.sparql_timeout,
                         queue_timeout=settings.sparql_queue_timeout, memory_quads=settings.sparql_memory_quads)
    return RemoteQueryRunner(settings.store, timeout=settings.sparql_timeout, max_results=settings.sparql_max_results,
                             size=settings.sparql_workers, queue_timeout=settings.sparql_queue_timeout)
