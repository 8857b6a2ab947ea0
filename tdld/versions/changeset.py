"""A release diff written down: as RDF change sets one can query, and as JSON.

The RDF follows the Changeset vocabulary (http://purl.org/vocab/changeset/schema#): one
``cs:ChangeSet`` per term and kind of change, whose ``cs:removal`` and ``cs:addition`` are
reified ``rdf:Statement``s, typed with tdld's class for that kind (ontology/changes.ttl)
and gathered by one ``tdo:ReleaseDiff`` between two release IRIs. Node labels are hashes
of what they stand for, so one diff is always written the same way.
"""

import hashlib
import json
from datetime import date, datetime

import pyoxigraph as ox

from ..core.namespaces import PREFIXES
from ..release.history import version_iri
from .diff import KINDS, Diff, TermChange, ntriples

CS = "http://purl.org/vocab/changeset/schema#"
TDO, RDF, RDFS, XSD = PREFIXES["tdo"], PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
CLASS_OF_KIND = {
    "added": TDO + "TermAddition", "removed": TDO + "TermRemoval", "deprecated": TDO + "Deprecation",
    "relabelled": TDO + "Relabelling", "redefined": TDO + "Redefinition", "moved": TDO + "HierarchyMove",
    "axioms": TDO + "AxiomChange", "mappings": TDO + "MappingChange", "other": TDO + "OtherChange",
}
REASON_OF_KIND = {
    "added": "The term was added.", "removed": "The term was removed.",
    "deprecated": "The term was deprecated.", "relabelled": "Its labels changed.",
    "redefined": "Its definition, comment or scope note changed.",
    "moved": "Its place in the hierarchy changed.", "axioms": "Its formal meaning (types, axioms) changed.",
    "mappings": "Its mappings to other vocabularies, or their evidence, changed.",
    "other": "Other statements about it changed.",
}
PREFIXES_OF_CHANGESETS = {"cs": CS, **PREFIXES}


def _node(*parts: str) -> ox.BlankNode:
    return ox.BlankNode("x" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:20])


def _iri(value: str) -> ox.NamedNode:
    return ox.NamedNode(value)


def changeset_triples(diff: Diff, old_iri: str | None = None, new_iri: str | None = None,
                      created: date | datetime | None = None) -> list[ox.Triple]:
    """The diff as RDF; the release IRIs default to .../version/NAME; ``created`` dates each change set."""
    old_node = _iri(old_iri or version_iri(diff.old_name))
    new_node = _iri(new_iri or version_iri(diff.new_name))
    whole = _node("diff", old_node.value, new_node.value)
    triples = [
        ox.Triple(whole, _iri(RDF + "type"), _iri(TDO + "ReleaseDiff")),
        ox.Triple(whole, _iri(RDFS + "label"), ox.Literal(f"Changes from {diff.old_name} to {diff.new_name}", language="en")),
        ox.Triple(whole, _iri(TDO + "fromRelease"), old_node),
        ox.Triple(whole, _iri(TDO + "toRelease"), new_node),
        ox.Triple(whole, _iri(TDO + "suggestedBump"), ox.Literal(diff.bump)),
    ]
    for node, name in ((old_node, diff.old_name), (new_node, diff.new_name)):
        triples += [ox.Triple(node, _iri(RDF + "type"), _iri(TDO + "Release")), ox.Triple(node, _iri(RDFS + "label"), ox.Literal(name))]
    stamp = _date_literal(created) if created is not None else None
    for change in diff.changes:
        triples += _change_triples(change, whole, old_node.value, new_node.value, stamp)
    return triples


def _change_triples(change: TermChange, whole, old_iri: str, new_iri: str, stamp) -> list[ox.Triple]:
    node = _node("change", old_iri, new_iri, change.kind, change.term)
    triples = [
        ox.Triple(whole, _iri(TDO + "hasTermChange"), node),
        ox.Triple(node, _iri(RDF + "type"), _iri(CS + "ChangeSet")),
        ox.Triple(node, _iri(RDF + "type"), _iri(CLASS_OF_KIND[change.kind])),
        ox.Triple(node, _iri(CS + "subjectOfChange"), _iri(change.term)),
        ox.Triple(node, _iri(CS + "changeReason"), ox.Literal(REASON_OF_KIND[change.kind], language="en")),
    ]
    if stamp is not None:
        triples.append(ox.Triple(node, _iri(CS + "createdDate"), stamp))
    triples += [ox.Triple(node, _iri(TDO + "replacementTerm"), _iri(t)) for t in change.replaced_by]
    for predicate, statements in ((CS + "removal", change.removed), (CS + "addition", change.added)):
        for statement in statements:
            reified = _node(node.value, predicate, ntriples(statement))
            triples += [
                ox.Triple(node, _iri(predicate), reified),
                ox.Triple(reified, _iri(RDF + "type"), _iri(RDF + "Statement")),
                ox.Triple(reified, _iri(RDF + "subject"), statement.subject),
                ox.Triple(reified, _iri(RDF + "predicate"), statement.predicate),
                ox.Triple(reified, _iri(RDF + "object"), statement.object),
            ]
    return triples


def _date_literal(when: date | datetime) -> ox.Literal:
    datatype = "dateTime" if isinstance(when, datetime) else "date"
    return ox.Literal(when.isoformat(), datatype=_iri(XSD + datatype))


def changeset_store(diff: Diff, old_iri: str | None = None, new_iri: str | None = None,
                    created: date | datetime | None = None) -> ox.Store:
    """The change sets in a store of their own (default graph), ready for SPARQL."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in changeset_triples(diff, old_iri, new_iri, created))
    return store


def to_json(diff: Diff) -> dict:
    """The diff as plain data; statements are N-Triples lines, everything in a fixed order."""
    return {
        "from": diff.old_name,
        "to": diff.new_name,
        "bump": diff.bump,
        "counts": diff.counts(),
        "changes": [{"term": c.term, "kind": c.kind,
                     "removed": [ntriples(t) for t in c.removed], "added": [ntriples(t) for t in c.added],
                     "replaced_by": list(c.replaced_by)} for c in diff.changes],
    }


def json_text(diff: Diff) -> str:
    """The JSON document, byte for byte the same for the same diff."""
    return json.dumps(to_json(diff), ensure_ascii=False, indent=1) + "\n"


def from_json(document: dict) -> Diff:
    """A Diff read back from ``to_json``'s output (the bump and counts are recomputed)."""
    changes = []
    for entry in document["changes"]:
        if entry["kind"] not in KINDS:
            raise ValueError(f"unknown kind of change {entry['kind']!r}")
        changes.append(TermChange(entry["term"], entry["kind"], _parse_lines(entry["removed"]),
                                  _parse_lines(entry["added"]), tuple(entry["replaced_by"])))
    return Diff(document["from"], document["to"], tuple(sorted(changes, key=lambda c: (c.kind, c.term))))


def _parse_lines(lines: list[str]) -> tuple[ox.Triple, ...]:
    text = "\n".join(lines).encode("utf-8")
    return tuple(sorted((q.triple for q in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)), key=str))
