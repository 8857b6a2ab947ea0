"""The headers every answer carries, and what a complete 200 answer gets on top.

One definition for the Flask app and for the quick path that answers bounded SPARQL GETs
before Flask runs, so both send the same headers and the same ETag for the same answer.
"""

import gzip
import hashlib
import time
from functools import lru_cache

from werkzeug.http import http_date

GZIP_MIN_BYTES = 1024
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'")


def security_headers(path: str) -> dict:
    """Headers every answer carries; only the reconciliation preview may be framed (OpenRefine does)."""
    framable = path.startswith("/reconcile/preview")
    return {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY + ("; frame-ancestors *" if framable else "; frame-ancestors 'none'"),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        **({} if framable else {"X-Frame-Options": "DENY"}),
    }


def add_common(headers, path: str) -> None:
    """CORS and security headers, unless the answer set its own.

    ``headers``: Flask's response headers, or a dict keyed by the names as written here.
    """
    headers.setdefault("Access-Control-Allow-Origin", "*")
    # An empty Server header: granian and Werkzeug then leave out their own, which names them.
    headers.setdefault("Server", "")
    for name, value in security_headers(path).items():
        headers.setdefault(name, value)


def finish_complete(headers, body: bytes, accept_encoding: str, built) -> bytes:
    """A complete 200 answer: cache headers, gzip when it pays, and a strong ETag; returns the body to send.

    The ETag hashes the bytes sent and their type, so it is the same in every process
    and on every machine serving the same release.
    """
    headers.setdefault("Cache-Control", "public, max-age=300")
    headers["Last-Modified"] = _http_date(built)
    if len(body) >= GZIP_MIN_BYTES and "gzip" in accept_encoding and "Content-Encoding" not in headers \
            and headers.get("Content-Type", "").split(";")[0] != "application/gzip":
        body = gzip.compress(body, mtime=0)
        headers["Content-Encoding"] = "gzip"
        vary = headers.get("Vary")
        headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    headers["ETag"] = '"%s"' % hashlib.sha256(body + headers.get("Content-Type", "").encode()).hexdigest()
    return body


@lru_cache(maxsize=8)
def _http_date(moment) -> str:
    return http_date(moment)


def now_http_date() -> str:
    """The Date header, formatted once a second rather than once a request."""
    return _http_date(int(time.time()))
