"""`tdld selftest` against real deployments: the live server, the static site behind a real
nginx (with its generated rules, and broken on purpose), and nothing at all."""

import gzip
import json
import os
import re
import shutil
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tdld.selftest.fetch import Fetcher
from tdld.selftest.formats import Unparsable, gunzip, parse_document
from tdld.web.site import build_site

from .apache import apache  # noqa: F401 (a fixture)
from ..conftest import free_port, listening, run_tdld, running_server, stop_process

pytestmark = pytest.mark.slow

KINDS = ("term", "concept", "scheme", "individual", "dataset", "graph", "mappings")
MEDIA_TYPES = ("text/html", "text/turtle", "application/ld+json", "application/rdf+xml", "application/n-triples")
SPARQL_CHECKS = ("sparql-description", "sparql-get-json", "sparql-get-xml", "sparql-post-form", "sparql-post-query",
                 "sparql-syntax-400", "sparql-update-refused", "sparql-cors")
NGINX = shutil.which("nginx", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"]))
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (Debian package nginx)")


def selftest(url: str, *options: str) -> tuple[int, dict]:
    result = run_tdld("selftest", url, "--format", "json", *options, timeout=120)
    assert result.stderr == "", result.stderr
    return result.returncode, json.loads(result.stdout)


def statuses(report: dict) -> dict:
    return {check["name"]: check["status"] for check in report["checks"]}


def detail(report: dict, name: str) -> str:
    return next(check["detail"] for check in report["checks"] if check["name"] == name)


# -- the live server ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(built_project, tmp_path_factory):
    with running_server(built_project, tmp_path_factory.mktemp("selftest-logs")) as url:
        yield url


def test_the_live_server_keeps_every_promise(server):
    result = run_tdld("selftest", server + "/", timeout=120)
    lines = result.stdout.splitlines()
    assert result.returncode == 0, result.stdout
    # This build has no numbered release yet: that one check has nothing to look at.
    assert all(line.startswith("PASS  ") for line in lines[:-1] if not line.startswith("SKIP  releases ")), result.stdout
    assert lines[-1] == f"{server}: {len(lines) - 2} passed, 0 failed, 1 skipped"


def test_the_development_server_keeps_every_promise(built_project, tmp_path):
    """`--dev` serves through Werkzeug, not granian: same promises, other HTTP code."""
    with running_server(built_project, tmp_path, "--dev") as url:
        result = run_tdld("selftest", url + "/", timeout=120)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].endswith(" 0 failed, 1 skipped"), result.stdout


def test_json_report_agrees_with_the_text_report(server):
    text = run_tdld("selftest", server, timeout=120).stdout.splitlines()
    code, report = selftest(server, "--base", "https://w3id.org/territorial-diplomacy/", "--timeout", "20")
    assert code == 0 and report["url"] == server
    assert (report["passed"], report["failed"], report["skipped"]) == (len(report["checks"]) - 1, 0, 1)
    assert statuses(report)["releases"] == "skip"
    assert text[-1] == f"{server}: {report['passed']} passed, {report['failed']} failed, {report['skipped']} skipped"
    for line, check in zip(text[:-1], report["checks"], strict=True):
        assert line.startswith(f"{check['status'].upper():<4}  {check['name']} "), (line, check)
        assert line.endswith(" ".join(check["detail"].split()))
    names = set(statuses(report))
    assert {f"deref {kind} {media}" for kind in KINDS for media in MEDIA_TYPES} <= names
    assert {"void-found", "void-dataset", "void-distributions", "sha256sums", "discovery", "vary-accept",
            "cors-data", "etag-304", "unknown-iri-404", "unacceptable-406", "dump-content-types", "dump-resumable"} <= names
    assert set(SPARQL_CHECKS) <= names
    assert len([n for n in names if n.startswith("dump ")]) == 10
    assert "a negotiating server" in detail(report, "discovery")


def test_a_base_the_deployment_does_not_serve_is_reported(server):
    code, report = selftest(server, "--base", "https://example.org/elsewhere/")
    assert code == 1
    assert statuses(report)["discovery"] == "fail"


# -- nothing there, or nonsense asked -------------------------------------------------------

def test_an_unreachable_url_is_one_line_and_exit_2():
    result = run_tdld("selftest", f"http://127.0.0.1:{free_port()}/")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "cannot reach" in result.stderr


