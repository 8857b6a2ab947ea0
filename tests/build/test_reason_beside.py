"""Work beside the build in a child process: the closure the same as in the process, errors as they
were raised, and no child left running when the build is killed; the closure validated as `check` does."""

import os
import pty
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from tdld.build.beside import Beside
from tdld.build.load import load_sources
from tdld.build.reason import reason
from tdld.build.reason_beside import ReasoningBeside
from tdld.core.errors import Inconsistent, TdldError
from tdld.core.layout import Layout
from tdld.core.namespaces import graph_iri
from tdld.core.terms import to_oxigraph

from ..conftest import tdld_command

INFERRED = ox.NamedNode(graph_iri("inferred"))


def test_the_child_gives_the_closure_the_process_gives_with_the_same_blank_nodes(project):
    (project / "data" / "anonymous.ttl").write_text(
        "@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .\n[] a tdo:FederatedState .\n", encoding="utf-8")
    sources = load_sources(Layout(project))
    expected = {ox.Triple(*map(to_oxigraph, t)) for t in reason(sources.asserted_triples(), "owlrl").inferred}
    added = ReasoningBeside(sources, "owlrl").into(sources.store, INFERRED)
    got = {ox.Triple(q.subject, q.predicate, q.object) for q in sources.store.quads_for_pattern(None, None, None, INFERRED)}
    assert added == len(expected) > 0
    assert got == expected
    assert any(isinstance(t.subject, ox.BlankNode) for t in got), "the test needs inferred triples about blank nodes"


def test_an_inconsistency_found_in_the_child_reaches_the_build_named(project):
    (project / "data" / "clash.ttl").write_text(
        "@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .\n"
        "<https://example.org/bavaria> a tdo:State , tdo:FederatedState .\n", encoding="utf-8")
    sources = load_sources(Layout(project))
    with pytest.raises(Inconsistent) as caught:
        ReasoningBeside(sources, "owlrl").into(sources.store, INFERRED)
    assert "https://example.org/bavaria" in str(caught.value)
    assert caught.value.problems


def test_an_unknown_reasoner_is_one_line_from_the_child(project):
    sources = load_sources(Layout(project))
    with pytest.raises(TdldError, match="unknown reasoner 'nope'"):
        ReasoningBeside(sources, "nope").into(sources.store, INFERRED)


def test_a_cancelled_reasoner_stops(project):
    sources = load_sources(Layout(project))
    beside = ReasoningBeside(sources, "owlrl")
    beside.cancel()
    assert not beside._child.alive()


def test_an_unexpected_error_in_a_child_is_one_line_naming_the_work():
    def work():
        raise KeyError("no such graph")

    with pytest.raises(TdldError, match=r"^closure validation failed: KeyError: 'no such graph'$"):
        Beside(work, "closure validation").result()


def test_a_child_that_dies_is_reported_with_its_exit_code():
    with pytest.raises(TdldError, match=r"the reasoning process ended without a result \(exit code 3\)"):
        Beside(lambda: os._exit(3), "reasoning").result()


def test_a_child_returns_what_its_work_returns():
    assert Beside(lambda: ("owlrl", b"<a> <b> <c> .\n"), "reasoning").result() == ("owlrl", b"<a> <b> <c> .\n")


def children_of(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found |= {int(n) for n in text.split()}
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_killed_build_leaves_no_reasoner_running(project):
    """SIGKILL cannot be caught: the child must die with its parent, not reason on alone."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([tdld_command(), "--root", str(project), "build", "--reasoner", "owlrl"],
                               stdout=subprocess.DEVNULL, stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    try:
        seen = b""
        while b"reasoning (OWL 2 RL) beside" not in seen:
            chunk = os.read(leader, 1024)
            assert chunk, "the build ended before reasoning"
            seen += chunk
        children = children_of(process.pid)
        assert children, "no reasoning process beside the build"
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        deadline = time.monotonic() + 10
        while any(running(child) for child in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(running(child) for child in children)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()


ONLY_IN_THE_CLOSURE = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix time: <http://www.w3.org/2006/time#> .
<https://example.org/shapes#NoHasTime> a sh:NodeShape ;
    sh:targetSubjectsOf <https://w3id.org/territorial-diplomacy/ontology#startedOn> ;
    sh:property [ sh:path time:hasTime ; sh:maxCount 0 ; sh:message "inferred only" ] .
"""


def test_the_build_validates_the_stored_closure_as_check_closure_does(project):
    """tdo:startedOn is a sub-property of time:hasTime: the asserted data conforms, its closure does not.

    The build validates its store once the closure is in it and the internal graph is dropped.
    """
    from tdld.build.pipeline import check, check_closure, check_stored_closure, release_dataset

    (project / "shapes" / "closure-only.ttl").write_text(ONLY_IN_THE_CLOSURE, encoding="utf-8")
    sources = load_sources(Layout(project))
    assert check(sources).conforms
    expected = check_closure(sources, reason(sources.asserted_triples(), "owlrl"))
    ReasoningBeside(sources, "owlrl").into(sources.store, INFERRED)
    release_dataset(sources)
    got = check_stored_closure(sources, "fast")
    assert not expected.conforms and not got.conforms
    assert got.violations == expected.violations
    assert any(v.message == "inferred only" for v in got.violations)
