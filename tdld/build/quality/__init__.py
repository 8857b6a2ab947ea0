"""The quality scorecard: qSKOS/OOPS!-style checks as SPARQL, and coverage figures.

Each ``quality/*-violation.rq`` selects the offending ``?resource``s; on
published data every one of them must return no row.
"""

from dataclasses import dataclass, field
from importlib import resources

import pyoxigraph as ox
from rdflib import Graph
from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from ...core.namespaces import BASE, PREFIXES, TDO, WD
from ...release.store import term_text

LANGUAGES = ("en", "fr", "de", "es")
WORKS = BASE + "id/work/"
ELI = "http://data.europa.eu/eli/ontology#"
# The kinds of things users come for, each by the classes that make one (as asserted, before reasoning).
KINDS = {
    "concept": (SKOS.Concept,),
    "EGTC": (TDO.EuropeanGroupingOfTerritorialCooperation,),
    "network of authorities": (TDO.LocalGovernmentNetwork,),
    "working community": (TDO.WorkingCommunity,),
    "Euroregion": (TDO.Euroregion,),
    "institution": (TDO.Institution,),
    "legal act": (TDO.Treaty, TDO.Protocol, TDO.Regulation, TDO.NationalLaw, TDO.Bill),
    "programme or strategy": (TDO.Programme, TDO.MacroRegionalStrategy, TDO.Communication),
    "place": (TDO.Place,),
}
DATES = {TDO.establishmentDate, TDO.foundingDate, TDO.registrationDate, TDO.conventionDate, TDO.constitutionDate,
         TDO.statutesDate, TDO.firstMeetingDate, TDO.noticeDate, URIRef(ELI + "date_document"), DCTERMS.date,
         TDO.periodStart, TDO.coinedIn}


@dataclass
class Scorecard:
    concepts: int = 0
    individuals: int = 0
    pref_label_coverage: dict = field(default_factory=dict)
    definition_coverage: dict = field(default_factory=dict)
    source_coverage: float = 0.0
    checks: dict = field(default_factory=dict)
    shacl_violations: int = 0
    inconsistencies: int = 0
    wikidata_concepts: float = 0.0
    wikidata_individuals: float = 0.0
    kinds: dict = field(default_factory=dict)  # kind → count and coverage figures (labels per language, ...)

    @property
    def check_failures(self) -> int:
        return sum(len(rows) for rows in self.checks.values())


def quality_queries() -> dict:
    """Name → SPARQL text of every packaged violation query."""
    folder = resources.files("tdld.build.quality")
    return {
        entry.name.removesuffix("-violation.rq"): entry.read_text(encoding="utf-8")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith("-violation.rq")
    }


def to_store(graph: Graph) -> ox.Store:
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def run_checks(store: ox.Store) -> dict:
    """Name → offending resources for every violation query."""
    found = {}
    for name, query in quality_queries().items():
        found[name] = sorted(term_text(s["resource"]) for s in store.query(query, prefixes=PREFIXES))
    return found


TYPE = ox.NamedNode(str(RDF.type))
DEFAULT = ox.DefaultGraph()


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def individuals_of(store: ox.Store) -> set:
    """Described resources of the data: tdld IRIs under /id/ that carry a type."""
    return {q.subject for q in store.quads_for_pattern(None, TYPE, None, DEFAULT)
            if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE + "id/")}


def score(asserted: Graph | ox.Store) -> Scorecard:
    """Compute every figure on the asserted triples (the closure would inflate them).

    ``asserted``: pyoxigraph's default graph, as the build has it; an rdflib graph is copied into one.
    """
    store = asserted if isinstance(asserted, ox.Store) else to_store(asserted)
    card = Scorecard()
    concepts = _members(store, (SKOS.Concept,))
    individuals = individuals_of(store)
    card.concepts, card.individuals = len(concepts), len(individuals)
    for lang in LANGUAGES:
        card.pref_label_coverage[lang] = _share(concepts, _in_language(store, (SKOS.prefLabel,), lang))
    for lang in ("en", "fr"):
        card.definition_coverage[lang] = _share(concepts, _in_language(store, (SKOS.definition,), lang))
    described = concepts | {i for i in individuals if not i.value.startswith(WORKS)}  # a source is the record itself
    card.source_coverage = _share(described, _having(store, (DCTERMS.source,)))
    card.checks = run_checks(store)
    linked = {q.subject for q in store.quads_for_pattern(None, None, None, DEFAULT)
              if isinstance(q.object, ox.NamedNode) and q.object.value.startswith(str(WD))}
    card.wikidata_concepts = _percent(len(concepts & linked), len(concepts))
    card.wikidata_individuals = _percent(len(individuals & linked), len(individuals))
    card.kinds = {kind: kind_coverage(store, classes) for kind, classes in KINDS.items()}
    return card


def kind_coverage(store: ox.Store, classes) -> dict:
    """How complete the descriptions of one kind of thing are: count, then the share with each part, in %."""
    members = _members(store, classes)
    figures = {"count": len(members)}
    figures |= {f"name {lang}": _share(members, _in_language(store, (SKOS.prefLabel, RDFS.label), lang))
                for lang in LANGUAGES}
    figures |= {f"description {lang}": _share(members, _in_language(store, (SKOS.definition, RDFS.comment), lang))
                for lang in ("en", "fr")}
    figures["source"] = _share(members, _having(store, (DCTERMS.source,)))
    figures["date"] = _share(members, _having(store, DATES))
    return figures


def _node(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _members(store: ox.Store, classes) -> set:
    return {q.subject for c in classes for q in store.quads_for_pattern(None, TYPE, _node(c), DEFAULT)}


def _in_language(store: ox.Store, predicates, lang: str):
    nodes = [_node(p) for p in predicates]
    return lambda m: any(isinstance(q.object, ox.Literal) and q.object.language == lang
                         for p in nodes for q in store.quads_for_pattern(m, p, None, DEFAULT))


def _having(store: ox.Store, predicates):
    nodes = [_node(p) for p in predicates]
    return lambda m: any(True for p in nodes for _ in store.quads_for_pattern(m, p, None, DEFAULT))


def _share(members: set, test) -> float:
    return _percent(sum(1 for m in members if test(m)), len(members))
