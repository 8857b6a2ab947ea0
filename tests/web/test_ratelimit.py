"""Rate limiting per client: a token bucket, 429 with Retry-After, loopback exempt unless asked."""

from tdld.read.knowledge import Knowledge
from tdld.core.settings import Settings
from tdld.web import create_app
from tdld.web.ratelimit import RateLimiter


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_bucket_allows_a_burst_then_asks_to_wait_then_refills():
    clock = Clock()
    limiter = RateLimiter(per_minute=60, burst=3, clock=clock)
    assert [limiter.check("192.0.2.1") for _ in range(3)] == [0, 0, 0]
    wait = limiter.check("192.0.2.1")
    assert 0.9 <= wait <= 1.0
    assert limiter.check("192.0.2.2") == 0  # another client has its own bucket
    clock.now += 1.0
    assert limiter.check("192.0.2.1") == 0


def test_loopback_is_exempt_unless_enabled():
    assert all(RateLimiter(per_minute=1, burst=1).check("127.0.0.1") == 0 for _ in range(5))
    strict = RateLimiter(per_minute=1, burst=1, limit_loopback=True)
    assert strict.check("::1") == 0 and strict.check("::1") > 0


def test_app_answers_429_with_retry_after(release):
    app = create_app(Knowledge(release), settings=Settings(rate_limit=60, rate_limit_loopback=True))
    client = app.test_client()
    statuses = [client.get("/doc/vocab/city-diplomacy").status_code for _ in range(15)]
    assert 200 in statuses and 429 in statuses
    refused = client.get("/")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    unlimited = create_app(Knowledge(release)).test_client()
    assert all(unlimited.get("/").status_code == 200 for _ in range(15))


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(release):
    app = create_app(Knowledge(release), settings=Settings(rate_limit=60, trusted_proxies=1))
    client = app.test_client()
    flood = [client.get("/", headers={"X-Forwarded-For": "198.51.100.7"}).status_code for _ in range(15)]
    assert 429 in flood
    other = client.get("/", headers={"X-Forwarded-For": "198.51.100.8"})
    assert other.status_code == 200
    # without trusting the proxy, every request is the loopback client, which is exempt
    untrusting = create_app(Knowledge(release), settings=Settings(rate_limit=60)).test_client()
    assert all(untrusting.get("/", headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 200 for _ in range(15))
