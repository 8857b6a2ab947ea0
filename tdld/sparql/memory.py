"""A query worker's store: the release copied into memory when it is small enough.

Measured on the 100k-triple benchmark (154k quads, one process, queries alternating),
pyoxigraph's in-memory store answers scans and joins faster than its on-disk store:
OPTIONAL+language+ORDER BY 45 -> 28 ms, a `skos:broader+` count 4.6 -> 1.4 ms; only a
scan of a whole index is slower (a GROUP BY over every type, 14.5 -> 16.1 ms). The copy costs about 0.45 KB a quad and 0.6 s of one core
at 154k quads, read from the N-Quads dump once per server by the zygote its workers are
forked from (``zygote.py``); a release built before the store kept the dump's blank node
labels is copied from its store by each worker (2.5 s). Only releases up to a size the
operator sets are copied. A worker answers only once its copy is made: two stores list
the solutions of a query without ORDER BY in different orders, and a worker switching
stores would give one query two answers (and two ETags).
"""

import json
import sys
from pathlib import Path

import pyoxigraph as ox

from ..release.store import load_dump_into_memory, open_store

SECONDS_PER_QUAD = 0.0001  # a worker's start-up allowance for copying: 6x the slowest measured (16 us)


def memory_copy(store: ox.Store) -> ox.Store:
    """Every quad of ``store`` in a new in-memory store, blank node identifiers kept.

    For releases whose store renamed the dump's blank nodes (built before the build
    recorded ``store`` in build.json): copying keeps the store's names.
    """
    copy = ox.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
    return copy


def fits_in_memory(quads: int, memory_quads: int) -> bool:
    """Whether a release of ``quads`` is copied under the limit ``memory_quads`` (inclusive; 0: never)."""
    return 0 < memory_quads and quads <= memory_quads


def forked_from_memory(release: Path, memory_quads: int) -> bool:
    """Whether query workers are forked from a zygote holding the release: it fits under the
    limit, and its build recorded a store whose blank nodes the dump names alike."""
    quads = recorded_quads(release)
    return quads is not None and fits_in_memory(quads, memory_quads)


def worker_store(release: Path, memory_quads: int) -> ox.Store:
    """The release in memory if it has at most ``memory_quads`` quads (0: never), else on disk."""
    if memory_quads <= 0:  # no need to read the record, nor to count an older store's quads
        return open_store(release)
    recorded = recorded_quads(release)
    try:
        if recorded is not None:  # the store names blank nodes as the dump does: read the dump
            return load_dump_into_memory(release) if fits_in_memory(recorded, memory_quads) else open_store(release)
        disk = open_store(release)
        return memory_copy(disk) if fits_in_memory(len(disk), memory_quads) else disk
    except MemoryError:
        print("tdld: not enough memory to copy the release; this query worker reads it from disk",
              file=sys.stderr, flush=True)
        return open_store(release)


def recorded_quads(release: Path) -> int | None:
    """The quads of the release's store, when its build says its blank nodes carry the dump's labels."""
    try:
        store = json.loads((release / "build.json").read_text(encoding="utf-8")).get("store") or {}
    except (OSError, ValueError):
        return None
    if store.get("blank_nodes") == "as in tdld.nq.gz" and isinstance(store.get("quads"), int):
        return store["quads"]
    return None


def start_allowance(memory_quads: int) -> float:
    """Seconds a new worker may take to be ready: opening, plus copying up to ``memory_quads``."""
    return 60.0 + max(memory_quads, 0) * SECONDS_PER_QUAD