@pytest.mark.parametrize("arguments, message", [
    ((), "give the URL"),
    (("ftp://example.org/",), "not an http:// or https:// URL"),
    (("http://127.0.0.1:1/", "--timeout", "soon"), "--timeout must be a number"),
    (("http://127.0.0.1:1/", "--timeout", "0"), "more than 0"),
    (("http://127.0.0.1:1/", "--format", "xml"), "--format must be one of"),
    (("http://127.0.0.1:1/", "--base", "w3id.org"), "--base"),
])
def test_bad_arguments_are_one_line_and_exit_2(arguments, message):
    result = run_tdld("selftest", *arguments)
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr
    assert "Traceback" not in result.stderr


# -- the static site behind nginx ----------------------------------------------------------

@pytest.fixture(scope="module")
def site(release, tmp_path_factory):
    out = tmp_path_factory.mktemp("selftest-static") / "site"
    build_site(release, out)
    return out


def deployed_rules(site: Path) -> str:
    """The generated nginx.conf, adapted as its header asks: our root, and a port (__PORT__) set at start."""
    rules = (site / "nginx.conf").read_text(encoding="utf-8")
    assert "listen 8080;" in rules and "root /srv/tdld/site;" in rules, "nginx.conf changed: adapt this test"
    return rules.replace("listen 8080;", "listen 127.0.0.1:__PORT__;").replace("root /srv/tdld/site;", f"root {site};")


@pytest.fixture
def nginx(tmp_path):
    """Start nginx in the foreground, as a child, with everything it writes under tmp_path."""
    processes = []

    def start(site: Path, server_block: str) -> str:
        port = free_port()
        folder = tmp_path / f"nginx-{port}"
        folder.mkdir()
        (folder / "tdld.conf").write_text(server_block.replace("__PORT__", str(port)), encoding="utf-8")
        temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                              ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(f"""daemon off;
master_process off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    types {{ text/html html; text/css css; application/javascript js; image/svg+xml svg; application/json json; }}
    default_type application/octet-stream;
    access_log off;
{temporary}
    include {folder / 'tdld.conf'};
}}
""", encoding="utf-8")
        log = open(folder / "stdout.log", "wb")
        process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                    "-e", str(folder / "error.log")],
                                   stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        processes.append((process, log))
        deadline = time.monotonic() + 10
        while not listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                errors = (folder / "error.log").read_text(errors="replace") if (folder / "error.log").exists() else ""
                pytest.fail(f"nginx did not start: {errors}")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for process, log in processes:
        stop_process(process)
        log.close()


@needs_nginx
def test_the_static_site_keeps_what_static_hosting_promises(site, nginx):
    url = nginx(site, deployed_rules(site))
    code, report = selftest(url)
    assert code == 0, [c for c in report["checks"] if c["status"] == "fail"]
    found = statuses(report)
    assert all(found[f"deref {kind} {media}"] == "pass" for kind in KINDS for media in MEDIA_TYPES)
    assert found["vary-accept"] == found["etag-304"] == found["unknown-iri-404"] == found["cors-data"] == "pass"
    assert all(found[f"dump {name}"] == "pass" for name in ("tdld.ttl", "tdld.nt.gz", "tdld.trig", "tdld-full.rdf"))
    assert found["unacceptable-406"] == "skip"
    assert detail(report, "unacceptable-406").startswith("not promised by static hosting")
    assert all(found[name] == "skip" for name in SPARQL_CHECKS)
    assert "static hosting" in detail(report, "discovery")


