"""A polite SPARQL client for a Wikidata endpoint, with a file cache. The only network code of ``tdld link``.

- POSTs the query form-encoded with ``Accept: application/sparql-results+json`` and a
  descriptive User-Agent, as the Wikidata Query Service's usage policy asks;
- on 429 or 503 waits as long as ``Retry-After`` says (seconds or an HTTP date), or backs off
  exponentially without it, at most ``max_retries`` times and never longer than ``max_sleep``
  at once: a server asking for more is reported, not ignored;
- caches each answer as a JSON file named by a hash of endpoint and query, written atomically
  (temporary file + ``os.replace``), so that a rerun or a resumed run asks nothing twice.

Only ``http`` and ``https`` endpoints are accepted. Every failure is an :class:`EndpointError`
with a one-line message.
"""

import email.utils
import hashlib
import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from ..core import http
from ..core.errors import TdldError
from ..core.files import write_atomically
from ..core.http import USER_AGENT

MAX_ANSWER_BYTES = 256 << 20
ACCEPT = "application/sparql-results+json"
RETRY_STATUSES = (429, 503)


class EndpointError(TdldError):
    """The SPARQL endpoint cannot be reached, refuses, or answers something unusable."""

    exit_code = 2
    http_status = 502


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """The delay a ``Retry-After`` header asks for, in seconds; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def cache_key(endpoint: str, query: str) -> str:
    return hashlib.sha256(f"{endpoint}\n{query}".encode("utf-8")).hexdigest()


@dataclass
class SparqlClient:
    endpoint: str
    cache_dir: Path | None = None
    timeout: float = 60.0
    max_retries: int = 4
    max_sleep: float = 120.0
    backoff: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    requests: int = field(default=0, init=False)  # HTTP requests made (retries included)
    cache_hits: int = field(default=0, init=False)

    def __post_init__(self):
        scheme = urllib.parse.urlsplit(self.endpoint).scheme
        if scheme not in ("http", "https"):
            raise EndpointError(f"{self.endpoint}: not an http(s) SPARQL endpoint")

    # --- cache -------------------------------------------------------------------------------
    def _cache_path(self, query: str) -> Path | None:
        return self.cache_dir / f"{cache_key(self.endpoint, query)}.json" if self.cache_dir else None

    def _cached(self, query: str) -> dict | None:
        path = self._cache_path(query)
        if path is None or not path.is_file():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # a damaged entry is asked again and rewritten
        if entry.get("endpoint") != self.endpoint or entry.get("query") != query:
            return None
        return entry.get("results")

    def _store(self, query: str, results: dict) -> None:
        path = self._cache_path(query)
        if path is None:
            return
        entry = {"endpoint": self.endpoint, "query": query,
                 "fetched": datetime.now(timezone.utc).isoformat(timespec="seconds"), "results": results}
        try:
            write_atomically(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        except OSError as error:
            raise EndpointError(f"{path.parent}: cannot write the cache ({error.strerror or error})") from None

    def is_cached(self, query: str) -> bool:
        return self._cached(query) is not None

    # --- HTTP --------------------------------------------------------------------------------
    def select(self, query: str, use_cache: bool = True) -> dict:
        """SPARQL JSON results of a SELECT or ASK query, from the cache when allowed and present."""
        if use_cache:
            cached = self._cached(query)
            if cached is not None:
                self.cache_hits += 1
                return cached
        results = self._ask(query)
        if use_cache:
            self._store(query, results)
        return results

    def _request(self, query: str) -> urllib.request.Request:
        return urllib.request.Request(
            self.endpoint, method="POST",
            data=urllib.parse.urlencode({"query": query}).encode("utf-8"),
            headers={"Accept": ACCEPT, "User-Agent": USER_AGENT,
                     "Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})

    def _ask(self, query: str) -> dict:
        attempt = 0
        while True:
            self.requests += 1
            try:
                response = http.send(self._request(query), self.timeout)
                body = http.read_body(response, time.monotonic() + self.timeout, MAX_ANSWER_BYTES)
                break
            except http.RequestFailed as failed:
                if failed.timed_out:
                    raise EndpointError(f"{self.endpoint} did not answer within {self.timeout:.0f} s") from None
                if failed.status is None:
                    raise EndpointError(f"cannot reach {self.endpoint} ({failed.reason})") from None
                status, detail = failed.status, f": {failed.detail[:160]}" if failed.detail else ""
                if status not in RETRY_STATUSES:
                    raise EndpointError(f"{self.endpoint} answered {status} {failed.reason}{detail}") from None
                if attempt >= self.max_retries:
                    raise EndpointError(f"{self.endpoint} still answers {status} after {attempt} retries; "
                                        f"try again later (answers so far are cached)") from None
                delay = retry_after_seconds(failed.headers.get("Retry-After"))
                if delay is None:
                    delay = min(self.max_sleep, self.backoff * 2 ** attempt)
                if delay > self.max_sleep:
                    raise EndpointError(f"{self.endpoint} answered {status} and asks to wait {delay:.0f} s "
                                        f"(more than {self.max_sleep:.0f} s); try again later") from None
                attempt += 1
                self.sleep(delay)
        try:
            results = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EndpointError(f"{self.endpoint} did not answer SPARQL JSON results") from None
        if not isinstance(results, dict) or ("results" not in results and "boolean" not in results):
            raise EndpointError(f"{self.endpoint} did not answer SPARQL JSON results")
        return results
