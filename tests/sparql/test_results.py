"""SELECT results written from collected solutions agree with pyoxigraph's own writers."""

import json
import urllib.parse

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdld.sparql.results import SOLUTION_FORMATS, TooMany, take, write_solutions

EX = "http://example.org/"
QUERY = f"""SELECT ?s ?label ?n ?maybe WHERE {{
  ?s <{EX}label> ?label . OPTIONAL {{ ?s <{EX}n> ?n }} OPTIONAL {{ ?s <{EX}none> ?maybe }}
}} ORDER BY ?label"""


@pytest.fixture(scope="module")
def store():
    store = ox.Store()
    data = f"""
    <{EX}a> <{EX}label> "Städtepartnerschaft"@de ; <{EX}n> 12 .
    <{EX}b> <{EX}label> "jumelage \\"quoted\\", with\\ttab"@fr ; <{EX}n> "1.5"^^<http://www.w3.org/2001/XMLSchema#decimal> .
    _:x <{EX}label> "plain" ; <{EX}n> "2020-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .
    <{EX}c> <{EX}label> "line\\nbreak" .
    """
    store.load(data.encode(), format=ox.RdfFormat.TURTLE)
    return store


def _parsed(body: bytes, result_format: str):
    results = ox.parse_query_results(body, format=SOLUTION_FORMATS[result_format])
    names = [v.value for v in results.variables]
    return names, [tuple(solution[name] for name in names) for solution in results]


@pytest.mark.parametrize("result_format", ["json", "xml", "csv", "tsv"])
def test_written_results_read_back_as_pyoxigraph_writes_them(store, result_format):
    names, rows = take(store.query(QUERY), cap=100)
    ours = write_solutions(names, rows, result_format)
    theirs = store.query(QUERY).serialize(format=SOLUTION_FORMATS[result_format])
    if result_format == "csv":  # CSV keeps no term types: compare the text cell by cell
        assert sorted(ours.decode().splitlines()) == sorted(theirs.decode().splitlines())
        return
    ours_names, ours_rows = _parsed(ours, result_format)
    theirs_names, theirs_rows = _parsed(theirs, result_format)
    assert ours_names == theirs_names == ["s", "label", "n", "maybe"]
    blank = lambda row: tuple("_" if isinstance(t, ox.BlankNode) else t for t in row)  # noqa: E731
    assert [blank(r) for r in ours_rows] == [blank(r) for r in theirs_rows]
    assert len(ours_rows) == 4


def test_take_stops_one_row_past_the_cap(store):
    names, rows = take(store.query(QUERY), cap=4)
    assert len(rows) == 4 and names == ["s", "label", "n", "maybe"]
    with pytest.raises(TooMany):
        take(store.query(QUERY), cap=3)


def test_no_solutions_still_has_the_head(store):
    names, rows = take(store.query(f"SELECT ?x WHERE {{ ?x <{EX}missing> ?y }}"), cap=10)
    assert _parsed(write_solutions(names, rows, "xml"), "xml") == (["x"], [])


def _reference_term(term) -> dict:
    """The JSON results encoding of one term, written out from the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _reference_term(term.subject),
                                            "predicate": _reference_term(term.predicate),
                                            "object": _reference_term(term.object)}}
    encoded = {"type": "literal", "value": term.value}
    if term.language:
        encoded["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        encoded["datatype"] = term.datatype.value
    return encoded


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
terms = st.one_of(
    texts.map(lambda t: ox.NamedNode(EX + urllib.parse.quote(t))),
    texts.map(ox.Literal),
    st.tuples(texts, st.sampled_from(["en", "fr", "de-CH"])).map(lambda p: ox.Literal(p[0], language=p[1])),
    st.integers().map(ox.Literal),
    st.booleans().map(ox.Literal),
    st.text(alphabet="abcdefghij0123456789", min_size=1, max_size=8).map(ox.BlankNode),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.one_of(st.none(), terms), min_size=3, max_size=3), max_size=5))
def test_json_text_is_the_sparql_json_results_of_the_solutions(table):
    """The JSON written as text parses to exactly the terms, variables and unbound cells given."""
    names = ["a", "b", "c"]
    written = json.loads(write_solutions(names, [tuple(row) for row in table], "json"))
    expected = {"head": {"vars": names}, "results": {"bindings": [
        {name: _reference_term(value) for name, value in zip(names, row) if value is not None} for row in table]}}
    assert written == expected


def test_a_quoted_triple_is_written_as_a_triple_term():
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o", language="en"))
    written = json.loads(write_solutions(["t"], [(triple,)], "json"))
    assert written["results"]["bindings"] == [{"t": _reference_term(triple)}]

