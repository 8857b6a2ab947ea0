"""The shapes graph as a list of checks: one SPARQL query per constraint.

Each query finds every violation of its constraint at once (set-at-a-time), where
pyshacl evaluates each focus node in turn. A shape feature not handled here raises
:class:`UnsupportedFeature`, so the caller can fall back to pyshacl: a constraint
is never skipped silently.
"""

import functools
import re
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ...core.namespaces import SH, bind_prefixes
from .fragments import (
    NOT_VALIDATING,
    VALUE_TESTS,
    Fresh,
    UnsupportedFeature,
    conforms,
    describe,
    integer,
    iri,
    safe,
    short,
    single,
    sparql_path,
    value_test,
)
from .rewrite import minus_for_not_exists

TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
SHAPE_KEYS = {RDF.type, SH.message, SH.severity, SH.property, SH.sparql} | TARGETS | NOT_VALIDATING
PROPERTY_KEYS = {SH.path, SH.minCount, SH.maxCount, SH.datatype, SH.uniqueLang, SH.disjoint,
                 SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
SPARQL_KEYS = {RDF.type, SH.select, SH.prefixes, SH.message}
TARGET_KEYS = {RDF.type, SH.select, SH.prefixes}
COMPONENT_NAMES = {SH["class"]: "Class", SH["not"]: "Not", SH["or"]: "Or", SH["and"]: "And", SH.xone: "Xone",
                   SH.pattern: "Pattern", SH.languageIn: "LanguageIn", SH.nodeKind: "NodeKind"}


@dataclass(frozen=True)
class Check:
    """One query and what to say about each row it returns."""

    shape: object
    component: URIRef
    query: str
    severity: URIRef
    messages: tuple
    path: object = None
    value_is_focus: bool = False
    datatype: URIRef | None = None
    sparql: object = None
    extra_messages: tuple = field(default=())


def component(name: str) -> URIRef:
    return SH[name + "ConstraintComponent"]


def prefixes_of(sg: Graph, node, owner) -> dict:
    """sh:prefixes → sh:declare, as pyshacl reads them."""
    found = {}
    for holder in sg.objects(node, SH.prefixes):
        for declaration in sg.objects(holder, SH.declare):
            prefix, namespace = sg.value(declaration, SH.prefix), sg.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise UnsupportedFeature("an incomplete sh:declare", owner)
            found[str(prefix)] = str(namespace)
    return found


@functools.cache
def data_graph_prefixes() -> dict:
    """The prefixes of the rdflib data graph pyshacl queries (rdflib's and tdld's), which a
    shape's query may use without declaring them (e.g. xsd:). Computed once; never modified."""
    graph = Graph()
    bind_prefixes(graph)
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces() if prefix}


def prologue(prefixes: dict) -> str:
    """PREFIX lines: the declared prefixes over rdflib's defaults."""
    known = data_graph_prefixes() | prefixes
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(known.items()))


def check_keys(sg: Graph, node, allowed: set, owner, where: str) -> None:
    """Refuse any SHACL key we do not evaluate."""
    for key in sorted(set(sg.predicates(node))):
        if str(key).startswith(str(SH)) and key not in allowed:
            raise UnsupportedFeature(f"{short(key)} {where}", owner)


HEAD = re.compile(r"\s*SELECT\s+(DISTINCT\s+|REDUCED\s+)?(.*?)\bWHERE\s*\{", re.IGNORECASE | re.DOTALL)
PER_FOCUS = re.compile(r"\b(SELECT|GROUP\s+BY|HAVING|LIMIT|OFFSET|VALUES|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\b",
                       re.IGNORECASE)


def select_text(sg: Graph, node, owner, where: str) -> str:
    """The sh:select of a SPARQL target or constraint: SELECT ... $this ... WHERE { ... }."""
    text = str(single(sg, node, SH.select) or "")
    head = HEAD.match(text)
    if not head or not re.search(r"[?$]this\b", head.group(2)):
        raise UnsupportedFeature(f"a {where} whose sh:select is not SELECT ... $this ... WHERE {{ ... }}", owner)
    if re.search(r"\$(PATH|currentShape|shapesGraph|value)\b", text):
        raise UnsupportedFeature(f"a pre-bound variable other than $this in a {where}", owner)
    return text


def bound_to_targets(select: str, target: str, owner) -> str:
    """The constraint's query with ?this bound to the focus nodes before its own patterns.

    This is pyshacl's pre-binding of $this, for every focus node at once. Subqueries,
    aggregates, VALUES and LIMIT would see all focus nodes together, so they are refused.
    """
    head = HEAD.match(select)
    body = select[head.end():]
    if PER_FOCUS.search(body) or PER_FOCUS.search(head.group(2).replace("SELECT", "", 1)):
        raise UnsupportedFeature("a subquery, aggregate, VALUES, LIMIT or OFFSET in a sh:SPARQLConstraint", owner)
    return select[:head.end()] + f" {target} " + body


