"""The reconciliation service on HTTP (W3C Entity Reconciliation API 0.1/0.2, what OpenRefine speaks).

| route | answers |
|---|---|
| ``/reconcile`` | the manifest (no parameters), ``queries=`` (a batch), ``extend=`` (data extension), ``query=`` (one query, protocol 0.1) |
| ``/reconcile/suggest/{entity,type,property}?prefix=`` | completions |
| ``/reconcile/preview?id=`` | an HTML card for an iframe |
| ``/reconcile/propose_properties?type=`` | properties worth fetching for a type |

GET and POST (``application/x-www-form-urlencoded``) everywhere, JSONP with ``callback=``,
CORS and ``OPTIONS`` preflight on every route; refusals are JSON ``{"error": "..."}``
with 400 (404 unknown id or route, 413 too much). The logic lives in :mod:`tdld.reconcile`.
"""

import json

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException

from ..reconcile import ReconcileError, Reconciler
from ..reconcile.protocol import check_callback
from .respond import page_language

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Accept-Language, X-Requested-With",
    "Access-Control-Max-Age": "86400",
}
METHODS = ["GET", "POST", "OPTIONS"]
MAX_BODY = 2_000_000
PREVIEW_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'; "
                  "frame-ancestors *")


bp = Blueprint("reconcile", __name__)


def init_app(app, knowledge, urls) -> None:
    app.extensions["tdld.reconcile"] = Reconciler(knowledge, urls)
    app.register_blueprint(bp)


def service() -> Reconciler:
    return current_app.extensions["tdld.reconcile"]


@bp.route("/reconcile", methods=METHODS)
@bp.route("/reconcile/", methods=METHODS)
def reconcile():
    def produce(params: dict) -> dict:
        if "queries" in params:
            return service().match_batch(params["queries"], page_language())
        if "extend" in params:
            return service().extend(params["extend"])
        if "query" in params:
            return service().match_one(params["query"], page_language())
        return service().manifest(_root())
    return _answer(produce)


@bp.route("/reconcile/suggest/<kind>", methods=METHODS)
def reconcile_suggest(kind):
    return _answer(lambda p: service().suggest(kind, p.get("prefix"), p.get("type"), p.get("limit"),
                                               p.get("cursor"), page_language()))


@bp.route("/reconcile/propose_properties", methods=METHODS)
def reconcile_propose_properties():
    return _answer(lambda p: service().propose(p.get("type"), p.get("limit")))


@bp.route("/reconcile/preview", methods=METHODS)
def reconcile_preview():
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    lang = page_language()
    card = service().preview(_params().get("id"), lang, _root())
    response = Response(render_template("reconcile_preview.html", card=card), mimetype="text/html")
    response.headers["Content-Language"] = lang
    response.headers["Vary"] = "Accept-Language"
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    return response


@bp.route("/reconcile/<path:rest>", methods=METHODS)
def reconcile_unknown(rest):
    def refuse(_params):
        raise ReconcileError(f"no such reconciliation route: /reconcile/{rest}", 404)
    return _answer(refuse)


@bp.after_request
def finish(response: Response) -> Response:
    """CORS on every answer, errors included; nothing sent by POST is cached."""
    response.headers.update(CORS)
    if request.method == "POST":
        response.headers["Cache-Control"] = "no-store"
    return response


def _answer(produce) -> Response:
    """Preflight, parameters, JSON or JSONP, and every refusal as a JSON error."""
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    callback = check_callback(request.args.get("callback"))
    payload = produce(_params())
    if callback:
        body = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
        response = Response(f"/**/{callback}({body});", mimetype="application/javascript")
    else:
        response = Response(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), mimetype="application/json")
    return response


def _params() -> dict:
    """Query string and form fields as one dict; a field given twice is refused."""
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ReconcileError(f"the request body is larger than {MAX_BODY} bytes", 413)
    try:
        form = request.form if request.method == "POST" else None
    except HTTPException as error:  # werkzeug refuses oversized or malformed form data
        raise ReconcileError(error.description or "the form data cannot be read", error.code or 400) from None
    values: dict = {}
    for source in (request.args, form) if form is not None else (request.args,):
        for key in source.keys():
            items = source.getlist(key)
            if len(items) > 1 or key in values:
                raise ReconcileError(f"the parameter {key!r} is given more than once")
            values[key] = items[0]
    return values


def _root() -> str:
    return request.url_root.rstrip("/")
