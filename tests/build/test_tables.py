"""Curated CSV tables with CSVW metadata compile to the triples their metadata describes, each fact citing
its source; every defect is one error naming file, row and column."""

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from tdld.build.tables import compile_tables
from tdld.core.errors import SourceError

GRAPH = ox.NamedNode("https://example.org/graph")
ID = "https://w3id.org/territorial-diplomacy/id/"
TDO = "https://w3id.org/territorial-diplomacy/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"

GROUPINGS = {
    "@context": "http://www.w3.org/ns/csvw",
    "url": "groupings.csv",
    "tableSchema": {
        "aboutUrl": ID + "egtc/{id}",
        "primaryKey": ["id", "source"],
        "columns": [
            {"name": "id", "required": True, "datatype": {"base": "string", "format": "[a-z0-9]+(-[a-z0-9]+)*"},
             "suppressOutput": True},
            {"name": "source", "required": True, "suppressOutput": True},
            {"name": "locator", "suppressOutput": True},
            {"name": "label_en", "propertyUrl": "rdfs:label", "lang": "en"},
            {"name": "name", "propertyUrl": "rdfs:label", "tdld:langFrom": "name_lang"},
            {"name": "name_lang", "suppressOutput": True},
            {"name": "date", "datatype": "tdld:date",
             "tdld:propertyFrom": {"column": "date_kind",
                                   "map": {"registration": "tdo:registrationDate", "founding": "tdo:foundingDate"}}},
            {"name": "date_kind", "suppressOutput": True},
            {"name": "seat", "propertyUrl": "tdo:seat", "valueUrl": ID + "place/{seat}"},
            {"name": "countries", "separator": " | ", "propertyUrl": "tdo:memberCountry",
             "valueUrl": "http://publications.europa.eu/resource/authority/country/{countries}"},
            {"virtual": True, "propertyUrl": "rdf:type", "valueUrl": "tdo:EuropeanGroupingOfTerritorialCooperation"},
        ],
        "foreignKeys": [{"columnReference": "seat", "reference": {"resource": "places.csv", "columnReference": "id"}}],
    },
    "tdld:provenance": {"source": "source", "locator": "locator", "sourceUrl": ID + "work/{source}"},
}
PLACES = {
    "@context": "http://www.w3.org/ns/csvw",
    "url": "places.csv",
    "tableSchema": {"aboutUrl": ID + "place/{id}", "primaryKey": ["id"],
                    "columns": [{"name": "id", "required": True, "suppressOutput": True},
                                {"name": "label_en", "propertyUrl": "rdfs:label", "lang": "en"}]},
}
HEADER = "id,source,locator,label_en,name,name_lang,date,date_kind,seat,countries\n"
ROWS = (
    "ister-granum,cesci,,Ister-Granum EGTC,Ister-Granum EGTC,hu,2008-11-12,registration,esztergom,HUN | SVK\n"
    "ister-granum,own-site,p. 2,,,,2008-05,founding,,\n"
    "ister-granum,report-2013,table 1,,,,2008,registration,,\n"
)


def write_tables(folder: Path, rows: str = ROWS, groupings: dict | None = None, places: str = "id,label_en\nesztergom,Esztergom\n"):
    (folder / "groupings.csv").write_text(HEADER + rows, encoding="utf-8")
    (folder / "groupings.csv-metadata.json").write_text(json.dumps(groupings or GROUPINGS), encoding="utf-8")
    (folder / "places.csv").write_text(places, encoding="utf-8")
    (folder / "places.csv-metadata.json").write_text(json.dumps(PLACES), encoding="utf-8")
    return [folder / "groupings.csv", folder / "places.csv"]


def store_of(paths) -> ox.Store:
    store = ox.Store()
    store.extend(compile_tables(paths, lambda layer: GRAPH))
    return store


def values(store, subject, predicate) -> set:
    return {q.object for q in store.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None, None)}


def test_rows_become_the_triples_their_metadata_describes(tmp_path):
    store = store_of(write_tables(tmp_path))
    egtc = ID + "egtc/ister-granum"
    assert values(store, egtc, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type") == {
        ox.NamedNode(TDO + "EuropeanGroupingOfTerritorialCooperation")}
    assert values(store, egtc, "http://www.w3.org/2000/01/rdf-schema#label") == {
        ox.Literal("Ister-Granum EGTC", language="en"), ox.Literal("Ister-Granum EGTC", language="hu")}
    assert values(store, egtc, TDO + "seat") == {ox.NamedNode(ID + "place/esztergom")}
    assert values(store, egtc, TDO + "memberCountry") == {
        ox.NamedNode("http://publications.europa.eu/resource/authority/country/HUN"),
        ox.NamedNode("http://publications.europa.eu/resource/authority/country/SVK")}


