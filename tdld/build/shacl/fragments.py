"""SHACL terms as SPARQL text: paths, targets and "this node conforms" expressions.

Nested shapes (inside sh:or, sh:xone, sh:and, sh:not, sh:qualifiedValueShape) become
boolean expressions over one variable, so that a whole constraint stays one query.
Anything not written here raises :class:`UnsupportedFeature` naming the feature.
"""

from itertools import count

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from ...core.namespaces import SH


class UnsupportedFeature(ValueError):
    """A shape uses a SHACL feature the fast validator does not evaluate."""

    def __init__(self, feature: str, shape, inner: str = ""):
        where = f"shape {shape.n3()}" + (f", {inner}" if inner else "")
        super().__init__(f"the fast SHACL validator does not support {feature} (in {where})")
        self.feature = feature
        self.shape = shape


def short(term) -> str:
    """sh:name for SHACL terms, <iri> for others."""
    return "sh:" + term[len(SH):] if str(term).startswith(str(SH)) else term.n3()


def describe(sg: Graph, shape) -> str:
    """A blank shape named by what it is about: its path, or the keys it holds."""
    path = sg.value(shape, SH.path)
    if isinstance(path, URIRef):
        return f"the property shape on {path.n3()}"
    if path is not None:
        return "a property shape with a complex path"
    return "a nested shape with " + ", ".join(sorted(short(k) for k in set(sg.predicates(shape))))


NOT_VALIDATING = {SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
VALUE_TESTS = {SH.pattern, SH.languageIn, SH.nodeKind, SH["class"], SH["not"], SH["or"], SH["and"], SH.xone}
NESTED_KEYS = VALUE_TESTS | NOT_VALIDATING | {SH.path, SH.minCount, SH.maxCount, SH.message, RDF.type}
NODE_KINDS = {
    SH.IRI: "isIRI({v})",
    SH.BlankNode: "isBlank({v})",
    SH.Literal: "isLiteral({v})",
    SH.BlankNodeOrIRI: "(isBlank({v}) || isIRI({v}))",
    SH.BlankNodeOrLiteral: "(isBlank({v}) || isLiteral({v}))",
    SH.IRIOrLiteral: "(isIRI({v}) || isLiteral({v}))",
}


class Fresh:
    """Variable names that never clash inside one query."""

    def __init__(self):
        self.numbers = count()

    def __call__(self) -> str:
        return f"?v{next(self.numbers)}"


def iri(term) -> str:
    return f"<{term}>"


def string(text: str) -> str:
    """A SPARQL string literal for any Python string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'


def single(sg: Graph, shape, key):
    """The one value of ``key`` on ``shape``; two values are a shape we do not guess about."""
    values = list(sg.objects(shape, key))
    if len(values) > 1:
        raise UnsupportedFeature(f"several values of {short(key)}", shape)
    return values[0] if values else None


def integer(sg: Graph, shape, key) -> int | None:
    value = single(sg, shape, key)
    if value is None:
        return None
    if not isinstance(value, Literal) or not isinstance(value.toPython(), int):
        raise UnsupportedFeature(f"a non-integer {short(key)}", shape)
    return value.toPython()


def sparql_path(sg: Graph, shape) -> str:
    """sh:path as a SPARQL property path: an IRI or the inverse of one."""
    path = single(sg, shape, SH.path)
    if isinstance(path, URIRef):
        return iri(path)
    inverse = sg.value(path, SH.inversePath)
    if isinstance(inverse, URIRef) and len(list(sg.predicate_objects(path))) == 1:
        return "^" + iri(inverse)
    raise UnsupportedFeature("a complex sh:path (only an IRI or sh:inversePath of an IRI)", shape)


def members(sg: Graph, shape, key) -> list:
    """The shapes listed by sh:or / sh:and / sh:xone."""
    return [list(sg.items(node)) for node in sg.objects(shape, key)]


def is_instance(value: str, cls) -> str:
    """pyshacl's sh:class test: rdf:type then rdfs:subClassOf* in the data graph."""
    return f"EXISTS {{ {value} <{RDF.type}>/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* {iri(cls)} }}"


def language_in(sg: Graph, shape, node, value: str) -> str:
    """pyshacl's sh:languageIn: the tag, or its part before '-', in the list, case-insensitively."""
    wanted = [str(item).lower() for item in sg.items(node)]
    if "*" in wanted:
        return f'(isLiteral({value}) && LANG({value}) != "")'
    listed = ", ".join(string(w) for w in wanted) or '""'
    tag = f"LCASE(LANG({value}))"
    return (f'(isLiteral({value}) && LANG({value}) != "" && ({tag} IN ({listed}) || '
            f'STRBEFORE(CONCAT({tag}, "-"), "-") IN ({listed})))')


def value_test(sg: Graph, shape, key, node, value: str, fresh: Fresh) -> str:
    """One constraint on one value node, as an expression that never raises an error."""
    if key == SH.pattern:
        if single(sg, shape, SH.flags) is not None:
            raise UnsupportedFeature("sh:flags", shape)
        return f"(!isBlank({value}) && REGEX(STR({value}), {string(str(node))}))"
    if key == SH.languageIn:
        return language_in(sg, shape, node, value)
    if key == SH.nodeKind:
        if node not in NODE_KINDS:
            raise UnsupportedFeature(f"sh:nodeKind {short(node)}", shape)
        return NODE_KINDS[node].format(v=value)
    if key == SH["class"]:
        return is_instance(value, node)
    if key == SH["not"]:
        return f"!({conforms(sg, node, value, fresh)})"
    tests = [conforms(sg, member, value, fresh) for member in sg.items(node)]
    if key == SH["or"]:
        return "(" + (" || ".join(tests) or "false") + ")"
    if key == SH["and"]:
        return "(" + (" && ".join(tests) or "true") + ")"
    if key == SH.xone:
        return "((" + (" + ".join(f"IF({t}, 1, 0)" for t in tests) or "0") + ") = 1)"
    raise UnsupportedFeature(short(key), shape)


def safe(expression: str) -> str:
    """An expression whose errors count as false, as a failed test does in pyshacl."""
    return f"COALESCE({expression}, false)"


def at_least(focus: str, path: str, n: int, fresh: Fresh) -> str:
    """EXISTS n distinct values of ``path``."""
    if n <= 0:
        return "true"
    names = [fresh() for _ in range(n)]
    triples = " . ".join(f"{focus} {path} {name}" for name in names)
    distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1:])
    return f"EXISTS {{ {triples} " + (f"FILTER({distinct}) " if distinct else "") + "}"


