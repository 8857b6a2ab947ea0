"""Numbered releases: immutable folders, the rules for their numbers, deprecation instead of deletion,
diffs, and every release browsable on a real server."""

import gzip
import hashlib
import json
import re
import stat

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL

from ..conftest import copy_project, http_call, run_tdld, running_server
from ..web.test_browser import driver  # noqa: F401 (a fixture)
from ..selftest.test_selftest import deployed_rules, needs_nginx, nginx  # noqa: F401 (nginx is a fixture)

pytestmark = pytest.mark.slow

BASE = "https://w3id.org/territorial-diplomacy/"
RETIRED = BASE + "vocab/municipal-foreign-policy"
SUCCESSOR = BASE + "vocab/city-diplomacy"
VOCABULARY = "ontology/vocabulary.ttl"
LAST_LINE = "    skos:related tdv:territorial-diplomacy , tdv:city-diplomacy .\n\n# ==="


def edit(root, path, old, new):
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    target.write_text(text.replace(old, new, 1), encoding="utf-8")


def retire(root, replacement: bool = True):
    """Deprecate municipal-foreign-policy (its block ends with LAST_LINE), with or without a replacement."""
    extra = " ;\n    owl:deprecated true" + (" ;\n    dcterms:isReplacedBy tdv:city-diplomacy" if replacement else "")
    edit(root, VOCABULARY, LAST_LINE, LAST_LINE.replace("tdv:city-diplomacy .", "tdv:city-diplomacy" + extra + " ."))


def delete_retired_block(root):
    target = root / VOCABULARY
    text = target.read_text(encoding="utf-8")
    start = text.index("tdv:municipal-foreign-policy a skos:Concept")
    end = text.index(LAST_LINE) + len(LAST_LINE) - len("\n\n# ===")
    target.write_text(text[:start] + text[end:], encoding="utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A project with release 1.0.0, then a deprecation and a new label released as 1.1.0."""
    root = copy_project(tmp_path_factory.mktemp("released") / "project", with_tables=False)
    first = run_tdld("release", "1.0.0", root=root)
    assert first.returncode == 0, first.stderr
    retire(root)
    edit(root, VOCABULARY, '"Städtediplomatie"@de ;', '"Städtediplomatie"@de ;\n    skos:altLabel "urban diplomacy"@en ;')
    return root


# -- the release folder ------------------------------------------------------------------------

def test_a_release_is_complete_read_only_and_checksummed(released):
    folder = released / "versions" / "1.0.0"
    names = {p.name for p in folder.iterdir()}
    assert {"tdld.ttl", "tdld-full.ttl", "tdld.nt.gz", "tdld.jsonld", "tdld.rdf", "tdld.trig", "tdld.nq.gz",
            "void.ttl", "terms.txt", "release.json", "build.json", "SHA256SUMS", "quality.json", "validation.ttl"} <= names
    sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    for name, digest in sums.items():
        assert sha256((folder / name).read_bytes()) == digest, name
    assert all(not p.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) for p in folder.iterdir())
    terms = (folder / "terms.txt").read_text().splitlines()
    assert RETIRED in terms and SUCCESSOR in terms and BASE + "ontology#Actor" in terms


def test_the_release_description_names_its_version_date_and_fixed_downloads(released):
    void = Graph().parse(released / "versions" / "1.0.0" / "void.ttl", format="turtle")
    version = URIRef(BASE + "version/1.0.0")
    assert (version, OWL.versionIRI, version) in void
    assert str(void.value(version, OWL.versionInfo)) == "1.0.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", str(void.value(version, DCTERMS.issued)))
    assert (version, DCTERMS.isVersionOf, URIRef(BASE + "dataset")) in void
    dumps = {str(o) for o in void.objects(version, URIRef("http://rdfs.org/ns/void#dataDump"))}
    assert BASE + "version/1.0.0/download/tdld.ttl" in dumps
    assert not any("/download/" in d and "/version/" not in d for d in dumps)
    # What the build measured stays with the release: its SHACL report, at the release's own address.
    report = void.value(version, URIRef("http://www.w3.org/ns/dqv#hasQualityMetadata"))
    assert str(report) == BASE + "version/1.0.0/download/validation.ttl"


def test_a_number_is_refused_when_taken_malformed_or_too_small(released):
    again = run_tdld("release", "1.0.0", root=released)
    assert again.returncode == 1 and "exists already" in again.stderr and "Traceback" not in again.stderr
    malformed = run_tdld("release", "v1.1", root=released)
    assert malformed.returncode == 1 and "MAJOR.MINOR.PATCH" in malformed.stderr
    too_small = run_tdld("release", "1.0.1", root=released)
    assert too_small.returncode == 1 and "need a minor release (1.1.0 or later)" in too_small.stderr
    assert sorted(p.name for p in (released / "versions").iterdir()) == ["1.0.0", "versions.json"]


