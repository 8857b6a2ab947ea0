"""check → reason → validate the closure → write a release, atomically.

A release is written into a hidden temporary folder, completed and synced, then
renamed into ``build/releases/`` and published by atomically replacing the
``build/current`` symlink. A failure or a kill at any point leaves the previous
release served and intact.
"""

import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

from . import __version__
from .catalog import describe
from .dump import checksum_text, sha256_of, write_dumps, write_file
from .errors import BuildMissing, ValidationFailed
from .layout import Layout
from .load import Sources, load_sources, to_oxigraph
from .labelfile import write_label_file
from .namespaces import ASSERTED_LAYERS, BASE, graph_iri
from .progress import QUIET, Progress
from .reason import Reasoning, reason
from .store import write_store
from .transitive import closed_transitive_properties
from .validate import DEFAULT_VALIDATOR, Report, validate_triples

KEEP_RELEASES = 3


@dataclass
class BuildResult:
    release: Path
    asserted: int
    inferred: int
    files: list


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


def release_store(sources: Sources, reasoning: Reasoning) -> ox.Store:
    """The five named graphs of a release in one pyoxigraph store, which writes the dumps."""
    store = ox.Store()
    for name in ASSERTED_LAYERS:
        graph = ox.NamedNode(graph_iri(name))
        store.extend(sources.store.quads_for_pattern(None, None, None, graph))
    inferred = ox.NamedNode(graph_iri("inferred"))
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), inferred) for s, p, o in reasoning.inferred)
    return store


def build(layout: Layout | None = None, progress: Progress = QUIET, now: datetime | None = None,
          reasoner: str | None = None, validator: str = DEFAULT_VALIDATOR) -> BuildResult:
    """Run the whole pipeline and publish a new release; raise TdldError on failure."""
    layout = layout or Layout()
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    with progress.step("loading sources"):
        sources = load_sources(layout)
    with progress.step("validating (SHACL)"):
        report = check(sources, validator)
    if not report.conforms:
        raise ValidationFailed(f"{report.count()} SHACL violation(s); run 'tdld check' for details", report)
    with progress.step("reasoning (OWL 2 RL)"):
        reasoning = reason(sources.asserted_triples(), reasoner)
    with progress.step("validating the closure (SHACL)"):
        closure_report = check_closure(sources, reasoning, validator)
    if not closure_report.conforms:
        raise ValidationFailed(
            f"the OWL RL closure has {closure_report.count()} SHACL violation(s); run 'tdld check --closure'",
            closure_report,
        )
    with progress.step("writing dumps"):
        release = publish(release_store(sources, reasoning), layout, now)
    files = json.loads((release / "build.json").read_text(encoding="utf-8"))["files"]
    return BuildResult(release, reasoning.asserted_count, reasoning.inferred_count, files)


def publish(dataset: ox.Store, layout: Layout, now: datetime) -> Path:
    """Write a complete release in a temporary folder, then publish it atomically.

    ``dataset`` is a pyoxigraph store holding the five named graphs.
    """
    layout.releases_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(layout)
    name = f"{__version__}-{now.strftime('%Y%m%dT%H%M%SZ')}"
    temporary = layout.releases_dir / f".tmp-{name}-{os.getpid()}"
    temporary.mkdir()
    try:
        files = write_dumps(dataset, temporary)
        quads = write_store(temporary)
        labels = write_label_file(dataset, temporary, BASE)
        void = describe(dataset, files, now)
        write_file(temporary / "void.ttl", void.serialize(format="turtle").encode("utf-8"))
        sums = [(f.name, f.sha256) for f in files] + [(labels.name, sha256_of(labels))]
        write_file(temporary / "SHA256SUMS", checksum_text(sums).encode("utf-8"))
        manifest = {
            "version": __version__,
            "built": now.isoformat(timespec="seconds"),
            "release": name,
            # Read by the SPARQL endpoint: for these, a path P+ equals the pattern P (tdld/transitive.py).
            "closed_transitive_properties": closed_transitive_properties(dataset),
            # Read by the query workers (tdld/sparql/memory.py): the store's size, and that its
            # blank nodes carry the dump's labels, so a copy made from the dump answers alike.
            "store": {"quads": quads, "blank_nodes": "as in tdld.nq.gz"},
            "files": [{"name": f.name, "content": f.content, "media_type": f.format.media_type,
                       "size": f.size, "sha256": f.sha256} for f in files],
        }
        write_file(temporary / "build.json", json.dumps(manifest, indent=2).encode("utf-8"))
        final = _free_name(layout.releases_dir, name)
        os.replace(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    link = layout.build_dir / f".current-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(Path("releases") / final.name)
    os.replace(link, layout.current)
    _prune(layout, keep=final.name)
    return final


def _free_name(folder: Path, name: str) -> Path:
    """A release path that does not exist yet: never overwrite a published release."""
    candidate, n = folder / name, 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{name}-{n}"
    return candidate


def _remove_stale_temporaries(layout: Layout) -> None:
    for stale in layout.releases_dir.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _prune(layout: Layout, keep: str) -> None:
    releases = sorted(
        (p for p in layout.releases_dir.iterdir() if p.is_dir() and not p.name.startswith(".")),
        key=lambda p: p.stat().st_mtime,
    )
    for old in releases[:-KEEP_RELEASES]:
        if old.name != keep:
            shutil.rmtree(old, ignore_errors=True)


def current_release(layout: Layout | None = None) -> Path:
    """The published release folder, or BuildMissing telling the user what to run."""
    layout = layout or Layout()
    release = layout.current
    if not release.exists() or not (release / "build.json").is_file():
        raise BuildMissing(f"no build in {layout.build_dir}: run 'tdld build' first")
    return release.resolve()
