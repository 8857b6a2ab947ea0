"""Writing so that a reader never sees half of anything: synced files, atomic files and folders, checksums.

One file: :func:`write_atomically`. A folder of files (a build, a release, the static site):
write each with :func:`write_file` into a :func:`staging` folder, then :func:`move_into_place`.
"""

import hashlib
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_file(path: Path, data: bytes) -> None:
    """Write and flush to disk, into a staging folder: the folder is complete on disk before it is published."""
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def checksum_text(named_digests) -> str:
    """The SHA256SUMS text of (file name, SHA-256) pairs, sorted by name."""
    return "".join(f"{digest}  {name}\n" for name, digest in sorted(named_digests))


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, mode)  # mkstemp makes 0600 files; keep the file's usual permissions
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def staging(parent: Path, name: str):
    """A new, empty temporary folder in ``parent`` to write a folder in; removed if the block fails.

    Its name starts with ``.tmp-``, so that a later run can recognise and remove what a killed one left.
    """
    parent.mkdir(parents=True, exist_ok=True)
    temporary = parent / f".tmp-{name}-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        yield temporary
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def move_into_place(temporary: Path, final: Path) -> None:
    """Rename a written folder to its final name; an existing folder there is replaced, never merged."""
    if not final.exists():
        os.replace(temporary, final)
        return
    old = final.with_name(f".tmp-old-{final.name}-{os.getpid()}")
    os.replace(final, old)
    os.replace(temporary, final)
    shutil.rmtree(old, ignore_errors=True)