def test_diff_from_the_last_release_finds_the_deprecation_and_the_new_label(released):
    result = run_tdld("diff", "--format", "json", root=released)
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert (diff["from"], diff["to"], diff["bump"]) == ("1.0.0", "build", "minor")
    kinds = {(c["term"], c["kind"]) for c in diff["changes"]}
    assert kinds == {(RETIRED, "deprecated"), (SUCCESSOR, "relabelled")}
    deprecation = next(c for c in diff["changes"] if c["kind"] == "deprecated")
    assert deprecation["replaced_by"] == [SUCCESSOR]
    text = run_tdld("diff", root=released)
    assert "suggested step: minor" in text.stdout


# -- terms of a release stay resolvable --------------------------------------------------------

def test_deleting_a_released_term_fails_the_check(tmp_path):
    root = copy_project(tmp_path / "project", with_tables=False)
    assert run_tdld("release", "1.0.0", root=root).returncode == 0
    delete_retired_block(root)
    result = run_tdld("check", "--format", "json", root=root)
    assert result.returncode == 1
    found = [v for v in json.loads(result.stdout)["results"] if v["focus_iri"] == RETIRED]
    assert found and "published in a release" in found[0]["message"]
    refused = run_tdld("release", "2.0.0", root=root)
    assert refused.returncode == 1 and not (root / "versions" / "2.0.0").exists()


def test_an_inconsistent_build_is_not_released_and_git_is_left_alone(project):
    import subprocess

    from ..cli.test_cli import INCONSISTENT

    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / "data" / "contradiction.ttl").write_text(INCONSISTENT, encoding="utf-8")
    refused = run_tdld("release", "1.0.0", root=project)
    assert refused.returncode == 1 and "inconsistent" in refused.stderr
    assert not (project / "versions" / "1.0.0").exists()
    (project / "data" / "contradiction.ttl").unlink()
    assert run_tdld("release", "1.0.0", root=project).returncode == 0
    tags = subprocess.run(["git", "-C", str(project), "tag"], capture_output=True, text=True, check=True)
    assert tags.stdout == ""


def test_a_wrong_mapping_may_be_withdrawn_after_a_release(project):
    """Mapping records are evidence, not terms: removing a released mapping keeps the check clean."""
    assert run_tdld("release", "1.0.0", root=project).returncode == 0
    table = project / "data" / "mappings" / "eurovoc.sssom.tsv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if line.startswith("tdv:decentralized-cooperation\t"))
    table.write_text("".join(lines[:row] + lines[row + 1:]), encoding="utf-8")
    result = run_tdld("check", root=project)
    assert result.returncode == 0, result.stdout
    assert run_tdld("build", root=project).returncode == 0
    diff = json.loads(run_tdld("diff", "--format", "json", root=project).stdout)
    assert (BASE + "vocab/decentralized-cooperation", "mappings") in {(c["term"], c["kind"]) for c in diff["changes"]}


def test_a_deprecated_term_must_name_its_replacement(project):
    retire(project, replacement=False)
    result = run_tdld("check", "--format", "json", root=project)
    assert result.returncode == 1
    assert any(v["focus_iri"] == RETIRED and "names no replacement" in v["message"]
               for v in json.loads(result.stdout)["results"])


# -- the second release and the server ------------------------------------------------------------

@pytest.fixture(scope="module")
def server(released, tmp_path_factory):
    result = run_tdld("release", "1.1.0", root=released)
    assert result.returncode == 0, result.stderr
    with running_server(released, tmp_path_factory.mktemp("release-logs")) as base:
        yield base


def get(url, accept="text/html"):
    return http_call(url, headers={"Accept": accept})


def test_the_version_log_lists_both_releases(server, released):
    status, headers, body = get(server + "/versions.json", "application/json")
    assert status == 200
    log = json.loads(body)
    assert [(v["version"], v["prior"], v["bump"]) for v in log["versions"]] == [
        ("1.0.0", None, "major"), ("1.1.0", "1.0.0", "minor")]
    on_disk = json.loads((released / "versions" / "versions.json").read_text())
    assert on_disk["versions"][1]["sha256"] == sha256((released / "versions" / "1.1.0" / "release.json").read_bytes())
    status, _h, body = get(server + "/versions", "text/turtle")
    catalogue = Graph().parse(data=body, format="turtle")
    assert (URIRef(BASE + "version/1.1.0"), OWL.priorVersion, URIRef(BASE + "version/1.0.0")) in catalogue


