"""Which transitive properties the release's union graph holds already closed, checked at build time.

For such a property P, a SPARQL path ``P+`` over the union matches exactly the triples
``P`` does, so the endpoint may read one as the other (see tdld/sparql/shortcut.py).
That holds only if, in the union of the named graphs:
- P's edges are transitively closed (the OWL 2 RL closure adds them; checked, not assumed);
- no edge is in two graphs (the union keeps both copies, a path answers each pair once);
- the default graph has none of them (the union is of the named graphs).
"""

import pyoxigraph as ox

OWL_TRANSITIVE = "http://www.w3.org/2002/07/owl#TransitiveProperty"


def closed_transitive_properties(store: ox.Store) -> list[str]:
    """The IRIs of the properties declared transitive whose edges meet the three conditions, sorted."""
    declared = sorted(row[0].value for row in store.query(
        f"SELECT DISTINCT ?p WHERE {{ ?p a <{OWL_TRANSITIVE}> FILTER(isIRI(?p)) }}", use_default_graph_as_union=True))
    return [iri for iri in declared if _closed(store, iri)]


def _closed(store: ox.Store, iri: str) -> bool:
    p = f"<{iri}>"
    open_chain = f"ASK {{ ?x {p} ?y . ?y {p} ?z FILTER NOT EXISTS {{ ?x {p} ?z }} }}"
    in_two_graphs = f"ASK {{ GRAPH ?g {{ ?x {p} ?y }} GRAPH ?h {{ ?x {p} ?y }} FILTER(?g != ?h) }}"
    in_default = f"ASK {{ ?x {p} ?y }}"
    return not (bool(store.query(open_chain, use_default_graph_as_union=True))
                or bool(store.query(in_two_graphs)) or bool(store.query(in_default)))
