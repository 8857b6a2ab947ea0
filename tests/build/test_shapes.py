"""Data-driven shape tests: each invalid fixture triggers its one intended violation."""

from pathlib import Path

import pytest
from rdflib import Graph

from tdld.build.load import load_sources
from tdld.build.shacl.validate import validate_graph

from ..conftest import DATA, REPO

FIXTURES = DATA / "shapes"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_sources().shapes


def fixture_graph(path: Path) -> Graph:
    """The fixture on top of the shipped ontology, whose class hierarchy the shapes use."""
    graph = Graph().parse(REPO / "ontology" / "ontology.ttl")
    graph.parse(path)
    return graph


def expectation(path: Path) -> tuple[str, str]:
    header = dict(
        line[2:].split(": ", 1) for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# ") and ": " in line
    )
    focus = header["focus"]
    fixture = Graph().parse(path)
    iri = focus[1:-1] if focus.startswith("<") else str(fixture.namespace_manager.expand_curie(focus))
    return iri, header["message"]


@pytest.mark.parametrize("path", sorted((FIXTURES / "valid").glob("*.ttl")), ids=lambda p: p.stem)
def test_valid_fixture_conforms(path, shapes):
    report = validate_graph(fixture_graph(path), shapes)
    assert report.violations == [], [f"{v.focus}: {v.message}" for v in report.violations]


@pytest.mark.parametrize("path", sorted((FIXTURES / "invalid").glob("*.ttl")), ids=lambda p: p.stem)
def test_invalid_fixture_triggers_its_violation(path, shapes):
    focus, message = expectation(path)
    report = validate_graph(fixture_graph(path), shapes)
    assert not report.conforms
    found = [(v.focus_iri, v.message) for v in report.violations]
    assert any(f == focus and message in m for f, m in found), found
    assert all(message in m for _f, m in found), f"unexpected extra violations: {found}"


def test_every_violation_message_says_what_to_do(shapes):
    """Messages are sentences a curator can act on, not bare constraint names."""
    from tdld.core.namespaces import SH

    messages = [str(m) for m in shapes.objects(None, SH.message)]
    assert len(messages) >= 30
    for text in messages:
        assert len(text.split()) >= 6 and text.rstrip().endswith("."), text
