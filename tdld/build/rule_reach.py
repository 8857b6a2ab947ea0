"""Which asserted triples an OWL 2 RL rule can read: the reasoner is given only those.

Half of a large knowledge base is labels, comments and sources. When no axiom mentions
such a property, none of the rules of OWL 2 RL (OWL 2 Profiles, tables 4 to 9) can match
its triples, and none can conclude one; the same holds for a type whose class no axiom
names. Leaving them out changes no inferred triple and halves the reasoner's work and
memory. The exception is equality: once two resources may be made the same (owl:sameAs,
a functional or inverse-functional property, a key, a maximum cardinality), rules
eq-rep-* copy every triple of one to the other, and then every triple is kept.

Terms are compared as IRI strings (``None`` for a blank node or a literal), so that the
same logic serves pyoxigraph and rdflib terms.
"""

from collections.abc import Iterable

OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TYPE = RDF + "type"
BUILT_IN = (OWL, RDF, RDFS)

# Predicates of rule premises other than rdf:type: the four of RDFS the rules use, RDF lists,
# and every predicate of the OWL vocabulary (more than the rules use: erring towards keeping).
RDFS_AXIOMS = frozenset(RDFS + name for name in ("subClassOf", "subPropertyOf", "domain", "range"))
LISTS = frozenset({RDF + "first", RDF + "rest"})
# Types that only declare what a term is: no rule reads them beyond the trivial scm-cls/scm-op.
DECLARATIONS = frozenset({
    OWL + "Class", OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty",
    OWL + "NamedIndividual", OWL + "Ontology", RDF + "Property", RDFS + "Class", RDFS + "Datatype",
})
EQUALITY_TYPES = frozenset({OWL + "FunctionalProperty", OWL + "InverseFunctionalProperty"})
EQUALITY_PREDICATES = frozenset({OWL + "sameAs", OWL + "hasKey", OWL + "maxCardinality", OWL + "maxQualifiedCardinality"})


def is_schema_predicate(predicate: str) -> bool:
    """A predicate that states an axiom (or sameAs): its triples are always given to the reasoner."""
    return predicate in RDFS_AXIOMS or predicate in LISTS or predicate.startswith(OWL)


def is_axiom(predicate: str, obj: str | None) -> bool:
    """A triple :class:`RuleReach` must see: a schema triple, or a type from the OWL vocabulary."""
    return is_schema_predicate(predicate) or (predicate == TYPE and obj is not None and obj.startswith(OWL))


class RuleReach:
    """Judged from the axioms: which triples the rules can read."""

    def __init__(self, axioms: Iterable[tuple[str | None, str, str | None]]):
        """``axioms``: (subject, predicate, object), at least every triple for which :func:`is_axiom` holds."""
        mentioned: set[str | None] = set()
        equality = False
        for s, p, o in axioms:
            if p == TYPE:
                if o is None or not o.startswith(OWL):
                    continue
                equality = equality or o in EQUALITY_TYPES
                if o not in DECLARATIONS:
                    mentioned.add(s)
            elif is_schema_predicate(p):
                equality = equality or p in EQUALITY_PREDICATES
                mentioned.update((s, o))
        mentioned.discard(None)
        self.mentioned = frozenset(mentioned)
        self.everything = equality  # equality may copy any triple anywhere: leave nothing out

    def keeps(self, predicate: str, obj: str | None) -> bool:
        """Whether a triple with this predicate and object (an IRI, or None) can take part in a rule."""
        if self.everything or is_schema_predicate(predicate):
            return True
        if predicate == TYPE:
            return obj is None or obj in self.mentioned or obj.startswith(BUILT_IN)
        return predicate in self.mentioned
