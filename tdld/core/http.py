"""HTTP as every client of tdld speaks it: who is asking, bounded reads, and one line saying why a request failed.

The remote store, the Wikidata linker and publishing use :func:`send` and :func:`read_body`
and put a :class:`RequestFailed` in their own words; the selftest speaks ``http.client`` to
see each redirect, and shares the User-Agent and :func:`error_reason`.
"""

import socket
import time
import urllib.error
import urllib.request

from .version import VERSION

USER_AGENT = f"tdld/{VERSION} (https://w3id.org/territorial-diplomacy/; linked data curation)"


class RequestFailed(Exception):
    """A request without a usable answer: ``status`` (None when none came), a short ``detail``, and whether
    the time ran out. Callers turn it into their own error; it never reaches a user as it is."""

    def __init__(self, reason: str, status: int | None = None, detail: str = "", timed_out: bool = False,
                 headers=None):
        super().__init__(reason)
        self.reason, self.status, self.detail, self.timed_out = reason, status, detail, timed_out
        self.headers = headers or {}


class TooLarge(RequestFailed):
    """The answer is longer than the caller is willing to hold."""


def send(request: urllib.request.Request, timeout: float, opener=None):
    """The response to ``request``; any failure (HTTP error status, time-out, no connection) is RequestFailed."""
    try:
        return (opener or urllib.request.build_opener()).open(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        try:
            detail = first_line(error.read())
        except OSError:
            detail = ""
        finally:
            error.close()
        raise RequestFailed(str(error.reason), error.code, detail, headers=error.headers) from None
    except (TimeoutError, socket.timeout):
        raise RequestFailed("timed out", timed_out=True) from None
    except urllib.error.URLError as error:
        timed_out = isinstance(error.reason, (TimeoutError, socket.timeout))
        raise RequestFailed(error_reason(error.reason), timed_out=timed_out) from None
    except (ConnectionError, OSError, ValueError) as error:
        raise RequestFailed(error_reason(error)) from None


def read_body(response, deadline: float, max_bytes: int) -> bytes:
    """The whole body, within the deadline (monotonic clock) and the size limit; then the response is closed."""
    chunks, size = [], 0
    try:
        while True:
            if time.monotonic() > deadline:
                raise RequestFailed("the answer did not finish in time", timed_out=True)
            chunk = response.read(1 << 16)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"the answer is larger than {max_bytes >> 20} MB")
            chunks.append(chunk)
    except (TimeoutError, socket.timeout):
        raise RequestFailed("the answer did not finish in time", timed_out=True) from None
    except (ConnectionError, OSError) as error:
        raise RequestFailed(f"the answer broke off ({error_reason(error)})") from None
    finally:
        response.close()


def first_line(body: bytes, limit: int = 300) -> str:
    """The first non-empty line of an error body, short enough for a one-line message."""
    for line in body.decode("utf-8", "replace").splitlines():
        if line.strip():
            return " ".join(line.split())[:limit]
    return ""


def error_reason(error) -> str:
    """One short line for a transport failure."""
    if isinstance(error, TimeoutError):
        return str(error) if str(error) and str(error) != "timed out" else "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return f"host not found ({error.strerror})"
    text = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return text.splitlines()[0] if text else type(error).__name__
