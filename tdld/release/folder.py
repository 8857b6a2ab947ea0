"""The build folders: publishing a finished build atomically, finding and verifying the current one."""

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import BuildMissing
from ..core.files import checksum_text, sha256_of, staging, write_file
from ..core.layout import Layout
from ..core.namespaces import BASE
from ..core.version import VERSION as __version__
from .dump import write_dumps
from .labels import write_label_file
from .quality import QUALITY_FILE, VALIDATION_FILE, add_measurements, add_validation_report
from .store import write_store_from
from .transitive import closed_transitive_properties
from .void import describe

KEEP_RELEASES = 3


def publish(dataset: ox.Store, layout: Layout, now: datetime, quality: dict | None = None,
            validation: str | None = None, inputs: str | None = None) -> Path:
    """Write a complete release in a temporary folder, then publish it atomically.

    ``dataset`` is a pyoxigraph store holding the six named graphs; ``quality`` the build's
    scorecard, published as quality.json and as DQV measurements in the VoID; ``validation``
    the SHACL validation report of the release (Turtle), published as validation.ttl.
    """
    layout.releases_dir.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(layout)
    name = f"{__version__}-{now.strftime('%Y%m%dT%H%M%SZ')}"
    with staging(layout.releases_dir, name) as temporary:
        with ThreadPoolExecutor(max_workers=1) as beside:  # the store is made while the dumps are written
            store_made = beside.submit(write_store_from, dataset, temporary)
            files = write_dumps(dataset, temporary)
            quads = store_made.result()
        labels = write_label_file(dataset, temporary, BASE)
        void = describe(dataset, files, now)
        sums = [(f.name, f.sha256) for f in files] + [(labels.name, sha256_of(labels))]
        if quality is not None:
            add_measurements(void, quality)
            write_file(temporary / QUALITY_FILE, json.dumps(quality, indent=2, ensure_ascii=False).encode("utf-8"))
            sums.append((QUALITY_FILE, sha256_of(temporary / QUALITY_FILE)))
        if validation is not None:
            add_validation_report(void)
            write_file(temporary / VALIDATION_FILE, validation.encode("utf-8"))
            sums.append((VALIDATION_FILE, sha256_of(temporary / VALIDATION_FILE)))
        write_file(temporary / "void.ttl", void.serialize(format="turtle").encode("utf-8"))
        write_file(temporary / "SHA256SUMS", checksum_text(sums).encode("utf-8"))
        manifest = {
            "version": __version__,
            "built": now.isoformat(timespec="seconds"),
            "release": name,
            # What the build was made from (tdld.build.fingerprint): an equal one makes the next build a no-op.
            "inputs": inputs,
            # Read by the SPARQL endpoint: for these, a path P+ equals the pattern P (tdld/release/transitive.py).
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


def verify_release(release: Path) -> None:
    """Check a release's checksums; a damaged or unreadable build says what to run."""
    from ..core.errors import BuildMissing
    from .dump import verify_checksums

    try:
        damaged = verify_checksums(release)
    except (OSError, ValueError, KeyError) as error:
        raise BuildMissing(f"the build in {release} cannot be read ({error.__class__.__name__}); run 'tdld build'") from None
    if damaged:
        raise BuildMissing(f"the build in {release} is damaged ({', '.join(damaged)} do not match SHA256SUMS); "
                           "run 'tdld build'")