def test_a_release_download_is_the_released_file(server, released):
    status, headers, body = get(server + "/version/1.0.0/download/tdld.nt.gz", "*/*")
    assert status == 200 and headers["Content-Type"] == "application/gzip"
    assert body == (released / "versions" / "1.0.0" / "tdld.nt.gz").read_bytes()
    assert gzip.decompress(body).count(b"\n") > 1000
    assert get(server + "/version/1.0.0/download/..%2Fversions.json", "*/*")[0] == 404
    quality = get(server + "/version/1.0.0/download/quality.json", "*/*")
    assert quality[0] == 200 and quality[2] == (released / "versions" / "1.0.0" / "quality.json").read_bytes()
    assert 'download/validation.ttl">validation.ttl</a>' in get(server + "/version/1.0.0")[2].decode()
    assert get(server + "/version/9.9.9", "text/html")[0] == 404


def test_an_old_release_is_served_from_an_on_disk_store_made_once(server, released):
    """Not a copy in memory per process: a store of its own beside the builds, made on first need, then reused."""
    from tdld.release.history import History

    assert get(server + "/version/1.0.0/vocab/city-diplomacy", "text/turtle")[0] == 200
    folder = released / "build" / "version-stores" / "1.0.0"
    assert folder.is_dir() and not (released / "versions" / "1.0.0" / "store").exists()
    made = folder.stat().st_mtime_ns
    with gzip.open(released / "versions" / "1.0.0" / "tdld.nq.gz", "rb") as handle:
        quads = sum(1 for line in handle if line.strip())
    assert len(History(released / "versions").store("1.0.0")) == quads
    assert folder.stat().st_mtime_ns == made and not list(folder.parent.glob(".*"))


def test_a_term_as_an_old_release_described_it(server):
    status, _h, body = get(server + "/version/1.0.0/vocab/city-diplomacy", "text/turtle")
    assert status == 200
    old = Graph().parse(data=body, format="turtle")
    labels = {str(o) for o in old.objects(URIRef(SUCCESSOR), URIRef("http://www.w3.org/2004/02/skos/core#altLabel"))}
    assert "urban diplomacy" not in labels and "diplomacy of cities" in labels
    status, _h, body = get(server + "/version/1.1.0/vocab/city-diplomacy", "text/turtle")
    assert "urban diplomacy" in body.decode()
    status, _h, page = get(server + "/version/1.0.0/vocab/city-diplomacy")
    assert status == 200 and b"published in release <strong>1.0.0</strong>" in page
    assert get(server + "/version/1.0.0/vocab/no-such-term", "text/turtle")[0] == 404


def test_a_deprecated_term_still_resolves_with_a_notice_and_a_link_to_its_replacement(server):
    status, headers, body = get(server + "/doc/vocab/municipal-foreign-policy")
    assert status == 200
    assert b"Deprecated." in body and b'href="/doc/vocab/city-diplomacy" rel="successor-version"' in body
    assert '</doc/vocab/city-diplomacy>; rel="successor-version"' in headers["Link"]
    status, headers, _body = get(server + "/doc/vocab/municipal-foreign-policy", "text/turtle")
    assert status == 200 and 'rel="successor-version"' in headers["Link"]


def test_every_resource_page_links_its_releases(server):
    _s, _h, body = get(server + "/doc/vocab/city-diplomacy")
    assert b'href="/version/1.0.0/vocab/city-diplomacy"' in body
    assert b'href="/version/1.1.0/vocab/city-diplomacy"' in body
    _s, _h, ontology = get(server + "/ontology")
    assert b'href="/version/1.0.0/ontology"' in ontology
    status, _h, old = get(server + "/version/1.0.0/ontology")
    assert status == 200 and b"published in release <strong>1.0.0</strong>" in old


def test_the_diff_between_releases_as_html_json_and_queryable_rdf(server):
    status, _h, page = get(server + "/diff/1.0.0/1.1.0")
    assert status == 200 and b"municipal" in page
    status, _h, body = get(server + "/diff/1.0.0/1.1.0.json", "*/*")
    assert json.loads(body)["bump"] == "minor"
    status, _h, body = get(server + "/diff/1.0.0/1.1.0", "text/turtle")
    store = ox.Store()
    store.load(body, format=ox.RdfFormat.TURTLE)
    rows = store.query("""PREFIX cs: <http://purl.org/vocab/changeset/schema#>
        PREFIX tdo: <https://w3id.org/territorial-diplomacy/ontology#>
        SELECT ?term WHERE { ?change a tdo:Deprecation ; cs:subjectOfChange ?term }""")
    assert [row["term"].value for row in rows] == [RETIRED]
    assert get(server + "/diff/1.0.0/2.0.0")[0] == 404


