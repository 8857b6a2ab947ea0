"""Per-client rate limiting: a token bucket per address, 429 with Retry-After when empty.

In memory and per process (each server worker keeps its own buckets): enough to stop a
careless script; a reverse proxy in front should limit too (see SECURITY.md).
"""

import ipaddress
import math
import threading
import time
from collections import OrderedDict

MAX_CLIENTS = 10_000


class RateLimiter:
    def __init__(self, per_minute: float, burst: int | None = None, limit_loopback: bool = False, clock=time.monotonic):
        self.rate = per_minute / 60.0
        self.capacity = float(burst if burst is not None else max(1, int(per_minute // 6) or 1))
        self.limit_loopback = limit_loopback
        self.clock = clock
        self.buckets: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def exempt(self, address: str) -> bool:
        if self.limit_loopback:
            return False
        try:
            return ipaddress.ip_address(address).is_loopback
        except ValueError:
            return False

    def check(self, address: str) -> float:
        """0 if the request may go ahead, else the seconds to wait before the next one."""
        if self.rate <= 0 or self.exempt(address):
            return 0.0
        now = self.clock()
        with self.lock:
            tokens, last = self.buckets.pop(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1:
                tokens -= 1
                wait = 0.0
            else:
                wait = (1 - tokens) / self.rate
            self.buckets[address] = (tokens, now)
            while len(self.buckets) > MAX_CLIENTS:
                self.buckets.popitem(last=False)
        return wait


def retry_after(wait: float) -> str:
    return str(max(1, math.ceil(wait)))


class RateLimited:
    """WSGI middleware: limit before anything else runs, cached answers included."""

    def __init__(self, app, limiter: RateLimiter, extra_headers=lambda path: {}):
        self.app = app
        self.limiter = limiter
        self.extra_headers = extra_headers

    def __call__(self, environ, start_response):
        wait = self.limiter.check(environ.get("REMOTE_ADDR") or "")
        if not wait:
            return self.app(environ, start_response)
        body = b"429 Too Many Requests: slow down and retry later.\n"
        headers = {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(body)),
                   "Retry-After": retry_after(wait), "Access-Control-Allow-Origin": "*",
                   **self.extra_headers(environ.get("PATH_INFO", ""))}
        start_response("429 Too Many Requests", list(headers.items()))
        return [body]