def target_block(sg: Graph, shape, prefixes: dict) -> str:
    """A subquery binding ?this to each focus node of ``shape`` once."""
    parts = []
    for node in sg.objects(shape, SH.targetClass):
        parts.append(f"?this <{RDF.type}>/<{RDFS.subClassOf}>* {iri(node)}")
    for node in sg.objects(shape, SH.targetNode):
        if not isinstance(node, (URIRef, Literal)):
            raise UnsupportedFeature("a blank node as sh:targetNode", shape)
        parts.append(f"VALUES ?this {{ {node.n3()} }}")
    for node in sg.objects(shape, SH.targetSubjectsOf):
        parts.append(f"?this {iri(node)} ?targetValue")
    for node in sg.objects(shape, SH.targetObjectsOf):
        parts.append(f"?targetValue {iri(node)} ?this")
    for node in sg.objects(shape, SH.target):
        if (node, RDF.type, SH.SPARQLTarget) not in sg:
            raise UnsupportedFeature("a sh:target that is not a sh:SPARQLTarget", shape)
        check_keys(sg, node, TARGET_KEYS, shape, "in a sh:SPARQLTarget")
        prefixes.update(prefixes_of(sg, node, shape))
        parts.append(select_text(sg, node, shape, "sh:SPARQLTarget"))
    union = " UNION ".join(f"{{ {part} }}" for part in parts)
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def shape_messages(sg: Graph, shape) -> tuple:
    return tuple(sorted(sg.objects(shape, SH.message), key=str))


def severity_of(sg: Graph, shape) -> URIRef:
    return single(sg, shape, SH.severity) or SH.Violation


def needs_messages(check: Check, shape) -> Check:
    """pyshacl writes generic messages we do not copy, so demand an explicit sh:message."""
    if not check.messages and not check.extra_messages:
        raise UnsupportedFeature("a constraint without sh:message (pyshacl's generic messages)", shape)
    return check


def property_checks(sg: Graph, shape, target: str, prefixes: dict):
    """The checks of one property shape, with ``target`` giving its focus nodes."""
    check_keys(sg, shape, PROPERTY_KEYS | VALUE_TESTS | {SH.message, SH.severity, RDF.type, SH.flags}
               | NOT_VALIDATING, shape, "in a property shape")
    path = sparql_path(sg, shape)
    base = {"shape": shape, "severity": severity_of(sg, shape), "messages": shape_messages(sg, shape),
            "path": sg.value(shape, SH.path)}
    head = prologue(prefixes)
    fresh = Fresh()
    low, high = integer(sg, shape, SH.minCount), integer(sg, shape, SH.maxCount)
    if low is not None:
        yield Check(component=component("MinCount"), query=head + count_query(target, path, "", "<", low), **base)
    if high is not None:
        yield Check(component=component("MaxCount"), query=head + count_query(target, path, "", ">", high), **base)
    for key, node in sg.predicate_objects(shape):
        if key in VALUE_TESTS:
            test = safe(value_test(sg, shape, key, node, "?value", fresh))
            name = COMPONENT_NAMES[key]
            query = f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value FILTER(!{test}) }}"
            yield Check(component=component(name), query=head + query, **base)
    datatype = single(sg, shape, SH.datatype)
    if datatype is not None:
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value }}"
        yield Check(component=component("Datatype"), query=head + query, datatype=datatype, **base)
    unique = single(sg, shape, SH.uniqueLang)
    if unique is not None and not (isinstance(unique, Literal) and isinstance(unique.toPython(), bool)):
        raise UnsupportedFeature("a non-boolean sh:uniqueLang", shape)
    if unique == Literal(True):
        query = (f"SELECT DISTINCT ?this ?lang WHERE {{ {target} ?this {path} ?a , ?b "
                 f'BIND(LCASE(LANG(?a)) AS ?lang) FILTER(isLiteral(?a) && isLiteral(?b) && ?lang != "" '
                 f"&& !sameTerm(?a, ?b) && ?lang = LCASE(LANG(?b))) }}")
        yield Check(component=component("UniqueLang"), query=head + query, **base)
    for other in sg.objects(shape, SH.disjoint):
        query = f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . ?this {iri(other)} ?value }}"
        yield Check(component=component("Disjoint"), query=head + query, **base)
    yield from qualified_checks(sg, shape, target, path, head, base, fresh)


