"""OWL 2 RL closure, kept apart from the asserted triples: tdld's rules, `reasonable` or owlrl.

owlrl is the reference; `reasonable` (a compiled OWL 2 RL reasoner, 35-80x faster)
serves when it is installed. The default, "compiled", applies the few rules that
ontologies like tdld's can fire (:mod:`tdld.build.compiled_rules`), in a fraction of
`reasonable`'s memory, and hands any other ontology to the general reasoner.
owlrl and `reasonable` differ in what they leave to the caller:

- owlrl never raises on a contradiction: it adds nodes typed ``agent-ont#ErrorMessage``
  that :func:`inconsistencies` looks for, with members of ``owl:Nothing``.
- `reasonable` neither reports contradictions nor applies most schema rules (table 9
  of OWL 2 Profiles, ``scm-*``): :mod:`tdld.build.owlrules` adds both, so that the useful
  inferred triples equal owlrl's.
"""

import importlib.util
from dataclasses import dataclass

import owlrl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from ..core.errors import Inconsistent, TdldError
from ..core.namespaces import OWLRL_ERROR, bind_prefixes
from .compiled_rules import compiled_closure
from .owlrules import contradictions, group_by_predicate, schema_closure

ERROR_TEXT = URIRef("http://www.daml.org/2002/03/agents/agent-ont#error")
BUILTIN_NAMESPACES = (str(RDF), str(RDFS), str(OWL), str(XSD))
TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource}
REASONERS = ("compiled", "reasonable", "owlrl")
XSD_STRING = XSD.string


@dataclass
class Reasoning:
    inferred: Graph
    asserted_count: int
    reasoner: str = "owlrl"

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


def default_reasoner() -> str:
    return "compiled"


def general_reasoner() -> str:
    """The fast general reasoner when its wheel is installed, owlrl otherwise."""
    return "reasonable" if importlib.util.find_spec("reasonable") else "owlrl"


def inconsistencies(closure: Graph) -> list[str]:
    """owlrl's error messages and any member of owl:Nothing, as readable lines."""
    problems = [str(closure.value(node, ERROR_TEXT)) for node in closure.subjects(RDF.type, OWLRL_ERROR)]
    for member in closure.subjects(RDF.type, OWL.Nothing):
        problems.append(f"{member} is a member of owl:Nothing")
    return sorted(set(problems))


def owlrl_closure(asserted) -> tuple[set, list[str]]:
    """Every triple of owlrl's closure, and its contradictions."""
    closure = Graph()
    for triple in asserted:
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closure)
    return set(closure), inconsistencies(closure)


def _plain(term):
    """RDF 1.1 reads "x"^^xsd:string as "x"; rdflib does not, so compare in one form."""
    if isinstance(term, Literal) and term.datatype == XSD_STRING:
        return Literal(str(term))
    return term


def reasonable_closure(asserted) -> tuple[set, list[str]]:
    """Every triple of `reasonable`'s closure completed with the schema rules, and its contradictions."""
    try:
        import reasonable
    except ImportError:
        raise TdldError("the 'reasonable' reasoner is not installed; use --reasoner owlrl") from None
    engine = reasonable.PyReasoner()
    engine.from_graph(asserted)
    closure = {(s, p, _plain(o)) for s, p, o in engine.reason()}
    groups = group_by_predicate(closure)
    for s, p, o in schema_closure(groups) - closure:
        closure.add((s, p, o))
        groups[p].add((s, o))
    return closure, contradictions(groups)


def useful_inferred(asserted, reasoner: str | None = None) -> tuple[set, str]:
    """The useful new triples of the OWL 2 RL closure, and the reasoner that made them.

    ``asserted``: an rdflib graph, or any collection of rdflib triples (the build passes a frozenset).
    """
    reasoner = reasoner or default_reasoner()
    if reasoner not in REASONERS:
        raise TdldError(f"unknown reasoner {reasoner!r}; choose one of {', '.join(REASONERS)}")
    found = compiled_closure(asserted) if reasoner == "compiled" else None
    if found is None and reasoner == "compiled":
        reasoner = general_reasoner()  # an axiom the compiled rules do not cover
    closure, problems = found or (reasonable_closure if reasoner == "reasonable" else owlrl_closure)(asserted)
    if problems:
        raise Inconsistent("inconsistent: " + "; ".join(problems), problems)
    known = set(asserted)
    known |= {(s, p, _plain(o)) for s, p, o in known if isinstance(o, Literal) and o.datatype == XSD_STRING}
    return {triple for triple in closure if triple not in known and is_useful(triple)}, reasoner


def reason(asserted, reasoner: str | None = None) -> Reasoning:
    """Compute the OWL 2 RL closure; return only the useful new triples, in an rdflib graph."""
    triples, reasoner = useful_inferred(asserted, reasoner)
    inferred = Graph()
    bind_prefixes(inferred)
    inferred.addN((*triple, inferred) for triple in triples)
    return Reasoning(inferred=inferred, asserted_count=len(asserted), reasoner=reasoner)
