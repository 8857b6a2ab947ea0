"""Which triples a store that keeps values, not lexical forms, folds together."""

import pyoxigraph as ox

from tdld.remote.values import merged_by_value, value_key

XSD = "http://www.w3.org/2001/XMLSchema#"
S, P = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def test_dates_of_the_same_start_fold_and_others_do_not():
    assert value_key(typed("2012", "gYear")) == value_key(typed("2012-01", "gYearMonth"))
    assert value_key(typed("2012-01", "gYearMonth")) == value_key(typed("2012-01-01", "date"))
    assert value_key(typed("2012-01-01", "date")) == value_key(typed("2012-01-01T00:00:00", "dateTime"))
    assert value_key(typed("2012", "gYear")) != value_key(typed("2012-02", "gYearMonth"))
    assert value_key(typed("2012", "gYear")) != value_key(ox.Literal("2012"))


def test_equal_numbers_fold():
    assert value_key(typed("1", "integer")) == value_key(typed("01", "integer")) == value_key(typed("1.0", "decimal"))
    assert value_key(typed("1", "integer")) != value_key(typed("2", "integer"))


def test_merged_names_the_later_triples_of_a_value_only():
    first = ox.Triple(S, P, typed("2012", "gYear"))
    second = ox.Triple(S, P, typed("2012-01", "gYearMonth"))
    elsewhere = ox.Triple(ox.NamedNode("https://example.org/t"), P, typed("2012-01", "gYearMonth"))
    assert merged_by_value([first, second, elsewhere, first]) == [second]
