"""Sending a release's files: resumable (Range, 206), conditional (ETag, If-None-Match), named for saving.

A dump of a large release is hundreds of megabytes: a client must be able to resume it,
and to ask whether it changed without fetching it again. The ETag is the file's SHA-256,
the same on every machine serving the release; the file is streamed, never read whole.
"""

from functools import lru_cache
from pathlib import Path

from flask import abort, send_file

from ..core.files import sha256_of


@lru_cache(maxsize=256)
def _digest(path: Path, mtime_ns: int, size: int) -> str:
    return sha256_of(path)


def send_release_file(folder: Path, name: str, media_type: str, manifest: dict, immutable: bool = False):
    """One file of a release folder, as an attachment, answering Range and conditional requests.

    The ETag of a dump is the SHA-256 its manifest records; other files are hashed once.
    """
    path = folder / name
    if not path.is_file():
        abort(404)
    stat = path.stat()
    recorded = next((f["sha256"] for f in manifest["files"] if f["name"] == name), None)
    digest = recorded or _digest(path, stat.st_mtime_ns, stat.st_size)
    response = send_file(path, mimetype=media_type, as_attachment=True, download_name=name, conditional=True,
                         etag=digest, max_age=31536000 if immutable else 300, last_modified=stat.st_mtime)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "public, max-age=300"
    return response
