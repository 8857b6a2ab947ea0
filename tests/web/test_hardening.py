"""Security headers, no debug mode, and error bodies that leak nothing."""


from tdld.read.knowledge import Knowledge
from tdld.web import create_app

from ..conftest import REPO

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


def test_too_long_reconciliation_url_is_a_json_error(client):
    response = client.get("/reconcile", query_string={"queries": "x" * 20_000})
    assert response.status_code == 414
    assert "POST" in response.get_json()["error"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
