"""check → reason → validate the closure → write a release, atomically.

A release is written into a hidden temporary folder, completed and synced, then
renamed into ``build/releases/`` and published by atomically replacing the
``build/current`` symlink. A failure or a kill at any point leaves the previous
release served and intact.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import TdldError, ValidationFailed
from ..core.layout import Layout
from ..core.memory import give_back_free_memory
from ..core.namespaces import ALL_GRAPHS, REASONED_LAYERS, graph_iri
from ..core.progress import QUIET, Progress
from ..core.terms import rdflib_triples, to_oxigraph
from ..release.folder import ReleaseWriter, current_release, remove_stale_temporaries
from ..release.void import release_counts
from .budget import check_size
from .fingerprint import fingerprint
from .load import Sources, load_sources
from .quality import score
from .reason import Reasoning
from .reason_beside import ReasoningBeside
from .shacl.validate import DEFAULT_VALIDATOR, Report, report_as_turtle, validate_triples


INFERRED = ox.NamedNode(graph_iri("inferred"))


@dataclass
class BuildResult:
    release: Path
    asserted: int
    inferred: int
    files: list
    unchanged: bool = False  # the current build already had these inputs; nothing was written


def check(sources: Sources, validator: str = DEFAULT_VALIDATOR) -> Report:
    """SHACL-validate the asserted knowledge base."""
    return validate_triples(sources.store, sources.shapes, data=sources.validated, validator=validator)


def check_closure(sources: Sources, reasoning: Reasoning, validator: str = DEFAULT_VALIDATOR) -> Report:
    """SHACL-validate the asserted knowledge base plus its OWL RL closure."""

    def quads():
        yield from sources.store.quads_for_pattern(None, None, None, None)
        yield from (ox.Triple(*map(to_oxigraph, triple)) for triple in reasoning.inferred)

    return validate_triples(quads(), sources.shapes, data=lambda: sources.validated(reasoning.inferred),
                            validator=validator)


def check_stored_closure(sources: Sources, validator: str = DEFAULT_VALIDATOR) -> Report:
    """SHACL-validate the store as it is, its inferred graph holding the closure (the build's way).

    The build drops the internal released-terms graph first (:func:`release_dataset`): the one
    shape that reads it passed on the asserted data, and the closure only adds triples.
    """
    return validate_triples(sources.store, sources.shapes, validator=validator, data=lambda: sources.validated(
        rdflib_triples(sources.store, INFERRED)))


def asserted_store(sources: Sources) -> ox.Store:
    """The asserted triples in one default graph, copied store to store (no text round trip)."""
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object) for name in REASONED_LAYERS
                 for q in sources.store.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri(name))))
    return store


def release_dataset(sources: Sources) -> ox.Store:
    """The build's own store made the release's: every graph that is not published is dropped, no copy made.

    After reasoning the store holds the asserted layers, the inferred graph and the
    internal released-terms graph; the release is the first two.
    """
    for graph in list(sources.store.named_graphs()):
        if graph.value not in ALL_GRAPHS:
            sources.store.remove_graph(graph)
    return sources.store


def unchanged_build(layout: Layout, inputs: str) -> BuildResult | None:
    """The current build, if it was made from exactly these inputs and is intact; else None."""
    try:
        release = current_release(layout)
        manifest = json.loads((release / "build.json").read_text(encoding="utf-8"))
    except (TdldError, OSError, ValueError):
        return None
    if manifest.get("inputs") != inputs:
        return None
    return result_of(release, unchanged=True)


def result_of(release: Path, unchanged: bool = False) -> BuildResult:
    """A published build's figures, as its VoID description and manifest state them."""
    counts = release_counts(release)
    inferred = str(graph_iri("inferred"))
    asserted = sum(n for g, n in counts.items() if g != inferred)
    files = json.loads((release / "build.json").read_text(encoding="utf-8"))["files"]
    return BuildResult(release, asserted, counts.get(inferred, 0), files, unchanged=unchanged)


def build(layout: Layout | None = None, progress: Progress = QUIET, now: datetime | None = None,
          reasoner: str | None = None, validator: str = DEFAULT_VALIDATOR, force: bool = False,
          max_triples: int | None = None) -> BuildResult:
    """Run the whole pipeline and publish a new release; raise TdldError on failure.

    Unless ``force``, a build whose inputs (sources, code, options) are those of the current
    build returns that build at once: it would write the same release again.
    """
    layout = layout or Layout()
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    with progress.step("comparing with the last build"):
        inputs = fingerprint(layout, {"reasoner": reasoner or "", "validator": validator})
        unchanged = None if force else unchanged_build(layout, inputs)
    remove_stale_temporaries(layout)
    if unchanged is not None:
        return unchanged
    check_size(layout, max_triples)
    with progress.step("loading sources"):
        sources = load_sources(layout)
    # A child process computes the closure while this one validates and writes: both cores work.
    reasoning = ReasoningBeside(sources, reasoner)
    writer = ReleaseWriter(layout, now)
    try:
        try:
            with progress.step("validating (SHACL), reasoning (OWL 2 RL) beside"):
                report = check(sources, validator)
            if not report.conforms:
                raise ValidationFailed(f"{report.count()} SHACL violation(s); run 'tdld check' for details", report)
            with progress.step("measuring quality, reasoning beside"):
                card = score(asserted_store(sources))
            with progress.step("writing the asserted dumps, reasoning beside"):
                writer.write_asserted(sources.store)
            with progress.step("reasoning (OWL 2 RL): the closure"):
                reasoning.into(sources.store, INFERRED)
            dataset = release_dataset(sources)
            give_back_free_memory()  # what the first steps freed, before the writing needs more
            with ThreadPoolExecutor(max_workers=1) as beside:
                # pyoxigraph answers the validator's queries without holding the interpreter:
                # a thread shares the writing's store and its cores, and copies nothing.
                validating = beside.submit(check_stored_closure, sources, validator)
                with progress.step("writing dumps, validating the closure (SHACL) beside"):
                    writer.write_rest(dataset)
                with progress.step("validating the closure (SHACL): the report"):
                    closure_report = validating.result()
        finally:
            reasoning.cancel()
        if not closure_report.conforms:
            raise ValidationFailed(
                f"the OWL RL closure has {closure_report.count()} SHACL violation(s); run 'tdld check --closure'",
                closure_report,
            )
        card.shacl_violations = report.count() + closure_report.count()
        quality = asdict(card) | {"check_failures": card.check_failures, "closure_conforms": closure_report.conforms}
    except BaseException:
        writer.abandon()
        raise
    with progress.step("publishing the release"):
        release = writer.finish(quality, report_as_turtle(closure_report), inputs)
    return result_of(release)


