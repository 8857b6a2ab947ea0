"""Query workers move a small release into memory: same answers, byte for byte, as from disk."""

import gzip
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from tdld.sparql.answer import answer
from tdld.sparql.memory import memory_copy, worker_store
from tdld.sparql.worker import Job, QueryPool
from tdld.release.store import open_store

pytestmark = pytest.mark.slow

# The federated examples ask Wikidata, which the tests do not reach.
EXAMPLES = sorted(p for p in (Path(__file__).resolve().parents[2] / "tdld" / "examples").glob("*.rq")
                  if not p.stem.startswith("federated"))
BLANK_NODES = "SELECT ?b ?p ?o WHERE { ?b ?p ?o FILTER(isBlank(?b)) } ORDER BY ?b ?p ?o LIMIT 50"


def job(text: str, form: str = "select", result_format: str = "json") -> Job:
    return Job(text, form, result_format)


@pytest.fixture(scope="module")
def disk(release):
    return open_store(release)


@pytest.fixture(scope="module")
def copy(disk):
    return memory_copy(disk)


def test_the_copy_holds_every_quad(disk, copy):
    assert len(copy) == len(disk) > 0
    assert set(copy.named_graphs()) == set(disk.named_graphs())


def test_blank_nodes_keep_their_identifiers_so_answers_and_etags_do_not_change(disk, copy):
    from_disk = answer(disk, job(BLANK_NODES), True)
    assert b'"bnode"' in from_disk  # the release has blank nodes (OWL lists, restrictions)
    assert answer(copy, job(BLANK_NODES), True) == from_disk


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_example_query_answers_the_same(disk, copy, example):
    text = example.read_text(encoding="utf-8")
    from_disk, from_copy = answer(disk, job(text), True), answer(copy, job(text), True)
    if "ORDER BY" in text:
        assert from_copy == from_disk
    else:  # without ORDER BY, SPARQL leaves the order to the store
        assert solutions(from_copy) == solutions(from_disk)


def solutions(body: bytes) -> list:
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return sorted(tuple(str(row[v]) for v in parsed.variables) for row in parsed)


def test_a_release_within_the_limit_is_served_from_memory(release, disk):
    store = worker_store(release, memory_quads=len(disk))  # the limit is inclusive
    assert store is not disk and len(store) == len(disk)
    with pytest.raises(RuntimeError, match="in-memory"):  # pyoxigraph tells the two kinds apart so
        store.backup(str(release / "never-written"))
    assert not (release / "never-written").exists()
    assert answer(store, job(BLANK_NODES), True) == answer(disk, job(BLANK_NODES), True)


@pytest.mark.parametrize("limit", [0, "one less"])
def test_a_larger_release_or_a_zero_limit_stays_on_disk(release, disk, tmp_path, limit):
    store = worker_store(release, memory_quads=len(disk) - 1 if limit == "one less" else 0)
    store.backup(str(tmp_path / "backup"))  # only an on-disk store can be backed up
    assert len(ox.Store.read_only(str(tmp_path / "backup"))) == len(disk)


def test_a_pool_with_memory_workers_answers_like_one_without(release):
    text = "SELECT ?c (COUNT(?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) STR(?c)"
    plain, in_memory = QueryPool(release, size=1), QueryPool(release, size=1, memory_quads=10_000_000)
    try:
        expected = plain.run(job(text))
        assert [in_memory.run(job(text)) for _ in range(3)] == [expected] * 3
    finally:
        plain.close()
        in_memory.close()


def test_the_build_records_the_store_so_workers_read_the_dump(release, disk):
    recorded = json.loads((release / "build.json").read_text(encoding="utf-8"))["store"]
    assert recorded == {"quads": len(disk), "blank_nodes": "as in tdld.nq.gz"}
    from_dump = worker_store(release, memory_quads=len(disk))
    assert len(from_dump) == len(disk)
    # The store kept the dump's blank node labels, so the copy read from the dump names them alike.
    assert answer(from_dump, job(BLANK_NODES), True) == answer(disk, job(BLANK_NODES), True)
    with gzip.open(release / "tdld.nq.gz", "rt", encoding="utf-8") as handle:
        labels = {line.split(" ", 1)[0][2:] for line in handle if line.startswith("_:")}
    on_disk = {quad.subject.value for quad in disk.quads_for_pattern(None, None, None, None)
               if isinstance(quad.subject, ox.BlankNode)}
    assert labels and on_disk == labels


def test_a_release_built_before_the_record_is_copied_from_its_store(release, disk, tmp_path):
    older = tmp_path / "older"
    shutil.copytree(release, older, symlinks=True)
    manifest = json.loads((older / "build.json").read_text(encoding="utf-8"))
    del manifest["store"]
    (older / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    copied = worker_store(older, memory_quads=len(disk))
    assert len(copied) == len(disk)
    assert answer(copied, job(BLANK_NODES), True) == answer(disk, job(BLANK_NODES), True)
