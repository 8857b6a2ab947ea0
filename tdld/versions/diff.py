"""What changed between two releases, term by term, and the version bump it calls for.

A term is an IRI under https://w3id.org/territorial-diplomacy/ that is the subject of
asserted triples other than mapping links. Its description is those triples plus the blank nodes it reaches
(restrictions, lists, instants), written with labels derived from their content, so that
parsing the same file twice gives no change. Three kinds of triples are filed elsewhere,
so that a change lands on the term it is about:

- ``skos:narrower`` and ``skos:hasTopConcept`` state the position of their object, and
  are filed under it (a new child does not move its parent);
- an SSSOM mapping record (a node with ``sssom:subject_id``) and the mapping set's link to
  it are filed under the mapped term, as its mapping evidence;
- a blank node that nothing reaches (``owl:AllDisjointClasses``) is filed under every term
  it names, or under its graph when it names none.

Statements about IRIs outside tdld (axioms on reused vocabularies) are compared too, under
their subject, but such a subject is never reported as added or removed.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from ..core.namespaces import ASSERTED_LAYERS, BASE, PREFIXES, graph_iri

SEMVER_RULES = """\
major: a term was removed, moved in the hierarchy, or its axioms changed;
       data and inferences that relied on it may break.
minor: terms were added or deprecated, or mappings changed; what held before still holds.
patch: labels, definitions or other statements changed; nothing formal did.
none:  no change."""

KINDS = ("added", "removed", "deprecated", "relabelled", "redefined", "moved", "axioms", "mappings", "other")
BUMP_OF_KIND = {"removed": "major", "moved": "major", "axioms": "major",
                "added": "minor", "deprecated": "minor", "mappings": "minor",
                "relabelled": "patch", "redefined": "patch", "other": "patch"}
BUMPS = ("none", "patch", "minor", "major")

RDF, RDFS, OWL, SKOS = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["owl"], PREFIXES["skos"]
SSSOM, DCTERMS = PREFIXES["sssom"], PREFIXES["dcterms"]
LABELS = {SKOS + "prefLabel", RDFS + "label", SKOS + "altLabel", SKOS + "hiddenLabel"}
DEFINITIONS = {SKOS + "definition", RDFS + "comment", SKOS + "scopeNote"}
HIERARCHY = {SKOS + "broader", SKOS + "narrower", RDFS + "subClassOf", RDFS + "subPropertyOf",
             SKOS + "topConceptOf", SKOS + "hasTopConcept"}
FILED_UNDER_OBJECT = {SKOS + "narrower", SKOS + "hasTopConcept"}
AXIOMS = {RDF + "type", RDFS + "domain", RDFS + "range", OWL + "equivalentClass", OWL + "equivalentProperty",
          OWL + "disjointWith", OWL + "propertyDisjointWith", OWL + "inverseOf", OWL + "propertyChainAxiom",
          OWL + "hasKey", OWL + "disjointUnionOf", OWL + "unionOf", OWL + "intersectionOf", OWL + "oneOf",
          OWL + "complementOf"}
AXIOM_NODE_TYPES = {OWL + "AllDisjointClasses", OWL + "AllDisjointProperties", OWL + "AllDifferent",
                    OWL + "NegativePropertyAssertion"}
MAPPINGS = {SKOS + "exactMatch", SKOS + "closeMatch", SKOS + "broadMatch", SKOS + "narrowMatch",
            SKOS + "relatedMatch", OWL + "sameAs", "http://schema.org/sameAs"}
DEPRECATED = OWL + "deprecated"
IS_REPLACED_BY = DCTERMS + "isReplacedBy"
SEED_REPLACEMENTS = {IS_REPLACED_BY, PREFIXES["tdo"] + "replacedBy"}
# Provisional kinds, settled once both releases are known: "deprecated" only if newly set.
_FLAG, _REPLACEMENT = "deprecation flag", "replacement"
_CYCLE = "cycle"


@dataclass(frozen=True)
class TermChange:
    """One kind of change to one term: the statements that went and came (canonical blank nodes)."""

    term: str
    kind: str
    removed: tuple[ox.Triple, ...]
    added: tuple[ox.Triple, ...]
    replaced_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Diff:
    """The changes from release ``old_name`` to ``new_name``, sorted by (kind, term)."""

    old_name: str
    new_name: str
    changes: tuple[TermChange, ...]

    @property
    def bump(self) -> str:
        """The smallest semantic-version step that covers every change (see SEMVER_RULES)."""
        return max((BUMP_OF_KIND[c.kind] for c in self.changes), key=BUMPS.index, default="none")

    def of_kind(self, kind: str) -> tuple[TermChange, ...]:
        if kind not in KINDS:
            raise ValueError(f"unknown kind of change {kind!r}")
        return tuple(c for c in self.changes if c.kind == kind)

    def counts(self) -> dict[str, int]:
        """How many terms changed in each way, every kind listed (in KINDS order)."""
        return {kind: sum(1 for c in self.changes if c.kind == kind) for kind in KINDS}


def release_terms(store: ox.Store) -> set[str]:
    """The terms a release describes: what must stay resolvable, and what a diff compares.

    Mapping records (evidence rows, named after their content) are not terms: a wrong
    mapping may be withdrawn.
    """
    return _Release(store).terms


def ntriples(triple: ox.Triple) -> str:
    """One statement as an N-Triples line."""
    return f"{triple} ."


def diff_releases(old: ox.Store, new: ox.Store, old_name: str, new_name: str) -> Diff:
    """Compare the asserted graphs of two releases (the inferred graph is ignored)."""
    before, after = _Release(old), _Release(new)
    terms = before.terms | after.terms
    replacements = _replacement_predicates(before, after)
    old_statements, new_statements = before.statements(terms, replacements), after.statements(terms, replacements)
    changes = []
    for owner in sorted(old_statements.keys() | new_statements.keys()):
        gone = old_statements.get(owner, set()) - new_statements.get(owner, set())
        came = new_statements.get(owner, set()) - old_statements.get(owner, set())
        if gone or came:
            changes += _changes_of(owner, gone, came, before, after, new_statements.get(owner, set()))
    return Diff(old_name, new_name, tuple(sorted(changes, key=lambda c: (c.kind, c.term))))


def _changes_of(owner, gone, came, before, after, now) -> list[TermChange]:
    if owner in after.terms and owner not in before.terms:
        return [_change(owner, "added", gone, came)]
    if owner in before.terms and owner not in after.terms:
        return [_change(owner, "removed", gone, came)]
    newly_deprecated = _deprecated(owner, now) and not _deprecated(owner, (now - came) | gone)
    by_kind: dict = defaultdict(lambda: (set(), set()))
    for side, statements in ((0, gone), (1, came)):
        for kind, triple in statements:
            if kind in (_FLAG, _REPLACEMENT):
                kind = "deprecated" if newly_deprecated else "other"
            by_kind[kind][side].add((kind, triple))
    replaced_by = tuple(sorted({t.object.value for k, t in now if k == _REPLACEMENT and t.subject.value == owner
                                and isinstance(t.object, ox.NamedNode)}))
    return [_change(owner, kind, removed, added, replaced_by if kind == "deprecated" else ())
            for kind, (removed, added) in by_kind.items()]


def _change(term, kind, gone, came, replaced_by=()) -> TermChange:
    def ordered(statements):
        return tuple(sorted({t for _k, t in statements}, key=str))
    return TermChange(term, kind, ordered(gone), ordered(came), replaced_by)


def _deprecated(owner: str, statements) -> bool:
    return any(k == _FLAG and isinstance(t.subject, ox.NamedNode) and t.subject.value == owner
               and t.object.value in ("true", "1") for k, t in statements)


def _replacement_predicates(*releases) -> set[str]:
    """dcterms:isReplacedBy and its sub-properties (such as tdo:replacedBy), in either release."""
    found = set(SEED_REPLACEMENTS)
    pairs = {(s.value, o.value) for r in releases for s, pos in r.out.items() if isinstance(s, ox.NamedNode)
             for p, o in pos if p.value == RDFS + "subPropertyOf" and isinstance(o, ox.NamedNode)}
    grew = True
    while grew:
        more = {s for s, o in pairs if o in found} - found
        found |= more
        grew = bool(more)
    return found


def _kind_of(predicate: str, value, replacements: set[str]) -> str:
    if predicate in LABELS:
        return "relabelled"
    if predicate in DEFINITIONS:
        return "redefined"
    if predicate in HIERARCHY:
        return "axioms" if isinstance(value, ox.BlankNode) else "moved"  # subClassOf a restriction
    if predicate in AXIOMS:
        return "axioms"
    if predicate in MAPPINGS:
        return "mappings"
    if predicate == DEPRECATED:
        return _FLAG
    if predicate in replacements:
        return _REPLACEMENT
    return "other"


class _Release:
    """One release's asserted triples, indexed by subject, with content-derived blank node labels."""

    def __init__(self, store: ox.Store):
        self.out: dict = defaultdict(list)
        self.graph_of: dict = {}
        reached = set()
        for layer in ASSERTED_LAYERS:
            name = ox.NamedNode(str(graph_iri(layer)))
            for quad in store.quads_for_pattern(None, None, None, name):
                pair = (quad.predicate, quad.object)
                if pair not in self.out[quad.subject]:
                    self.out[quad.subject].append(pair)
                self.graph_of.setdefault(quad.subject, name.value)
                if isinstance(quad.object, ox.BlankNode):
                    reached.add(quad.object)
        self.labels = _canonical_labels(self.out)
        self.records = {s for s, pos in self.out.items() if any(p.value == SSSOM + "subject_id" for p, _ in pos)}
        # Mapping links alone do not describe a term: a concept deleted but still mapped is removed.
        self.terms = {s.value for s, pos in self.out.items() if isinstance(s, ox.NamedNode) and s.value.startswith(BASE)
                      and s not in self.records and any(p.value not in MAPPINGS for p, _o in pos)}
        self.orphans = [s for s in self.out if isinstance(s, ox.BlankNode) and s not in reached and s not in self.records]

    def canon(self, term):
        return self.labels.get(term, term) if isinstance(term, ox.BlankNode) else term

    def tree(self, node):
        """The triples of a blank node and of the blank nodes below it, canonical."""
        seen, pending = set(), [node]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            for p, o in self.out.get(current, ()):
                yield ox.Triple(self.canon(current), p, self.canon(o))
                if isinstance(o, ox.BlankNode) and o not in self.records:
                    pending.append(o)

    def record_owner(self, record) -> str:
        subjects = [o.value for p, o in self.out[record] if p.value == SSSOM + "subject_id" and isinstance(o, ox.NamedNode)]
        if subjects and subjects[0].startswith(BASE):
            return min(subjects)
        sets = [s.value for s, pos in self.out.items() if isinstance(s, ox.NamedNode)
                and any(p.value == SSSOM + "mappings" and o == record for p, o in pos)]
        if sets:
            return min(sets)
        return record.value if isinstance(record, ox.NamedNode) else self.graph_of[record]

    def statements(self, terms: set[str], replacements: set[str]) -> dict[str, set]:
        """Owner IRI → {(kind, canonical triple)} for every triple of the release."""
        found: dict = defaultdict(set)
        for subject, pairs in self.out.items():
            if not isinstance(subject, ox.NamedNode) or subject in self.records:
                continue
            for p, o in pairs:
                owner, kind = subject.value, _kind_of(p.value, o, replacements)
                if p.value in FILED_UNDER_OBJECT and isinstance(o, ox.NamedNode) and o.value in terms:
                    owner = o.value
                if p.value == SSSOM + "mappings" and o in self.records:
                    owner, kind = self.record_owner(o), "mappings"
                found[owner].add((kind, ox.Triple(subject, p, self.canon(o))))
                if isinstance(o, ox.BlankNode) and o not in self.records:
                    found[owner].update((kind, t) for t in self.tree(o))
        for record in self.records:
            found[self.record_owner(record)].update(("mappings", t) for t in self.tree(record))
        for root in self.orphans:
            tree = set(self.tree(root))
            kind = "axioms" if any(t.predicate.value == RDF + "type" and t.object.value in AXIOM_NODE_TYPES
                                   for t in tree) else "other"
            named = {t.object.value for t in tree if isinstance(t.object, ox.NamedNode) and t.object.value in terms}
            for owner in named or {self.graph_of[root]}:
                found[owner].update((kind, t) for t in tree)
        return found


def _canonical_labels(out: dict) -> dict:
    """A label for each blank node from a hash of what hangs below it (its subtree).

    Identical subtrees share a label, which is harmless in a set of statements. A cycle
    of blank nodes (never written in Turtle's [] syntax) is cut, and may then depend on
    the order of parsing.
    """
    labels: dict = {}
    for root in (s for s in out if isinstance(s, ox.BlankNode)):
        pending, open_nodes = [root], set()
        while pending:
            current = pending[-1]
            if current in labels:
                pending.pop()
                continue
            open_nodes.add(current)
            waiting = [o for _p, o in out.get(current, ()) if isinstance(o, ox.BlankNode)
                       and o not in labels and o not in open_nodes]
            if waiting:
                pending += waiting
                continue
            lines = sorted(f"{p} {labels.get(o, _CYCLE) if isinstance(o, ox.BlankNode) else o}"
                           for p, o in out.get(current, ()))
            labels[current] = ox.BlankNode("c" + hashlib.sha256("\n".join(lines).encode()).hexdigest()[:20])
            open_nodes.discard(current)
            pending.pop()
    return labels
