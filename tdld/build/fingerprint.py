"""What a build depends on, as one hash: its sources, the released terms, tdld's own code, its options.

A build whose fingerprint equals the current build's would write the same release again;
it stops early instead and says so. Files are hashed by content, not by date, so a
checkout or a copy does not count as a change, and any edit does.
"""

import hashlib
from pathlib import Path

from ..core.layout import Layout

SOURCE_FOLDERS = ("ontology", "shapes", "data", "versions")
PACKAGE = Path(__file__).resolve().parents[1]


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def _hash_files(digest, root: Path, files: list[Path]) -> None:
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")


def fingerprint(layout: Layout, options: dict) -> str:
    """sha256 of every source file, of the package's files and of the build's options."""
    digest = hashlib.sha256()
    for name in SOURCE_FOLDERS:
        _hash_files(digest, layout.root, _files(layout.root / name))
    _hash_files(digest, PACKAGE, _files(PACKAGE))
    digest.update(repr(sorted(options.items())).encode("utf-8"))
    return digest.hexdigest()
