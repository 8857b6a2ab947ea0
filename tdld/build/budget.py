"""How large a build this machine can hold, checked before any work: a refusal in seconds, not a crash in minutes.

The build keeps the asserted triples, their closure and the release store in memory; its
peak grows with the number of triples (PEAK_BYTES_PER_TRIPLE, measured by
bench/build_scale.py, see docs/performance.md). The sources are sized first from their
bytes, which cannot hold more triples than MIN_BYTES_PER_TRIPLE allows; only when that bound
comes near the limit are their statements counted, by a streaming parse that keeps nothing.
"""

import os
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import TdldError
from ..core.layout import Layout

PEAK_BYTES_PER_TRIPLE = 3_500  # the build's processes at their peaks, summed, per asserted triple: 3.4 KB at 1M generated triples (docs/performance.md)
MIN_BYTES_PER_TRIPLE = 15  # the most compact sources here (curated CSV tables) take about 20
TABLE_TRIPLES_PER_CELL = 2  # a filled cell gives its triple and, often, a statement record's


class BuildTooLarge(TdldError):
    """The sources hold more triples than the machine can build in memory."""

    exit_code = 2


def machine_memory() -> int:
    """Bytes of memory this process may use: the cgroup's limit if there is one, else the machine's."""
    for path in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(path).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:
            return int(text)
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 8 << 30


def default_max_triples() -> int:
    return machine_memory() // PEAK_BYTES_PER_TRIPLE


def source_files(layout: Layout) -> tuple[list[Path], list[Path]]:
    """(Turtle files, CSV tables) that the build reads."""
    turtle = []
    for folder in (layout.ontology_dir, layout.data_dir):
        if folder.is_dir():
            turtle += sorted(folder.glob("*.ttl"))
    tables = sorted(layout.tables_dir.glob("*.csv")) if layout.tables_dir.is_dir() else []
    return turtle, tables


def counted_triples(turtle: list[Path], tables: list[Path]) -> int:
    """Statements in the Turtle files (streamed, nothing kept) and an estimate for the tables."""
    total = 0
    for path in turtle:
        try:
            with path.open("rb") as handle:
                total += sum(1 for _ in ox.parse(handle, format=ox.RdfFormat.TURTLE))
        except (SyntaxError, ValueError, OSError):
            continue  # loading reports the defect, naming its line
    for table in tables:
        with table.open(encoding="utf-8", errors="replace") as handle:
            total += sum(TABLE_TRIPLES_PER_CELL * sum(1 for cell in line.split(",") if cell.strip())
                         for line in handle)
    return total


def check_size(layout: Layout, max_triples: int | None = None) -> None:
    """Refuse, in one line, sources that hold more triples than ``max_triples`` (default: what memory allows)."""
    limit = default_max_triples() if max_triples is None else max_triples
    if limit <= 0:
        return
    turtle, tables = source_files(layout)
    size = sum(p.stat().st_size for p in turtle + tables)
    if size // MIN_BYTES_PER_TRIPLE <= limit:
        return
    found = counted_triples(turtle, tables)
    if found > limit:
        gib = machine_memory() / (1 << 30)
        raise BuildTooLarge(
            f"the sources hold about {found:,} triples; this machine ({gib:.0f} GiB) builds at most "
            f"{limit:,} in memory (--max-triples); for more, split the data or build on a larger machine "
            f"and serve it from a remote store loaded by 'tdld publish' (docs/deployment.md)")
