"""The production server (`tdld serve --workers N`) bounds what a client can make it hold."""

import socket
import time

import pytest

from ..conftest import running_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(built_project, tmp_path_factory):
    with running_server(built_project, tmp_path_factory.mktemp("limits"), "--workers", "1") as base:
        yield base


def exchange(base: str, data: bytes, timeout: float = 20) -> bytes:
    """Send raw bytes; the status line of the answer, or b'' if the server closed the connection."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as connection:
        connection.sendall(data)
        received = b""
        while b"\r\n" not in received:
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
    return received.split(b"\r\n", 1)[0]


def test_an_oversized_request_head_is_refused_with_431(server):
    assert exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 300_000 + b"\r\n\r\n").startswith(
        b"HTTP/1.1 431")


def test_more_than_a_hundred_header_fields_are_refused_with_431(server):
    fields = b"".join(b"X-Field-%d: v\r\n" % i for i in range(150))
    assert exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n" + fields + b"\r\n").startswith(b"HTTP/1.1 431")


def test_a_long_url_is_refused_with_414(server):
    assert exchange(server, b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 414")


def test_a_client_that_never_finishes_its_headers_is_dropped(server):
    """A slowloris client holds a connection for the header timeout, not for ever."""
    started = time.monotonic()
    assert exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n", timeout=30) == b""
    assert time.monotonic() - started < 25
    assert exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").startswith(b"HTTP/1.1 200")


def test_the_worker_app_loader_survives_pickling_so_spawned_workers_get_it(release):
    """Python 3.14 starts granian's workers by spawning, which pickles the loader and its arguments."""
    import pickle
    from functools import partial

    from tdld.web.server import _worker_app
    from tdld.core.settings import Settings

    loader = pickle.loads(pickle.dumps(partial(_worker_app, release, Settings(cache_mb=1), None)))
    app = loader()
    assert app.test_client().get("/sparql", query_string={"query": "ASK {}"},
                                 headers={"Accept": "application/sparql-results+json"}).json == {
        "head": {}, "boolean": True}
