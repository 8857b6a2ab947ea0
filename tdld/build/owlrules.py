"""The OWL 2 RL rules a fast reasoner may leave out: schema rules and contradictions.

`reasonable` derives the instance-level closure but neither the schema rules of
table 9 of OWL 2 Profiles (``scm-*``: reflexive and transitive subclass and
subproperty axioms, domains and ranges lifted along them) nor the rules whose
conclusion is ``false``. Both are written here as owlrl implements them, over
plain sets of rdflib triples: the schema is small, so this costs little even when
the instance data is large.
"""

from collections import defaultdict
from itertools import combinations

from rdflib.namespace import OWL, RDF, RDFS

SCHEMA_PREDICATES = frozenset({
    RDFS.subClassOf, OWL.equivalentClass, RDFS.subPropertyOf, OWL.equivalentProperty, RDFS.domain, RDFS.range,
    OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom, OWL.onProperty, OWL.intersectionOf, OWL.unionOf,
    RDF.first, RDF.rest,
})
PROPERTY_TYPES = frozenset({OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property})
SCHEMA_TYPES = PROPERTY_TYPES | {OWL.Class}
TYPE = RDF.type


def group_by_predicate(triples) -> dict:
    """predicate -> set of (subject, object): one pass, so that no rule scans every triple."""
    groups = defaultdict(set)
    for s, p, o in triples:
        groups[p].add((s, o))
    return groups


def index(facts, predicate) -> dict:
    """subject -> set of objects, for one predicate."""
    found = defaultdict(set)
    for s, p, o in facts:
        if p == predicate:
            found[s].add(o)
    return found


def inverse(mapping: dict) -> dict:
    found = defaultdict(set)
    for s, objects in mapping.items():
        for o in objects:
            found[o].add(s)
    return found


def rdf_list(head, first: dict, rest: dict) -> list:
    """The members of an RDF collection (cycles and broken lists end it)."""
    members, seen = [], set()
    while head != RDF.nil and head in first and head not in seen:
        seen.add(head)
        members.extend(first[head])
        head = next(iter(rest.get(head, {RDF.nil})))
    return members


def _classes_and_properties(facts, sco, spo):
    """scm-cls, scm-op/scm-dp, scm-sco, scm-spo, scm-eqc1/2, scm-eqp1/2."""
    for s, p, o in facts:
        if p == RDF.type and o == OWL.Class:
            yield from ((s, RDFS.subClassOf, s), (s, OWL.equivalentClass, s), (s, RDFS.subClassOf, OWL.Thing),
                        (OWL.Nothing, RDFS.subClassOf, s))
        elif p == RDF.type and o in PROPERTY_TYPES:
            yield from ((s, RDFS.subPropertyOf, s), (s, OWL.equivalentProperty, s))
        elif p == OWL.equivalentClass and s != o:
            yield from ((s, RDFS.subClassOf, o), (o, RDFS.subClassOf, s))
        elif p == OWL.equivalentProperty and s != o:
            yield from ((s, RDFS.subPropertyOf, o), (o, RDFS.subPropertyOf, s))
    for c1, supers in sco.items():
        for c2 in supers:
            if c1 in sco.get(c2, ()):
                yield (c1, OWL.equivalentClass, c2)
            if c1 != c2:
                yield from ((c1, RDFS.subClassOf, c3) for c3 in sco.get(c2, ()) if c3 != c1)
    for p1, supers in spo.items():
        for p2 in supers:
            if p1 == p2:
                continue
            if p1 in spo.get(p2, ()):
                yield (p1, OWL.equivalentProperty, p2)
            yield from ((p1, RDFS.subPropertyOf, p3) for p3 in spo.get(p2, ()) if p3 != p1)


def _domains_and_ranges(facts, sco, spo_inverse):
    """scm-dom1/2 and scm-rng1/2."""
    for predicate in (RDFS.domain, RDFS.range):
        for prop, classes in index(facts, predicate).items():
            for c1 in classes:
                yield from ((prop, predicate, c2) for c2 in sco.get(c1, ()) if c2 != c1)
                yield from ((p1, predicate, c1) for p1 in spo_inverse.get(prop, ()) if p1 != prop)


