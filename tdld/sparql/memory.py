"""A query worker's store: the release copied into memory when it is small enough.

Measured on the 100k-triple benchmark (154k quads, one process, queries alternating),
pyoxigraph's in-memory store answers scans and joins faster than its on-disk store:
OPTIONAL+language+ORDER BY 45 -> 28 ms, a `skos:broader+` count 4.6 -> 1.4 ms, a GROUP BY
over every type within noise. The copy costs about 0.45 KB a quad in each worker process
and 2.5 s of one core at 154k quads, so only releases up to a size the operator sets are
copied. A worker answers only once its copy is made: two stores list the solutions of a
query without ORDER BY in different orders, and a worker switching stores would give one
query two answers (and two ETags).
"""

import sys
from pathlib import Path

import pyoxigraph as ox

from ..store import open_store

SECONDS_PER_QUAD = 0.0001  # a worker's start-up allowance for copying: 6x the 16 us measured


def memory_copy(store: ox.Store) -> ox.Store:
    """Every quad of ``store`` in a new in-memory store, blank node identifiers kept.

    Parsing a dump would give blank nodes new identifiers; copying the quads keeps them,
    so an answer from the copy names the same blank nodes as one from the disk.
    """
    copy = ox.Store()
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
    return copy


def fits_in_memory(quads: int, memory_quads: int) -> bool:
    """Whether a release of ``quads`` is copied under the limit ``memory_quads`` (inclusive; 0: never)."""
    return 0 < memory_quads and quads <= memory_quads


def worker_store(release: Path, memory_quads: int) -> ox.Store:
    """The release in memory if it has at most ``memory_quads`` quads (0: never), else on disk."""
    disk = open_store(release)
    if not fits_in_memory(len(disk), memory_quads):
        return disk
    try:
        return memory_copy(disk)
    except MemoryError:
        print("tdld: not enough memory to copy the release; this query worker reads it from disk",
              file=sys.stderr, flush=True)
        return disk


def start_allowance(memory_quads: int) -> float:
    """Seconds a new worker may take to be ready: opening, plus copying up to ``memory_quads``."""
    return 60.0 + max(memory_quads, 0) * SECONDS_PER_QUAD