def conforms(sg: Graph, shape, value: str, fresh: Fresh) -> str:
    """Does the node in ``value`` conform to a nested (target-less) shape?"""
    keys = {key for key, _ in sg.predicate_objects(shape) if str(key).startswith(str(SH))}
    for key in sorted(keys - NESTED_KEYS):
        raise UnsupportedFeature(f"{short(key)} inside a nested shape", shape)
    if not isinstance(shape, (BNode, URIRef)):
        raise UnsupportedFeature("a literal where a shape is expected", shape)
    tests = []
    if SH.path in keys:
        path = sparql_path(sg, shape)
        low, high = integer(sg, shape, SH.minCount), integer(sg, shape, SH.maxCount)
        if low is not None:
            tests.append(at_least(value, path, low, fresh))
        if high is not None:
            tests.append("!" + at_least(value, path, high + 1, fresh))
        for key, node in sg.predicate_objects(shape):
            if key in VALUE_TESTS:
                each = fresh()
                test = safe(value_test(sg, shape, key, node, each, fresh))
                tests.append(f"NOT EXISTS {{ {value} {path} {each} FILTER(!{test}) }}")
    else:
        if SH.minCount in keys or SH.maxCount in keys:
            raise UnsupportedFeature("sh:minCount or sh:maxCount without sh:path", shape)
        for key, node in sg.predicate_objects(shape):
            if key in VALUE_TESTS:
                tests.append(safe(value_test(sg, shape, key, node, value, fresh)))
    return "(" + (" && ".join(tests) or "true") + ")"
