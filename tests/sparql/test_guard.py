"""Which queries are answered in the web process: only shapes whose cost the data bounds."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdld.core.namespaces import PREFIXES
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


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="query=&+%20aé;#?/:<>{}", max_size=40))
def test_query_string_pairs_are_parse_qsls(text):
    """The shortcut for a lone query= parameter reads exactly what urllib's parser reads."""
    from urllib.parse import parse_qsl

    from tdld.sparql.protocol import _pairs

    assert _pairs(text) == parse_qsl(text, keep_blank_values=True)
    assert _pairs("query=" + text) == parse_qsl("query=" + text, keep_blank_values=True)


@pytest.mark.parametrize("query,needs", [
    ("SELECT * WHERE { ?s a tdo:City }", True),
    ("PREFIX tdo: <https://w3id.org/territorial-diplomacy/ontology#> SELECT * WHERE { ?s a tdo:City }", False),
    ("PREFIX t: <https://w3id.org/territorial-diplomacy/ontology#> SELECT * WHERE { ?s a tdo:City }", True),
    ("PREFIX tdo: <https://w3id.org/territorial-diplomacy/ontology#> SELECT * WHERE { ?s a tdo:City ; rdfs:label ?l }", True),
    ("SELECT * WHERE { ?s a <https://w3id.org/territorial-diplomacy/ontology#City> }", False),
    ('SELECT * WHERE { ?s ?p "tdo:City" } # tdo:City', False),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o = :x) }", True),
])
def test_a_query_is_given_tdlds_prefixes_when_it_uses_one_it_does_not_declare(query, needs):
    assert check_query(query, Limits(), PREFIXES).predeclared is needs
