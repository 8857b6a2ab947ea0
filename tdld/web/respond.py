"""Negotiated responses: pick the representation, set the linked-data headers."""

from urllib.parse import quote

from flask import Response, abort, render_template, request

from ..core.conneg import (
    BY_EXTENSION,
    FORMAT_NAMES,
    REPRESENTATIONS,
    choose_language,
    negotiate,
)
from ..core.namespaces import compact
from ..read.documents import serialise
from .i18n import LANGUAGES, translate

MAX_URL_PATH = 2048  # longer paths get 414; query strings may be four times as long
RDF_KEYS = ("turtle", "jsonld", "rdfxml", "ntriples")
# Files of a build offered for download besides its dumps, with their media types.
BUILD_FILES = {"void.ttl": "text/turtle", "SHA256SUMS": "text/plain", "build.json": "application/json",
               "quality.json": "application/json", "validation.ttl": "text/turtle"}
MEDIA_TYPES = {r.key: r.media_type + ("; charset=utf-8" if r.key in ("html", "turtle", "ntriples") else "")
               for r in REPRESENTATIONS}


class NotAcceptable(Exception):
    """No offered representation matches the Accept header."""


def split_extension(path: str) -> tuple[str, str | None]:
    """'doc/id/actor/france.ttl' → ('doc/id/actor/france', 'ttl') for known extensions only."""
    stem, dot, extension = path.rpartition(".")
    if dot and extension in BY_EXTENSION and "/" not in extension:
        return stem, extension
    return path, None


def wanted_representation(extension: str | None, offered=REPRESENTATIONS):
    """Extension, then ?format=, then the Accept header."""
    if extension:
        return BY_EXTENSION[extension]
    name = request.args.get("format")
    if name:
        chosen = FORMAT_NAMES.get(name.lower())
        if chosen is None or chosen not in offered:
            abort(400, description=f"unknown format {name!r}; use one of: " + ", ".join(r.extension for r in offered))
        return chosen
    chosen = negotiate(request.headers.get("Accept"), offered)
    if chosen is None:
        raise NotAcceptable()
    return chosen


def page_language() -> str:
    return choose_language(request.args.get("lang"), request.headers.get("Accept-Language"), LANGUAGES)


def rdf_language() -> str | None:
    """RDF keeps every language unless ?lang= asks for one."""
    lang = request.args.get("lang", "").lower()
    return lang if lang in LANGUAGES else None


def link_header(base_path: str, offered=REPRESENTATIONS) -> str:
    return ", ".join(f'<{base_path}.{r.extension}>; rel="alternate"; type="{r.media_type}"' for r in offered)


def negotiated(base_path: str, extension: str | None, html, graph) -> Response:
    """Answer with HTML from ``html()`` or RDF from ``graph()``, whichever the client wants."""
    representation = wanted_representation(extension)
    if representation.key == "html":
        lang = page_language()
        body = html(lang)
        response = Response(body, mimetype="text/html")
        response.headers["Content-Type"] = MEDIA_TYPES["html"]
        response.headers["Content-Language"] = lang
    else:
        body = serialise(graph(rdf_language()), representation.key)
        response = Response(body)
        response.headers["Content-Type"] = MEDIA_TYPES[representation.key]
        if rdf_language():
            response.headers["Content-Language"] = rdf_language()
    response.headers["Vary"] = "Accept, Accept-Language, Accept-Profile"
    response.headers["Link"] = link_header(base_path)
    return response


def render(template: str, **context) -> str:
    return render_template(template, **context)


def template_helpers() -> dict:
    """What every template may use: translation, the page's language, links to the other languages."""
    from .context import served

    lang = page_language()
    knowledge, history = served().knowledge, served().history
    return {"t": lambda key: translate(key, lang), "lang": lang, "languages": LANGUAGES,
            "version": knowledge.version, "built": knowledge.built, "compact": compact,
            "sparql_path": served().sparql_path, "lang_url": lang_url,
            "versions_path": "/versions" if history.folder is not None else None}


def lang_url(code: str) -> str:
    """This page in another language."""
    args = request.args.to_dict()
    args["lang"] = code
    return request.path + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in sorted(args.items()))
