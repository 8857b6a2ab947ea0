"""The read model's store when the data lives in a SPARQL store, and the check that it holds the release.

Stores differ in small ways (Virtuoso writes blank nodes as ``nodeID://b1`` and ASK
answers as a one-cell table); ``answers`` normalises them before pyoxigraph reads them.
"""

import threading

import pyoxigraph as ox

from ..core.namespaces import ALL_GRAPHS
from ..release.void import release_counts
from .values import folded_counts, release_graphs
from .answers import (
    from_named_graphs,
    nt,
    parse_results,
    parse_triples,
    prologue,
    query_form,
    refusal_message,
)
from .http import (
    N_TRIPLES,
    RESULTS_JSON,
    SparqlClient,
    StoreError,
    StoreMismatch,
    StoreRejected,
)


class RemoteStore:
    """The part of pyoxigraph.Store that tdld's read model uses, answered by a SPARQL endpoint.

    The default graph is the union of the dataset's named graphs and GRAPH ?g ranges
    over them only, both passed explicitly with every query, so a store with other
    graphs (Virtuoso's system graphs) gives the same answers as the embedded store.
    Blank nodes cannot be named in a query, so every quad with a blank node is fetched
    once and kept here; this relies on the store labelling a blank node the same way
    in every answer, which Oxigraph and Virtuoso do.
    """

    def __init__(self, endpoint_url: str, timeout: float = 30.0, graphs: tuple = ALL_GRAPHS):
        self.client = SparqlClient(endpoint_url, timeout)
        self.url = self.client.url
        self.graphs = tuple(graphs)
        self._blank = None
        self._blank_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    # -- queries ---------------------------------------------------------------------------------
    def query(self, query: str, use_default_graph_as_union: bool = False, prefixes: dict | None = None,
              default_graph=None, named_graphs=None, **_options):
        """Like pyoxigraph.Store.query: QuerySolutions, QueryBoolean, or a list of Triples.

        A query the store refuses raises SyntaxError, as pyoxigraph does.
        """
        form = query_form(query)
        defaults = self._graph_list(default_graph) or (self.graphs if use_default_graph_as_union else ())
        named = self._graph_list(named_graphs) or from_named_graphs(query) or self.graphs
        accept = N_TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        declared = prologue(prefixes, query)
        try:
            answer = self.client.post(declared + query, accept, defaults, named)
        except StoreRejected as error:
            raise SyntaxError(refusal_message(str(error), len(declared))) from None
        if form in ("CONSTRUCT", "DESCRIBE"):
            return parse_triples(answer.body, answer.media_type, self.url)
        return parse_results(answer.body, form, self.url)

    @staticmethod
    def _graph_list(graphs) -> tuple:
        if graphs is None:
            return ()
        if isinstance(graphs, (ox.NamedNode, str)):
            graphs = [graphs]
        return tuple(g.value if isinstance(g, ox.NamedNode) else str(g) for g in graphs)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> list:
        """The quads matching a pattern, over the dataset's named graphs."""
        if any(isinstance(t, ox.BlankNode) for t in (subject, object)):
            return self._blank_quads(subject, predicate, object, graph_name)
        if isinstance(graph_name, ox.DefaultGraph):
            return []  # a release keeps everything in named graphs
        return self._select_quads(subject, predicate, object, graph_name)

    def _select_quads(self, subject, predicate, object, graph_name, where_filter: str = "") -> list:
        names = ("s", "p", "o", "g")
        terms = (subject, predicate, object, graph_name)
        slots = [nt(t) if t is not None else f"?{n}" for n, t in zip(names, terms)]
        binds = " ".join(f"BIND({nt(t)} AS ?{n})" for n, t in zip(names, terms) if t is not None)
        text = (f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {slots[3]} {{ {slots[0]} {slots[1]} {slots[2]} }} "
                f"{where_filter} {binds} }}")
        try:
            answer = self.client.post(text, RESULTS_JSON, (), self.graphs)
        except StoreRejected as error:
            raise StoreError(f"the SPARQL store at {self.url} refused a pattern query: {error}") from None
        return [ox.Quad(row["s"], row["p"], row["o"], row["g"]) for row in parse_results(answer.body, "SELECT", self.url)]

    def _blank_quads(self, subject, predicate, object, graph_name) -> list:
        index = self._blank_index()
        candidates = index.get(subject if isinstance(subject, ox.BlankNode) else object, [])
        return [q for q in candidates
                if (subject is None or q.subject == subject) and (predicate is None or q.predicate == predicate)
                and (object is None or q.object == object) and (graph_name is None or q.graph_name == graph_name)]

    def _blank_index(self) -> dict:
        """Every quad with a blank node, by that node: fetched once, as a release never changes."""
        with self._blank_lock:
            if self._blank is None:
                quads = self._select_quads(None, None, None, None, "FILTER(isBlank(?s) || isBlank(?o))")
                index: dict = {}
                for quad in quads:
                    for term in {quad.subject, quad.object}:
                        if isinstance(term, ox.BlankNode):
                            index.setdefault(term, []).append(quad)
                self._blank = index
            return self._blank

    def named_graphs(self) -> list:
        return [ox.NamedNode(g) for g in self.graphs]

    def triple_counts(self) -> dict:
        """Triples per named graph, as the store counts them."""
        text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        answer = self.client.post(text, RESULTS_JSON, (), self.graphs)
        counts = {g: 0 for g in self.graphs}
        for row in parse_results(answer.body, "SELECT", self.url):
            counts[row["g"].value] = int(row["n"].value)
        return counts


def check_matches(store: RemoteStore, release) -> None:
    """Refuse to serve a release from a store that holds other data: pages and downloads would disagree."""
    expected = release_counts(release)
    found = store.triple_counts()
    if any(found.get(g, 0) != n for g, n in expected.items()):
        folded = folded_counts(release_graphs(release))
        if all(found.get(g, 0) == n for g, n in folded.items()):
            return  # the store keeps one literal per value (Virtuoso): the release, as it can hold it
    different = [f"{g.rsplit('/', 1)[-1]} {found.get(g, 0)} (release: {n})" for g, n in expected.items()
                 if found.get(g, 0) != n]
    if different:
        raise StoreMismatch(f"the SPARQL store at {store.url} does not hold release {release.name} "
                            f"({', '.join(different)} triples); run 'tdld publish --store {store.url}'")


def open_remote(endpoint_url: str, release, timeout: float = 30.0) -> RemoteStore:
    """A RemoteStore checked against the release it is to serve."""
    store = RemoteStore(endpoint_url, timeout)
    check_matches(store, release)
    return store
