"""The reconciliation service as plain calls: text in (as clients send it), dicts out (as the protocol shapes them).

The web layer only reads HTTP parameters and writes JSON; everything else happens here.
"""

import threading

from ..core.urls import UrlMap
from ..read.knowledge import Knowledge
from .entities import Catalogue
from .errors import ReconcileError
from .extension import PROPERTY_SETTINGS, extend, propose
from .matching import reconcile, shorten
from .protocol import (
    MAX_BATCH,
    MAX_LIMIT,
    MAX_SUGGEST,
    check_text,
    load_json,
    parse_batch,
    parse_cursor,
    parse_extension,
    parse_limit,
    parse_query,
    parse_types,
)
from .suggest import suggest_entities, suggest_properties, suggest_types
from .values import values_of

NAME = "tdld: territorial diplomacy as linked data"
DEFAULT_TYPES = ("skos:Concept", "tdo:Actor", "tdo:TerritorialAuthority", "tdo:LegalAct", "tdo:PolicyMeasure",
                 "tdo:Partnership", "tdo:Event", "tdo:Place", "foaf:Person")
PREVIEW_SIZE = (400, 200)
SUGGEST_KINDS = ("entity", "type", "property")


class Reconciler:
    """One release, answering the five kinds of reconciliation requests."""

    def __init__(self, knowledge: Knowledge, urls: UrlMap):
        self.knowledge = knowledge
        self.urls = urls
        self._catalogue: Catalogue | None = None
        self._lock = threading.Lock()

    @property
    def catalogue(self) -> Catalogue:
        """Built on first use (a fraction of a second), so apps that never reconcile do not pay for it."""
        if self._catalogue is None:
            with self._lock:
                if self._catalogue is None:
                    self._catalogue = Catalogue(self.knowledge, self.urls.base)
        return self._catalogue

    # -- manifest -----------------------------------------------------------------------------
    def manifest(self, root: str) -> dict:
        """The service manifest; ``root`` is the server's URL without a trailing slash."""
        catalogue = self.catalogue
        service = root + "/reconcile"
        default_types = [catalogue.find_type(t) for t in DEFAULT_TYPES]
        return {
            "versions": ["0.1", "0.2"],
            "name": NAME,
            "identifierSpace": catalogue.base,
            "schemaSpace": catalogue.base + "ontology#",
            "serviceVersion": str(self.knowledge.version),
            "defaultTypes": [{"id": t.id, "name": t.name} for t in default_types if t is not None],
            "view": {"url": root + "/{{id}}"},
            "preview": {"url": service + "/preview?id={{id}}", "width": PREVIEW_SIZE[0], "height": PREVIEW_SIZE[1]},
            "suggest": {kind: {"service_url": service, "service_path": f"/suggest/{kind}"} for kind in SUGGEST_KINDS},
            "extend": {"propose_properties": {"service_url": service, "service_path": "/propose_properties"},
                       "property_settings": PROPERTY_SETTINGS},
            "batchSize": MAX_BATCH,
        }

    # -- reconciliation ----------------------------------------------------------------------
    def match_batch(self, text: str, lang: str = "en") -> dict:
        """``queries={"q0": {...}, ...}`` → ``{"q0": {"result": [...]}, ...}``; ``lang`` breaks ties
        between labels and chooses descriptions when the matched label has no language."""
        batch = parse_batch(text)
        return {key: {"result": reconcile(self.catalogue, query, key, lang)} for key, query in batch.items()}

    def match_one(self, text: str, lang: str = "en") -> dict:
        """The single ``query=`` of protocol 0.1: a JSON query object, or plain text."""
        check_text(text, "query")
        query = load_json(text, "query") if text.lstrip().startswith("{") else text
        return {"result": reconcile(self.catalogue, parse_query(query), "query", lang)}

    # -- suggest ------------------------------------------------------------------------------
    def suggest(self, kind: str, prefix: str | None, type_text: str | None = None, limit: str | None = None,
                cursor: str | None = None, lang: str = "en") -> dict:
        if kind not in SUGGEST_KINDS:
            raise ReconcileError(f"no suggest service for {kind!r}; there are: {', '.join(SUGGEST_KINDS)}", 404)
        prefix = check_text(prefix, "prefix")
        count = parse_limit(limit, "suggest", 10, MAX_SUGGEST)
        skip = parse_cursor(cursor)
        catalogue = self.catalogue
        if not prefix.strip():
            return {"result": []}
        if kind == "entity":
            types = []
            for text in parse_types(type_text, "suggest"):
                info = catalogue.find_type(text)
                if info is None:
                    raise ReconcileError(f"unknown type {text!r}; /reconcile/suggest/type lists the types")
                types.append(info)
            return {"result": suggest_entities(catalogue, prefix, types, lang, count, skip)}
        if kind == "type":
            return {"result": suggest_types(catalogue, prefix, count, skip)}
        return {"result": suggest_properties(catalogue, prefix, count, skip)}

    # -- preview ------------------------------------------------------------------------------
    def preview(self, ident: str | None, lang: str, root: str) -> dict:
        """What the preview card shows; :class:`ReconcileError` 404 for an unknown id."""
        ident = check_text(ident, "id")
        catalogue = self.catalogue
        entity = catalogue.entity(ident)
        if entity is None:
            raise ReconcileError(f"no entity with id {ident!r}", 404)
        wikidata = [v.value for v in values_of(catalogue, entity, catalogue.properties["wikidata"])]
        page = self.urls.page_path(entity.iri)
        return {
            "id": entity.id,
            "iri": entity.iri,
            "name": self.knowledge.label(entity.iri, lang),
            "lang": lang,
            "types": [t.name for t in catalogue.entity_types(entity)],
            "description": shorten(catalogue.description(entity.iri, lang), 400),
            "page": root + page if page else entity.iri,
            "wikidata": wikidata,
        }

    # -- data extension ----------------------------------------------------------------------
    def extend(self, text: str) -> dict:
        return extend(self.catalogue, parse_extension(text))

    def propose(self, type_text: str | None, limit: str | None) -> dict:
        if type_text is not None:
            type_text = check_text(type_text, "type").strip() or None
        count = parse_limit(limit, "propose_properties", 0, MAX_LIMIT) if limit not in (None, "") else None
        return propose(self.catalogue, type_text, count)
