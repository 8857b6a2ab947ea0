"""HTTP to a SPARQL store: credentials, time limits, byte limits, one-line errors."""

import os
import re
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from ..core import http
from ..core.errors import TdldError
from ..core.http import USER_AGENT, first_line

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
MAX_BODY_BYTES = 256 << 20
VIRTUOSO_ASK = "__ASK_RETVAL"
BLANK_LABEL_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


class StoreError(TdldError):
    """The remote store cannot be reached, or answered with an error."""

    exit_code = 2
    http_status = 503


class StoreTimeout(StoreError):
    """The store did not answer within the time limit."""


class StoreRejected(StoreError):
    """The store refused the request itself (a 4xx), e.g. a syntax error."""

    http_status = 400


class StoreMismatch(TdldError):
    """The store holds other data than the release (not published, or another release)."""

    exit_code = 1
    http_status = 503


# -- HTTP ---------------------------------------------------------------------------------


def credentials(url: str) -> tuple[str, str | None, str | None]:
    """The URL without user info, and the user and password from it or from the environment.

    TDLD_STORE_USER / TDLD_STORE_PASSWORD keep passwords out of process listings.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{url!r} is not the http(s) URL of a SPARQL store")
    user = os.environ.get("TDLD_STORE_USER") or (urllib.parse.unquote(parts.username) if parts.username else None)
    password = os.environ.get("TDLD_STORE_PASSWORD") or (
        urllib.parse.unquote(parts.password) if parts.password else None)
    host = parts.hostname or ""
    netloc = f"[{host}]" if ":" in host else host
    if parts.port:
        netloc += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment)), user, password


def opener_for(url: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    """An opener that answers Basic and Digest challenges (Virtuoso's write endpoints use Digest)."""
    if user is None:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    passwords.add_password(None, url, user, password or "")
    return urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(passwords),
                                       urllib.request.HTTPBasicAuthHandler(passwords))


def send(opener, request: urllib.request.Request, timeout: float, where: str):
    """Open a request; every failure becomes one StoreError line naming the store."""
    try:
        return http.send(request, timeout, opener)
    except http.RequestFailed as failed:
        if failed.timed_out:
            raise StoreTimeout(f"the SPARQL store at {where} did not answer within {timeout:g} s") from None
        if failed.status is None:
            raise StoreError(f"the SPARQL store at {where} cannot be reached ({failed.reason})") from None
        detail = failed.detail
        if 400 <= failed.status < 500 and failed.status not in (401, 403, 404, 407, 408, 429):
            raise StoreRejected(detail or f"{failed.status} {failed.reason}") from None
        if failed.status == 401:
            detail = "it needs credentials: user:password@ in the URL, or TDLD_STORE_USER and TDLD_STORE_PASSWORD"
        raise StoreError(f"the SPARQL store at {where} answered {failed.status} {failed.reason}"
                         + (f": {detail}" if detail else "")) from None


def read_body(response, deadline: float, where: str, max_bytes: int = MAX_BODY_BYTES) -> bytes:
    """The whole body, within the deadline and the size limit (a slow or endless answer is cut)."""
    try:
        return http.read_body(response, deadline, max_bytes)
    except http.TooLarge as failed:
        raise AnswerTooLarge(str(failed)) from None
    except http.RequestFailed as failed:
        if failed.timed_out:
            raise StoreTimeout(f"the SPARQL store at {where} did not finish its answer in time") from None
        raise StoreError(f"the SPARQL store at {where} {failed.reason.replace('the answer ', '')}") from None


class AnswerTooLarge(StoreError):
    """More bytes than the endpoint is willing to hold for one answer."""


@dataclass(frozen=True)
class Answer:
    body: bytes
    media_type: str


class SparqlClient:
    """SPARQL 1.1 Protocol queries (POST, form-encoded) with a timeout and a byte limit."""

    def __init__(self, endpoint_url: str, timeout: float = 30.0, max_bytes: int = MAX_BODY_BYTES):
        self.url, user, password = credentials(endpoint_url)
        self.opener = opener_for(self.url, user, password)
        self.timeout = timeout
        self.max_bytes = max_bytes

    def post(self, query: str, accept: str, default_graphs=(), named_graphs=(), timeout: float | None = None) -> Answer:
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        fields = [("query", query)] + [("default-graph-uri", g) for g in default_graphs]
        fields += [("named-graph-uri", g) for g in named_graphs]
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode(fields).encode("utf-8"), method="POST",
                                         headers={"Accept": accept, "User-Agent": USER_AGENT,
                                                  "Content-Type": "application/x-www-form-urlencoded"})
        response = send(self.opener, request, timeout, self.url)
        if response.headers.get("X-SQL-State"):  # Virtuoso's "anytime" partial answer: not an answer
            response.close()
            raise StoreTimeout(f"the SPARQL store at {self.url} stopped the query at its own time limit "
                               f"({first_line(response.headers.get('X-SQL-Message', '').encode())})")
        body = read_body(response, deadline, self.url, self.max_bytes)
        return Answer(body, response.headers.get("Content-Type", ""))
