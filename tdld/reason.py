"""OWL 2 RL closure with owlrl, kept apart from the asserted triples.

owlrl never raises on a contradiction: it adds nodes typed
``agent-ont#ErrorMessage`` to the graph. This module looks for them and for
members of ``owl:Nothing`` and raises ``Inconsistent`` naming the culprits.
"""

from dataclasses import dataclass

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .errors import Inconsistent
from .namespaces import OWLRL_ERROR, bind_prefixes

ERROR_TEXT = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}


@dataclass
class Reasoning:
    inferred: Graph
    asserted_count: int

    @property
    def inferred_count(self) -> int:
        return len(self.inferred)


def is_useful(triple) -> bool:
    """Keep entailments about tdld's resources; drop owlrl's axiomatic noise."""
    s, p, o = triple
    if isinstance(s, Literal):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if isinstance(s, URIRef) and str(s).startswith(BUILTIN_NAMESPACES):
        return False
    if p == RDF.type and o in TRIVIAL_TYPES:
        return False
    if p == RDF.type and o == OWLRL_ERROR:
        return False
    return True


def inconsistencies(closure: Graph) -> list[str]:
    """owlrl's error messages and any member of owl:Nothing, as readable lines."""
    problems = [str(closure.value(node, ERROR_TEXT)) for node in closure.subjects(RDF.type, OWLRL_ERROR)]
    for member in closure.subjects(RDF.type, OWL.Nothing):
        problems.append(f"{member} is a member of owl:Nothing")
    return sorted(set(problems))


def reason(asserted: Graph) -> Reasoning:
    """Compute the OWL 2 RL closure; return only the useful new triples."""
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    problems = inconsistencies(closure)
    if problems:
        raise Inconsistent("inconsistent: " + "; ".join(problems), problems)
    inferred = Graph()
    bind_prefixes(inferred)
    for triple in closure:
        if triple not in asserted and is_useful(triple):
            inferred.add(triple)
    return Reasoning(inferred=inferred, asserted_count=len(asserted))
