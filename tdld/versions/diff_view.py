"""The view model of the diff page: plain dicts from a Diff, no Flask, no HTML.

The caller says how IRIs are named and linked (``label_of``, ``href_of``), so the same
view serves the server, the static site and the tests. Values keep the shape the
``term`` macro of macros.html draws: links with labels, literals with their language.
"""

from collections import defaultdict

import pyoxigraph as ox

from ..core.namespaces import BASE, PREFIXES, compact
from .diff import BUMP_OF_KIND, KINDS, Diff, TermChange

RDF = PREFIXES["rdf"]
NOT_SHOWN_TYPES = {PREFIXES["owl"] + "Restriction", RDF + "List"}
MAX_DEPTH = 6


def diff_view(diff: Diff, lang: str, label_of, href_of) -> dict:
    """Bump, counts per kind, and per kind each term with its statements before and after."""
    counts = diff.counts()
    sections = []
    for kind in KINDS:
        changes = diff.of_kind(kind)
        if changes:
            views = [_change_view(c, lang, label_of, href_of) for c in changes]
            views.sort(key=lambda v: (v["term"]["label"].casefold(), v["term"]["iri"]))
            sections.append({"kind": kind, "bump": BUMP_OF_KIND[kind], "changes": views})
    return {
        "from": diff.old_name,
        "to": diff.new_name,
        "bump": diff.bump,
        "total": len(diff.changes),
        "counts": [{"kind": k, "count": counts[k], "bump": BUMP_OF_KIND[k]} for k in KINDS],
        "sections": sections,
    }


def _link(iri: str, label_of, href_of) -> dict:
    return {"kind": "iri", "iri": iri, "label": label_of(iri), "href": href_of(iri),
            "curie": compact(iri), "external": not iri.startswith(BASE)}


def _change_view(change: TermChange, lang: str, label_of, href_of) -> dict:
    rows: dict = defaultdict(lambda: {"before": [], "after": []})
    for side, triples in (("before", change.removed), ("after", change.added)):
        below = _index(triples)
        nested = {t.object for t in triples if isinstance(t.object, ox.BlankNode)}
        for t in triples:
            if isinstance(t.subject, ox.BlankNode) and t.subject in nested:
                continue  # drawn inside the statement that reaches it
            if isinstance(t.subject, ox.BlankNode):  # an axiom node nothing reaches
                key = ("", "")
                value = {"kind": "blank", "text": _summary(t.subject, below, label_of, 0)}
                if value in rows[key][side]:
                    continue
            else:
                key = (t.subject.value, t.predicate.value)
                value = _value(t.object, below, label_of, href_of)
            rows[key][side].append(value)
    views = []
    for (subject, predicate), sides in rows.items():
        views.append({
            "subject": _link(subject, label_of, href_of) if subject and subject != change.term else None,
            "predicate": _link(predicate, label_of, href_of) if predicate else None,
            "before": sorted(sides["before"], key=lambda v: _order(v, lang)),
            "after": sorted(sides["after"], key=lambda v: _order(v, lang)),
        })
    views.sort(key=lambda r: (r["subject"] is not None, r["subject"]["label"].casefold() if r["subject"] else "",
                              r["predicate"]["label"].casefold() if r["predicate"] else ""))
    return {"term": _link(change.term, label_of, href_of), "kind": change.kind, "rows": views,
            "replaced_by": [_link(iri, label_of, href_of) for iri in change.replaced_by]}


def _order(value: dict, lang: str) -> tuple:
    """Values in the page's language first, then by language and text."""
    return (value.get("lang", "") != lang, value.get("lang", ""), value.get("label") or value.get("text", ""))


def _index(triples) -> dict:
    below = defaultdict(list)
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            below[t.subject].append((t.predicate, t.object))
    return below


def _value(term, below: dict, label_of, href_of) -> dict:
    if isinstance(term, ox.NamedNode):
        return _link(term.value, label_of, href_of)
    if isinstance(term, ox.Literal):
        datatype = compact(term.datatype.value) if term.datatype and not term.language else ""
        return {"kind": "literal", "text": term.value, "lang": term.language or "",
                "datatype": "" if datatype in ("xsd:string", "rdf:langString") else datatype}
    return {"kind": "blank", "text": _summary(term, below, label_of, 0)}


def _summary(node, below: dict, label_of, depth: int) -> str:
    """A blank node in one line: a list as (a, b), anything else as [property value; ...]."""
    pairs = below.get(node)
    if not pairs or depth > MAX_DEPTH:
        return "[…]"
    items = _list_items(node, below)
    if items is not None:
        return "(" + ", ".join(_text(i, below, label_of, depth + 1) for i in items) + ")"
    parts = sorted(f"{label_of(p.value)} {_text(o, below, label_of, depth + 1)}" for p, o in pairs
                   if not (p.value == RDF + "type" and getattr(o, "value", "") in NOT_SHOWN_TYPES))
    return "[" + "; ".join(parts) + "]"


def _list_items(node, below: dict) -> list | None:
    items, seen = [], set()
    while isinstance(node, ox.BlankNode) and node not in seen:
        seen.add(node)
        found = {p.value: o for p, o in below.get(node, ())}
        if set(found) - {RDF + "type"} != {RDF + "first", RDF + "rest"}:
            return None
        items.append(found[RDF + "first"])
        node = found[RDF + "rest"]
    return items if getattr(node, "value", "") == RDF + "nil" else None


def _text(term, below: dict, label_of, depth: int) -> str:
    if isinstance(term, ox.NamedNode):
        return label_of(term.value)
    if isinstance(term, ox.Literal):
        return f"{term.value}@{term.language}" if term.language else term.value
    return _summary(term, below, label_of, depth)
