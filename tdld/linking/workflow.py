"""What to link, the linking run batch by batch, and the check of shipped links.

**What is linked.** Concepts: every ``skos:Concept`` of the vocabulary (``tdv:``). Individuals:
every typed resource under ``https://w3id.org/territorial-diplomacy/id/`` (actors, persons,
acts, policies, partnerships, events, places, works) except dates (``id/date/``): a date is a
time value in Wikidata, not an item to match by label. Deprecated resources are left out.
A resource is skipped when the asserted graph already links it to Wikidata, which includes
every reviewed row of every ``data/mappings/*.sssom.tsv`` (and of ``--output`` if it lives
elsewhere): a subject reviewed anywhere is never proposed again.

**Labels.** ``skos:prefLabel`` and ``rdfs:label`` (preferred) and ``skos:altLabel`` (alternative)
in en, fr and de; a label without a language (persons' names) stands for all three and for
Wikidata's ``mul``. Hidden labels (misspellings) are not looked up.

**Resuming.** Subjects are taken in a fixed order (by IRI) and cut into fixed batches; each
batch's answer is cached by the client and the table is written after each batch, so an
interrupted run loses at most one batch and the next run asks only what it lacks.
"""

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ..core.namespaces import BASE, SSSOM, TDV, WD
from . import table as tables
from .candidates import (
    LANGUAGES,
    MUL,
    Label,
    Subject,
    candidates_by_subject,
    existence_query,
    lookup_literals,
    lookup_query,
    parse_candidates,
    parse_existence,
)
from .client import EndpointError, SparqlClient
from .score import score_subject

ID = BASE + "id/"
UNLINKED_FOLDERS = ("date",)


# --- what to link (pure) -------------------------------------------------------------------------

def _labels(graph: Graph, resource) -> tuple:
    found = []
    for predicate, preferred in ((SKOS.prefLabel, True), (RDFS.label, True), (SKOS.altLabel, False)):
        for value in graph.objects(resource, predicate):
            if not isinstance(value, Literal) or not str(value).strip():
                continue
            lang = (value.language or "").lower()
            languages = [lang] if lang in LANGUAGES else (list(LANGUAGES) + [MUL] if not lang else [])
            found += [Label(str(value).strip(), code, preferred) for code in languages]
    return tuple(sorted(set(found), key=lambda l: (l.lang, not l.preferred, l.text)))


def _deprecated(graph: Graph, resource) -> bool:
    return any(str(v).lower() in ("true", "1") for v in graph.objects(resource, OWL.deprecated))


def is_concept(graph: Graph, resource) -> bool:
    return str(resource).startswith(str(TDV)) and (resource, RDF.type, SKOS.Concept) in graph


def is_individual(resource) -> bool:
    text = str(resource)
    return text.startswith(ID) and text[len(ID):].split("/", 1)[0] not in UNLINKED_FOLDERS


def linkable_subjects(graph: Graph) -> list:
    """Every concept and individual tdld would link to Wikidata, as Subjects, sorted by IRI."""
    resources = {s for s in graph.subjects(RDF.type, SKOS.Concept) if is_concept(graph, s)}
    resources |= {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and is_individual(s)}
    subjects = []
    for resource in sorted(resources, key=str):
        if _deprecated(graph, resource):
            continue
        types = tuple(sorted(str(t) for t in graph.objects(resource, RDF.type)))
        subjects.append(Subject(str(resource), is_concept(graph, resource), _labels(graph, resource), types))
    return subjects


def wikidata_links(graph: Graph) -> list:
    """(subject, predicate, object) triples pointing to Wikidata, mapping-evidence nodes excluded."""
    evidence = set(graph.subjects(RDF.type, SSSOM.Mapping))
    return sorted((s, p, o) for s, p, o in graph
                  if isinstance(o, URIRef) and str(o).startswith(str(WD)) and s not in evidence)


def reviewed_wikidata_subjects(table: tables.CandidateTable) -> set:
    """Subject IRIs of the accepted (reviewed, not rejected) rows of a candidate table that point to Wikidata."""
    subjects = set()
    for row in table.accepted_rows():
        if tables.expand(row.values.get("object_id", ""), table.curie_map).startswith(str(WD)):
            subjects.add(tables.expand(row.subject, table.curie_map))
    return subjects


def rejected_pairs(table: tables.CandidateTable) -> set:
    """(subject IRI, item IRI) pairs a curator rejected (reviewed rows with predicate_modifier Not)."""
    return {(tables.expand(row.subject, table.curie_map), tables.expand(row.values.get("object_id", ""), table.curie_map))
            for row in table.rejected_rows()}


def batches(items: list, size: int) -> list:
    size = max(1, size)
    return [items[i:i + size] for i in range(0, len(items), size)]


