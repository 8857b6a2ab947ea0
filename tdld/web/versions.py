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

from flask import Response, abort
from rdflib import Graph

from ..read.knowledge import Knowledge
from ..core.namespaces import bind_prefixes
from ..read.documents import description_graph, ontology_document
from ..versions.compare import WORKING, compare
from ..release.history import KEEP_LOADED, RELEASE_NAME, TERMS_NAME, History, UnknownVersion
from .respond import BUILD_FILES, negotiated, render, split_extension

EXTRA_FILES = BUILD_FILES | {RELEASE_NAME: "application/json", TERMS_NAME: "text/plain", "changes.ttl": "text/turtle",
                             "changes.json": "application/json"}


def _json(data) -> Response:
    return Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json")


def register(app, knowledge: Knowledge, history: History, urls, resource_page, ontology_page) -> None:
    """Add the release routes.

    ``resource_page(k, iri, lang, release=...)`` and ``ontology_page(k, lang, release)`` render
    pages of a Knowledge ``k`` as the current ones are rendered, with a release banner.
    """
    loaded: OrderedDict = OrderedDict()
    lock = threading.Lock()

    def release_knowledge(version: str) -> Knowledge:
        """A release opened like a build, over its in-memory store; the last few stay loaded."""
        with lock:
            if version in loaded:
                loaded.move_to_end(version)
                return loaded[version]
            release = history.get(version)
            loaded[version] = Knowledge(release.folder, history.store(version))
            while len(loaded) > KEEP_LOADED:
                loaded.popitem(last=False)
            return loaded[version]

    def known(version: str):
        try:
            return history.get(version)
        except UnknownVersion:
            abort(404, description=f"no release {version}")

    @app.get("/versions")
    @app.get("/versions.<ext>")
    def versions(ext=None):
        if ext == "json":
            return _json(_log())
        if ext is not None and ext not in ("html", "ttl", "jsonld", "rdf", "nt"):
            abort(404)
        return negotiated("/versions", ext,
                          lambda lang: render("versions.html", releases=list(reversed(history.releases)),
                                              current=knowledge.manifest["release"]),
                          lambda lang: _catalog())

    def _log() -> dict:
        return {"dataset": knowledge.dataset_iri,
                "versions": [{"version": r.version, "iri": r.iri, "issued": r.issued, "prior": r.prior,
                              "bump": r.bump, "counts": r.counts} for r in history.releases]}

    def _catalog() -> Graph:
        graph = Graph()
        bind_prefixes(graph)
        for release in history.releases:
            graph.parse(release.folder / "void.ttl", format="turtle")
        return graph

    @app.get("/version/<version>")
    def version_page(version):
        stem, ext = split_extension(version)
        release = known(stem)
        return negotiated(f"/version/{stem}", ext,
                          lambda lang: render("version.html", release=release, manifest=release.manifest),
                          lambda lang: Graph().parse(release.folder / "void.ttl", format="turtle"))

    @app.get("/version/<version>/download/<name>")
    def version_download(version, name):
        release = known(version)
        allowed = {f["name"]: f["media_type"] for f in release.manifest["files"]} | EXTRA_FILES
        if name not in allowed or not (release.folder / name).is_file():
            abort(404)
        mimetype = "application/gzip" if name.endswith(".gz") else allowed[name]
        response = Response((release.folder / name).read_bytes(), mimetype=mimetype)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    @app.get("/version/<version>/<path:rest>")
    def version_resource(version, rest):
        release = known(version)
        stem, ext = split_extension(rest)
        old = release_knowledge(release.version)
        if stem == "ontology":
            return negotiated(f"/version/{version}/ontology", ext,
                              lambda lang: ontology_page(old, lang, release),
                              lambda lang: ontology_document(old, lang, False))
        iri = urls.base + stem
        if iri not in history.terms(release.version):
            abort(404, description=f"release {version} does not describe {iri}")
        return negotiated(f"/version/{version}/{stem}", ext,
                          lambda lang: resource_page(old, iri, lang, release=release),
                          lambda lang: description_graph(old, iri, False, lang))

    @lru_cache(maxsize=16)
    def _diff(old: str, new: str):
        return compare(history, old, new, lambda: knowledge.store)

    @app.get("/diff/<old>/<new>")
    def diff(old, new):
        from ..versions.changeset import to_json
        from ..versions.compare import changes_as_graph
        from ..versions.diff_view import diff_view

        new_stem, ext = (new[:-5], "json") if new.endswith(".json") else split_extension(new)
        for name in (old, new_stem):
            if name != WORKING:
                known(name)
        changes, old_iri, new_iri = _diff(old, new_stem)
        if ext == "json":
            return _json(to_json(changes))
        return negotiated(f"/diff/{old}/{new_stem}", ext,
                          lambda lang: render("diff.html", view=diff_view(changes, lang, lambda i: knowledge.label(i, lang),
                                                                           urls.href)),
                          lambda lang: changes_as_graph(changes, old_iri, new_iri))

