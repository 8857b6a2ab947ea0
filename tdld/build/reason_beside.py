"""The OWL 2 RL closure computed, then validated, in a child process, while the parent works on.

Reasoning holds the interpreter for its whole run, so a thread beside it gains
nothing; a forked child does, and it also takes the reasoner's memory (rdflib
terms, the reasoner's own indexes) away with it when it ends. The child reads the
asserted graphs of the forked store and sends back the useful inferred triples as
N-Triples, whose blank node labels are the store's own, so that the parent puts them
into the same store without renaming anything. Then, if asked, it adds them to its own
copy of the store and validates the closure there, while the parent writes the release.
"""

import ctypes
import multiprocessing
import os
import signal

import pyoxigraph as ox

from ..core.errors import TdldError
from ..core.namespaces import graph_iri
from ..core.terms import TermConverter, rdflib_triples, to_oxigraph
from .load import Sources
from .reason import useful_inferred
from .shacl.validate import Report, validate_triples

PR_SET_PDEATHSIG = 1  # Linux prctl option: the signal a child gets when its parent dies


def _die_with_parent(parent: int) -> None:
    """A killed build leaves no reasoner running on its own (Linux; elsewhere a no-op)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _reason_and_send(sources: Sources, reasoner: str | None, validator: str | None, send, parent: int) -> None:
    _die_with_parent(parent)
    try:
        inferred, used = useful_inferred(sources.asserted_triples(), reasoner)
        convert = TermConverter(to_oxigraph)
        triples = [ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in inferred]
        del inferred, convert
        send.send(("done", (used, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))))
        if validator is not None:
            graph = ox.NamedNode(graph_iri("inferred"))
            sources.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            del triples
            report = validate_triples(sources.store, sources.shapes, validator=validator, data=lambda: sources.validated(
                rdflib_triples(sources.store, graph)))
            send.send(("report", report))
    except TdldError as error:
        send.send(("error", error))
    except Exception as error:  # anything else reaches the parent as one line
        send.send(("error", TdldError(f"reasoning failed: {error.__class__.__name__}: {error}")))
    finally:
        send.close()


class ReasoningBeside:
    """A reasoner started now in a child process; :meth:`into` waits for it and stores the closure."""

    def __init__(self, sources: Sources, reasoner: str | None = None, validator: str | None = None):
        """``validator``: also validate the closure in the child (SHACL engine name), for :meth:`report`."""
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_reason_and_send, args=(sources, reasoner, validator, send, os.getpid()),
                                        daemon=True, name="tdld-reasoning")
        self._process.start()
        send.close()
        self.reasoner = reasoner

    def into(self, store: ox.Store, graph: ox.NamedNode) -> int:
        """Wait for the closure, add it to ``graph`` of ``store``; return how many triples it has.

        Raises the child's TdldError (an inconsistency, a missing reasoner) as it was raised there.
        """
        self.reasoner, ntriples = self._next("done")
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
        store.extend(quads)
        return len(quads)

    def report(self) -> Report:
        """The SHACL report of the closure, as the child validated it (after :meth:`into`)."""
        return self._next("report")

    def _next(self, expected: str):
        try:
            kind, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise TdldError(f"the reasoning process ended without a result (exit code {self._process.exitcode})") from None
        if kind == "error":
            raise payload
        if kind != expected:
            raise TdldError(f"the reasoning process sent {kind!r} where {expected!r} was due")
        return payload

    def cancel(self) -> None:
        """Stop the child when its result is no longer wanted (the asserted data failed validation)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
