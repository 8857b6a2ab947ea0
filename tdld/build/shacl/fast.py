"""Run the compiled SHACL checks on a pyoxigraph store and write a pyshacl-like report graph.

The results carry what pyshacl's do (focus node, path, value, constraint component,
source shape, severity, messages with {?var} substitution), so that one test can
compare both engines result by result.
"""

import re
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, RDFS, XSD

from ...core.namespaces import SH, bind_prefixes
from ...core.terms import TermConverter
from .compile import Check, compile_shapes

PYTHON_TYPES = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: (int,), XSD.boolean: (bool,),
                XSD.float: (float,), XSD.decimal: (Decimal,), XSD.date: (date,), XSD.time: (time,),
                XSD.dateTime: (datetime,)}


def data_store(triples) -> ox.Store:
    """A fresh store holding ``triples`` (pyoxigraph triples or quads) in its default graph, once each.

    Only for triples that are in no store yet: a store is validated as it is.
    """
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return store


def rows(store: ox.Store, query: str, convert: TermConverter):
    """The distinct solutions of a query, as dicts of the bound variables' rdflib terms.

    The default graph is the union of all graphs: a triple in two graphs may give a row
    twice, which the distinct rows (and COUNT(DISTINCT) in the queries) absorb.
    """
    solutions = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    seen = set()
    for solution in solutions:
        row = tuple((name, convert(solution[name])) for name in names if solution[name] is not None)
        if row not in seen:
            seen.add(row)
            yield dict(row)


def datatype_matches(value, datatype) -> bool:
    """pyshacl's sh:datatype test, on the rdflib term it would see."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if value.ill_typed is True:
            return False
        kinds = PYTHON_TYPES.get(datatype)
        return kinds is None or isinstance(value.value, kinds)
    if datatype == RDFS.Literal:
        return True
    if datatype == RDFS.Datatype and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return isinstance(value.value, (str, bytes))
    if datatype == RDF.langString and value.language:
        return isinstance(value.value, (str, bytes))
    return False


def format_message(message: str, bound: dict) -> str:
    """pyshacl's substitution of {?var} / {$var} in a SPARQL constraint's message."""
    for name, term in bound.items():
        message = re.sub(f"{{[?$]{name}}}", str(term), message)
    return message


def sparql_messages(check: Check, focus, path, value, row: dict) -> list:
    """Messages of a SPARQL result: the constraint's then the shape's, each formatted."""
    bound = {k: v for k, v in row.items() if k not in ("this", "path", "value")}
    for name, term in (("this", row.get("this")), ("path", path), ("value", value)):
        if term is not None:
            bound[name] = term
    messages = [m for m in check.extra_messages if m not in check.messages] + list(check.messages)
    return [Literal(format_message(str(m.value), bound)) for m in messages]


def results_of(check: Check, row: dict) -> tuple | None:
    """(focus, path, value, messages) for one row, or None when the row is no violation."""
    focus = row["this"]
    if check.datatype is not None:
        if datatype_matches(row["value"], check.datatype):
            return None
        return focus, check.path, row["value"], list(check.messages)
    value = row.get("value", focus if check.value_is_focus else None)
    if check.sparql is None:
        return focus, check.path, value, list(check.messages)
    path = row.get("path", check.path)
    return focus, path, value, sparql_messages(check, focus, path, value, row)


def add_result(report: Graph, top, sg: Graph, check: Check, focus, path, value, messages) -> bool:
    """One sh:ValidationResult; True when it is a violation (which breaks conformance)."""
    node = BNode()
    report.add((node, RDF.type, SH.ValidationResult))
    report.add((node, SH.sourceConstraintComponent, check.component))
    report.add((node, SH.sourceShape, check.shape))
    report.add((node, SH.resultSeverity, check.severity))
    report.add((node, SH.focusNode, focus))
    if value is not None:
        report.add((node, SH.value, value))
    if path is not None:
        report.add((node, SH.resultPath, path))
        if isinstance(path, BNode):
            report.addN((path, p, o, report) for p, o in sg.predicate_objects(path))
    if check.sparql is not None:
        report.add((node, SH.sourceConstraint, check.sparql))
    for message in messages:
        report.add((node, SH.resultMessage, message))
    report.add((top, SH.result, node))
    return check.severity == SH.Violation


def validate_store(store: ox.Store, sg: Graph, checks: list | None = None) -> Graph:
    """The validation report graph of all the store's triples (every graph merged) against the shapes."""
    checks = compile_shapes(sg) if checks is None else checks
    report, top = Graph(), BNode()
    bind_prefixes(report)
    convert = TermConverter()
    conforms = True
    for check in checks:
        for row in rows(store, check.query, convert):
            found = results_of(check, row)
            if found is not None:
                conforms = not add_result(report, top, sg, check, *found) and conforms
    report.add((top, RDF.type, SH.ValidationReport))
    report.add((top, SH.conforms, Literal(conforms)))
    return report

