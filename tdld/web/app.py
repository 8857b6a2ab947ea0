"""App factory: receives a loaded release and never parses source Turtle itself."""

import re

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import DCTERMS, VOID
from flask import Flask, Response, abort, jsonify, redirect, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from . import svg
from ..read import pages as views
from ..core.conneg import REPRESENTATIONS
from ..read.knowledge import Knowledge
from ..core.namespaces import GRAPH_NAMES, TDV, compact
from ..remote import StoreError
from ..read.documents import description_graph, mapping_set_graph, named_graph, ontology_document, void_graph
from ..core.urls import DOC_PREFIX, UrlMap
from ..core.settings import Settings
from .i18n import LANGUAGES, translate
from .cache import ResponseCache
from .headers import add_common, finish_complete, security_headers
from .ratelimit import RateLimited, RateLimiter
from .sparql import register as register_sparql
from .versions import register as register_versions
from ..release.history import History
from .reconcile import register as register_reconcile
from .respond import BUILD_FILES, MAX_URL_PATH, NotAcceptable, negotiated, page_language, render, split_extension

IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`]")


def create_app(knowledge: Knowledge, base: str | None = None, settings: Settings | None = None,
               enable_sparql: bool = True, history: History | None = None) -> Flask:
    """The app over one loaded build; ``enable_sparql=False`` for the static export.

    ``history``: the numbered releases, served under /versions, /version/ and /diff/.
    """
    settings = settings or Settings()
    base = base or settings.base
    app = Flask(__name__)
    # Never debug mode, whatever FLASK_DEBUG says: a public server must not show tracebacks.
    app.config.update(DEBUG=False, PROPAGATE_EXCEPTIONS=False, TRAP_HTTP_EXCEPTIONS=False)
    app.config["KNOWLEDGE"] = knowledge
    urls = UrlMap(base)
    app.config["URLS"] = urls
    app.json.ensure_ascii = False
    sparql_path = "/sparql" if enable_sparql else None
    if enable_sparql:
        app.config["SPARQL_POOL"] = register_sparql(app, knowledge, settings, urls)
    register_reconcile(app, knowledge, urls)
    history = history if history is not None else History(None)

    @app.context_processor
    def template_helpers():
        lang = page_language()
        return {"t": lambda key: translate(key, lang), "lang": lang, "languages": LANGUAGES,
                "version": knowledge.version, "built": knowledge.built, "compact": compact,
                "sparql_path": sparql_path, "lang_url": _lang_url,
                "versions_path": "/versions" if history.folder is not None else None}

    def _lang_url(code: str) -> str:
        args = request.args.to_dict()
        args["lang"] = code
        return request.path + "?" + "&".join(f"{k}={_quote(v)}" for k, v in sorted(args.items()))

    # -- linked data ------------------------------------------------------------------
    @app.get("/ontology")
    @app.get("/ontology.<ext>")
    def ontology(ext=None):
        if ext is not None and ext not in {r.extension for r in REPRESENTATIONS}:
            abort(404)
        asserted_only = _asserted_only()
        return negotiated(
            "/ontology", ext,
            lambda lang: _ontology_page(knowledge, lang),
            lambda lang: ontology_document(knowledge, lang, asserted_only),
        )

    @app.get("/graph/<name>")
    def graph(name):
        stem, ext = split_extension(name)
        if stem not in GRAPH_NAMES:
            abort(404)
        return negotiated(
            f"/graph/{stem}", ext,
            lambda lang: render("graph.html", name=stem, count=len(named_graph(knowledge, stem)), iri=base + "graph/" + stem),
            lambda lang: named_graph(knowledge, stem, lang),
        )

    @app.get("/mappings/<name>")
    def mapping_set(name):
        """A mapping set with every mapping and its evidence (justification, confidence, reviewer)."""
        stem, ext = split_extension(name)
        set_iri = _checked_iri(base + "mappings/" + stem)
        if not knowledge.exists(set_iri):
            return not_found_page(set_iri)
        return negotiated(
            f"/mappings/{stem}", ext,
            lambda lang: render("mappings.html", iri=set_iri, name=stem,
                                rows=views.mapping_rows(knowledge, set_iri, lang, urls)),
            lambda lang: mapping_set_graph(knowledge, set_iri),
        )

    @app.get("/id/<path:rest>")
    @app.get("/vocab/<path:rest>")
    @app.get("/dataset", defaults={"rest": None})
    def thing(rest):
        """Slash IRIs of things answer 303 See Other with their document (Cool URIs)."""
        local = request.path.lstrip("/")
        stem, ext = split_extension(local)
        iri = _checked_iri(base + stem)
        if iri != knowledge.dataset_iri and not knowledge.exists(iri):
            return not_found_page(iri)
        target = DOC_PREFIX + stem + (f".{ext}" if ext else "")
        if request.query_string:
            target += "?" + request.query_string.decode("latin-1")
        response = redirect(target, code=303)
        response.headers["Vary"] = "Accept"
        return response

    @app.get("/doc/<path:rest>")
    def document(rest):
        stem, ext = split_extension(rest)
        iri = _checked_iri(base + stem)
        if iri == knowledge.dataset_iri:
            return negotiated(DOC_PREFIX + stem, ext,
                              lambda lang: render("dataset.html", void=_dataset_summary(lang), iri=iri),
                              lambda lang: _served_void())
        if not urls.is_thing(stem) or not knowledge.exists(iri):
            return not_found_page(iri)
        asserted_only = _asserted_only()
        retired = views.retirement(knowledge, iri, page_language(), urls)
        response = negotiated(
            DOC_PREFIX + stem, ext,
            lambda lang: _resource_page(knowledge, iri, lang, asserted_only, retired=retired),
            lambda lang: description_graph(knowledge, iri, asserted_only, lang),
        )
        if retired:
            response.headers["Link"] += "".join(f', <{r["href"]}>; rel="successor-version"'
                                                for r in retired["replacements"])
        return response

    @app.get("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), code=301)

    @app.get("/.well-known/void")
    def well_known_void():
        return redirect(DOC_PREFIX + "dataset", code=303)

    def _served_void():
        """The release's VoID, plus what only this deployment knows: its SPARQL endpoint and releases."""
        graph = void_graph(knowledge)
        dataset = URIRef(knowledge.dataset_iri)
        if sparql_path:
            graph.add((dataset, VOID.sparqlEndpoint, URIRef(urls.base + "sparql")))
        for release in history.releases:
            graph.add((dataset, DCTERMS.hasVersion, URIRef(release.iri)))
        return graph

    def _resource_page(source: Knowledge, iri: str, lang: str, asserted_only: bool = False, release=None,
                       retired=None) -> str:
        """A resource's page from the build being served, or from a release (``source``, ``release``)."""
        view = views.resource_view(source, iri, lang, urls, asserted_only)
        concept_map = None
        if iri == str(TDV["territorial-diplomacy"]) and release is None:
            concept_map = _synonym_map(lang)
        page_path = urls.page_path(iri)
        if release is not None:
            page_path = f"/version/{release.version}/{urls.local_part(iri)}"
        releases = [{"version": v, "href": f"/version/{v}/{urls.local_part(iri)}"} for v in history.releases_of(iri)]
        return render("resource.html", view=view, page_path=page_path, asserted_only=asserted_only,
                      formats=REPRESENTATIONS, concept_map=concept_map, schema=_schema_org(view, lang),
                      releases=releases,
                      retired=retired if retired is not None else views.retirement(source, iri, lang, urls),
                      shown_release=release, current_href=urls.href(iri))

    def _ontology_page(source: Knowledge, lang: str, release=None) -> str:
        releases = [{"version": r.version, "href": f"/version/{r.version}/ontology"} for r in history.releases]
        return render("ontology.html", view=views.ontology_view(source, lang, urls), iri=base + "ontology",
                      page_path=f"/version/{release.version}/ontology" if release else "/ontology",
                      shown_release=release, current_href="/ontology", releases=releases)

    if history.folder is not None:
        register_versions(app, knowledge, history, urls, _resource_page, _ontology_page)

    def _synonym_map(lang: str) -> str:
        centre = str(TDV["territorial-diplomacy"])
        related = [r["o"].value for r in knowledge.select(
            f"SELECT DISTINCT ?o WHERE {{ <{centre}> skos:related|^skos:related ?o }}")]
        return svg.concept_map(
            {"label": knowledge.label(centre, lang), "href": urls.href(centre)},
            sorted(({"label": knowledge.label(r, lang), "href": urls.href(r)} for r in related),
                   key=lambda item: item["label"].casefold()))

    def _schema_org(view: dict, lang: str) -> dict:
        if view["is_concept"]:
            return {"@context": "https://schema.org", "@type": "DefinedTerm", "@id": view["iri"],
                    "name": view["title"], "description": view["definition"] or "",
                    "inDefinedTermSet": str(TDV["scheme"]), "inLanguage": lang}
        if view["iri"] == str(TDV["scheme"]):
            return {"@context": "https://schema.org", "@type": "DefinedTermSet", "@id": view["iri"], "name": view["title"]}
        return {"@context": "https://schema.org", "@type": "Thing", "@id": view["iri"], "name": view["title"],
                "description": view["definition"] or ""}

    def _dataset_summary(lang: str) -> dict:
        return {"counts": knowledge.counts(), "files": knowledge.manifest["files"], "built": knowledge.built,
                "version": knowledge.version}

    def _asserted_only() -> bool:
        return request.args.get("inferred", "").lower() in ("false", "0", "no") or \
            "asserted" in request.headers.get("Accept-Profile", "")

    def _checked_iri(iri: str) -> str:
        """The IRI if it is one the store could hold; otherwise the request is a 404."""
        if len(iri) > MAX_URL_PATH or IRI_UNSAFE.search(iri):
            abort(404)
        try:
            ox.NamedNode(iri)
        except ValueError:
            abort(404)
        return iri

    # -- pages for people ----------------------------------------------------------------
    @app.get("/")
    def home():
        lang = page_language()
        schema = {"@context": "https://schema.org", "@type": "Dataset", "@id": knowledge.dataset_iri,
                  "name": "Territorial diplomacy as linked data", "version": knowledge.version,
                  "license": "https://creativecommons.org/licenses/by/4.0/",
                  "distribution": [{"@type": "DataDownload", "contentUrl": url_for("download", name=f["name"]),
                                    "encodingFormat": f["media_type"]} for f in knowledge.manifest["files"]]}
        return _html(render("home.html", counts=knowledge.counts(), schema=schema,
                            concept_map=_synonym_map(lang), scheme=urls.href(str(TDV["scheme"]))))

    @app.get("/browse/concepts")
    def browse_concepts():
        lang = page_language()
        return _html(render("concepts.html", tree=views.concept_tree(knowledge, lang, urls),
                            collections=views.collections(knowledge, lang, urls)))

    @app.get("/browse/entities")
    def browse_entities():
        return _html(render("entities.html", groups=views.individuals_by_type(knowledge, page_language(), urls)))

    @app.get("/browse/timeline")
    def browse_timeline():
        entries = views.timeline(knowledge, page_language(), urls)
        return _html(render("timeline.html", entries=entries, chart=svg.timeline(entries)))

    @app.get("/browse/sources")
    def browse_sources():
        works, official = views.sources(knowledge, page_language(), urls)
        return _html(render("sources.html", works=works, official=official))

    @app.get("/search")
    def search():
        text = request.args.get("q", "")[:200]
        hits = knowledge.search(text, limit=50) if text.strip() else []
        return _html(render("search.html", q=text, hits=[_hit(h) for h in hits]))

    @app.get("/search/suggest")
    def suggest():
        text = request.args.get("q", "")[:200]
        try:
            limit = max(1, min(int(request.args.get("limit", "10")), 50))
        except ValueError:
            abort(400, description="limit must be a whole number")
        response = jsonify({"query": text, "results": [_hit(h) for h in knowledge.search(text, limit=limit)]})
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    def _hit(hit) -> dict:
        return {"iri": hit.iri, "label": hit.label, "language": hit.language, "matched": hit.kind,
                "href": urls.href(hit.iri), "preferred": knowledge.label(hit.iri, page_language())}

    @app.get("/downloads")
    def downloads():
        return _html(render("downloads.html", files=knowledge.manifest["files"], release=knowledge.manifest["release"]))

    @app.get("/download/<name>")
    def download(name):
        allowed = {f["name"]: f["media_type"] for f in knowledge.manifest["files"]} | BUILD_FILES
        if name not in allowed:
            abort(404)
        mimetype = "application/gzip" if name.endswith(".gz") else allowed[name]
        return Response((knowledge.release / name).read_bytes(), mimetype=mimetype)

    def _html(body: str) -> Response:
        response = Response(body, mimetype="text/html")
        response.headers["Content-Language"] = page_language()
        response.headers["Vary"] = "Accept-Language"
        return response

    # -- errors -------------------------------------------------------------------------
    def not_found_page(iri: str | None = None):
        words = re.sub(r"[^\w]+", " ", (iri or request.path).rsplit("/", 1)[-1]).strip()
        near = [_hit(h) for h in knowledge.near(words, limit=8)] if words else []
        wants_html = "text/html" in request.headers.get("Accept", "text/html") or "*/*" in request.headers.get("Accept", "*/*")
        if not wants_html:
            return Response(f"Not found: {request.path}\n", status=404, mimetype="text/plain")
        return Response(render("not_found.html", path=request.path, near=near, hide_languages=True),
                        status=404, mimetype="text/html")

    @app.errorhandler(NotAcceptable)
    def not_acceptable(_error):
        available = ", ".join(r.media_type for r in REPRESENTATIONS)
        return Response(f"406 Not Acceptable: this resource is available as {available}.\n", status=406,
                        mimetype="text/plain", headers={"Vary": "Accept"})

    @app.errorhandler(404)
    def handle_404(_error):
        return not_found_page()

    @app.errorhandler(StoreError)
    def store_unavailable(error):
        """A remote store that stopped answering: a readable 503, never a traceback."""
        return Response(f"503 Service Unavailable: the data store did not answer ({error}); retry shortly.\n",
                        status=503, mimetype="text/plain", headers={"Retry-After": "5"})

    @app.errorhandler(HTTPException)
    def handle_http(error):
        return Response(f"{error.code} {error.name}: {error.description}\n", status=error.code, mimetype="text/plain")

    @app.errorhandler(Exception)
    def handle_unexpected(error):  # pragma: no cover - a last resort, never a stack trace
        app.logger.exception("unexpected error")
        return Response("500 Internal Server Error: the request could not be answered.\n", status=500, mimetype="text/plain")

    @app.before_request
    def refuse_oversized():
        if len(request.path) > MAX_URL_PATH or len(request.query_string) > MAX_URL_PATH * 4:
            if request.path.startswith("/reconcile"):
                response = jsonify({"error": "the URL is too long; send the request as a POST form"})
                response.status_code = 414
                return response
            abort(414, description="the URL is too long")
        return None

    @app.after_request
    def finish(response: Response) -> Response:
        add_common(response.headers, request.path)
        if response.status_code == 200 and not response.direct_passthrough:
            body = response.get_data()
            sent = finish_complete(response.headers, body, request.headers.get("Accept-Encoding", ""), knowledge.built)
            if sent is not body:
                response.set_data(sent)
            response.make_conditional(request)
        return response

    # Outermost first: the client's address, then its rate, then answers already made for this release.
    app.config["RESPONSE_CACHE"] = cache = ResponseCache(app.wsgi_app, max_bytes=int(settings.cache_mb * (1 << 20)))
    limiter = RateLimiter(settings.rate_limit, limit_loopback=settings.rate_limit_loopback)
    app.wsgi_app = RateLimited(cache, limiter, security_headers)
    if settings.trusted_proxies:
        # Behind a reverse proxy, the client is the address it appends to X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
    return app


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
