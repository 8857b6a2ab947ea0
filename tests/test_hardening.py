"""Security headers, no debug mode, and error bodies that leak nothing."""

import os
import pty
import signal
import subprocess

from tdld.release.dump import verify_checksums
from tdld.read.knowledge import Knowledge
from tdld.core.layout import Layout
from tdld.build.pipeline import build
from tdld.web import create_app

from .conftest import REPO, release_files, tdld_command

CHECKOUT = str(REPO)


def test_security_headers_on_pages_data_and_errors(client):
    for path in ("/", "/doc/vocab/city-diplomacy.ttl", "/does-not-exist", "/sparql?query=SELEC"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert headers["X-Frame-Options"] == "DENY"


def test_debug_mode_cannot_be_switched_on_by_the_environment(release, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(Knowledge(release))
    assert app.debug is False


def test_error_bodies_leak_no_paths_versions_or_tracebacks(client, release):
    for path in ("/doc/id/actor/%00", "/sparql?query=SELECT%20%3Fx%20WHERE%20%7B", "/download/../../etc/passwd",
                 "/graph/x", "/search/suggest?limit=x", "/" + "a" * 5000):
        body = client.get(path).get_data(as_text=True)
        assert "Traceback" not in body
        assert str(release) not in body and CHECKOUT not in body and "site-packages" not in body
        assert "Werkzeug" not in body and "Python/3" not in body


def build_in_a_terminal_until(root, marker: bytes) -> bool:
    """Start `tdld build` on a pseudo-terminal (so it reports its steps) and SIGKILL it at ``marker``."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([tdld_command(), "--root", str(root), "build"], stdout=subprocess.DEVNULL,
                               stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    try:
        while marker not in seen:
            try:
                chunk = os.read(leader, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        killed = process.poll() is None and marker in seen
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        return killed
    finally:
        os.close(leader)


def test_build_killed_in_any_step_leaves_the_last_good_build(project):
    first = build(Layout(project))
    files = release_files(first.release)
    for marker in (b"validating (SHACL)", b"reasoning (OWL 2 RL)", b"validating the closure", b"writing dumps"):
        assert build_in_a_terminal_until(project, marker), f"the build ended before {marker!r}"
        current = (project / "build" / "current").resolve()
        assert current == first.release, marker
        assert release_files(current) == files, marker
        assert verify_checksums(current) == [], marker
    second = build(Layout(project))
    assert (project / "build" / "current").resolve() == second.release
    assert not [p for p in (project / "build" / "releases").iterdir() if p.name.startswith(".")]


def test_corrupt_source_stops_the_build_and_publishes_nothing(project):
    first = build(Layout(project))
    (project / "data" / "actors.ttl").write_bytes(b"\xff\xfe not turtle at all")
    completed = subprocess.run([tdld_command(), "--root", str(project), "build"], capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "actors.ttl" in completed.stderr
    assert (project / "build" / "current").resolve() == first.release


def test_too_long_reconciliation_url_is_a_json_error(client):
    response = client.get("/reconcile", query_string={"queries": "x" * 20_000})
    assert response.status_code == 414
    assert "POST" in response.get_json()["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
