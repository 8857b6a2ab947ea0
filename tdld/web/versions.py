"""Releases on the web: the version log, each release, a resource as a release described it, diffs.

Paths never move once a release exists: ``/version/X.Y.Z`` (the release), its downloads
under ``/version/X.Y.Z/download/``, and ``/version/X.Y.Z/<local part of an IRI>`` for the
description of that IRI in that release. ``/diff/A/B`` compares two releases, or a
release and ``build`` (the build being served).
"""

import json
import threading
from collections import OrderedDict
from functools import lru_cache

from flask import Blueprint, Response, abort, current_app
from rdflib import Graph

from ..core.namespaces import bind_prefixes
from ..read.documents import description_graph, ontology_document
from ..read.knowledge import Knowledge
from ..release.history import (
    KEEP_LOADED,
    RELEASE_NAME,
    TERMS_NAME,
    History,
    UnknownVersion,
)
from ..versions.compare import WORKING, compare
from .context import served
from .pages import ontology_page, resource_page
from .downloads import send_release_file
from .respond import BUILD_FILES, negotiated, render, split_extension

QUALITY_FILES = ("quality.json", "validation.ttl")
EXTRA_FILES = BUILD_FILES | {RELEASE_NAME: "application/json", TERMS_NAME: "text/plain", "changes.ttl": "text/turtle",
                             "changes.json": "application/json"}


def _json(data) -> Response:
    return Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json")


bp = Blueprint("versions", __name__)


class Shelf:
    """The releases of one app: the last few opened stay loaded, and diffs already made are kept."""

    def __init__(self, history: History):
        self.history = history
        self.loaded: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.diff = lru_cache(maxsize=16)(self._diff)

    def knowledge(self, version: str) -> Knowledge:
        """A release opened like a build, over its in-memory store."""
        with self.lock:
            if version in self.loaded:
                self.loaded.move_to_end(version)
                return self.loaded[version]
            release = self.history.get(version)
            self.loaded[version] = Knowledge(release.folder, self.history.store(version))
            while len(self.loaded) > KEEP_LOADED:
                self.loaded.popitem(last=False)
            return self.loaded[version]

    def _diff(self, old: str, new: str):
        return compare(self.history, old, new, lambda: served().knowledge.store)


def init_app(app, history: History) -> None:
    app.extensions["tdld.versions"] = Shelf(history)
    app.register_blueprint(bp)


def shelf() -> Shelf:
    return current_app.extensions["tdld.versions"]


def known(version: str):
    try:
        return served().history.get(version)
    except UnknownVersion:
        abort(404, description=f"no release {version}")


@bp.get("/versions")
@bp.get("/versions.<ext>")
def versions(ext=None):
    history, knowledge = served().history, served().knowledge
    if ext == "json":
        return _json(version_log())
    if ext is not None and ext not in ("html", "ttl", "jsonld", "rdf", "nt"):
        abort(404)
    return negotiated("/versions", ext,
                      lambda lang: render("versions.html", releases=list(reversed(history.releases)),
                                          current=knowledge.manifest["release"]),
                      lambda lang: catalog())


def version_log() -> dict:
    return {"dataset": served().knowledge.dataset_iri,
            "versions": [{"version": r.version, "iri": r.iri, "issued": r.issued, "prior": r.prior,
                          "bump": r.bump, "counts": r.counts} for r in served().history.releases]}


def catalog() -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for release in served().history.releases:
        graph.parse(release.folder / "void.ttl", format="turtle")
    return graph


@bp.get("/version/<version>")
def version_page(version):
    stem, ext = split_extension(version)
    release = known(stem)
    return negotiated(f"/version/{stem}", ext,
                      lambda lang: render("version.html", release=release, manifest=release.manifest,
                                          quality_files=[n for n in QUALITY_FILES if (release.folder / n).is_file()]),
                      lambda lang: Graph().parse(release.folder / "void.ttl", format="turtle"))


@bp.get("/version/<version>/download/<name>")
def version_download(version, name):
    release = known(version)
    allowed = {f["name"]: f["media_type"] for f in release.manifest["files"]} | EXTRA_FILES
    if name not in allowed:
        abort(404)
    mimetype = "application/gzip" if name.endswith(".gz") else allowed[name]
    return send_release_file(release.folder, name, mimetype, release.manifest, immutable=True)


@bp.get("/version/<version>/<path:rest>")
def version_resource(version, rest):
    release = known(version)
    stem, ext = split_extension(rest)
    old = shelf().knowledge(release.version)
    if stem == "ontology":
        return negotiated(f"/version/{version}/ontology", ext,
                          lambda lang: ontology_page(old, lang, release),
                          lambda lang: ontology_document(old, lang, False))
    iri = served().base + stem
    if iri not in served().history.terms(release.version):
        abort(404, description=f"release {version} does not describe {iri}")
    return negotiated(f"/version/{version}/{stem}", ext,
                      lambda lang: resource_page(old, iri, lang, release=release),
                      lambda lang: description_graph(old, iri, False, lang))


@bp.get("/diff/<old>/<new>")
def diff(old, new):
    from ..versions.changeset import to_json
    from ..versions.compare import changes_as_graph
    from ..versions.diff_view import diff_view

    new_stem, ext = (new[:-5], "json") if new.endswith(".json") else split_extension(new)
    for name in (old, new_stem):
        if name != WORKING:
            known(name)
    changes, old_iri, new_iri = shelf().diff(old, new_stem)
    if ext == "json":
        return _json(to_json(changes))
    knowledge, urls = served().knowledge, served().urls
    return negotiated(f"/diff/{old}/{new_stem}", ext,
                      lambda lang: render("diff.html", view=diff_view(changes, lang, lambda i: knowledge.label(i, lang),
                                                                       urls.href)),
                      lambda lang: changes_as_graph(changes, old_iri, new_iri))
