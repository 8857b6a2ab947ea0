"""Query workers forked from one process that holds the release: replaced at once, never orphaned."""

import json
import os
import shutil
import signal
import time

import pytest

from tdld.core.errors import SparqlError
from tdld.sparql.worker import Job, QueryPool

pytestmark = pytest.mark.slow

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
GROUPED = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) STR(?c)"


def job(text: str) -> Job:
    return Job(text, "select", "json")


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        return int(handle.read().rsplit(")", 1)[1].split()[1])


def gone(pid: int, within: float = 5.0) -> bool:
    """True once ``pid`` has exited (left for its new parent to reap when its own parent died)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except FileNotFoundError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def pool(release):
    pool = QueryPool(release, size=2, timeout=2, memory_quads=10_000_000)
    yield pool
    pool.close()


def test_workers_are_forked_from_the_zygote_and_answer_like_disk_workers(pool, release):
    on_disk = QueryPool(release, size=1, memory_quads=0)
    try:
        assert pool.forking and not on_disk.forking
        assert pool.run(job(GROUPED)) == on_disk.run(job(GROUPED))
    finally:
        on_disk.close()
    worker = pool.idle.get_nowait()
    assert parent_of(worker.pid) == pool.zygote.process.pid
    pool.idle.put(worker)


def test_a_worker_stopped_at_the_time_limit_is_replaced_by_a_new_fork(pool):
    assert pool.run(job(COUNT))
    zygote = pool.zygote.process.pid
    first = pool.idle.get_nowait()
    pool.idle.put(first)
    with pytest.raises(SparqlError) as stopped:
        pool.run(job(SLOW))
    assert stopped.value.http_status == 503
    assert gone(first.pid)
    assert pool.run(job(COUNT))
    replacement = pool.idle.get_nowait()
    assert replacement.pid != first.pid and parent_of(replacement.pid) == zygote
    assert pool.zygote.process.pid == zygote  # the release was not loaded again
    pool.idle.put(replacement)


def test_when_the_zygote_dies_its_workers_go_and_the_next_query_is_still_answered(pool):
    expected = pool.run(job(COUNT))
    worker = pool.idle.get_nowait()
    pool.idle.put(worker)
    zygote = pool.zygote.process.pid
    os.kill(zygote, signal.SIGKILL)
    assert gone(worker.pid)  # PR_SET_PDEATHSIG: no worker outlives its zygote
    assert pool.run(job(COUNT)) == expected  # a dead idle worker is replaced, not blamed on the query
    assert pool.zygote.process.pid != zygote


def test_closing_the_pool_leaves_no_process_behind(release):
    pool = QueryPool(release, size=2, timeout=5, memory_quads=10_000_000)
    pool.run(job(COUNT))
    busy = pool.idle.get_nowait()  # as if a query were running: only the zygote can stop it
    zygote = pool.zygote.process.pid
    pool.close()
    assert gone(zygote) and gone(busy.pid)
    assert not os.path.exists(f"/proc/{busy.pid}")  # reaped by the zygote itself, not left a zombie


def test_a_release_built_without_the_store_record_gets_workers_of_its_own(release, tmp_path):
    older = tmp_path / "older"
    shutil.copytree(release, older, symlinks=True)
    manifest = json.loads((older / "build.json").read_text(encoding="utf-8"))
    del manifest["store"]
    (older / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    pool = QueryPool(older, size=1, memory_quads=10_000_000)
    try:
        assert not pool.forking
        assert pool.run(job(COUNT))
        assert pool.zygote is None
    finally:
        pool.close()


def test_prepare_loads_the_release_before_the_first_query(release):
    pool = QueryPool(release, size=1, memory_quads=10_000_000)
    try:
        assert pool.zygote is None
        pool.prepare()
        deadline = time.monotonic() + 60
        while pool.zygote is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pool.zygote is not None and pool.zygote.alive()  # loaded, no query asked yet
        zygote = pool.zygote.process.pid
        assert pool.run(job(COUNT))
        assert pool.zygote.process.pid == zygote
    finally:
        pool.close()


def spawned_children() -> set:
    """This process's children started by multiprocessing's spawn (as the zygote is)."""
    me = os.getpid()
    children = []
    for thread in os.listdir(f"/proc/{me}/task"):  # the pool starts its zygote from a thread of its own
        with open(f"/proc/{me}/task/{thread}/children", encoding="ascii") as handle:
            children += [int(pid) for pid in handle.read().split()]
    found = set()
    for pid in children:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                if b"spawn_main" in handle.read():
                    found.add(pid)
        except FileNotFoundError:
            pass
    return found


def test_closing_while_the_release_loads_stops_the_zygote_too(release):
    before = spawned_children()
    pool = QueryPool(release, size=1, memory_quads=10_000_000)
    pool.prepare()
    pool.close()  # at once: the zygote may still be loading
    pool.spawner.shutdown(wait=True)  # whatever the pool's starter thread was doing is done
    assert pool.zygote is None
    assert all(gone(pid) for pid in spawned_children() - before)


# -- one zygote for a whole server ----------------------------------------------------------
@pytest.fixture
def shared(release):
    import multiprocessing

    from tdld.sparql.zygote import SharedZygote

    zygote = SharedZygote(multiprocessing.get_context("spawn"), release)
    yield zygote
    zygote.stop()


def shared_pool(release, address: str) -> QueryPool:
    pool = QueryPool(release, size=1, timeout=2, memory_quads=10_000_000)
    pool.use_shared_zygote(address)
    return pool


def test_pools_of_one_server_take_their_workers_from_its_one_zygote(shared, release):
    first, second = shared_pool(release, shared.address), shared_pool(release, shared.address)
    on_disk = QueryPool(release, size=1, memory_quads=0)
    try:
        assert first.run(job(GROUPED)) == second.run(job(GROUPED)) == on_disk.run(job(GROUPED))
        workers = [first.idle.get_nowait(), second.idle.get_nowait()]
        assert [parent_of(worker.pid) for worker in workers] == [shared.process.pid] * 2
        for pool, worker in zip((first, second), workers):
            pool.idle.put(worker)
        first.close()  # as when a server worker stops: its query workers go, the other pool's stay
        assert gone(workers[0].pid)
        assert second.run(job(GROUPED)) == on_disk.run(job(GROUPED))
        assert second.idle.get_nowait().pid == workers[1].pid
    finally:
        for pool in (first, second, on_disk):
            pool.close()


def test_a_timed_out_worker_of_the_shared_zygote_is_replaced_by_a_new_fork_of_it(shared, release):
    pool = shared_pool(release, shared.address)
    try:
        with pytest.raises(SparqlError) as stopped:
            pool.run(job(SLOW))
        assert stopped.value.http_status == 503
        assert pool.run(job(COUNT))
        replacement = pool.idle.get_nowait()
        assert parent_of(replacement.pid) == shared.process.pid
        pool.idle.put(replacement)
    finally:
        pool.close()


def test_when_the_shared_zygote_dies_a_pool_starts_its_own(shared, release):
    pool = shared_pool(release, shared.address)
    try:
        expected = pool.run(job(COUNT))
        worker = pool.idle.get_nowait()
        pool.idle.put(worker)
        os.kill(shared.process.pid, signal.SIGKILL)
        assert gone(worker.pid)
        assert pool.run(job(COUNT)) == expected
        replacement = pool.idle.get_nowait()
        assert parent_of(replacement.pid) == pool.zygote.process.pid != shared.process.pid
        pool.idle.put(replacement)
    finally:
        pool.close()


def test_a_pool_of_another_release_does_not_use_the_shared_zygote(shared, release, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(release, other, symlinks=True)
    pool = shared_pool(other, shared.address)
    try:
        assert pool.run(job(COUNT))
        worker = pool.idle.get_nowait()
        assert parent_of(worker.pid) == pool.zygote.process.pid != shared.process.pid
        pool.idle.put(worker)
    finally:
        pool.close()


def test_stopping_the_shared_zygote_stops_every_worker_and_removes_its_socket(release):
    import multiprocessing

    from tdld.sparql.zygote import SharedZygote

    zygote = SharedZygote(multiprocessing.get_context("spawn"), release)
    pool = shared_pool(release, zygote.address)
    pool.run(job(COUNT))
    busy = pool.idle.get_nowait()  # as if a query were running
    assert oct(os.stat(zygote.folder).st_mode & 0o777) == "0o700"  # no other user reaches the socket
    zygote.stop()
    assert gone(zygote.process.pid) and gone(busy.pid)
    assert not os.path.exists(zygote.folder)
    pool.close()


def command_line(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return b""


def descendants(pid: int) -> list:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        for thread in os.listdir(f"/proc/{current}/task"):
            try:
                with open(f"/proc/{current}/task/{thread}/children", encoding="ascii") as handle:
                    children = [int(child) for child in handle.read().split()]
            except FileNotFoundError:
                continue
            found += children
            stack += children
    return found


def test_a_server_with_two_workers_loads_the_release_once(built_project, tmp_path):
    import concurrent.futures
    import urllib.parse

    from ..conftest import http_call, running_server

    with running_server(built_project, tmp_path, "--workers", "2", "--sparql-memory-quads", "10000000") as base:
        def ask(n: int) -> int:
            query = urllib.parse.urlencode({"query": f"{GROUPED} # {n}"})
            return http_call(f"{base}/sparql?{query}", headers={"Accept": "application/sparql-results+json"})[0]

        with concurrent.futures.ThreadPoolExecutor(8) as clients:
            assert set(clients.map(ask, range(40))) == {200}
        tree = descendants(base.pid)
        # Processes started by multiprocessing that are not forks of their parent: the zygotes.
        zygotes = [pid for pid in tree if b"spawn_main" in command_line(pid)
                   and command_line(pid) != command_line(parent_of(pid))]
        assert len(zygotes) == 1 and parent_of(zygotes[0]) == base.pid  # the server's, none per server worker
        workers = [pid for pid in tree if parent_of(pid) == zygotes[0]]
        assert len(workers) >= 2
    assert all(gone(pid) for pid in [*zygotes, *workers])
