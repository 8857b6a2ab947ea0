"""Pick the two sides of a diff: any release by number, or "build" for the working build."""

from ..core.errors import TdldError
from ..core.layout import Layout
from ..release.history import History, version_iri

WORKING = "build"


class NothingToCompare(TdldError):
    """A diff needs a release on at least one side."""

    exit_code = 2


def side(history: History, name: str, build_store=None):
    """(label, store, IRI) of one side; ``build_store`` opens the working build when asked for."""
    if name == WORKING:
        return WORKING, build_store(), version_iri(WORKING)
    release = history.get(name)
    return release.version, history.store(release.version), release.iri


def compare(history: History, old: str | None, new: str | None, build_store):
    """The diff between two sides; by default the last release against the working build."""
    from .diff import diff_releases

    if old is None:
        if history.last is None:
            raise NothingToCompare("there is no release yet to compare with: make one with 'tdld release X.Y.Z'")
        old = history.last.version
    new = new or WORKING
    old_label, old_store, old_iri = side(history, old, build_store)
    new_label, new_store, new_iri = side(history, new, build_store)
    return diff_releases(old_store, new_store, old_label, new_label), old_iri, new_iri


def layout_history(layout: Layout) -> History:
    return History(layout.versions_dir)


def changes_as_graph(changes, old_iri: str, new_iri: str):
    """The change sets as an rdflib graph, for the writers every other document goes through."""
    from rdflib import Graph

    from ..core.namespaces import bind_prefixes
    from ..core.terms import TermConverter
    from .changeset import CS, changeset_triples

    graph = Graph()
    bind_prefixes(graph)
    graph.bind("cs", CS)
    convert = TermConverter()
    graph.addN((convert(t.subject), convert(t.predicate), convert(t.object), graph)
               for t in changeset_triples(changes, old_iri, new_iri))
    return graph


def changes_as_text(changes) -> str:
    """A summary for the terminal: the suggested step, then each changed term by kind."""
    lines = [f"from {changes.old_name} to {changes.new_name}: {len(changes.changes)} change(s); "
             f"suggested step: {changes.bump}"]
    for change in changes.changes:
        replaced = f" -> {', '.join(change.replaced_by)}" if change.replaced_by else ""
        lines.append(f"  {change.kind:<10} {change.term}{replaced} (-{len(change.removed)} +{len(change.added)})")
    return "\n".join(lines)
