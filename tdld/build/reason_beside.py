"""The OWL 2 RL closure computed in a child process while the parent validates and writes.

The child reads the triples the rules can read (:meth:`Sources.rule_input`) from the
forked store and sends back the useful inferred triples as N-Triples, whose blank node
labels are the store's own, so that the parent puts them into the same store without
renaming anything. The reasoner's memory (rdflib terms, its own indexes) ends with the child.
"""

import pyoxigraph as ox

from ..core.terms import TermConverter, to_oxigraph
from .beside import Beside
from .load import Sources
from .reason import useful_inferred


def closure_as_ntriples(sources: Sources, reasoner: str | None) -> bytes:
    """The useful inferred triples as N-Triples."""
    inferred, _ = useful_inferred(sources.rule_input(), reasoner)
    convert = TermConverter(to_oxigraph)
    return ox.serialize((ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in inferred),
                        format=ox.RdfFormat.N_TRIPLES)


class ReasoningBeside:
    """A reasoner started now in a child process; :meth:`into` waits for it and stores the closure."""

    def __init__(self, sources: Sources, reasoner: str | None = None):
        self._child = Beside(lambda: closure_as_ntriples(sources, reasoner), "reasoning")

    def into(self, store: ox.Store, graph: ox.NamedNode) -> int:
        """Wait for the closure, add it to ``graph`` of ``store``; return how many triples it has.

        Raises the child's TdldError (an inconsistency, a missing reasoner) as it was raised there.
        """
        ntriples = self._child.result()
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                     for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
        return ntriples.count(b"\n")

    def cancel(self) -> None:
        """Stop the child when its result is no longer wanted (the asserted data failed validation)."""
        self._child.cancel()
