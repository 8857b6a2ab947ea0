"""``tdld release X.Y.Z``: freeze a fresh, valid build into an immutable, numbered release.

The release is written in a temporary folder beside its final place, made read-only,
then renamed into place; the version log is replaced atomically after it. Nothing is
ever overwritten, and git is left alone (tagging is the maintainer's act).
"""

import json
import os
import shutil
import stat
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..build.pipeline import build
from ..build.shacl.validate import DEFAULT_VALIDATOR
from ..core.errors import TdldError
from ..core.files import checksum_text, sha256_of, staging, write_atomically, write_file
from ..core.layout import Layout
from ..core.namespaces import DATASET
from ..core.progress import QUIET, Progress
from ..release.quality import QUALITY_FILE, VALIDATION_FILE
from ..release.history import LOG_NAME, RELEASE_NAME, TERMS_NAME, History, version_iri
from ..release.semver import BadVersion, check_next, parse
from ..release.store import open_store
from .description import version_description
from .diff import release_terms


QUALITY_FILES = (QUALITY_FILE, VALIDATION_FILE)  # what the build measured, kept with the release


class ReleaseRefused(TdldError):
    """The release cannot be made as asked; nothing was written."""

    exit_code = 1


def cut_release(layout: Layout, number: str, now: datetime | None = None, progress: Progress = QUIET,
                reasoner: str | None = None, validator: str = DEFAULT_VALIDATOR) -> Path:
    """Build, compare with the last release, and publish release ``number``; its folder is returned."""
    try:
        wanted = parse(number)
    except BadVersion as error:
        raise ReleaseRefused(str(error)) from None
    version = str(wanted)
    history = History(layout.versions_dir)
    final = layout.versions_dir / version
    if final.exists():
        raise ReleaseRefused(f"release {version} exists already in {final}; a release never changes")
    now = now or datetime.now(timezone.utc).replace(microsecond=0)
    result = build(layout, progress=progress, now=now, reasoner=reasoner, validator=validator)
    store = open_store(result.release)
    last = history.last
    changes = None
    if last is not None:
        from .diff import diff_releases

        changes = diff_releases(history.store(last.version), store, last.version, version)
        try:
            check_next(parse(last.version), wanted, changes.bump)
        except BadVersion as error:
            raise ReleaseRefused(str(error)) from None
    folder = _write(layout, result.release, store, version, last.version if last else None, now, changes)
    _append_to_log(layout.versions_dir, history, version, last.version if last else None)
    return folder


def _write(layout: Layout, build_folder: Path, store: ox.Store, version: str, prior: str | None,
           now: datetime, changes) -> Path:
    versions = layout.versions_dir
    with staging(versions, version) as temporary:
        build_manifest = json.loads((build_folder / "build.json").read_text(encoding="utf-8"))
        names = [entry["name"] for entry in build_manifest["files"]]
        names += [name for name in QUALITY_FILES if (build_folder / name).is_file()]
        for name in names:
            shutil.copyfile(build_folder / name, temporary / name)
        issued = now.isoformat(timespec="seconds")
        build_void = Graph().parse(build_folder / "void.ttl", format="turtle")
        void = version_description(build_void, version, prior, issued, names)
        write_file(temporary / "void.ttl", void.serialize(format="turtle").encode("utf-8"))
        terms = sorted(release_terms(store))
        write_file(temporary / TERMS_NAME, "".join(term + "\n" for term in terms).encode("utf-8"))
        if changes is not None:
            from .changeset import json_text
            from .compare import changes_as_graph

            write_file(temporary / "changes.ttl", changes_as_graph(changes, version_iri(prior), version_iri(version))
                       .serialize(format="turtle").encode("utf-8"))
            write_file(temporary / "changes.json", json_text(changes).encode("utf-8"))
        # Knowledge reads build.json: a release opens like a build, under its own number.
        write_file(temporary / "build.json", json.dumps({**build_manifest, "release": version}, indent=2)
                   .encode("utf-8"))
        bump, counts = summary(changes, terms)
        release = {
            "version": version, "iri": version_iri(version), "issued": issued, "prior": prior,
            "bump": bump, "counts": counts,
            "build": build_manifest["release"], "terms": len(terms), "files": build_manifest["files"],
        }
        write_file(temporary / RELEASE_NAME, json.dumps(release, indent=2, ensure_ascii=False).encode("utf-8"))
        sums = checksum_text((path.name, sha256_of(path)) for path in temporary.iterdir())
        write_file(temporary / "SHA256SUMS", sums.encode("utf-8"))
        for path in temporary.iterdir():
            path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(temporary, versions / version)
    return versions / version


def summary(changes, terms: list) -> tuple[str, dict]:
    """The step and the counts a release records; the first release adds every term."""
    if changes is None:
        return "major", {"added": len(terms)}
    return changes.bump, {kind: n for kind, n in changes.counts().items() if n}


def _append_to_log(versions: Path, history: History, version: str, prior: str | None) -> None:
    entries = [{"version": r.version, "issued": r.issued, "prior": r.prior, "bump": r.bump, "counts": r.counts}
               for r in history.releases]
    written = json.loads((versions / version / RELEASE_NAME).read_text(encoding="utf-8"))
    entries.append({"version": version, "issued": written["issued"], "prior": prior, "bump": written["bump"],
                    "counts": written["counts"]})
    for entry in entries:
        entry["iri"] = version_iri(entry["version"])
        entry["sha256"] = sha256_of(versions / entry["version"] / RELEASE_NAME)
    log = {"dataset": str(DATASET), "versions": entries}
    write_atomically(versions / LOG_NAME, (json.dumps(log, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
