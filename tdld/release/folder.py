"""The build folders: publishing a finished build atomically, finding and verifying the current one."""

import json
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import BuildMissing
from ..core.files import checksum_text, sha256_of, write_file
from ..core.layout import Layout
from ..core.namespaces import BASE
from ..core.version import VERSION as __version__
from .dump import CONTENTS, write_dumps
from .labels import write_label_file
from .quality import QUALITY_FILE, VALIDATION_FILE, add_measurements, add_validation_report
from .store import write_store_from
from .transitive import closed_transitive_properties
from .void import describe, measure

KEEP_RELEASES = 3


class ReleaseWriter:
    """A release written in a temporary folder in parts, then published atomically.

    The asserted dumps need only the asserted graphs, so the build writes them while the
    closure is still being computed (:meth:`write_asserted`); the rest of the data is written
    while the closure is validated (:meth:`write_rest`); :meth:`finish` adds what depends on the
    validation and publishes. Until then nothing is visible; :meth:`abandon` removes the folder.
    """

    def __init__(self, layout: Layout, now: datetime):
        layout.releases_dir.mkdir(parents=True, exist_ok=True)
        self.layout, self.now = layout, now
        self.name = f"{__version__}-{now.strftime('%Y%m%dT%H%M%SZ')}"
        self.folder = layout.releases_dir / f".tmp-{self.name}-{os.getpid()}"  # removed by a later build if killed
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir()
        self.files: list = []
        self._rest: dict | None = None

    def write_asserted(self, dataset: ox.Store) -> None:
        """The dumps of the asserted graphs, from a store that may not hold the inferred graph yet."""
        self.files = write_dumps(dataset, self.folder, contents=("asserted",))

    def write_rest(self, dataset: ox.Store) -> None:
        """Every other dump, the store and the labels; ``dataset`` holds the six named graphs and no other.

        While the dumps are written, one other thread fills the store, writes the labels, counts
        what the description states and checks the transitive properties, in turn: pyoxigraph
        work that leaves the interpreter free. One thread, not four: the build validates the
        closure beside, and each of these holds its own working memory while it runs.
        """
        with ThreadPoolExecutor(max_workers=1) as beside:
            store_made = beside.submit(write_store_from, dataset, self.folder)
            labels_made = beside.submit(write_label_file, dataset, self.folder, BASE)
            measured = beside.submit(measure, dataset)
            transitive = beside.submit(closed_transitive_properties, dataset)
            left = [c for c in CONTENTS if c != "asserted" or not self.files]
            self.files = self.files + write_dumps(dataset, self.folder, contents=left)
            self._rest = {"quads": store_made.result(), "labels": labels_made.result(), "measured": measured.result(),
                          "transitive": transitive.result()}

    def abandon(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def finish(self, quality: dict | None = None, validation: str | None = None, inputs: str | None = None) -> Path:
        """The description, checksums and manifest, then the release published; after :meth:`write_rest`.

        ``quality`` is the build's scorecard, published as quality.json and as DQV measurements in
        the VoID; ``validation`` the SHACL validation report of the release (Turtle), as validation.ttl.
        """
        try:
            return self._finish(quality, validation, inputs)
        except BaseException:
            self.abandon()
            raise

    def _finish(self, quality, validation, inputs) -> Path:
        temporary, now, layout, name, files, rest = self.folder, self.now, self.layout, self.name, self.files, self._rest
        void = describe(rest["measured"], files, now)
        labels = rest["labels"]
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
            "closed_transitive_properties": rest["transitive"],
            # Read by the query workers (tdld/sparql/memory.py): the store's size, and that its
            # blank nodes carry the dump's labels, so a copy made from the dump answers alike.
            "store": {"quads": rest["quads"], "blank_nodes": "as in tdld.nq.gz"},
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


def remove_stale_temporaries(layout: Layout) -> None:
    """Remove what killed builds left: temporary folders whose process (the name ends with its id) is gone.

    A build running beside this one keeps its folder.
    """
    if not layout.releases_dir.is_dir():
        return
    for stale in layout.releases_dir.glob(".tmp-*"):
        owner = stale.name.rsplit("-", 1)[-1]
        if owner.isdigit() and int(owner) != os.getpid() and _running(int(owner)):
            continue
        shutil.rmtree(stale, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


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