def _restrictions(facts, sco, spo):
    """scm-hv, scm-svf1/2, scm-avf1/2, scm-int, scm-uni."""
    on = index(facts, OWL.onProperty)
    first, rest = index(facts, RDF.first), index(facts, RDF.rest)
    for predicate in (OWL.hasValue, OWL.someValuesFrom, OWL.allValuesFrom):
        filler = index(facts, predicate)
        for c1, c2 in ((a, b) for a in filler for b in filler):
            for y1 in filler[c1]:
                for y2 in filler[c2]:
                    same_filler = y1 == y2
                    narrower_filler = predicate != OWL.hasValue and y2 in sco.get(y1, ())
                    for p1 in on.get(c1, ()):
                        for p2 in on.get(c2, ()):
                            if same_filler and p2 in spo.get(p1, ()):
                                yield (c2, RDFS.subClassOf, c1) if predicate == OWL.allValuesFrom else (c1, RDFS.subClassOf, c2)
                            if narrower_filler and p1 == p2:
                                yield (c1, RDFS.subClassOf, c2)
    for c, heads in index(facts, OWL.intersectionOf).items():
        for head in heads:
            yield from ((c, RDFS.subClassOf, member) for member in rdf_list(head, first, rest))
    for c, heads in index(facts, OWL.unionOf).items():
        for head in heads:
            yield from ((member, RDFS.subClassOf, c) for member in rdf_list(head, first, rest))


def _schema_round(facts: set) -> set:
    sco, spo = index(facts, RDFS.subClassOf), index(facts, RDFS.subPropertyOf)
    found = set(_classes_and_properties(facts, sco, spo))
    found.update(_domains_and_ranges(facts, sco, inverse(spo)))
    found.update(_restrictions(facts, sco, spo))
    return found


def schema_closure(groups: dict) -> set:
    """The triples the ``scm-*`` rules add to a closure (given by predicate), computed to a fixpoint."""
    facts = {(s, p, o) for p in SCHEMA_PREDICATES for s, o in groups.get(p, ())}
    facts |= {(s, TYPE, o) for s, o in groups.get(TYPE, ()) if o in SCHEMA_TYPES}
    start = set(facts)
    while True:
        new = _schema_round(facts) - facts
        if not new:
            return facts - start
        facts |= new


# Rules whose conclusion is false (OWL 2 Profiles, tables 4-9).

def _by_predicate(groups, wanted) -> dict:
    return defaultdict(set, {p: groups[p] for p in wanted if p in groups})


def _pairs_index(pairs) -> dict:
    found = defaultdict(set)
    for s, o in pairs:
        found[s].add(o)
    return found


def _members(nodes, schema, first, rest, *list_properties) -> list[list]:
    """The member lists of the given nodes (AllDisjointClasses, AllDifferent ...)."""
    heads = [o for p in list_properties for s, o in schema[p] if s in nodes]
    return [rdf_list(head, first, rest) for head in heads]


def contradictions(groups: dict) -> list[str]:
    """Readable lines naming the culprits of each rule whose conclusion is false (closure given by predicate)."""
    schema = _by_predicate(groups, {
        OWL.disjointWith, OWL.complementOf, OWL.propertyDisjointWith, OWL.maxCardinality, OWL.maxQualifiedCardinality,
        OWL.onProperty, OWL.onClass, OWL.sourceIndividual, OWL.assertionProperty, OWL.targetIndividual,
        OWL.targetValue, OWL.members, OWL.distinctMembers, RDF.first, RDF.rest})
    first, rest = _pairs_index(schema[RDF.first]), _pairs_index(schema[RDF.rest])
    types = defaultdict(set)
    declared = defaultdict(set)
    for s, o in groups.get(TYPE, ()):
        types[s].add(o)
        declared[o].add(s)
    wanted = {OWL.sameAs, OWL.differentFrom} | declared[OWL.IrreflexiveProperty] | declared[OWL.AsymmetricProperty]
    wanted |= {p for pair in schema[OWL.propertyDisjointWith] for p in pair} | {p for _c, p in schema[OWL.onProperty]}
    wanted |= {p for _n, p in schema[OWL.assertionProperty]}
    disjoint_property_lists = _members(declared[OWL.AllDisjointProperties], schema, first, rest, OWL.members)
    wanted |= {p for members in disjoint_property_lists for p in members}
    links = _by_predicate(groups, wanted)
    problems = [f"{x} is a member of owl:Nothing" for x in declared[OWL.Nothing]]
    problems += _class_clashes(schema, types, declared, first, rest)
    problems += _equality_clashes(links, schema, declared, first, rest)
    problems += _property_clashes(links, declared, schema, disjoint_property_lists)
    problems += _cardinality_clashes(links, types, schema)
    problems += _negative_assertion_clashes(links, schema)
    return sorted(set(problems))


