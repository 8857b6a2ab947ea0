"""The read model the web app and the static site use: a loaded release, queried with pyoxigraph.

Everything here is plain data out (dicts, lists, dataclasses); no Flask, no HTML.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from ..core.namespaces import BASE, DATASET, PREFIXES, compact, graph_iri
from ..core.text import fold  # noqa: F401 (re-exported)
from ..release.folder import verify_release
from ..release.labels import labels_and_index, read_label_file
from ..release.store import open_store
from .labelindex import LabelIndex

INFERRED = ox.NamedNode(str(graph_iri("inferred")))
PROVENANCE = ox.NamedNode(str(graph_iri("provenance")))
SOURCE = "http://purl.org/dc/terms/source"
LOCATOR = "https://w3id.org/territorial-diplomacy/ontology#locator"
INBOUND_LIMIT = 200
# "Did you mean" compares spellings one by one (difflib): only where that stays quick.
NEAR_MAX_LABELS = 20_000


@dataclass(frozen=True)
class Statement:
    predicate: str
    value: object  # ox term
    inferred: bool
    sources: tuple = ()  # (source IRI, locator) of each source that states it, from the provenance graph


@dataclass
class Description:
    iri: str
    outgoing: list = field(default_factory=list)
    inbound: list = field(default_factory=list)
    inbound_truncated: bool = False


@dataclass(frozen=True)
class SearchHit:
    iri: str
    label: str
    language: str
    kind: str
    score: int


class Knowledge:
    """A built release, loaded once, answering the questions pages ask."""

    def __init__(self, release: Path, store=None):
        """``store``: anything answering like pyoxigraph.Store (a RemoteStore); default, the release's own."""
        self.release = release
        self.manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
        self.built = datetime.fromisoformat(self.manifest["built"])
        self.version = self.manifest["version"]
        self.store = store if store is not None else open_store(release)
        self.void_turtle = (release / "void.ttl").read_bytes()
        self._counts = None
        # The build's label file describes the build's own store; a remote store may hold other labels.
        written = read_label_file(release) if store is None else None
        self._labels, self._index = written or labels_and_index(self.store, BASE)
        self._labels_index = LabelIndex(self._index)

    # -- queries ---------------------------------------------------------------
    def query(self, sparql: str, **kwargs):
        return self.store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES, **kwargs)

    def select(self, sparql: str) -> list[dict]:
        results = self.query(sparql)
        names = [v.value for v in results.variables]
        return [{n: s[n] for n in names} for s in results]

    # -- labels ------------------------------------------------------------------
    def labels_of(self, iri: str) -> dict:
        return self._labels.get(iri, {})

    def label(self, iri: str, lang: str = "en") -> str:
        """The best label in ``lang``, falling back to English, French, German, untagged, then the IRI."""
        entry = self._labels.get(iri)
        if entry:
            for candidate in (lang, "en", "fr", "de", ""):
                if candidate in entry:
                    return entry[candidate]
            return next(iter(entry.values()))
        return compact(iri)

    # -- descriptions ------------------------------------------------------------
    def describe(self, iri: str, asserted_only: bool = False) -> Description:
        node = ox.NamedNode(iri)
        description = Description(iri)
        seen: dict = {}
        for quad in self.store.quads_for_pattern(node, None, None, None):
            key = (quad.predicate.value, quad.object)
            inferred = quad.graph_name == INFERRED
            seen[key] = seen.get(key, True) and inferred
        cited = self.statement_sources(node)
        for (predicate, value), inferred in seen.items():
            if asserted_only and inferred:
                continue
            description.outgoing.append(Statement(predicate, value, inferred, tuple(cited.get((predicate, value), ()))))
        inbound: dict = {}
        for quad in self.store.quads_for_pattern(None, None, node, None):
            if isinstance(quad.subject, ox.BlankNode) or quad.graph_name == PROVENANCE:
                continue  # a statement record is shown as the "according to" of the statement
            key = (quad.subject.value, quad.predicate.value)
            inferred = quad.graph_name == INFERRED
            inbound[key] = inbound.get(key, True) and inferred
        rows = [(s, p, inf) for (s, p), inf in inbound.items() if not (asserted_only and inf)]
        rows.sort()
        description.inbound = rows[:INBOUND_LIMIT]
        description.inbound_truncated = len(rows) > INBOUND_LIMIT
        description.outgoing.sort(key=lambda s: (s.predicate, str(s.value)))
        return description

    def statement_sources(self, node) -> dict:
        """(predicate IRI, value) → [(source IRI, locator)] for the statements about ``node`` a source is cited for.

        One query, not one per record: over a remote store each pattern is a request.
        """
        query = (f"SELECT ?p ?o ?source ?locator WHERE {{ GRAPH <{PROVENANCE.value}> {{ "
                 f"?r rdf:subject <{node.value}> ; rdf:predicate ?p ; rdf:object ?o ; <{SOURCE}> ?source . "
                 f"OPTIONAL {{ ?r <{LOCATOR}> ?locator }} }} }}")
        found: dict = {}
        for row in self.store.query(query, prefixes=PREFIXES):
            locator = row["locator"]
            found.setdefault((row["p"].value, row["o"]), []).append((row["source"].value, locator.value if locator else ""))
        for cited in found.values():
            cited.sort()
        return found

    def blank_node_triples(self, node) -> list:
        """Triples of a blank node (e.g. an owl:AllDisjointClasses axiom), one level deep."""
        return [(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(node, None, None, None)]

    def types_of(self, iri: str) -> list[str]:
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        return sorted({q.object.value for q in self.store.quads_for_pattern(ox.NamedNode(iri), rdf_type, None, None)
                       if isinstance(q.object, ox.NamedNode)})

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        return any(True for _ in self.store.quads_for_pattern(node, None, None, None)) or any(
            True for _ in self.store.quads_for_pattern(None, None, node, None)
        )

    # -- search ------------------------------------------------------------------
    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Label search in every language, ignoring case and accents; exact, prefix, then substring."""
        needle = fold(text)[:200]
        if not needle:
            return []
        best: dict = {}
        for score, (_folded, iri, label, language, kind) in self._labels_index.matches(needle):
            if iri not in best or best[iri].score < score:
                shown = label if kind != "hidden" else self.label(iri, language or "en")
                best[iri] = SearchHit(iri, shown, language, kind, score)
        hits = sorted(best.values(), key=lambda h: (-h.score, h.label.casefold(), h.iri))
        return hits[:limit]

    def near(self, text: str, limit: int = 8) -> list[SearchHit]:
        """Close spellings of ``text`` among all labels, for 'did you mean' on a 404 page."""
        import difflib

        needle = fold(text)[:200]
        if not needle:
            return []
        hits = self.search(text, limit)
        if hits or len(self._index) > NEAR_MAX_LABELS:
            return hits
        by_label: dict = {}
        for folded, iri, label, language, kind in self._index:
            by_label.setdefault(folded, (iri, label, language, kind))
        words = {w: folded for folded in by_label for w in folded.split()}
        close = difflib.get_close_matches(needle, list(by_label) + list(words), n=limit * 2, cutoff=0.6)
        result: dict = {}
        for match in close:
            iri, label, language, kind = by_label.get(match) or by_label[words[match]]
            result.setdefault(iri, SearchHit(iri, label, language, kind, 0))
        return list(result.values())[:limit]

    # -- counts -------------------------------------------------------------------
    def counts(self) -> dict:
        """Counts of concepts, individuals, classes, properties and triples (computed once: a release never changes)."""
        if self._counts is None:
            self._counts = self._count()
        return self._counts

    def _count(self) -> dict:
        rows = self.select("""
            SELECT (COUNT(DISTINCT ?c) AS ?concepts) WHERE { GRAPH <%s> { ?c a skos:Concept } }""" % graph_iri("vocabulary"))
        concepts = int(rows[0]["concepts"].value)
        rows = self.select("""
            SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH <%s> { ?s a ?t } }""" % graph_iri("data"))
        individuals = int(rows[0]["n"].value)
        rows = self.select("""
            SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { GRAPH <%s> { ?c a owl:Class } }""" % graph_iri("ontology"))
        classes = int(rows[0]["n"].value)
        rows = self.select("""
            SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH <%s> { ?p a owl:ObjectProperty } }""" % graph_iri("ontology"))
        properties = int(rows[0]["n"].value)
        from ..release.void import stated_counts

        # Stated by the release's VoID (and checked against a remote store): no pass over the data.
        triples = sum(stated_counts(self.void_turtle).values())
        return {"concepts": concepts, "individuals": individuals, "classes": classes,
                "properties": properties, "triples": triples}

    @property
    def dataset_iri(self) -> str:
        return str(DATASET)


def load_release(release: Path, store=None, verify: bool = True) -> "Knowledge":
    """Load a release, after checking its checksums unless a parent process just did.

    ``store`` reads the data from elsewhere (a RemoteStore); the release still gives
    the manifest, the VoID description and the downloads.
    """
    from ..core.errors import BuildMissing

    if verify:
        verify_release(release)
    try:
        return Knowledge(release, store)
    except (OSError, ValueError, EOFError, KeyError, SyntaxError) as error:
        raise BuildMissing(f"the build in {release} cannot be read ({error.__class__.__name__}); run 'tdld build'") from None
