"""`tdld serve` answers with the production server unless told otherwise, and names no server software."""

import re

from tdld.cli.serve import default_workers

from ..conftest import http_call, running_server

PATHS = ("/", "/doc/vocab/city-diplomacy", "/download/void.ttl", "/sparql?query=ASK%7B%7D", "/no-such-page")


def assert_no_server_named(base: str) -> None:
    for path in PATHS:
        _status, headers, _body = http_call(base + path)
        named = {k: v for k, v in headers.items() if k.lower() in ("server", "x-powered-by") and v.strip()}
        assert named == {}, (path, named)
        assert not any(re.search(r"werkzeug|granian|python/", f"{k}: {v}", re.I) for k, v in headers.items()), path


def test_serve_runs_the_production_server_by_default_with_a_worker_per_core(built_project, tmp_path):
    with running_server(built_project, tmp_path) as base:
        assert_no_server_named(base)
    log = next(tmp_path.glob("serve-*.log")).read_text(errors="replace")
    assert f"with {default_workers()} workers" in log and "development" not in log


def test_dev_runs_the_reloading_development_server_and_names_no_server_either(built_project, tmp_path):
    with running_server(built_project, tmp_path, "--dev") as base:
        assert_no_server_named(base)
    log = next(tmp_path.glob("serve-*.log")).read_text(errors="replace")
    assert "development server" in log and "reloads" in log


def test_default_workers_suit_the_machine():
    import os

    assert 1 <= default_workers() <= min(8, os.cpu_count() or 1)


def test_requests_the_production_server_refuses_itself_name_no_server_either(built_project, tmp_path):
    """Malformed HTTP never reaches the app: granian answers 400 itself, also without naming itself."""
    import socket

    with running_server(built_project, tmp_path) as base:
        port = int(base.rsplit(":", 1)[1])
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall(raw)
                head = sock.recv(4096).split(b"\r\n\r\n")[0].decode("latin-1").lower()
            assert head.startswith("http/1.1 400") and "server:" not in head and "granian" not in head, head
