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
from pathlib import Path

from ..core.errors import Busy, SparqlError
from .memory import forked_from_memory, start_allowance
from .processes import answer_jobs, die_with_parent, started


@dataclass(frozen=True)
class Job:
    query: str
    form: str
    result_format: str
    default_graphs: tuple = ()
    named_graphs: tuple = ()
    max_results: int = 10_000
    predeclared: bool = True  # False when the query declares every prefix it uses


def _serve(connection, release_path: str, union_default: bool, memory_quads: int) -> None:
    """Worker process: open the release once, then answer jobs until the pipe closes."""
    from .memory import worker_store

    die_with_parent()
    store = worker_store(Path(release_path), memory_quads)
    connection.send(("ready",))
    answer_jobs(connection, store, union_default)


class Worker:
    def __init__(self, context, release_path: str, union_default: bool, memory_quads: int = 0):
        self.connection, self.process = started(context, _serve, (release_path, union_default, memory_quads),
                                                ("ready",), start_allowance(memory_quads),
                                                "a SPARQL worker did not start")

    def alive(self) -> bool:
        return self.process.is_alive()

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryPool:
    """A fixed number of workers; a job waits at most ``queue_timeout`` for one.

    When the release fits in memory (``memory_quads``) and its build recorded its store,
    the workers are forked from one zygote holding the release (``zygote.py``): the
    server's shared one if it has one (``use_shared_zygote``), else the pool's own.
    Otherwise each worker is a process of its own that opens the release.
    """

    def __init__(self, release_path: str, size: int = 2, timeout: float = 10.0, queue_timeout: float = 5.0,
                 union_default: bool = True, memory_quads: int = 0):
        self.release_path = str(release_path)
        self.memory_quads = memory_quads
        self.forking = forked_from_memory(Path(release_path), memory_quads)
        self.zygote = None  # started, and restarted, by the spawner thread alone
        self.shared_zygote = None  # the address of the server's zygote, while it serves this pool
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
            spawn = self.idle.empty() and self.started < self.size
            if spawn:
                self.started += 1
        if spawn:  # outside the lock: a worker copying the release must not hold up idle ones
            try:
                return self.spawner.submit(self._start_worker).result()
            except BaseException:
                with self.lock:
                    self.started -= 1
                raise
        try:
            return self.idle.get(timeout=self.queue_timeout)
        except queue.Empty:
            raise Busy(f"all {self.size} query workers are busy; try again shortly", retry_after=2) from None

    def use_shared_zygote(self, address: str | None) -> None:
        """Take workers from the server's zygote at ``address`` (call before the first query)."""
        self.shared_zygote = address if self.forking else None

    def prepare(self) -> None:
        """Start loading the release for the workers now, in the background, so that the first
        query does not wait for it (a server calls this at start-up; 7 s at 1.5M quads)."""
        if self.forking:
            self.spawner.submit(self._ensure_zygote)

    def _ensure_zygote(self):
        from .zygote import Zygote, ZygoteClient

        if self.zygote is not None and not self.zygote.alive():
            if isinstance(self.zygote, ZygoteClient):
                self.shared_zygote = None  # the server's zygote is gone: this pool starts one of its own
            self._stop_zygote()
        if self.zygote is None and self.shared_zygote:
            try:
                self.zygote = ZygoteClient(self.shared_zygote, self.release_path, self.memory_quads)
            except (OSError, EOFError, RuntimeError):
                self.shared_zygote = None
        if self.zygote is None:
            self.zygote = Zygote(self.context, self.release_path, self.union_default, self.memory_quads)
        return self.zygote

    def _start_worker(self):
        """A new worker (in the spawner thread): forked from the zygote, or a process of its own."""
        if not self.forking:
            return Worker(self.context, self.release_path, self.union_default, self.memory_quads)
        self._ensure_zygote()
        try:
            return self.zygote.fork()
        except (RuntimeError, OSError, EOFError):
            self._stop_zygote()
            raise RuntimeError("a SPARQL worker did not start") from None

    def _replace(self, worker) -> None:
        worker.stop()
        with self.lock:
            self.started -= 1

    def run(self, job: Job) -> bytes:
        worker = self._acquire()
        while not worker.alive():  # died while idle (e.g. with its zygote): not this query's fault
            self._replace(worker)
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
        # In the spawner thread, after any start it is running: no zygote is left behind.
        self.spawner.submit(self._stop_zygote).result()

    def _stop_zygote(self) -> None:
        if self.zygote is not None:
            self.zygote.stop()  # its workers die with it
            self.zygote = None