def test_a_date_keeps_the_precision_its_source_gives_and_its_kind_picks_the_property(tmp_path):
    store = store_of(write_tables(tmp_path))
    egtc = ID + "egtc/ister-granum"
    assert values(store, egtc, TDO + "registrationDate") == {
        ox.Literal("2008-11-12", datatype=ox.NamedNode(XSD + "date")),
        ox.Literal("2008", datatype=ox.NamedNode(XSD + "gYear"))}
    assert values(store, egtc, TDO + "foundingDate") == {ox.Literal("2008-05", datatype=ox.NamedNode(XSD + "gYearMonth"))}


def test_sparql_can_ask_which_source_says_each_statement(tmp_path):
    store = store_of(write_tables(tmp_path))
    rows = store.query("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?date ?source ?where WHERE { GRAPH ?g {
          ?s rdf:subject <https://w3id.org/territorial-diplomacy/id/egtc/ister-granum> ;
             rdf:predicate <https://w3id.org/territorial-diplomacy/ontology#registrationDate> ;
             rdf:object ?date ; <http://purl.org/dc/terms/source> ?source .
          OPTIONAL { ?s <https://w3id.org/territorial-diplomacy/ontology#locator> ?where } } }""")
    found = {(r["date"].value, r["source"].value, r["where"].value if r["where"] else None) for r in rows}
    assert found == {("2008-11-12", ID + "work/cesci", None), ("2008", ID + "work/report-2013", "table 1")}


def test_statement_records_are_the_same_in_every_build(tmp_path):
    first = sorted(map(str, compile_tables(write_tables(tmp_path), lambda layer: GRAPH)))
    second = sorted(map(str, compile_tables(write_tables(tmp_path), lambda layer: GRAPH)))
    assert first == second


@pytest.mark.parametrize("rows, where, said", [
    (",cesci,,X,,,,,,\n", "groupings.csv:2: column 'id'", "a value is required"),
    ("Bad_Id,cesci,,X,,,,,,\n", "groupings.csv:2: column 'id'", "does not have the form"),
    ("a,cesci,,,,,2008-13,registration,,\n", "groupings.csv:2: column 'date'", "not a date"),
    ("a,cesci,,,,,2008,decided,,\n", "groupings.csv:2: column 'date_kind'", "'decided' is not one of"),
    ("a,cesci,,,X,english,,,,\n", "groupings.csv:2: column 'name_lang'", "not a language tag"),
    ("a,cesci,,,,,,,,\"HUN | SVK \"\n", "groupings.csv:2: column 'countries'", "spaces around it"),
    ("a,cesci,,,,,,,szeged,\n", "groupings.csv:2: column 'seat'", "'szeged' is not an id of places.csv"),
    ("a,cesci,,X,,,,,,\nb,cesci,,Y,,,,,,\na,cesci,,Z,,,,,,\n", "groupings.csv:4", "the same id, source as row 2"),
    ("a,cesci,,X,,,,\n", "groupings.csv:2", "8 cells where the header has 10"),
    ('a,cesci,,"X,,,,,,\n', "groupings.csv", "not valid CSV"),
])
def test_a_defect_is_one_error_naming_file_row_and_column(tmp_path, rows, where, said):
    with pytest.raises(SourceError) as raised:
        compile_tables(write_tables(tmp_path, rows), lambda layer: GRAPH)
    message = str(raised.value)
    assert where in message and said in message and "\n" not in message


def test_a_header_that_differs_from_the_metadata_names_what_is_missing(tmp_path):
    paths = write_tables(tmp_path)
    paths[0].write_text("id,source,label_en\na,cesci,X\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        compile_tables(paths, lambda layer: GRAPH)
    assert "groupings.csv:1" in str(raised.value) and "missing locator" in str(raised.value)


def test_broken_metadata_names_its_file_and_line(tmp_path):
    paths = write_tables(tmp_path)
    paths[0].with_name("groupings.csv-metadata.json").write_text('{"url": "groupings.csv",\n "tableSchema": }')
    with pytest.raises(SourceError) as raised:
        compile_tables(paths, lambda layer: GRAPH)
    assert "groupings.csv-metadata.json:2: not valid JSON" in str(raised.value)