def qualified_checks(sg: Graph, shape, target: str, path: str, head: str, base: dict, fresh: Fresh):
    """sh:qualifiedValueShape with its counts (values need not be disjoint from siblings)."""
    qualified = single(sg, shape, SH.qualifiedValueShape)
    if qualified is None:
        return
    if single(sg, shape, SH.qualifiedValueShapesDisjoint) == Literal(True):
        raise UnsupportedFeature("sh:qualifiedValueShapesDisjoint true", shape)
    test = safe(conforms(sg, qualified, "?value", fresh))
    low, high = integer(sg, shape, SH.qualifiedMinCount), integer(sg, shape, SH.qualifiedMaxCount)
    if low is not None:
        query = count_query(target, path, f"FILTER({test})", "<", low)
        yield Check(component=component("QualifiedMinCount"), query=head + query, **base)
    if high is not None:
        query = count_query(target, path, f"FILTER({test})", ">", high)
        yield Check(component=component("QualifiedMaxCount"), query=head + query, **base)


def count_query(target: str, path: str, condition: str, comparison: str, n: int) -> str:
    """Focus nodes whose number of (qualifying) values is below or above ``n``."""
    if comparison == "<" and n == 1:
        return f"SELECT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value {condition} }} }}"
    if comparison == "<" and n <= 0:
        return "SELECT ?this WHERE { FILTER(false) }"
    optional = "OPTIONAL" if comparison == "<" else ""
    return (f"SELECT ?this WHERE {{ {target} {optional} {{ ?this {path} ?value {condition} }} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) {comparison} {n})")


def node_checks(sg: Graph, shape, target: str, prefixes: dict):
    """The checks a node shape makes on its focus nodes themselves."""
    base = {"shape": shape, "severity": severity_of(sg, shape), "messages": shape_messages(sg, shape),
            "value_is_focus": True}
    fresh = Fresh()
    for key, node in sg.predicate_objects(shape):
        if key in VALUE_TESTS:
            test = safe(value_test(sg, shape, key, node, "?this", fresh))
            name = COMPONENT_NAMES[key]
            query = f"SELECT ?this WHERE {{ {target} FILTER(!{test}) }}"
            yield needs_messages(Check(component=component(name), query=prologue(prefixes) + query, **base), shape)
    for constraint in sg.objects(shape, SH.sparql):
        yield sparql_check(sg, shape, constraint, target, dict(prefixes), base)


def sparql_check(sg: Graph, shape, constraint, target: str, prefixes: dict, base: dict) -> Check:
    """A SPARQL-based constraint, run once for all focus nodes and joined with them."""
    check_keys(sg, constraint, SPARQL_KEYS, shape, "in a sh:SPARQLConstraint")
    prefixes.update(prefixes_of(sg, constraint, shape))
    select = select_text(sg, constraint, shape, "sh:SPARQLConstraint")
    select = minus_for_not_exists(prologue(prefixes), select)
    query = prologue(prefixes) + bound_to_targets(select, target, shape)
    extra = tuple(sorted(sg.objects(constraint, SH.message), key=str))
    check = Check(component=component("SPARQL"), query=query, sparql=constraint, extra_messages=extra, **base)
    return needs_messages(check, shape)


def shape_checks(sg: Graph, shape) -> list:
    """Every check of one shape that has targets."""
    if {OWL.Class, RDFS.Class} & set(sg.objects(shape, RDF.type)):
        raise UnsupportedFeature("an implicit class target (a shape that is also a class)", shape)
    if (shape, SH.deactivated, None) in sg:
        raise UnsupportedFeature("sh:deactivated", shape)
    prefixes: dict = {}
    target = target_block(sg, shape, prefixes)
    if (shape, SH.path, None) in sg:
        if (shape, SH.sparql, None) in sg:
            raise UnsupportedFeature("sh:sparql on a property shape", shape)
        return [needs_messages(c, shape) for c in property_checks(sg, shape, target, prefixes)]
    check_keys(sg, shape, SHAPE_KEYS | VALUE_TESTS, shape, "in a node shape")
    checks = list(node_checks(sg, shape, target, prefixes))
    for prop in sg.objects(shape, SH.property):
        if (prop, SH.deactivated, None) in sg:
            raise UnsupportedFeature("sh:deactivated", prop)
        checks.extend(needs_messages(c, prop) for c in property_checks(sg, prop, target, dict(prefixes)))
    return checks


def parses(check: Check) -> Check:
    """Refuse a query pyoxigraph cannot read now, rather than fail halfway through a run."""
    try:
        ox.Store().query(check.query)
    except SyntaxError as error:
        raise UnsupportedFeature(f"a SPARQL query pyoxigraph cannot parse ({error})", check.shape) from None
    return check


def compile_shapes(sg: Graph) -> list:
    """All checks of a shapes graph; raises UnsupportedFeature rather than skip one."""
    shapes = {s for key in TARGETS for s in sg.subjects(key, None)}
    checks = []
    for shape in sorted(shapes, key=str):
        try:
            checks.extend(parses(check) for check in shape_checks(sg, shape))
        except UnsupportedFeature as error:
            if error.shape == shape:
                raise
            raise UnsupportedFeature(error.feature, shape, describe(sg, error.shape)) from None
    return checks
