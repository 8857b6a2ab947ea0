"""Finished responses kept per release, answered before Flask runs: exact because a release never changes.

Every answer depends only on the release, the request line and the headers the app
varies on (its ``Vary`` headers, plus Host and scheme, which the service description
uses). A response is kept only if it says an HTTP cache may keep it (``Cache-Control:
public``, no ``no-store``): answers that depend on more than the release, such as a
SPARQL query with ``SERVICE`` or ``RAND()``, are sent as ``no-store`` and never kept.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from werkzeug.http import parse_date, parse_etags

KEY_HEADERS = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_PROFILE", "HTTP_HOST")
CONDITIONAL_HEADERS = {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"}
NOT_MODIFIED_DROPS = {"content-length", "content-type", "content-encoding", "content-language"}


@dataclass(frozen=True)
class Entry:
    status: str
    headers: tuple
    body: bytes
    etag: str | None


def cache_key(environ: dict) -> tuple | None:
    """What a GET or HEAD answer depends on; None for requests that are never cached."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_RANGE"):
        return None  # a part of a file is answered by the app, which checks If-Range
    gzip = "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "")
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""), environ.get("wsgi.url_scheme", ""), gzip,
            *(environ.get(name, "") for name in KEY_HEADERS))


def storable(status: str, headers: list, size: int, max_entry: int) -> bool:
    """Only complete 200 answers that HTTP caches may keep, and not too big to hold."""
    if not status.startswith("200 ") or size > max_entry:
        return False
    names = {name.lower(): value for name, value in headers}
    directives = {part.strip().lower() for part in names.get("cache-control", "").split(",")}
    return "public" in directives and "no-store" not in directives and "set-cookie" not in names


def not_modified(entry: Entry, environ: dict) -> bool:
    """RFC 9110 section 13.2.2: If-None-Match decides when present, else If-Modified-Since."""
    wanted = environ.get("HTTP_IF_NONE_MATCH")
    if wanted:
        return bool(entry.etag) and parse_etags(wanted).contains_weak(entry.etag)
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    modified = parse_date(next((v for n, v in entry.headers if n.lower() == "last-modified"), None))
    return since is not None and modified is not None and modified <= since


class ResponseCache:
    """A WSGI middleware with a least-recently-used store bounded in bytes, safe across threads."""

    def __init__(self, app, max_bytes: int, max_entry: int = 1 << 20):
        self.app = app
        self.max_bytes = max_bytes
        self.max_entry = min(max_entry, max_bytes)
        self.entries: OrderedDict = OrderedDict()
        self.size = 0
        self.hits = self.misses = 0
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        key = cache_key(environ) if self.max_bytes > 0 else None
        if key is None:
            return self.app(environ, start_response)
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
        if entry is not None:
            return self._answer(entry, environ, start_response)
        return self._fill(key, environ, start_response)

    def _answer(self, entry: Entry, environ, start_response):
        if not_modified(entry, environ):
            start_response("304 Not Modified", [h for h in entry.headers if h[0].lower() not in NOT_MODIFIED_DROPS])
            return [b""]
        start_response(entry.status, list(entry.headers))
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]

    def _fill(self, key: tuple, environ, start_response):
        """Run the app; keep its answer when it is a complete, cacheable GET."""
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return start_response(status, headers, exc_info)

        chunks = self.app(environ, capture)
        if environ["REQUEST_METHOD"] != "GET" or CONDITIONAL_HEADERS & environ.keys():
            return chunks
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        status, headers = captured.get("status", ""), captured.get("headers", [])
        if storable(status, headers, len(body), self.max_entry):
            etag = next((value.strip('"') for name, value in headers if name.lower() == "etag"), None)
            self._store(key, Entry(status, tuple(headers), body, etag))
        return [body]

    def _store(self, key: tuple, entry: Entry) -> None:
        with self.lock:
            previous = self.entries.pop(key, None)
            if previous is not None:
                self.size -= len(previous.body)
            self.entries[key] = entry
            self.size += len(entry.body)
            while self.size > self.max_bytes and self.entries:
                _old_key, old = self.entries.popitem(last=False)
                self.size -= len(old.body)
