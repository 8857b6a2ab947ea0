"""rdflib, used by the build, cannot be made to read files or fetch URLs by a query."""

import pytest
from rdflib import Dataset, Graph

import tdld  # noqa: F401  (importing tdld locks rdflib down)
from tdld.core.safety import FetchRefused

from ..web.test_sparql import Listener


def test_rdflib_does_not_load_graphs_named_in_from(tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text("<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n", encoding="utf-8")
    # A Dataset is what makes rdflib honour FROM (a plain Graph ignores it).
    results = list(Dataset().query(f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}"))
    assert results == []


def test_rdflib_service_makes_no_request():
    listener = Listener()
    try:
        with pytest.raises(FetchRefused):
            list(Graph().query(f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?s ?p ?o }} }}"))
        assert listener.connections == 0
    finally:
        listener.close()
