"""Where sources and builds live, so that no module hard-codes a path."""

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Layout:
    """The folders of a tdld project: its sources and its build output."""

    root: Path = ROOT

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def tables_dir(self) -> Path:
        """Curated tables (CSV with CSV on the Web metadata), compiled to RDF by the build."""
        return self.data_dir / "tables"

    @property
    def mappings_dir(self) -> Path:
        return self.data_dir / "mappings"

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def releases_dir(self) -> Path:
        return self.build_dir / "releases"

    @property
    def versions_dir(self) -> Path:
        """Numbered releases (``tdld release``): kept in the repository, never changed once written."""
        return self.root / "versions"

    @property
    def current(self) -> Path:
        """The last good build: a symlink switched atomically by each build."""
        return self.build_dir / "current"
