"""Queries run in worker processes that can be killed: real time limits, crash isolation.

pyoxigraph has no query timeout and can crash on hostile input, so each query
goes to a worker process holding its own copy of the store. A query that
outlives its time limit is stopped by killing the worker, which is replaced.
"""

import multiprocessing
import queue
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .errors import Busy, SparqlError


@dataclass(frozen=True)
class Job:
    query: str
    form: str
    result_format: str
    default_graphs: tuple = ()
    named_graphs: tuple = ()
    max_results: int = 10_000


def _serve(connection, release_path: str, union_default: bool) -> None:
    """Worker loop: load the release once, then answer jobs until the pipe closes."""
    from pathlib import Path

    import pyoxigraph as ox

    from ..namespaces import PREFIXES
    from ..store import open_store
    from .results import SOLUTION_FORMATS, TooMany, take, write_solutions

    _die_with_parent()
    store = open_store(Path(release_path))
    graph_formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                     "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
                     "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
    connection.send(("ready",))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            options = {"prefixes": PREFIXES}
            if job.default_graphs:
                options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
            elif union_default:
                options["use_default_graph_as_union"] = True
            if job.named_graphs:
                options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]

            results = store.query(job.query, **options)
            if isinstance(results, ox.QueryBoolean):
                body = results.serialize(format=SOLUTION_FORMATS[job.result_format])
            elif isinstance(results, ox.QuerySolutions):
                try:
                    names, rows = take(results, job.max_results)
                except TooMany:
                    raise SparqlError(f"the query has more than {job.max_results} results; "
                                      "narrow it or add a LIMIT", status=413) from None
                body = write_solutions(names, rows, job.result_format)
            else:
                triples = []
                for triple in results:
                    triples.append(triple)
                    if len(triples) > job.max_results:
                        raise SparqlError(f"the query builds more than {job.max_results} triples; "
                                          "narrow it or add a LIMIT", status=413)
                body = ox.serialize(triples, format=graph_formats[job.result_format],
                                    **({"prefixes": PREFIXES} if job.result_format in ("turtle", "trig") else {}))
            connection.send(("ok", body))
        except SyntaxError as error:
            connection.send(("error", 400, "SPARQL syntax error: " + " ".join(str(error).split())))
        except SparqlError as error:
            connection.send(("error", error.status, str(error)))
        except Exception as error:  # evaluation errors (e.g. a failing SERVICE) are the query's
            connection.send(("error", 400, f"the query could not be evaluated: {' '.join(str(error).split())[:500]}"))


def _die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when its parent dies (e.g. a SIGKILLed server).

    The kernel ties this to the *thread* that started the worker, so the pool starts
    every worker from one long-lived thread of its own.
    """
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Worker:
    def __init__(self, context, release_path: str, union_default: bool):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, release_path, union_default), daemon=True)
        self.process.start()
        child.close()
        if not self.connection.poll(60) or self.connection.recv() != ("ready",):
            self.stop()
            raise RuntimeError("a SPARQL worker did not start")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """A fixed number of workers; a job waits at most ``queue_timeout`` for one."""

    def __init__(self, release_path: str, size: int = 2, timeout: float = 10.0, queue_timeout: float = 5.0,
                 union_default: bool = True):
        self.release_path = str(release_path)
        self.size = size
        self.timeout = timeout
        self.queue_timeout = queue_timeout
        self.union_default = union_default
        self.context = multiprocessing.get_context("spawn")
        self.idle: queue.LifoQueue = queue.LifoQueue()
        self.spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sparql-spawner")
        self.lock = threading.Lock()
        self.started = 0
        self.closed = False

    def _acquire(self) -> Worker:
        with self.lock:
            if self.closed:
                raise Busy("the endpoint is shutting down", retry_after=5)
            if self.idle.empty() and self.started < self.size:
                self.started += 1
                try:
                    return self.spawner.submit(Worker, self.context, self.release_path, self.union_default).result()
                except BaseException:
                    self.started -= 1
                    raise
        try:
            return self.idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise Busy(f"all {self.size} query workers are busy; try again shortly", retry_after=2) from None

    def _replace(self, worker: Worker) -> None:
        worker.stop()
        with self.lock:
            self.started -= 1

    def run(self, job: Job) -> bytes:
        worker = self._acquire()
        try:
            worker.connection.send(job)
            if not worker.connection.poll(self.timeout):
                self._replace(worker)
                raise SparqlError(f"the query ran longer than the {self.timeout:g} s limit and was stopped",
                                  status=503, retry_after=1)
            reply = worker.connection.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise SparqlError("the query crashed its worker; it was not answered", status=400) from None
        except SparqlError:
            raise
        except BaseException:
            self._replace(worker)
            raise
        self.idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        raise SparqlError(reply[2], status=reply[1])

    def close(self) -> None:
        with self.lock:
            self.closed = True
        while not self.idle.empty():
            self.idle.get_nowait().stop()
