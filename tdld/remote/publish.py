"""Load a release into a remote SPARQL store with the Graph Store HTTP Protocol, then check it.

Each named graph is sent with one PUT, which the store applies as a whole: a reader
sees a graph either before or after, never half loaded. The graphs are replaced one
after the other, so for a moment a reader can see graphs of two releases; serve a
new release from a fresh store (and switch the load balancer) when that matters.
"""

import gzip
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import TdldError
from ..core.namespaces import ALL_GRAPHS
from . import (
    USER_AGENT,
    RemoteStore,
    StoreError,
    credentials,
    first_line,
    opener_for,
    send,
)

GRAPH_STORE_PATHS = {"/query": "/store", "/sparql": "/sparql-graph-crud-auth"}


class PublishRefused(TdldError):
    """The store already holds the dataset and --replace was not given."""

    exit_code = 1


class PublishMismatch(TdldError):
    """After loading, the store does not count the same triples as the release."""

    exit_code = 1


@dataclass
class Published:
    release: str
    store: str
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        graphs = ", ".join(f"{g.rsplit('/', 1)[-1]} {n}" for g, n in self.counts.items())
        return (f"published {self.release} to {self.store}: {len(self.counts)} graphs, {self.total} triples "
                f"({graphs}), verified, in {self.seconds:.1f} s")


def graph_store_url(query_url: str) -> str:
    """The Graph Store endpoint beside a query endpoint (Oxigraph: /store, Virtuoso: /sparql-graph-crud-auth)."""
    parts = urllib.parse.urlsplit(query_url)
    for query_path, store_path in GRAPH_STORE_PATHS.items():
        if parts.path.rstrip("/").endswith(query_path):
            path = parts.path.rstrip("/")[: -len(query_path)] + store_path
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    raise TdldError(f"cannot tell the Graph Store endpoint of {query_url}; give it with --graph-store URL")


def release_graphs(release: Path) -> dict:
    """The release's triples by named graph, as N-Triples bytes ready to send."""
    triples: dict = {g: [] for g in ALL_GRAPHS}
    try:
        with gzip.open(release / "tdld.nq.gz", "rb") as handle:
            for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
                graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
                if graph not in triples:
                    raise TdldError(f"{release.name}/tdld.nq.gz has a triple outside the dataset's graphs ({graph or 'default graph'})")
                triples[graph].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (OSError, EOFError, SyntaxError, ValueError) as error:
        raise TdldError(f"{release.name}/tdld.nq.gz cannot be read ({error}); run 'tdld build'") from None
    return triples


def put_graph(opener, store_url: str, graph: str, triples: list, timeout: float) -> None:
    """Replace one named graph in the store with these triples (GSP PUT ?graph=)."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    url = store_url + ("&" if "?" in store_url else "?") + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples", "User-Agent": USER_AGENT})
    response = send(opener, request, timeout, store_url)
    if response.status not in (200, 201, 204):
        raise StoreError(f"the Graph Store at {store_url} answered {response.status} for {graph}: "
                         f"{first_line(response.read())}")
    response.close()


def refuse_if_loaded(store: RemoteStore) -> None:
    """Without --replace, an existing copy of the dataset is left alone."""
    held = {g: n for g, n in store.triple_counts().items() if n}
    if held:
        names = ", ".join(g.rsplit("/", 1)[-1] for g in held)
        raise PublishRefused(f"the SPARQL store at {store.url} already holds graphs of this dataset ({names}); "
                             "add --replace to replace them")


def verify(store: RemoteStore, expected: dict) -> dict:
    """The store's triple count per graph, which must equal the release's."""
    found = store.triple_counts()
    different = [f"{g.rsplit('/', 1)[-1]}: store {found.get(g, 0)}, release {n}" for g, n in expected.items()
                 if found.get(g, 0) != n]
    if different:
        raise PublishMismatch(f"the store does not hold what was sent ({'; '.join(different)})")
    return found


def publish_release(release: Path, query_url: str, graph_store: str | None = None, replace: bool = False,
                    timeout: float = 300.0) -> Published:
    """Load every named graph of the release into the store, then check the counts."""
    started = time.monotonic()
    store = RemoteStore(query_url, timeout)
    store_url, user, password = credentials(graph_store or graph_store_url(query_url))
    if not replace:
        refuse_if_loaded(store)
    opener = opener_for(store_url, user, password)
    graphs = release_graphs(release)
    for graph, triples in graphs.items():
        put_graph(opener, store_url, graph, triples, timeout)
    counts = verify(store, {g: len(set(t)) for g, t in graphs.items()})
    return Published(release.name, store.url, counts, time.monotonic() - started)
