"""The OWL 2 RL closure for ontologies whose axioms are of a few kinds, without a general reasoner.

`reasonable` returns its whole closure as rdflib terms, each occurrence a new object:
1.9 GiB for a million triples, for one list. tdld's ontology states only subclasses,
subproperties, domains, ranges, inverses, equivalences, symmetric and transitive
properties and disjoint classes. For those, the rules of OWL 2 RL that can fire are few
(cax-sco, cax-eqc, prp-dom, prp-rng, prp-spo1, prp-eqp, prp-inv, prp-symp, prp-trp and
the schema rules), and they are applied here to sets of the input's own terms: the
schema closed first (:func:`tdld.build.owlrules.schema_closure`), then the property
triples to a fixpoint, then the types. Contradictions are found as for `reasonable`.

:func:`compiled_closure` returns None for any other axiom (a restriction, owl:sameAs, a
functional property, a property chain ...): the caller runs a general reasoner.
"""

from collections import defaultdict

from rdflib.namespace import OWL, RDF, RDFS

from .owlrules import contradictions, group_by_predicate, schema_closure

TYPE = RDF.type
AXIOMS = frozenset({RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.inverseOf,
                    OWL.equivalentClass, OWL.equivalentProperty, OWL.disjointWith, OWL.members})
# Predicates that only describe: no rule reads them.
ANNOTATIONS = frozenset({OWL.versionInfo, OWL.versionIRI, OWL.imports, OWL.priorVersion, OWL.deprecated,
                         OWL.backwardCompatibleWith, OWL.incompatibleWith})
KNOWN_TYPES = frozenset({
    OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual, OWL.Ontology,
    OWL.Thing, OWL.Nothing, OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.AllDisjointClasses,
    OWL.AsymmetricProperty, OWL.IrreflexiveProperty, OWL.DeprecatedClass, OWL.DeprecatedProperty,
    RDF.Property, RDFS.Class, RDFS.Datatype, RDF.List,
})
RULE_WORDS = AXIOMS | {TYPE, RDF.first, RDF.rest}
BUILT_IN = (str(OWL), str(RDF), str(RDFS))


def unsupported(groups: dict) -> str | None:
    """The first axiom outside what :func:`compiled_closure` handles, in words; None if there is none."""
    for p in groups:
        if str(p).startswith(str(OWL)) and p not in AXIOMS and p not in ANNOTATIONS:
            return str(p)
    for _, o in groups.get(TYPE, ()):
        if str(o).startswith(str(OWL)) and o not in KNOWN_TYPES:
            return str(o)
    for p in AXIOMS - {OWL.members}:
        for s, o in groups.get(p, ()):
            if s in RULE_WORDS or o in RULE_WORDS:  # axioms about the rule vocabulary itself
                return f"{s} {p} {o}"
    for s, o in groups.get(TYPE, ()):
        if o in (OWL.TransitiveProperty, OWL.SymmetricProperty) and s in RULE_WORDS:
            return f"{s} a {o}"
    return None


def _index(pairs, reflexive: bool = False) -> dict:
    found = defaultdict(set)
    for s, o in pairs:
        if reflexive or s != o:
            found[s].add(o)
    return found


def _property_closure(facts: set, supers: dict, inverses: dict, symmetric: set, transitive: set) -> set:
    """prp-spo1, prp-eqp, prp-inv1/2, prp-symp and prp-trp over the non-type triples, to a fixpoint."""
    chains = {p: {(s, o) for s, q, o in facts if q == p} for p in transitive}
    new, first = set(facts), True
    while new:
        found = set()
        for s, p, o in new:
            for q in supers.get(p, ()):
                found.add((s, q, o))
            for q in inverses.get(p, ()):
                found.add((o, q, s))
            if p in symmetric:
                found.add((o, p, s))
        found -= facts
        changed = set(chains) if first else {p for _, p, _ in found if p in chains}
        for s, p, o in found:
            if p in chains:
                chains[p].add((s, o))
        for p in changed:
            extra = _transitive_closure(chains[p]) - chains[p]
            chains[p] |= extra
            found |= {(s, p, o) for s, o in extra}
        found -= facts
        facts |= found
        new, first = found, False
    return facts


def _transitive_closure(edges: set) -> set:
    following = _index(edges, reflexive=True)
    closed = set()
    for start in following:
        seen, stack = set(), list(following[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(following.get(node, ()))
        closed.update((start, node) for node in seen)
    return closed


def compiled_closure(asserted) -> tuple[set, list[str]] | None:
    """Every triple of the OWL 2 RL closure and its contradictions, or None if an axiom needs a general reasoner."""
    groups = group_by_predicate(asserted)
    if unsupported(groups) is not None:
        return None
    closure = set(asserted) | schema_closure(groups)
    schema = group_by_predicate(closure)
    sub_classes = _index(schema.get(RDFS.subClassOf, ()))
    properties = _index(schema.get(RDFS.subPropertyOf, ()))
    inverses = _index(schema.get(OWL.inverseOf, ()), reflexive=True)
    for p1, p2 in schema.get(OWL.inverseOf, ()):
        inverses[p2].add(p1)
    declared = _index((o, s) for s, o in schema.get(TYPE, ()))
    domains, ranges = _index(schema.get(RDFS.domain, ()), True), _index(schema.get(RDFS.range, ()), True)
    links = _property_closure({t for t in closure if t[1] != TYPE}, properties, inverses,
                              declared.get(OWL.SymmetricProperty, set()), declared.get(OWL.TransitiveProperty, set()))
    types = {(s, o) for s, o in schema.get(TYPE, ())}
    for s, p, o in links:
        types.update((s, c) for c in domains.get(p, ()))
        types.update((o, c) for c in ranges.get(p, ()))
    types |= {(x, d) for x, c in types for d in sub_classes.get(c, ())}
    closure = links | {(x, TYPE, c) for x, c in types}
    return closure, contradictions(group_by_predicate(closure))
