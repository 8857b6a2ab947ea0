"""The OWL 2 RL closure computed in a child process, while the parent validates.

Reasoning holds the interpreter for its whole run, so a thread beside it gains
nothing; a forked child does, and it also takes the reasoner's memory (rdflib
terms, the reasoner's own indexes) away with it when it ends. The child reads the
asserted graphs of the forked store and sends back the useful inferred triples as
N-Triples, whose blank node labels are the store's own, so that the parent puts them
into the same store without renaming anything.
"""

import ctypes
import multiprocessing
import os
import signal

import pyoxigraph as ox

from ..core.errors import TdldError
from ..core.terms import TermConverter, to_oxigraph
from .load import Sources
from .reason import useful_inferred

PR_SET_PDEATHSIG = 1  # Linux prctl option: the signal a child gets when its parent dies


def _die_with_parent(parent: int) -> None:
    """A killed build leaves no reasoner running on its own (Linux; elsewhere a no-op)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _reason_and_send(sources: Sources, reasoner: str | None, send, parent: int) -> None:
    _die_with_parent(parent)
    try:
        inferred, used = useful_inferred(sources.asserted_triples(), reasoner)
        convert = TermConverter(to_oxigraph)
        triples = (ox.Triple(convert(s), convert(p), convert(o)) for s, p, o in inferred)
        send.send(("done", (used, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))))
    except TdldError as error:
        send.send(("error", error))
    except Exception as error:  # anything else reaches the parent as one line
        send.send(("error", TdldError(f"reasoning failed: {error.__class__.__name__}: {error}")))
    finally:
        send.close()


class ReasoningBeside:
    """A reasoner started now in a child process; :meth:`into` waits for it and stores the closure."""

    def __init__(self, sources: Sources, reasoner: str | None = None):
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_reason_and_send, args=(sources, reasoner, send, os.getpid()),
                                        daemon=True, name="tdld-reasoning")
        self._process.start()
        send.close()
        self.reasoner = reasoner

    def into(self, store: ox.Store, graph: ox.NamedNode) -> int:
        """Wait for the closure, add it to ``graph`` of ``store``; return how many triples it has.

        Raises the child's TdldError (an inconsistency, a missing reasoner) as it was raised there.
        """
        try:
            kind, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise TdldError(f"the reasoning process ended without a result (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if kind == "error":
            raise payload
        self.reasoner, ntriples = payload
        quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
        store.extend(quads)
        return len(quads)

    def cancel(self) -> None:
        """Stop the child when its result is no longer wanted (the asserted data failed validation)."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
