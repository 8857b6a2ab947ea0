"""The app factory: one loaded release in, a WSGI app out; it never parses source Turtle.

Routes live in blueprints, one module each: ``linked_data`` (IRIs and their documents),
``pages`` (pages for people), ``sparql`` (the endpoint), ``reconcile`` (OpenRefine's API)
and ``versions`` (numbered releases). ``errors`` answers every failure.
"""

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

from ..core.settings import Settings
from ..core.urls import UrlMap
from ..read.knowledge import Knowledge
from ..release.history import History
from . import errors, linked_data, pages, reconcile, sparql, versions
from .cache import ResponseCache
from .context import Served, served
from .headers import add_common, finish_complete, security_headers
from .ratelimit import RateLimited, RateLimiter
from .respond import template_helpers


def create_app(knowledge: Knowledge, base: str | None = None, settings: Settings | None = None,
               enable_sparql: bool = True, history: History | None = None) -> Flask:
    """The app over one loaded build; ``enable_sparql=False`` for the static export.

    ``history``: the numbered releases, served under /versions, /version/ and /diff/.
    """
    settings = settings or Settings()
    urls = UrlMap(base or settings.base)
    history = history if history is not None else History(None)
    app = Flask(__name__)
    # Never debug mode, whatever FLASK_DEBUG says: a public server must not show tracebacks.
    app.config.update(DEBUG=False, PROPAGATE_EXCEPTIONS=False, TRAP_HTTP_EXCEPTIONS=False,
                      KNOWLEDGE=knowledge, URLS=urls)
    app.json.ensure_ascii = False
    app.extensions["tdld"] = Served(knowledge, urls, history, settings, "/sparql" if enable_sparql else None)

    app.register_blueprint(linked_data.bp)
    app.register_blueprint(pages.bp)
    if enable_sparql:
        app.config["SPARQL_POOL"] = sparql.init_app(app, knowledge, settings, urls)
    reconcile.init_app(app, knowledge, urls)
    if history.folder is not None:
        versions.init_app(app, history)
    errors.init_app(app)
    app.context_processor(template_helpers)
    app.after_request(finish)

    # Outermost first: the client's address, then its rate, then answers already made for this release.
    app.config["RESPONSE_CACHE"] = cache = ResponseCache(app.wsgi_app, max_bytes=int(settings.cache_mb * (1 << 20)))
    app.wsgi_app = RateLimited(cache, RateLimiter(settings.rate_limit, limit_loopback=settings.rate_limit_loopback),
                               security_headers)
    if settings.trusted_proxies:
        # Behind a reverse proxy, the client is the address it appends to X-Forwarded-For.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies)
    return app


def finish(response: Response) -> Response:
    """Security and CORS headers on every answer; a complete 200 is also compressed, tagged and made conditional."""
    add_common(response.headers, request.path)
    if response.status_code == 200 and not response.direct_passthrough:
        body = response.get_data()
        sent = finish_complete(response.headers, body, request.headers.get("Accept-Encoding", ""),
                               served().knowledge.built)
        if sent is not body:
            response.set_data(sent)
        response.make_conditional(request)
    return response
