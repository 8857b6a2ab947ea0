"""Load a release into a remote SPARQL store with the Graph Store HTTP Protocol, then check it.

Each named graph is replaced with one PUT of its first chunk, then completed with POSTs
of the rest: Virtuoso answers a large body with its Digest challenge before reading it,
and drops the connection, so no request carries more than CHUNK triples. A reader can
see a graph half loaded while it is sent, and graphs of two releases side by side; serve
a new release from a fresh store (and switch the load balancer) when that matters.
"""

import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import TdldError
from .values import merged_by_value, release_graphs
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
    merged: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        graphs = ", ".join(f"{g.rsplit('/', 1)[-1]} {n}" for g, n in self.counts.items())
        line = (f"published {self.release} to {self.store}: {len(self.counts)} graphs, {self.total} triples "
                f"({graphs}), verified, in {self.seconds:.1f} s")
        if self.merged:
            first = self.merged[0]
            line += (f"\nnote: the store keeps one literal per value, so {len(self.merged)} triple(s) sent were folded "
                     f"into another with the same subject, predicate and value, e.g. {first}")
        return line


def graph_store_url(query_url: str) -> str:
    """The Graph Store endpoint beside a query endpoint (Oxigraph: /store, Virtuoso: /sparql-graph-crud-auth)."""
    parts = urllib.parse.urlsplit(query_url)
    for query_path, store_path in GRAPH_STORE_PATHS.items():
        if parts.path.rstrip("/").endswith(query_path):
            path = parts.path.rstrip("/")[: -len(query_path)] + store_path
            return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, "", ""))
    raise TdldError(f"cannot tell the Graph Store endpoint of {query_url}; give it with --graph-store URL")


CHUNK = 2000


def chunks(triples: list, size: int = CHUNK) -> list:
    """The triples in slices of at most `size`; an empty graph is one empty slice."""
    return [triples[i:i + size] for i in range(0, len(triples), size)] or [[]]


def send_triples(opener, store_url: str, graph: str, triples: list, method: str, timeout: float) -> None:
    """One Graph Store request: PUT replaces the graph, POST adds to it."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
    url = store_url + ("&" if "?" in store_url else "?") + urllib.parse.urlencode({"graph": graph})
    request = urllib.request.Request(url, data=body, method=method,
                                     headers={"Content-Type": "application/n-triples", "User-Agent": USER_AGENT})
    response = send(opener, request, timeout, store_url)
    if response.status not in (200, 201, 204):
        raise StoreError(f"the Graph Store at {store_url} answered {response.status} for {graph}: "
                         f"{first_line(response.read())}")
    response.close()


def put_graph(opener, store_url: str, graph: str, triples: list, timeout: float) -> None:
    """Replace one named graph in the store with these triples, chunk by chunk."""
    first, *rest = chunks(triples)
    send_triples(opener, store_url, graph, first, "PUT", timeout)
    for chunk in rest:
        send_triples(opener, store_url, graph, chunk, "POST", timeout)


def refuse_if_loaded(store: RemoteStore) -> None:
    """Without --replace, an existing copy of the dataset is left alone."""
    held = {g: n for g, n in store.triple_counts().items() if n}
    if held:
        names = ", ".join(g.rsplit("/", 1)[-1] for g in held)
        raise PublishRefused(f"the SPARQL store at {store.url} already holds graphs of this dataset ({names}); "
                             "add --replace to replace them")


def verify(store: RemoteStore, graphs: dict) -> tuple[dict, list]:
    """The store's triple count per graph, and the triples it folded by value.

    Each graph must hold exactly the release's distinct triples, or exactly those left once
    literals of equal value are folded (what Virtuoso keeps); anything else is a loss.
    """
    found = store.triple_counts()
    different, merged = [], []
    for graph, triples in graphs.items():
        exact = len(set(triples))
        held = found.get(graph, 0)
        if held == exact:
            continue
        folded = merged_by_value(triples)
        if held == exact - len(folded):
            merged.extend(folded)
            continue
        different.append(f"{graph.rsplit('/', 1)[-1]}: store {held}, release {exact}")
    if different:
        raise PublishMismatch(f"the store does not hold what was sent ({'; '.join(different)})")
    return found, merged


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
    counts, merged = verify(store, graphs)
    return Published(release.name, store.url, counts, time.monotonic() - started, merged)
