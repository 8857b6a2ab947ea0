"""The only network code of the selftest: bounded requests to one deployment.

A deployment under test is not trusted: every request has a deadline, every body a
byte cap, and nothing outside the deployment's scheme, host and port is ever fetched,
so a redirect (or an advertised download) cannot send the checker elsewhere.
Redirects are never followed implicitly: the checks look at each hop.
"""

import http.client
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ..core.errors import TdldError
from ..core.http import USER_AGENT, error_reason

MAX_BODY = 32 << 20  # bytes kept in memory for a page, a description or a result
MAX_DUMP = 4 << 30  # bytes hashed while streaming one download
CHUNK = 1 << 16
MAX_HOPS = 5


class Unreachable(TdldError):
    """The deployment does not answer at all: nothing can be checked."""

    exit_code = 2


class BadArgument(TdldError):
    """A URL, base, format or timeout the selftest cannot use, said in one line."""

    exit_code = 2


@dataclass
class Answer:
    """One HTTP exchange as the checks see it; ``status`` 0 means no answer (see ``error``)."""

    method: str
    url: str
    status: int = 0
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    size: int = 0
    truncated: bool = False
    error: str = ""

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    @property
    def media_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()

    @property
    def location(self) -> str:
        """The redirect target, resolved against the request URL."""
        target = self.header("location")
        return urljoin(self.url, target) if target else ""

    def describe(self) -> str:
        """A short account of the answer for a report line."""
        return f"{self.status}" if self.status else f"no answer ({self.error})"


def origin(url: str) -> tuple:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def check_target(url: str) -> str:
    """The deployment's root URL without a trailing slash, or BadArgument in one line."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadArgument(f"selftest: {url!r} is not an http:// or https:// URL with a host")
    try:
        _port = parts.port
    except ValueError:
        raise BadArgument(f"selftest: {url!r} has an invalid port") from None
    if parts.query or parts.fragment:
        raise BadArgument(f"selftest: {url!r}: give the deployment's root URL, without a query or fragment")
    return url.rstrip("/")


class Fetcher:
    """Requests to one deployment, each bounded in time and size."""

    def __init__(self, root: str, timeout: float = 10.0, max_body: int = MAX_BODY, max_dump: int = MAX_DUMP):
        self.root = root
        self.origin = origin(root)
        self.timeout = timeout
        self.max_body = max_body
        self.max_dump = max_dump

    def on_host(self, url: str) -> bool:
        return origin(url) == self.origin

    def request(self, method: str, url: str, headers: dict | None = None, body: bytes | None = None,
                sink: Callable[[bytes], None] | None = None) -> Answer:
        """One request; with ``sink`` the body is streamed to it (up to the dump cap), not kept."""
        answer = Answer(method, url)
        if not self.on_host(url):
            answer.error = "off the deployment's host: not fetched"
            return answer
        deadline = time.monotonic() + self.timeout
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity", **(headers or {})}
        connection = self._connection(parts)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            answer.status = response.status
            for name, value in response.getheaders():
                key = name.lower()
                answer.headers[key] = f"{answer.headers[key]}, {value}" if key in answer.headers else value
            self._read(connection, response, answer, deadline, sink)
        except (OSError, http.client.HTTPException, ValueError) as error:
            # An answer cut short is no answer: a partial body would pass for a wrong one.
            answer.error = (f"{answer.status}, then " if answer.status else "") + error_reason(error)
            answer.status, answer.body = 0, b""
        finally:
            connection.close()
        return answer

    def _connection(self, parts):
        if parts.scheme == "https":
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)

    def _read(self, connection, response, answer: Answer, deadline: float, sink) -> None:
        """Read the body in chunks until done, the cap or the deadline."""
        cap = self.max_dump if sink else self.max_body
        kept = []
        if answer.method == "HEAD":
            return
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no complete answer within {self.timeout:g} s")
            if connection.sock is not None:
                connection.sock.settimeout(remaining)
            chunk = response.read(min(CHUNK, cap + 1 - answer.size))
            if not chunk:
                break
            answer.size += len(chunk)
            if answer.size > cap:
                answer.truncated = True
                break
            if sink:
                sink(chunk)
            else:
                kept.append(chunk)
        answer.body = b"".join(kept)

    def get(self, url: str, accept: str | None = None, headers: dict | None = None) -> Answer:
        sent = dict(headers or {})
        if accept is not None:
            sent["Accept"] = accept
        return self.request("GET", url, sent)

    def follow(self, url: str, accept: str | None = None, headers: dict | None = None) -> list[Answer]:
        """GET, then each redirect on the deployment's host, at most MAX_HOPS: the whole chain."""
        chain = [self.get(url, accept, headers)]
        while chain[-1].status in (301, 302, 303, 307, 308) and chain[-1].location and len(chain) <= MAX_HOPS:
            target = chain[-1].location
            if not self.on_host(target):
                break
            chain.append(self.get(target, accept, headers))
        return chain
