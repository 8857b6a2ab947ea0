"""Which queries are answered in the web process: only shapes whose cost the data bounds."""

import pytest

from tdld.namespaces import PREFIXES
from tdld.sparql.guard import Limits, check_query

BOUNDED = [
    "SELECT ?p ?o WHERE { <https://example.org/a> ?p ?o }",
    "PREFIX ex: <https://example.org/> SELECT * { ex:a a ?o . } LIMIT 10",
    "ASK { tdv:city-diplomacy ?p ?o }",
    "SELECT ?o WHERE { tdv:city-diplomacy skos:prefLabel ?o } # a comment changes nothing",
]
NOT_BOUNDED = [
    "SELECT ?p ?o WHERE { ?s ?p ?o }",  # no fixed subject: a scan of the store
    "SELECT DISTINCT ?p WHERE { <https://example.org/a> ?p ?o }",
    "SELECT ?p WHERE { <https://example.org/a> ?p ?o } ORDER BY ?p",
    "SELECT ?p WHERE { <https://example.org/a> ?p ?o } LIMIT 1 OFFSET 5",
    "SELECT ?p WHERE { <https://example.org/a> ?p ?o . ?o ?q ?r }",
    "SELECT ?p WHERE { <https://example.org/a> ?p ?o ; ?q ?r }",
    "SELECT ?o WHERE { <https://example.org/a> skos:broader* ?o }",
    "SELECT ?o WHERE { <https://example.org/a> skos:broader/skos:broader ?o }",
    "SELECT ?p WHERE { <https://example.org/a> ?p ?o FILTER(REGEX(STR(?o), 'x')) }",
    "SELECT ?p WHERE { <https://example.org/a> ?p ?o } VALUES ?p { rdfs:label }",
    "SELECT (COUNT(*) AS ?n) WHERE { <https://example.org/a> ?p ?o }",
    "SELECT ?p WHERE { <https://example.org/a> ?p 'x' }",
    "CONSTRUCT { <https://example.org/a> ?p ?o } WHERE { <https://example.org/a> ?p ?o }",
    "SELECT ?p WHERE { GRAPH ?g { <https://example.org/a> ?p ?o } }",
    "SELECT ?p WHERE { SERVICE <https://example.org/sparql> { <https://example.org/a> ?p ?o } }",
]


@pytest.mark.parametrize("query", BOUNDED)
def test_one_pattern_with_a_fixed_subject_is_bounded(query):
    assert check_query(query, Limits(service_allowlist=("https://example.org/sparql",)), PREFIXES).bounded


@pytest.mark.parametrize("query", NOT_BOUNDED)
def test_every_other_shape_goes_to_a_killable_worker(query):
    assert not check_query(query, Limits(service_allowlist=("https://example.org/sparql",)), PREFIXES).bounded
