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


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 100.0


def individuals_of(graph: Graph) -> set:
    """Described resources of the data: tdld IRIs under /id/ that carry a type."""
    return {s for s in graph.subjects(RDF.type, None) if str(s).startswith(BASE + "id/")}


def score(asserted: Graph) -> Scorecard:
    """Compute every figure on the asserted graph (the closure would inflate them)."""
    card = Scorecard()
    concepts = set(asserted.subjects(RDF.type, SKOS.Concept))
    individuals = individuals_of(asserted)
    card.concepts, card.individuals = len(concepts), len(individuals)
    for lang in LANGUAGES:
        with_label = [c for c in concepts if [label for label in asserted.objects(c, SKOS.prefLabel) if label.language == lang]]
        card.pref_label_coverage[lang] = _percent(len(with_label), len(concepts))
    for lang in ("en", "fr"):
        with_def = [c for c in concepts if [d for d in asserted.objects(c, SKOS.definition) if d.language == lang]]
        card.definition_coverage[lang] = _percent(len(with_def), len(concepts))
    described = concepts | {i for i in individuals if not str(i).startswith(WORKS)}  # a source is the record itself
    sourced = [r for r in described if asserted.value(r, DCTERMS.source) is not None]
    card.source_coverage = _percent(len(sourced), len(described))
    card.checks = run_checks(to_store(asserted))
    linked = {s for s, _p, o in asserted if str(o).startswith(str(WD))}
    card.wikidata_concepts = _percent(len(concepts & linked), len(concepts))
    card.wikidata_individuals = _percent(len(individuals & linked), len(individuals))
    card.kinds = {kind: kind_coverage(asserted, classes) for kind, classes in KINDS.items()}
    return card


def kind_coverage(asserted: Graph, classes) -> dict:
    """How complete the descriptions of one kind of thing are: count, then the share with each part, in %."""
    members = {s for c in classes for s in asserted.subjects(RDF.type, c)}
    names = (SKOS.prefLabel, RDFS.label)
    descriptions = (SKOS.definition, RDFS.comment)

    def share(test) -> float:
        return _percent(sum(1 for m in members if test(m)), len(members))

    def in_language(predicates, lang):
        return lambda m: any(getattr(o, "language", None) == lang for p in predicates for o in asserted.objects(m, p))

    figures = {"count": len(members)}
    figures |= {f"name {lang}": share(in_language(names, lang)) for lang in LANGUAGES}
    figures |= {f"description {lang}": share(in_language(descriptions, lang)) for lang in ("en", "fr")}
    figures["source"] = share(lambda m: asserted.value(m, DCTERMS.source) is not None)
    figures["date"] = share(lambda m: any(asserted.value(m, p) is not None for p in DATES))
    return figures
