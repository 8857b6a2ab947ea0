"""The terminology as one map: every concept, its facet, its broader terms and the terms kept apart from it.

The literature often names one practice with several words that authors distinguish
(paradiplomacy, constituent diplomacy, city diplomacy...). In the scheme these stay
distinct concepts joined by skos:related; a cluster of such concepts is shown together,
with each term's definition and who introduced it, so the distinctions can be read side by side.
"""

from ..core.namespaces import graph_iri
from .knowledge import Knowledge
from .page_models import text_in

OTHER = "other"


def terminology_map(knowledge: Knowledge, lang: str, urls) -> dict:
    """Nodes (ordered by facet, then broader-first), edges (broader, related) and clusters of related terms."""
    vocabulary = f"<{graph_iri('vocabulary')}>"
    concepts = [row["c"].value for row in knowledge.select(
        f"SELECT DISTINCT ?c WHERE {{ GRAPH {vocabulary} {{ ?c a skos:Concept }} }}")]
    known = set(concepts)
    facet_of: dict = {}
    for row in knowledge.select(f"""SELECT ?col ?c WHERE {{ GRAPH {vocabulary} {{ ?col a skos:Collection ; skos:member ?c }} }}
                                    ORDER BY ?col"""):
        facet_of.setdefault(row["c"].value, row["col"].value)
    broader = [(row["c"].value, row["b"].value) for row in knowledge.select(
        f"SELECT ?c ?b WHERE {{ GRAPH {vocabulary} {{ ?c skos:broader ?b }} }}")
        if row["c"].value in known and row["b"].value in known]
    related = sorted({tuple(sorted((row["a"].value, row["b"].value))) for row in knowledge.select(
        f"SELECT ?a ?b WHERE {{ GRAPH {vocabulary} {{ ?a skos:related ?b }} }}")
        if row["a"].value in known and row["b"].value in known and row["a"] != row["b"]})
    facts = _facts(knowledge, lang)

    def node(iri: str) -> dict:
        return {"iri": iri, "label": knowledge.label(iri, lang), "href": urls.href(iri),
                "facet": facet_of.get(iri, OTHER), **facts.get(iri, {})}

    nodes = {iri: node(iri) for iri in concepts}
    facets = sorted({n["facet"] for n in nodes.values()}, key=lambda f: (f == OTHER, f))
    ordered = _broader_first(nodes, broader, facets)
    return {
        "nodes": ordered,
        "facets": [{"iri": f, "label": "other" if f == OTHER else knowledge.label(f, lang), "index": i}
                   for i, f in enumerate(facets)],
        "edges": [(a, b, "broader") for a, b in broader] + [(a, b, "related") for a, b in related],
        "clusters": [sorted((nodes[i] for i in group), key=lambda n: n["label"].lower())
                     for group in _clusters(related)],
    }


def _facts(knowledge: Knowledge, lang: str) -> dict:
    """Each concept's definition (in the page language if it has one) and who introduced it, when."""
    rows = knowledge.select("""
        SELECT ?c ?definition ?by ?year WHERE { ?c a skos:Concept .
          OPTIONAL { ?c skos:definition ?definition } OPTIONAL { ?c tdo:coinedBy ?by } OPTIONAL { ?c tdo:coinedIn ?year } }""")
    facts: dict = {}
    for row in rows:
        entry = facts.setdefault(row["c"].value, {"definitions": [], "introduced_by": set(), "years": set()})
        if row["definition"] is not None:
            entry["definitions"].append(row["definition"])
        if row["by"] is not None:
            entry["introduced_by"].add(row["by"].value)
        if row["year"] is not None:
            entry["years"].add(row["year"].value)
    return {iri: {"definition": text_in(e["definitions"], lang) or "", "introduced_by": sorted(e["introduced_by"]),
                  "introduced_in": sorted(e["years"])} for iri, e in facts.items()}


def _broader_first(nodes: dict, broader: list, facets: list) -> list:
    """Nodes facet by facet, each followed by its narrower terms of the same facet (a depth-first walk)."""
    narrower: dict = {}
    has_broader = set()
    for child, parent in broader:
        if nodes[child]["facet"] == nodes[parent]["facet"]:
            narrower.setdefault(parent, []).append(child)
            has_broader.add(child)
    ordered, seen = [], set()

    def walk(iri: str, depth: int) -> None:
        if iri in seen:
            return
        seen.add(iri)
        ordered.append(nodes[iri] | {"depth": depth})
        for child in sorted(narrower.get(iri, ()), key=lambda i: nodes[i]["label"].lower()):
            walk(child, depth + 1)

    for facet in facets:
        roots = [n for n in nodes.values() if n["facet"] == facet and n["iri"] not in has_broader]
        for root in sorted(roots, key=lambda n: n["label"].lower()):
            walk(root["iri"], 0)
    for iri in sorted(set(nodes) - seen):  # a cycle of broader terms: shown, not lost
        walk(iri, 0)
    return ordered


def _clusters(pairs: list) -> list:
    """The connected groups of terms joined by skos:related, largest first."""
    parent: dict = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: (-len(g), sorted(g)))