def proposal_rows(scored: list, curie_map: dict, today: str) -> list:
    """The SSSOM rows (dicts by column) for the scored candidates of one subject."""
    rows = []
    for item in scored:
        rows.append({
            "subject_id": tables.compact(item.subject.iri, curie_map),
            "subject_label": item.subject.label("en"),
            "predicate_id": tables.compact(item.predicate, curie_map),
            "object_id": tables.compact(item.candidate.iri, curie_map),
            "object_label": item.candidate.label("en"),
            "mapping_justification": tables.compact(item.justification, curie_map),
            "confidence": f"{item.confidence:.2f}",
            "author_label": tables.AUTHOR,
            "reviewer_label": "",
            "mapping_date": today,
            "comment": item.comment,
        })
    return rows


# --- the run (I/O through the client and the table file) ---------------------------------------------

@dataclass
class LinkReport:
    output: Path
    linkable: int = 0  # concepts and individuals tdld would link
    already_linked: int = 0  # skipped: a reviewed mapping exists
    asked: int = 0  # subjects looked up in this run
    with_candidates: int = 0
    rows: int = 0  # candidate rows written for the subjects of this run
    batches: int = 0
    requests: int = 0
    cache_hits: int = 0


def link(graph: Graph, client: SparqlClient, output: Path, *, batch_size: int = 20, limit: int | None = None,
         today: str | None = None, progress=None) -> LinkReport:
    """Look up every unlinked subject of ``graph`` and merge the proposals into the table at ``output``.

    ``progress(done, total, cached)`` is called before the first batch and after each one.
    """
    today = today or date.today().isoformat()
    table = tables.read(output)
    linked = {str(s) for s, _p, _o in wikidata_links(graph)} | reviewed_wikidata_subjects(table)
    rejected = rejected_pairs(table)
    subjects = linkable_subjects(graph)
    remaining = [s for s in subjects if s.iri not in linked]
    todo = remaining if limit is None else remaining[:max(0, limit)]
    report = LinkReport(output, linkable=len(subjects), already_linked=len(subjects) - len(remaining))
    groups = batches(todo, batch_size)
    report.batches = len(groups)
    if progress:
        progress(0, len(groups), 0)
    for number, batch in enumerate(groups, start=1):
        owners = lookup_literals(batch)
        if owners:
            results = client.select(lookup_query(owners))
            try:
                found = parse_candidates(results)
            except ValueError as error:
                raise EndpointError(f"{client.endpoint}: {error}") from None
        else:
            found = {}
        by_subject = candidates_by_subject(found, owners)
        proposals = {}
        for subject in batch:
            scored = [item for item in score_subject(subject, by_subject.get(subject.iri, []))
                      if (subject.iri, item.candidate.iri) not in rejected]
            rows = proposal_rows(scored, table.curie_map, today)
            proposals[tables.compact(subject.iri, table.curie_map)] = rows
            report.asked += 1
            report.with_candidates += bool(rows)
            report.rows += len(rows)
        table = tables.merge(table, proposals)
        tables.write(output, table)
        if progress:
            progress(number, len(groups), client.cache_hits)
    report.requests, report.cache_hits = client.requests, client.cache_hits
    return report


# --- the check ----------------------------------------------------------------------------------------

@dataclass
class Coverage:
    mapped: int
    total: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.mapped / self.total, 1) if self.total else 100.0


@dataclass
class CheckReport:
    endpoint: str
    links: list = field(default_factory=list)  # (subject, predicate, Wikidata IRI)
    missing: list = field(default_factory=list)  # Wikidata IRIs the endpoint does not know
    redirects: dict = field(default_factory=dict)  # Wikidata IRI → the item it was merged into
    concepts: Coverage = field(default_factory=lambda: Coverage(0, 0))
    individuals: Coverage = field(default_factory=lambda: Coverage(0, 0))

    @property
    def items(self) -> list:
        return sorted({str(o) for _s, _p, o in self.links})

    @property
    def ok(self) -> bool:
        return not self.missing and not self.redirects

    def used_by(self, iri: str) -> list:
        return [(s, p) for s, p, o in self.links if str(o) == iri]


def coverage(graph: Graph) -> tuple[Coverage, Coverage]:
    """(concepts, individuals) linked to Wikidata, over what :func:`linkable_subjects` counts."""
    linked = {str(s) for s, _p, _o in wikidata_links(graph)}
    subjects = linkable_subjects(graph)
    concepts = [s for s in subjects if s.concept]
    individuals = [s for s in subjects if not s.concept]
    return (Coverage(sum(s.iri in linked for s in concepts), len(concepts)),
            Coverage(sum(s.iri in linked for s in individuals), len(individuals)))


def check(graph: Graph, client: SparqlClient, batch_size: int = 50) -> CheckReport:
    """Ask the endpoint whether every Wikidata item the graph links to still exists (never cached)."""
    report = CheckReport(client.endpoint, links=wikidata_links(graph))
    report.concepts, report.individuals = coverage(graph)
    existing, redirects = set(), {}
    for batch in batches(report.items, batch_size):
        try:
            found, moved = parse_existence(client.select(existence_query(batch), use_cache=False))
        except ValueError as error:
            raise EndpointError(f"{client.endpoint}: {error}") from None
        existing |= found
        redirects |= moved
    report.missing = [iri for iri in report.items if iri not in existing]
    report.redirects = {iri: target for iri, target in sorted(redirects.items()) if iri in report.items}
    return report
