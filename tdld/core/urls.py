"""One place that maps IRIs to server paths and static-site files, and back.

Cool URIs: ontology terms are hash IRIs (``.../ontology#Term``), so they
dereference to the ontology document; every other tdld IRI (concepts, the
scheme, individuals, the dataset) names a thing, not a document, and answers
303 See Other to its document under ``/doc/``.
"""

from urllib.parse import quote, unquote

from .namespaces import BASE

DOC_PREFIX = "/doc/"
THING_ROOTS = ("id/", "vocab/", "dataset")


class UrlMap:
    """IRI ↔ path translation for one base IRI (configurable, default the persistent base)."""

    def __init__(self, base: str = BASE):
        self.base = base if base.endswith("/") else base + "/"

    def is_ours(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def local_part(self, iri: str) -> str | None:
        if not self.is_ours(iri):
            return None
        return iri[len(self.base):]

    def is_thing(self, local: str) -> bool:
        """Slash IRIs of things (303), as opposed to documents served directly."""
        return local.startswith(THING_ROOTS) and "#" not in local

    def page_path(self, iri: str, extension: str | None = None) -> str | None:
        """The local path that shows ``iri``: its document for things, the document itself otherwise."""
        local = self.local_part(iri)
        if local is None:
            return None
        document, _, fragment = local.partition("#")
        path = (DOC_PREFIX + document) if self.is_thing(document) else "/" + document
        path = quote(path, safe="/:@-._~!$&'()*+,;=")
        if extension:
            path += "." + extension
        return path + ("#" + fragment if fragment and not extension else "")

    def href(self, iri: str) -> str:
        """Where a link to ``iri`` goes: its local page if it is ours, the IRI itself otherwise."""
        return self.page_path(iri) or iri

    def document_iri(self, local_doc: str) -> str:
        """The IRI a /doc/ path is about."""
        return self.base + unquote(local_doc)
