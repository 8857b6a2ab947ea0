"""Linked data: every IRI dereferences, as HTML for people and as RDF for machines.

Slash IRIs of things answer 303 See Other with their document (Cool URIs for the Semantic
Web); the ontology, the named graphs, the mapping sets and the dataset's description are
served in every format the content negotiation offers.
"""

import re

import pyoxigraph as ox
from flask import Blueprint, abort, redirect, request, url_for
from rdflib import URIRef
from rdflib.namespace import DCTERMS, VOID

from ..core.conneg import REPRESENTATIONS
from ..core.namespaces import GRAPH_NAMES
from ..core.urls import DOC_PREFIX
from ..read import page_models
from ..read.documents import (
    description_graph,
    mapping_set_graph,
    named_graph,
    ontology_document,
    void_graph,
)
from .context import served
from .errors import not_found_page
from .pages import ontology_page, resource_page
from .respond import MAX_URL_PATH, negotiated, page_language, render, split_extension

bp = Blueprint("linked_data", __name__)
IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`]")


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext=None):
    if ext is not None and ext not in {r.extension for r in REPRESENTATIONS}:
        abort(404)
    knowledge, asserted_only = served().knowledge, asserted_only_wanted()
    return negotiated("/ontology", ext,
                      lambda lang: ontology_page(knowledge, lang),
                      lambda lang: ontology_document(knowledge, lang, asserted_only))


@bp.get("/graph/<name>")
def graph(name):
    stem, ext = split_extension(name)
    if stem not in GRAPH_NAMES:
        abort(404)
    knowledge = served().knowledge
    return negotiated(f"/graph/{stem}", ext,
                      lambda lang: render("graph.html", name=stem, count=len(named_graph(knowledge, stem)),
                                          iri=served().base + "graph/" + stem),
                      lambda lang: named_graph(knowledge, stem, lang))


@bp.get("/mappings/<name>")
def mapping_set(name):
    """A mapping set with every mapping and its evidence (justification, confidence, reviewer)."""
    stem, ext = split_extension(name)
    knowledge, urls = served().knowledge, served().urls
    set_iri = checked_iri(served().base + "mappings/" + stem)
    if not knowledge.exists(set_iri):
        return not_found_page(set_iri)
    return negotiated(f"/mappings/{stem}", ext,
                      lambda lang: render("mappings.html", iri=set_iri, name=stem,
                                          rows=page_models.mapping_rows(knowledge, set_iri, lang, urls)),
                      lambda lang: mapping_set_graph(knowledge, set_iri))


@bp.get("/id/<path:rest>")
@bp.get("/vocab/<path:rest>")
@bp.get("/dataset", defaults={"rest": None})
def thing(rest):
    """Slash IRIs of things answer 303 See Other with their document (Cool URIs)."""
    stem, ext = split_extension(request.path.lstrip("/"))
    knowledge = served().knowledge
    iri = checked_iri(served().base + stem)
    if iri != knowledge.dataset_iri and not knowledge.exists(iri):
        return not_found_page(iri)
    target = DOC_PREFIX + stem + (f".{ext}" if ext else "")
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    response = redirect(target, code=303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/doc/<path:rest>")
def document(rest):
    stem, ext = split_extension(rest)
    knowledge, urls = served().knowledge, served().urls
    iri = checked_iri(served().base + stem)
    if iri == knowledge.dataset_iri:
        return negotiated(DOC_PREFIX + stem, ext,
                          lambda lang: render("dataset.html", void=dataset_summary(), iri=iri),
                          lambda lang: served_void())
    if not urls.is_thing(stem) or not knowledge.exists(iri):
        return not_found_page(iri)
    asserted_only = asserted_only_wanted()
    retired = page_models.retirement(knowledge, iri, page_language(), urls)
    response = negotiated(DOC_PREFIX + stem, ext,
                          lambda lang: resource_page(knowledge, iri, lang, asserted_only, retired=retired),
                          lambda lang: description_graph(knowledge, iri, asserted_only, lang))
    if retired:
        response.headers["Link"] += "".join(f', <{r["href"]}>; rel="successor-version"'
                                            for r in retired["replacements"])
    return response


@bp.get("/favicon.ico")
def favicon():
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/.well-known/void")
def well_known_void():
    return redirect(DOC_PREFIX + "dataset", code=303)


def served_void():
    """The release's VoID, plus what only this deployment knows: its SPARQL endpoint and releases."""
    knowledge = served().knowledge
    graph = void_graph(knowledge)
    dataset = URIRef(knowledge.dataset_iri)
    if served().sparql_path:
        graph.add((dataset, VOID.sparqlEndpoint, URIRef(served().base + "sparql")))
    for release in served().history.releases:
        graph.add((dataset, DCTERMS.hasVersion, URIRef(release.iri)))
    return graph


def dataset_summary() -> dict:
    knowledge = served().knowledge
    return {"counts": knowledge.counts(), "files": knowledge.manifest["files"], "built": knowledge.built,
            "version": knowledge.version}


def asserted_only_wanted() -> bool:
    """``?inferred=false`` or an ``Accept-Profile`` naming ``asserted``: leave the closure out."""
    return request.args.get("inferred", "").lower() in ("false", "0", "no") or \
        "asserted" in request.headers.get("Accept-Profile", "")


def checked_iri(iri: str) -> str:
    """The IRI if it is one the store could hold; otherwise the request is a 404."""
    if len(iri) > MAX_URL_PATH or IRI_UNSAFE.search(iri):
        abort(404)
    try:
        ox.NamedNode(iri)
    except ValueError:
        abort(404)
    return iri
