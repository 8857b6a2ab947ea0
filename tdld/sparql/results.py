"""SELECT results written from solutions already in hand, so a query is evaluated once.

The worker stops reading at one row past the cap (a refused query costs no more than
the cap), writes the SPARQL 1.1 JSON results format here, and lets pyoxigraph turn that
into XML, CSV or TSV.
"""

from json.encoder import encode_basestring as quote  # json.dumps' own string writer (C)

import pyoxigraph as ox

RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SOLUTION_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                    "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class TooMany(Exception):
    """More solutions than the cap."""


def json_term(term) -> str:
    """One RDF term in the SPARQL 1.1 Query Results JSON Format (section 3.2.2), as JSON text.

    Written as text: building dicts for json.dumps took half the time of a cheap query.
    """
    kind = type(term)
    if kind is ox.NamedNode:
        return '{"type": "uri", "value": ' + quote(term.value) + "}"
    if kind is ox.Literal:
        value = quote(term.value)
        if term.language:
            return '{"type": "literal", "value": ' + value + ', "xml:lang": ' + quote(term.language) + "}"
        datatype = term.datatype.value
        if datatype == XSD_STRING or datatype == RDF_LANG_STRING:
            return '{"type": "literal", "value": ' + value + "}"
        return '{"type": "literal", "value": ' + value + ', "datatype": ' + quote(datatype) + "}"
    if kind is ox.BlankNode:
        return '{"type": "bnode", "value": ' + quote(term.value) + "}"
    if kind is ox.Triple:
        return ('{"type": "triple", "value": {"subject": ' + json_term(term.subject) + ', "predicate": '
                + json_term(term.predicate) + ', "object": ' + json_term(term.object) + "}}")
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
    """The solutions in one of the four result formats of the SPARQL 1.1 Protocol.

    ``rows``: pyoxigraph solutions (or sequences of terms) whose values follow ``names``.
    """
    keys = [quote(name) + ": " for name in names]
    bindings = []
    for solution in rows:  # a solution iterates over its values in the order of ``names``, None if unbound
        cells = [key + json_term(value) for key, value in zip(keys, solution) if value is not None]
        bindings.append("{" + ", ".join(cells) + "}")
    body = ('{"head": {"vars": [' + ", ".join(quote(name) for name in names) + ']}, "results": {"bindings": ['
            + ", ".join(bindings) + "]}}").encode("utf-8")
    if result_format == "json":
        return body
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_FORMATS[result_format])
