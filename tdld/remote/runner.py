"""The /sparql endpoint's runner when the data lives in a remote store."""

import threading

import pyoxigraph as ox

from ..core.errors import Busy, SparqlError
from ..core.namespaces import ALL_GRAPHS, PREFIXES
from ..sparql.answer import GRAPH_FORMATS
from ..sparql.results import SOLUTION_FORMATS
from .answers import (
    from_named_graphs,
    parse_results,
    parse_triples,
    prologue,
    refusal_message,
)
from .http import (
    N_TRIPLES,
    RESULTS_JSON,
    AnswerTooLarge,
    SparqlClient,
    StoreError,
    StoreRejected,
    StoreTimeout,
)


class RemoteQueryRunner:
    """The /sparql endpoint's runner when the data lives in a remote store (same interface as QueryPool).

    The store evaluates; this bounds concurrency, time and result size, and re-serialises
    the answer in the format the client chose, with the same statuses as the pool.
    """

    def __init__(self, endpoint_url: str, timeout: float = 10.0, max_results: int = 10_000, size: int = 2,
                 queue_timeout: float = 5.0, graphs: tuple = ALL_GRAPHS):
        self.client = SparqlClient(endpoint_url, timeout)
        self.timeout = timeout
        self.max_results = max_results
        self.size = size
        self.queue_timeout = queue_timeout
        self.graphs = tuple(graphs)
        self.slots = threading.BoundedSemaphore(size)
        self.closed = False

    def prepare(self) -> None:
        """Nothing to load ahead: the remote store holds the data (QueryPool loads its copy here)."""

    def run(self, job) -> bytes:
        if self.closed:
            raise Busy("the endpoint is shutting down", retry_after=5)
        if not self.slots.acquire(timeout=self.queue_timeout):
            raise Busy(f"all {self.size} query slots are busy; try again shortly", retry_after=2)
        try:
            return self._evaluate(job)
        finally:
            self.slots.release()

    def _evaluate(self, job) -> bytes:
        form = job.form
        graph_form = form in ("CONSTRUCT", "DESCRIBE")
        limit = min(job.max_results, self.max_results)
        defaults = tuple(job.default_graphs) or self.graphs
        named = tuple(job.named_graphs) or from_named_graphs(job.query) or self.graphs
        declared = prologue(PREFIXES, job.query)
        try:
            answer = self.client.post(declared + job.query, N_TRIPLES if graph_form else RESULTS_JSON, defaults, named)
            if graph_form:
                return self._graph_body(parse_triples(answer.body, answer.media_type, self.client.url), job, limit)
            return self._solutions_body(answer.body, form, job, limit)
        except StoreTimeout:
            raise SparqlError(f"the query ran longer than the {self.timeout:g} s limit and was stopped",
                              status=503, retry_after=1) from None
        except AnswerTooLarge:
            raise SparqlError(f"the query has more than {limit} results; narrow it or add a LIMIT", status=413) from None
        except StoreRejected as error:
            raise SparqlError(refusal_message(str(error), len(declared)), status=400) from None
        except StoreError as error:
            raise SparqlError(f"{error}; try again shortly", status=503, retry_after=5) from None

    def _solutions_body(self, body: bytes, form: str, job, limit: int) -> bytes:
        results = parse_results(body, form, self.client.url)
        if isinstance(results, ox.QuerySolutions):
            count = sum(1 for _ in results)
            if count > limit:
                raise SparqlError(f"the query has more than {limit} results; narrow it or add a LIMIT", status=413)
            results = parse_results(body, form, self.client.url)
        return results.serialize(format=SOLUTION_FORMATS[job.result_format])

    @staticmethod
    def _graph_body(triples: list, job, limit: int) -> bytes:
        if len(triples) > limit:
            raise SparqlError(f"the query builds more than {limit} triples; narrow it or add a LIMIT", status=413)
        extra = {"prefixes": PREFIXES} if job.result_format in ("turtle", "trig") else {}
        return ox.serialize(triples, format=GRAPH_FORMATS[job.result_format], **extra)

    def close(self) -> None:
        self.closed = True


