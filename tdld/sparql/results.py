"""SELECT results written from solutions already in hand, so a query is evaluated once.

The worker stops reading at one row past the cap (a refused query costs no more than
the cap), writes the SPARQL 1.1 JSON results format here, and lets pyoxigraph turn that
into XML, CSV or TSV.
"""

import json

import pyoxigraph as ox

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SOLUTION_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class TooMany(Exception):
    """More solutions than the cap."""


def json_term(term) -> dict:
    """One RDF term in the SPARQL 1.1 Query Results JSON Format (section 3.2.2)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            encoded["datatype"] = term.datatype.value
        return encoded
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": json_term(term.subject), "predicate": json_term(term.predicate),
                                            "object": json_term(term.object)}}
    raise TypeError(f"unsupported term {term!r}")


def take(solutions, cap: int) -> tuple[list[str], list]:
    """Variable names and at most ``cap`` solutions; TooMany as soon as there is one more."""
    names = [variable.value for variable in solutions.variables]
    rows = []
    for solution in solutions:
        if len(rows) == cap:
            raise TooMany()
        rows.append(solution)
    return names, rows


def write_solutions(names: list[str], rows: list, result_format: str) -> bytes:
    """The solutions in one of the four result formats of the SPARQL 1.1 Protocol."""
    bindings = []
    for solution in rows:
        binding = {}
        for name in names:
            value = solution[name]
            if value is not None:
                binding[name] = json_term(value)
        bindings.append(binding)
    body = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}}, ensure_ascii=False).encode("utf-8")
    if result_format == "json":
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_FORMATS[result_format])