@needs_nginx
def test_a_corrupted_dump_fails_its_checksum(site, nginx, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    dump = copy / "download" / "tdld.ttl"
    data = bytearray(dump.read_bytes())
    at = data.index(b"diplomacy")
    data[at] = ord("D")  # one byte: same size, other hash
    dump.write_bytes(bytes(data))
    code, report = selftest(nginx(copy, deployed_rules(copy)))
    assert code == 1
    found = statuses(report)
    assert found["dump tdld.ttl"] == "fail"
    assert "SHA-256" in detail(report, "dump tdld.ttl") and "differs from VoID" in detail(report, "dump tdld.ttl")
    assert [name for name, status in found.items() if status == "fail"] == ["dump tdld.ttl"]


@needs_nginx
def test_rules_without_vary_fail_the_vary_check(site, nginx):
    rules = deployed_rules(site)
    assert "    add_header Vary Accept always;\n" in rules
    code, report = selftest(nginx(site, rules.replace("    add_header Vary Accept always;\n", "")))
    assert code == 1
    found = statuses(report)
    assert found["vary-accept"] == "fail" and "no Vary: Accept" in detail(report, "vary-accept")
    assert found["deref concept text/turtle"] == "pass"


@needs_nginx
def test_the_static_site_serves_its_stylesheet_as_css_and_hides_its_rules(site, nginx):
    code, report = selftest(nginx(site, deployed_rules(site)))
    found = statuses(report)
    assert found["page-assets"] == found["rules-hidden"] == "pass"
    assert found["releases"] == "skip"


@needs_nginx
def test_a_types_block_without_css_and_served_rules_fail(site, nginx):
    """nginx's types block replaces its whole list: forgetting CSS breaks every page's style."""
    rules = deployed_rules(site)
    bare_types = re.sub(r"    types \{.*\}\n", "    types { text/turtle ttl; text/html html; }\n", rules)
    exposed = bare_types.replace("    location ~ (^|/)(nginx\\.conf|\\.htaccess)$ { return 404; }\n", "")
    assert exposed != bare_types != rules
    code, report = selftest(nginx(site, exposed))
    assert code == 1
    found = statuses(report)
    assert found["page-assets"] == "fail" and "not text/css" in detail(report, "page-assets")
    assert found["rules-hidden"] == "fail" and "nginx.conf" in detail(report, "rules-hidden")


@needs_nginx
def test_things_served_with_200_instead_of_303_fail(site, nginx):
    rules = deployed_rules(site)
    redirect = "location ~ ^/(id|vocab)/(.+)$ { return 303 /doc/$1/$2; }"
    assert redirect in rules
    in_place = "location ~ ^/(?<kind>id|vocab)/(?<rest>.+)$ { try_files /doc/$kind/$rest$tdld_extension =404; }"
    code, report = selftest(nginx(site, rules.replace(redirect, in_place)))
    assert code == 1
    found = statuses(report)
    for kind in ("concept", "scheme", "individual"):
        for media in MEDIA_TYPES:
            assert found[f"deref {kind} {media}"] == "fail"
    assert "answered 200, expected 303 See Other" in detail(report, "deref concept text/turtle")
    assert found["deref term text/turtle"] == found["deref dataset text/turtle"] == "pass"


@needs_nginx
def test_the_site_served_without_the_generated_rules_fails(site, nginx):
    code, report = selftest(nginx(site, f"server {{ listen 127.0.0.1:__PORT__; root {site}; }}\n"))
    assert code == 1
    found = statuses(report)
    assert found["void-found"] == "fail" and "read /download/void.ttl instead" in detail(report, "void-found")
    assert found["deref concept text/turtle"] == "fail"
    assert "expected 303 See Other" in detail(report, "deref concept text/turtle")
    assert found["cors-data"] == "fail"
    assert found["dump tdld.ttl"] == "pass"  # the files themselves are fine


# -- the limits of the fetcher, against a real local server ---------------------------------

class _Handler(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):
        type(self).hits.append(self.path)
        if self.path == "/away":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_port}/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"x" * 100_000
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def little_server():
    _Handler.hits = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_redirects_off_the_host_are_not_followed(little_server):
    fetcher = Fetcher(little_server, timeout=5)
    chain = fetcher.follow(little_server + "/away")
    assert [a.status for a in chain] == [302]
    assert fetcher.get("http://127.0.0.2:9/anything").error == "off the deployment's host: not fetched"
    assert _Handler.hits == ["/away"]


def test_bodies_are_capped(little_server):
    answer = Fetcher(little_server, timeout=5, max_body=1000).get(little_server + "/big")
    assert answer.status == 200 and answer.truncated and len(answer.body) <= 1000


def test_remote_json_ld_contexts_are_never_fetched(little_server):
    document = json.dumps({"@context": little_server + "/context.jsonld", "@id": "https://example.org/a"}).encode()
    with pytest.raises(Unparsable, match="remote JSON-LD context"):
        parse_document(document, "application/ld+json", "https://example.org/")
    assert _Handler.hits == []


def test_a_gzip_bomb_is_not_inflated():
    bomb = gzip.compress(b"\0" * (4 << 20))
    with pytest.raises(Unparsable, match="inflates beyond"):
        gunzip(bomb, 1 << 20)
    assert gunzip(gzip.compress(b"<a> <b> <c> .\n"), 1 << 20) == b"<a> <b> <c> .\n"


def test_the_static_site_behind_apache_keeps_what_static_hosting_promises(site, apache):  # noqa: F811 (a fixture)
    url = apache(site)
    code, report = selftest(url)
    assert code == 0, [c for c in report["checks"] if c["status"] == "fail"]
    found = statuses(report)
    assert all(found[f"deref {kind} {media}"] == "pass" for kind in KINDS for media in MEDIA_TYPES)
    assert found["void-found"] == found["rules-hidden"] == found["page-assets"] == "pass"
    assert found["dump-resumable"] == found["etag-304"] == found["vary-accept"] == "pass"