def test_selftest_follows_every_release_the_deployment_lists(server):
    result = run_tdld("selftest", server, "--format", "json", timeout=180)
    report = json.loads(result.stdout)
    found = {check["name"]: check for check in report["checks"]}
    assert found["releases"]["status"] == "pass" and "2 release(s)" in found["releases"]["detail"]
    assert result.returncode == 0, [c for c in report["checks"] if c["status"] == "fail"]


# -- the repository's own releases -------------------------------------------------------------

def test_the_repository_releases_are_intact_and_logged():
    """Published releases never change: every file matches its checksum, the log matches the folders."""
    from pathlib import Path

    from tdld.core.layout import Layout
    from tdld.build.load import RELEASED_GRAPH, load_sources

    versions = Path(__file__).resolve().parents[2] / "versions"
    log = json.loads((versions / "versions.json").read_text(encoding="utf-8"))
    assert [e["version"] for e in log["versions"]] == sorted(
        (p.name for p in versions.iterdir() if p.is_dir()), key=lambda v: tuple(map(int, v.split("."))))
    for entry in log["versions"]:
        folder = versions / entry["version"]
        sums = dict(reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines())
        assert set(sums) == {p.name for p in folder.iterdir()} - {"SHA256SUMS"}, entry["version"]
        for name, digest in sums.items():
            assert sha256((folder / name).read_bytes()) == digest, f"{entry['version']}/{name} changed"
        assert sha256((folder / "release.json").read_bytes()) == entry["sha256"]
    # Every term of every release is handed to the shapes (the shipped-data tests check they conform).
    sources = load_sources(Layout())
    released = {q.subject.value for q in sources.store.quads_for_pattern(None, None, None, ox.NamedNode(RELEASED_GRAPH))}
    for entry in log["versions"]:
        assert set((versions / entry["version"] / "terms.txt").read_text().split()) <= released
    assert len(released) >= 200


# -- releases on a static host ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def released_site(server, released, tmp_path_factory):
    """The static site of the project with both releases (the server fixture made 1.1.0)."""
    out = tmp_path_factory.mktemp("released-site") / "site"
    result = run_tdld("site", "-o", str(out), root=released)
    assert result.returncode == 0, result.stderr
    return out


def test_the_static_site_carries_every_release_with_working_links(released_site, server):
    from ..linkcheck import check_static

    for path in ("versions.html", "versions.json", "version/1.0.0.html", "version/1.0.0.ttl",
                 "version/1.0.0/vocab/city-diplomacy.html", "version/1.0.0/ontology.html",
                 "version/1.0.0/download/SHA256SUMS", "diff/1.0.0/1.1.0.html", "diff/1.0.0/1.1.0.json",
                 "diff/1.1.0/build.ttl"):
        assert (released_site / path).is_file(), path
    _s, _h, served = get(server + "/version/1.0.0/vocab/city-diplomacy", "text/turtle")
    assert (released_site / "version/1.0.0/vocab/city-diplomacy.ttl").read_bytes() == served
    checked, broken = check_static(released_site)
    assert checked > 10000 and broken == []


@needs_nginx
def test_selftest_passes_on_the_static_site_with_its_releases(released_site, nginx):
    url = nginx(released_site, deployed_rules(released_site))
    status, headers, body = get(url + "/version/1.0.0/vocab/city-diplomacy", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"city diplomacy" in body
    result = run_tdld("selftest", url, "--format", "json", timeout=180)
    report = json.loads(result.stdout)
    found = {check["name"]: check for check in report["checks"]}
    assert found["releases"]["status"] == "pass" and "2 release(s)" in found["releases"]["detail"]
    assert result.returncode == 0, [c for c in report["checks"] if c["status"] == "fail"]


def test_release_pages_in_a_browser(server, driver):
    """The notices are visible, the pages load without console errors; screenshots for review."""
    from selenium.webdriver.common.by import By

    from ..web.test_browser import assert_console_clean, load, screenshot

    load(driver, server + "/doc/vocab/municipal-foreign-policy")
    notice = driver.find_element(By.CSS_SELECTOR, "p.notice.deprecated")
    assert notice.is_displayed() and "city diplomacy" in notice.text
    assert_console_clean(driver)
    screenshot(driver, "deprecated-term")
    load(driver, server + "/version/1.0.0/vocab/city-diplomacy")
    assert driver.find_element(By.CSS_SELECTOR, "p.notice.release").is_displayed()
    assert_console_clean(driver)
    load(driver, server + "/diff/1.0.0/1.1.0")
    assert "municipal foreign policy" in driver.find_element(By.TAG_NAME, "main").text
    assert_console_clean(driver)
    screenshot(driver, "diff-1.0.0-1.1.0")
