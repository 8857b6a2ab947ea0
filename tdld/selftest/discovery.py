"""Which IRIs to test, and where the deployment serves them. Pure functions.

Nothing is hard-coded: the dataset and its named graphs come from the VoID, the
other kinds of IRI from a downloaded dump (or from VoID example resources when the
description names some). The IRI base is mapped onto the deployment's root, the way
``tdld serve --base`` and the static site map it onto theirs.
"""

from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from ..core.urls import UrlMap
from .dcat import Catalogue

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
SKOS_CONCEPT = "http://www.w3.org/2004/02/skos/core#Concept"
SKOS_SCHEME = "http://www.w3.org/2004/02/skos/core#ConceptScheme"
MAPPING_SET = "https://w3id.org/sssom/MappingSet"
KINDS = ("term", "concept", "scheme", "individual", "dataset", "graph", "mappings")
KIND_LABELS = {"term": "ontology term (hash IRI)", "concept": "concept", "scheme": "concept scheme",
               "individual": "individual", "dataset": "dataset", "graph": "named-graph document",
               "mappings": "mapping-set document"}
SAFE = "/:@-._~!$&'()*+,;="


@dataclass(frozen=True)
class Deployment:
    """IRIs under ``base`` are served at ``root``; ``root`` has no trailing slash.

    ``also`` are further bases whose URLs the deployment serves: the VoID's URI space, under
    which a release advertises its downloads whatever base the server maps.
    """

    root: str
    base: str
    also: tuple = ()

    @property
    def urls(self) -> UrlMap:
        return UrlMap(self.base)

    def is_thing(self, iri: str) -> bool:
        local = self.urls.local_part(iri)
        return local is not None and self.urls.is_thing(local)

    def iri_url(self, iri: str) -> str | None:
        """Where a client dereferences ``iri`` (its fragment is never sent)."""
        local = self.urls.local_part(iri)
        if local is None:
            return None
        return self.root + "/" + quote(local.partition("#")[0], safe=SAFE)

    def document_url(self, iri: str) -> str | None:
        """The document that describes ``iri``: /doc/... for things, the IRI's own document otherwise."""
        path = self.urls.page_path(iri)
        return self.root + path.partition("#")[0] if path is not None else None

    def map_url(self, url: str) -> str:
        """An advertised URL under the IRI base (or ``also``), at the deployment; others unchanged."""
        for base in (self.base, *self.also):
            if url.startswith(base):
                return Deployment(self.root, base).iri_url(url)
        return url


def base_of(catalogue: Catalogue, given: str | None) -> str | None:
    """--base wins; else the VoID's void:uriSpace; else the dataset IRI's folder."""
    if given:
        return given if given.endswith("/") else given + "/"
    if catalogue.uri_space:
        return catalogue.uri_space
    if catalogue.dataset and "/" in catalogue.dataset:
        return catalogue.dataset.rsplit("/", 1)[0] + "/"
    return None


def types_by_subject(quads) -> dict:
    """IRI subject → set of its rdf:type IRIs (an empty set for untyped subjects)."""
    found: dict = {}
    for quad in quads:
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode):
            continue
        types = found.setdefault(subject.value, set())
        if quad.predicate.value == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            types.add(quad.object.value)
    return found


def kind_of(iri: str, types: set, base: str) -> str | None:
    """Which kind of tdld IRI this is, by its place under the base and its types."""
    if not iri.startswith(base):
        return None
    local = iri[len(base):]
    if local.startswith("ontology#") and len(local) > len("ontology#"):
        return "term"
    if SKOS_SCHEME in types:
        return "scheme"
    if local.startswith("vocab/") and SKOS_CONCEPT in types:
        return "concept"
    if local.startswith("id/") and "#" not in local and types:
        return "individual"
    if local.startswith("mappings/") and "#" not in local and MAPPING_SET in types:
        return "mappings"
    return None


def choose_samples(subjects: dict, catalogue: Catalogue, base: str) -> dict:
    """One IRI per kind under ``base``: VoID examples first, then the first of each kind in IRI order.

    Ontology terms that are classes are preferred: every ontology documents its classes.
    """
    samples = {}
    if catalogue.dataset and catalogue.dataset.startswith(base):
        samples["dataset"] = catalogue.dataset
    graphs = sorted(s for s in catalogue.subsets if s.startswith(base + "graph/"))
    if graphs:
        samples["graph"] = graphs[0]
    ordered = list(catalogue.examples) + sorted(subjects, key=lambda iri: (OWL_CLASS not in subjects[iri], iri))
    for iri in ordered:
        kind = kind_of(iri, subjects.get(iri, set()), base)
        if kind and kind not in samples:
            samples[kind] = iri
    return {kind: samples[kind] for kind in KINDS if kind in samples}
