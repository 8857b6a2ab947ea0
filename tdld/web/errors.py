"""Every failure of a request, answered in one place: a readable message, never a stack trace.

Errors are :class:`tdld.core.errors.TdldError` (each carries its HTTP status) or Werkzeug's
HTTP exceptions. The reconciliation service answers JSON (``{"error": ...}``, what OpenRefine
reads); a page that does not exist answers an HTML page with near matches to a browser; every
other failure is one line of text.
"""

import json
import re

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, RequestURITooLarge

from ..core.conneg import REPRESENTATIONS
from ..core.errors import SparqlError, TdldError
from ..remote import StoreError
from .context import served
from .pages import hit
from .respond import MAX_URL_PATH, NotAcceptable, render

RECONCILE = "/reconcile"


def init_app(app) -> None:
    app.register_error_handler(Exception, answer_error)
    app.before_request(refuse_oversized)


def answer_error(error: Exception) -> Response:
    """The one error handler: status and message from the error, format from the path and Accept."""
    if isinstance(error, NotAcceptable):
        available = ", ".join(r.media_type for r in REPRESENTATIONS)
        return Response(f"406 Not Acceptable: this resource is available as {available}.\n", status=406,
                        mimetype="text/plain", headers={"Vary": "Accept"})
    status, message, headers = _status_and_message(error)
    if request.path.startswith(RECONCILE):
        body = json.dumps({"error": message}, ensure_ascii=False)
        return Response(body, status=status, mimetype="application/json", headers={"Cache-Control": "no-store"})
    if status == 404 and not isinstance(error, TdldError):
        return not_found_page()
    return Response(_text_line(error, status, message), status=status, mimetype="text/plain", headers=headers)


def _status_and_message(error: Exception) -> tuple[int, str, dict]:
    if isinstance(error, HTTPException):
        return error.code or 500, error.description or error.name, {}
    if isinstance(error, StoreError):
        return 503, str(error), {"Retry-After": "5"}
    if isinstance(error, TdldError) and error.http_status < 500 or isinstance(error, SparqlError):
        retry = getattr(error, "retry_after", None)
        return error.http_status, str(error), {"Retry-After": str(retry)} if retry else {}
    current_app.logger.exception("unexpected error")
    return 500, "the request could not be answered.", {}


def _text_line(error: Exception, status: int, message: str) -> str:
    if isinstance(error, HTTPException):
        return f"{status} {error.name}: {message}\n"
    if isinstance(error, StoreError):
        return f"503 Service Unavailable: the data store did not answer ({message}); retry shortly.\n"
    if isinstance(error, SparqlError):
        return f"{status} {message}\n"
    if status == 500:
        return f"500 Internal Server Error: {message}\n"
    return f"{status} {message}\n"


def not_found_page(iri: str | None = None) -> Response:
    """404 with the resources whose names come nearest, for a browser; one line of text otherwise."""
    accept = request.headers.get("Accept", "*/*")
    if "text/html" not in accept and "*/*" not in accept:
        return Response(f"Not found: {request.path}\n", status=404, mimetype="text/plain")
    words = re.sub(r"[^\w]+", " ", (iri or request.path).rsplit("/", 1)[-1]).strip()
    near = [hit(h) for h in served().knowledge.near(words, limit=8)] if words else []
    return Response(render("not_found.html", path=request.path, near=near, hide_languages=True),
                    status=404, mimetype="text/html")


def refuse_oversized():
    """414 before any route runs, for paths and query strings no client needs."""
    if len(request.path) > MAX_URL_PATH or len(request.query_string) > MAX_URL_PATH * 4:
        if request.path.startswith(RECONCILE):
            raise RequestURITooLarge("the URL is too long; send the request as a POST form")
        raise RequestURITooLarge("the URL is too long")
    return None
