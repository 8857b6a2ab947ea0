"""Query workers forked from one process that holds the release: replaced at once, never orphaned."""

import json
import os
import shutil
import signal
import time

import pytest

from tdld.sparql.errors import SparqlError
from tdld.sparql.worker import Job, QueryPool

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
    assert stopped.value.status == 503
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
