"""The published releases, read back: the version log, each release's terms, data and pages.

A release folder never changes once written (``tdld.versions.cut``), so what is
read here is cached for the life of the process.
"""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import TdldError
from ..core.namespaces import BASE
from .semver import parse
from .store import version_store

LOG_NAME = "versions.json"
TERMS_NAME = "terms.txt"
RELEASE_NAME = "release.json"
# Releases are loaded into memory when asked for: at a million triples each costs about 1 GB.
KEEP_LOADED = 2


class UnknownVersion(TdldError):
    """No release has that number."""


def version_iri(version: str) -> str:
    return f"{BASE}version/{version}"


@dataclass(frozen=True)
class ReleaseInfo:
    """One line of the version log."""

    version: str
    issued: str
    prior: str | None
    bump: str
    counts: dict
    folder: Path

    @property
    def iri(self) -> str:
        return version_iri(self.version)

    @property
    def manifest(self) -> dict:
        return json.loads((self.folder / RELEASE_NAME).read_text(encoding="utf-8"))


class History:
    """The releases in a folder (``versions/`` of the project), oldest first."""

    def __init__(self, folder: Path | None, stores: Path | None = None):
        self.folder = folder
        # Where numbered releases get their on-disk stores: beside the builds, never in versions/.
        self.stores = stores or (folder.parent / "build" / "version-stores" if folder is not None else None)
        self.releases = self._read_log()
        self._by_version = {r.version: r for r in self.releases}
        self._terms: dict = {}
        self._membership: dict | None = None
        self._stores: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def _read_log(self) -> list[ReleaseInfo]:
        if self.folder is None:
            return []
        path = self.folder / LOG_NAME
        if not path.is_file():
            return []
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))["versions"]
            releases = [ReleaseInfo(e["version"], e["issued"], e.get("prior"), e["bump"], e.get("counts", {}),
                                    self.folder / e["version"]) for e in entries]
        except (ValueError, KeyError, TypeError) as error:
            raise TdldError(f"{path}: the version log cannot be read ({error})") from None
        return sorted(releases, key=lambda r: parse(r.version))

    @property
    def last(self) -> ReleaseInfo | None:
        return self.releases[-1] if self.releases else None

    def get(self, version: str) -> ReleaseInfo:
        try:
            return self._by_version[version]
        except KeyError:
            known = ", ".join(self._by_version) or "none yet"
            raise UnknownVersion(f"no release {version!r} (releases: {known})") from None

    def terms(self, version: str) -> frozenset:
        """The IRIs a release described: each must stay resolvable in every later one."""
        if version not in self._terms:
            text = (self.get(version).folder / TERMS_NAME).read_text(encoding="utf-8")
            self._terms[version] = frozenset(line for line in text.splitlines() if line)
        return self._terms[version]

    def releases_of(self, iri: str) -> list[str]:
        """The releases, oldest first, that described ``iri``."""
        if self._membership is None:
            membership: dict = {}
            for release in self.releases:
                for term in self.terms(release.version):
                    membership.setdefault(term, []).append(release.version)
            self._membership = membership
        return self._membership.get(iri, [])

    def store(self, version: str) -> ox.Store:
        """A release's named graphs (asserted and inferred), from its own on-disk store, made on first use."""
        release = self.get(version)
        with self._lock:
            if version in self._stores:
                self._stores.move_to_end(version)
                return self._stores[version]
            store = version_store(release.folder, self.stores)
            self._stores[version] = store
            while len(self._stores) > KEEP_LOADED:
                self._stores.popitem(last=False)
            return store