def _class_clashes(schema, types, declared, first, rest) -> list[str]:
    """cax-dw, cax-adc, cls-com: an individual in two classes that exclude each other."""
    pairs = set(schema[OWL.disjointWith]) | set(schema[OWL.complementOf])
    for members in _members(declared[OWL.AllDisjointClasses], schema, first, rest, OWL.members):
        pairs.update(combinations(members, 2))
    return [f"Disjoint classes {c1} and {c2} have a common individual {x}"
            for x, classes in types.items() for c1, c2 in pairs if c1 != c2 and c1 in classes and c2 in classes]


def _equality_clashes(links, schema, declared, first, rest) -> list[str]:
    """eq-diff1/2/3: individuals both the same and different."""
    same = links[OWL.sameAs]
    found = [f"{x} and {y} are both owl:sameAs and owl:differentFrom"
             for x, y in links[OWL.differentFrom] if (x, y) in same or (y, x) in same]
    for members in _members(declared[OWL.AllDifferent], schema, first, rest, OWL.members, OWL.distinctMembers):
        found += [f"{x} and {y} are both owl:sameAs and declared all different"
                  for x, y in combinations(members, 2) if (x, y) in same or (y, x) in same]
    return found


def _property_clashes(links, declared, schema, disjoint_property_lists) -> list[str]:
    """prp-irp, prp-asyp, prp-pdw, prp-adp."""
    found = [f"{x} is linked to itself by the irreflexive property {p}"
             for p in declared[OWL.IrreflexiveProperty] for x, y in links[p] if x == y]
    found += [f"{x} and {y} are linked both ways by the asymmetric property {p}"
              for p in declared[OWL.AsymmetricProperty] for x, y in links[p] if (y, x) in links[p]]
    pairs = set(schema[OWL.propertyDisjointWith])
    for members in disjoint_property_lists:
        pairs.update(combinations(members, 2))
    found += [f"{x} and {y} are linked by the disjoint properties {p1} and {p2}"
              for p1, p2 in pairs if p1 != p2 for x, y in links[p1] & links[p2]]
    return found


def _cardinality_clashes(links, types, schema) -> list[str]:
    """cls-maxc1, cls-maxqc1, cls-maxqc2: a value where a maximum cardinality of 0 allows none."""
    on, on_class = _pairs_index(schema[OWL.onProperty]), _pairs_index(schema[OWL.onClass])
    zero = {c for c, n in schema[OWL.maxCardinality] if str(n) == "0"}
    zero |= {c for c, n in schema[OWL.maxQualifiedCardinality] if str(n) == "0"}
    found = []
    for restriction in zero:
        for p in on.get(restriction, ()):
            for x, y in links[p]:
                if restriction not in types.get(x, ()):
                    continue
                qualifiers = on_class.get(restriction, ())
                if not qualifiers or any(k == OWL.Thing or k in types.get(y, ()) for k in qualifiers):
                    found.append(f"{x} has a value of {p} where {restriction} allows none")
    return found


def _negative_assertion_clashes(links, schema) -> list[str]:
    """prp-npa1, prp-npa2: a negative property assertion that holds."""
    source = dict(schema[OWL.sourceIndividual])
    prop = dict(schema[OWL.assertionProperty])
    target = dict(schema[OWL.targetIndividual]) | dict(schema[OWL.targetValue])
    return [f"{source[n]} {prop[n]} {target[n]} is asserted and denied"
            for n in source if n in prop and n in target and (source[n], target[n]) in links[prop[n]]]
