"""The built dataset in pyoxigraph, the engine that answers SPARQL.

rdflib stays the build pipeline; queries run on pyoxigraph, measured 10-360x
faster and correct where rdflib 7.6 is not (``ASK { FILTER(false) }``).
"""

import gzip
import os
import shutil
import threading
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import SparqlError
from ..core.namespaces import PREFIXES

STORE_FOLDER = "store"


def write_store_from(dataset: ox.Store, release: Path) -> int:
    """Fill the on-disk store inside the release from the build's store; returns its quads.

    Made once per release (while the dumps are written), then opened read-only by every
    server process: start-up does not parse the data again, and the memory is shared
    through the page cache. The dump writes each blank node under the label it has in
    the build's store, and so does this store (``Store.load`` of the dump would rename
    them): the store, the dump and a query worker's in-memory copy made from the dump name
    them alike, so the same query gives the same bytes and ETag whichever answers.
    """
    store = ox.Store(str(release / STORE_FOLDER))
    store.bulk_extend(dataset.quads_for_pattern(None, None, None, None))
    return _closed(store)


def _closed(store: ox.Store) -> int:
    """Compact and flush a freshly filled on-disk store, then let it close; returns its quads."""
    store.optimize()
    store.flush()
    return len(store)


def load_dump_into_memory(release: Path) -> ox.Store:
    """The release's N-Quads dump in an in-memory store, blank node labels kept as in the dump."""
    return _filled_from_dump(ox.Store(), release)


def _filled_from_dump(store: ox.Store, release: Path) -> ox.Store:
    """``store`` with every quad of the release's dump; parsing, unlike ``load``, keeps blank node labels."""
    with gzip.open(release / "tdld.nq.gz", "rb") as handle:
        store.bulk_extend(ox.parse(handle, format=ox.RdfFormat.N_QUADS))
    return store


def version_store(release: Path, cache: Path) -> ox.Store:
    """A numbered release's own on-disk store, made once from its dump into ``cache``, then opened read-only.

    A numbered release keeps only its dumps (it lives in the repository); its store is made
    on first need beside the builds, once for every process and every later start. Two
    processes that make it at the same time each write a folder of their own; the first
    rename wins and the other folder is removed.
    """
    target = cache / release.name
    if not target.is_dir():
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / f".{release.name}-{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(temporary, ignore_errors=True)
        _closed(_filled_from_dump(ox.Store(str(temporary)), release))
        try:
            os.rename(temporary, target)
        except OSError:
            shutil.rmtree(temporary, ignore_errors=True)
            if not target.is_dir():
                raise
    return ox.Store.read_only(str(target))


def open_store(release: Path) -> ox.Store:
    """The release's on-disk store, read-only; releases built before it existed are loaded into memory."""
    folder = release / STORE_FOLDER
    if folder.is_dir():
        return ox.Store.read_only(str(folder))
    store = ox.Store()
    with gzip.open(release / "tdld.nq.gz", "rb") as handle:
        store.load(handle, format=ox.RdfFormat.N_QUADS)
    return store


def run_query(store: ox.Store, query: str):
    """Evaluate a read-only query over the union of the named graphs."""
    try:
        return store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES)
    except SyntaxError as error:
        raise SparqlError(f"SPARQL syntax error: {' '.join(str(error).split())}") from None


def term_text(term) -> str:
    """A plain-text rendering of a result term for tables and CSV."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
        return term.value
    return str(term)


def solutions_table(results) -> tuple[list[str], list[list]]:
    """Column names and rows of a SELECT result, as pyoxigraph terms."""
    variables = [v.value for v in results.variables]
    rows = [[solution[v] for v in variables] for solution in results]
    return variables, rows
