"""`tdld link`: the Wikidata linker and checker against a real SPARQL server on 127.0.0.1.

The server is Oxigraph's own, holding the offline Wikidata extract (real items) plus a few
clearly fictional items (QIDs Q9999999xx, descriptions saying so) that create ambiguity, type
clashes, an alias-only match and a merged item. The linker speaks to it exactly as it would to
the public Wikidata Query Service.
"""

import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tdld.core.layout import Layout
from tdld.linking.client import EndpointError, SparqlClient
from tdld.linking.workflow import link
from tdld.build.load import load_sources
from tdld.build.sssom import read_table

from ..conftest import WIKIDATA_EXTRACT, free_port, run_tdld

pytestmark = pytest.mark.slow

FICTIONAL_ITEMS = """
@prefix wd: <http://www.wikidata.org/entity/> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <http://schema.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
# Fictional items for tdld's tests only: none of these exists in Wikidata.
wd:Q999999901 rdfs:label "Council of Europe"@en ; schema:description "fictional namesake, for tdld tests only"@en .
wd:Q999999902 rdfs:label "Basel"@en ; wdt:P31 wd:Q5 ; schema:description "fictional person, for tdld tests only"@en .
wd:Q999999903 rdfs:label "fictional item with an alias"@en ; skos:altLabel "social cohesion"@en .
wd:Q999999904 rdfs:label "Conflict prevention"@en ; schema:description "fictional, capitalised, for tdld tests only"@en .
wd:Q999999905 owl:sameAs wd:Q78 .
"""
CANDIDATES = Path("data") / "mappings" / "wikidata-candidates.sssom.tsv"
REVIEWED = Path("data") / "mappings" / "wikidata.sssom.tsv"
UNMAPPED_FOR_THE_TEST = ("tdv:globalization\t", "place:basel\t", "actor:council-of-europe\t")


def oxigraph() -> str:
    return shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


def load_store(location: Path) -> Path:
    fictional = location.parent / f"{location.name}-fictional.ttl"
    fictional.write_text(FICTIONAL_ITEMS, encoding="utf-8")
    subprocess.run([oxigraph(), "load", "--location", str(location), "--file", str(WIKIDATA_EXTRACT), str(fictional)],
                   check=True, capture_output=True, timeout=60)
    return location


@contextmanager
def oxigraph_server(location: Path, start_timeout: float = 30):
    """`oxigraph serve-read-only` on a free loopback port; yields its query URL; killed on exit."""
    port = free_port()
    process = subprocess.Popen([oxigraph(), "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            try:
                with urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Oxigraph server did not start")
                time.sleep(0.1)
        yield url
    finally:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def wikidata_store(tmp_path_factory) -> Path:
    return load_store(tmp_path_factory.mktemp("wikidata") / "store")


@pytest.fixture(scope="module")
def wikidata(wikidata_store):
    with oxigraph_server(wikidata_store) as url:
        yield url


def unmap(project: Path, prefixes=UNMAPPED_FOR_THE_TEST) -> None:
    """Remove the reviewed Wikidata rows of some subjects, so that the linker has real work to do."""
    path = project / REVIEWED
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(l for l in lines if not l.startswith(prefixes)), encoding="utf-8")


def rows_of(path: Path) -> dict:
    """subject → [(object, predicate, confidence, reviewer)] from a candidate table, via tdld's own reader."""
    rows: dict = {}
    for row in read_table(path).rows:
        v = row.values
        rows.setdefault(v["subject_id"], []).append((v["object_id"], v["predicate_id"], float(v["confidence"]),
                                                     v["reviewer_label"]))
    return rows


def objects(rows: dict, subject: str) -> list:
    return [row[0] for row in rows.get(subject, [])]


def confidence(rows: dict, subject: str, obj: str) -> float:
    return next(row[2] for row in rows[subject] if row[0] == obj)


def test_link_wikidata_proposes_candidates_and_never_touches_reviewed_rows(project, wikidata):
    unmap(project)
    # A curator already reviewed one row of the candidate file (the Maastricht Treaty, moved
    # there from wikidata.sssom.tsv) and left a stale proposal for globalization.
    reviewed_line = next(l for l in (project / REVIEWED).read_text(encoding="utf-8").splitlines()
                         if l.startswith("act:maastricht-treaty\t"))
    unmap(project, ("act:maastricht-treaty\t",))
    header = [l for l in (project / REVIEWED).read_text(encoding="utf-8").splitlines() if l.startswith("#")]
    header = [l.replace("/mappings/wikidata", "/mappings/wikidata-candidates") for l in header]
    columns = "subject_id\tsubject_label\tpredicate_id\tobject_id\tobject_label\tmapping_justification\tconfidence\t" \
              "author_label\treviewer_label\tmapping_date\tcomment"
    stale = "tdv:globalization\tglobalization\tskos:closeMatch\twd:Q1\tuniverse\tsemapv:LexicalMatching\t0.3\tbot\t\t2020-01-01\t"
    (project / CANDIDATES).write_text("\n".join(header + [columns, reviewed_line, stale]) + "\n", encoding="utf-8")
    shipped = (project / REVIEWED).read_bytes()

    completed = run_tdld("link", "wikidata", "--endpoint", wikidata, root=project)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""  # no progress bar when stderr is not a terminal

    rows = rows_of(project / CANDIDATES)
    # the right items, best first, with sensible confidence and the predicate the kind calls for
    assert objects(rows, "tdv:globalization") == ["wd:Q7181"]
    assert rows["tdv:globalization"][0][1:3] == ("skos:exactMatch", 1.0)
    assert objects(rows, "place:basel")[0] == "wd:Q78"
    assert objects(rows, "actor:council-of-europe")[0] == "wd:Q8908"
    assert all(row[1] == "schema:sameAs" for row in rows["place:basel"] + rows["actor:council-of-europe"])
    # a namesake makes the real item less certain, and ranks below it
    assert confidence(rows, "actor:council-of-europe", "wd:Q8908") < 1.0
    assert confidence(rows, "actor:council-of-europe", "wd:Q999999901") < confidence(rows, "actor:council-of-europe", "wd:Q8908")
    # a human called Basel is no candidate for a place: far below, and it does not make Q78 ambiguous
    assert confidence(rows, "place:basel", "wd:Q999999902") <= 0.3
    assert confidence(rows, "place:basel", "wd:Q78") >= 0.8
    # found through an alias, and through a label differing only in case: close matches, not exact
    assert rows["tdv:social-cohesion"] == [("wd:Q999999903", "skos:closeMatch", pytest.approx(0.63), "")]
    assert rows["tdv:conflict-prevention"][0][:2] == ("wd:Q999999904", "skos:closeMatch")
    assert confidence(rows, "tdv:conflict-prevention", "wd:Q999999904") < 0.70  # an exact label in one language
    # the stale proposal is gone; subjects reviewed anywhere are not proposed again
    assert "wd:Q1" not in objects(rows, "tdv:globalization")
    assert rows["act:maastricht-treaty"] == [("wd:Q11146", "schema:sameAs", 1.0, "tdld editors")]
    for reviewed in ("actor:france", "actor:germany", "place:marrakesh", "tdv:territorial-diplomacy"):
        assert reviewed not in rows
    # reviewed rows untouched, byte for byte, in both files
    assert reviewed_line in (project / CANDIDATES).read_text(encoding="utf-8").splitlines()
    assert (project / REVIEWED).read_bytes() == shipped
    # every proposal waits for review, with its evidence
    for subject, found in rows.items():
        if subject != "act:maastricht-treaty":
            assert all(row[3] == "" and 0 < row[2] <= 1 for row in found), subject
    table = read_table(project / CANDIDATES)
    assert table.metadata["mapping_set_id"] == "https://w3id.org/territorial-diplomacy/mappings/wikidata-candidates"
    assert {r.values["mapping_justification"] for r in table.rows if not r.reviewed} == {"semapv:LexicalMatching"}

    # proposals are not published; the project still validates with the file present
    mappings = load_sources(Layout(project)).graph("mappings")
    published = {(str(s), str(o)) for s, _p, o in mappings if str(o).startswith("http://www.wikidata.org/entity/")}
    assert ("https://w3id.org/territorial-diplomacy/id/act/maastricht-treaty", "http://www.wikidata.org/entity/Q11146") in published
    assert not any(o.endswith(("/Q7181", "/Q8908", "/Q78", "/Q999999901")) for _s, o in published)
    assert run_tdld("check", root=project).returncode == 0


def test_a_rerun_answers_from_the_cache_even_with_the_server_stopped(project, tmp_path):
    unmap(project)
    with oxigraph_server(load_store(tmp_path / "store")) as url:
        first = run_tdld("link", "wikidata", "--endpoint", url, root=project)
        assert first.returncode == 0, first.stderr
    written = (project / CANDIDATES).read_bytes()
    assert b"wd:Q7181" in written
    assert list((project / "build" / "cache" / "wikidata").glob("*.json"))

    second = run_tdld("link", "wikidata", "--endpoint", url, root=project)
    assert second.returncode == 0, second.stderr
    assert "(0 requests" in second.stdout
    assert (project / CANDIDATES).read_bytes() == written


def test_an_interrupted_run_resumes_where_it_stopped(project, wikidata, tmp_path):
    unmap(project)
    graph = load_sources(Layout(project)).asserted()

    class LosesTheConnection(SparqlClient):
        def _ask(self, query):
            if self.requests >= 1:
                raise EndpointError("connection lost")
            return super()._ask(query)

    output, cache = tmp_path / "candidates.tsv", tmp_path / "cache"
    with pytest.raises(EndpointError):
        link(graph, LosesTheConnection(wikidata, cache_dir=cache), output, batch_size=10)
    assert len(list(cache.glob("*.json"))) == 1
    read_table(output)  # what was written before the failure is a whole, readable table

    resumed = SparqlClient(wikidata, cache_dir=cache)
    report = link(graph, resumed, output, batch_size=10)
    assert resumed.cache_hits == 1 and resumed.requests == report.batches - 1

    uninterrupted = tmp_path / "uninterrupted.tsv"
    link(graph, SparqlClient(wikidata, cache_dir=tmp_path / "other-cache"), uninterrupted, batch_size=10)
    assert output.read_bytes() == uninterrupted.read_bytes()


def test_link_check_confirms_the_shipped_mappings_and_reports_coverage(project, wikidata):
    completed = run_tdld("link", "check", "--endpoint", wikidata, root=project)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    reviewed = [r.values for r in read_table(project / REVIEWED).rows if r.reviewed]
    concepts = {v["subject_id"] for v in reviewed if v["subject_id"].startswith("tdv:")}
    items = {v["object_id"] for v in reviewed}
    assert f"{len(reviewed)} mappings to {len(items)} Wikidata items checked" in completed.stdout
    concepts_line = next(l for l in completed.stdout.splitlines() if l.startswith("concepts linked"))
    assert concepts_line.split()[2].startswith(f"{len(concepts)}/") and concepts_line.endswith("%")
    assert any(l.startswith("individuals linked") and "%" in l for l in completed.stdout.splitlines())
    assert "all resolve" in completed.stdout


def test_link_check_names_items_that_no_longer_resolve(project, wikidata):
    broken = ("actor:european-parliament\tEuropean Parliament\tschema:sameAs\twd:Q999999999\tnowhere\t"
              "semapv:ManualMappingCuration\t1.0\tx\ty\t2026-01-01\t\n"
              "actor:french-parliament\tFrench Parliament\tschema:sameAs\twd:Q999999905\tmerged\t"
              "semapv:ManualMappingCuration\t1.0\tx\ty\t2026-01-01\t\n")
    with open(project / REVIEWED, "a", encoding="utf-8") as table:
        table.write(broken)
    completed = run_tdld("link", "check", "--endpoint", wikidata, root=project)
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert "wd:Q999999999 does not resolve (used by actor:european-parliament schema:sameAs)" in completed.stdout
    assert "wd:Q999999905 was merged into wd:Q78" in completed.stdout
    assert "wd:Q142 " not in completed.stdout  # the good ones are not listed


@pytest.mark.parametrize("verb", ["wikidata", "check"])
def test_an_unreachable_endpoint_is_one_line_and_exit_2(project, verb):
    completed = run_tdld("link", verb, "--endpoint", f"http://127.0.0.1:{free_port()}/sparql", root=project)
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.count("\n") == 1 and "cannot reach http://127.0.0.1:" in completed.stderr
    assert not (project / CANDIDATES).exists()


def test_a_subject_reviewed_in_an_output_table_outside_the_project_is_not_proposed_again(project, wikidata, tmp_path):
    unmap(project)
    output = tmp_path / "elsewhere.sssom.tsv"
    lines = (project / REVIEWED).read_text(encoding="utf-8").splitlines()
    header_and_columns = lines[:len([l for l in lines if l.startswith("#")]) + 1]
    reviewed = ("tdv:globalization\tglobalization\tskos:exactMatch\twd:Q7181\tglobalization\tsemapv:LexicalMatching\t"
                "1.0\tbot\tA Curator\t2026-01-01\tchecked")
    output.write_text("\n".join(header_and_columns + [reviewed]) + "\n", encoding="utf-8")
    link(load_sources(Layout(project)).asserted(), SparqlClient(wikidata), output)
    rows = rows_of(output)
    assert rows["tdv:globalization"] == [("wd:Q7181", "skos:exactMatch", 1.0, "A Curator")]
    assert objects(rows, "place:basel")[0] == "wd:Q78"


def test_a_rejected_candidate_is_never_proposed_again_nor_published(project, wikidata):
    """A curator rejects a candidate with predicate_modifier Not: it stays a recorded decision."""
    from rdflib import URIRef

    from tdld.linking import table as tables

    unmap(project, ("actor:council-of-europe\t",))
    rejection = {"subject_id": "actor:council-of-europe", "subject_label": "Council of Europe",
                 "predicate_id": "schema:sameAs", "object_id": "wd:Q999999901", "object_label": "Council of Europe",
                 "mapping_justification": "semapv:ManualMappingCuration", "confidence": "0.9",
                 "author_label": "tdld-linker", "reviewer_label": "A Curator", "mapping_date": "2026-01-01",
                 "comment": "a fictional namesake", "predicate_modifier": "Not"}
    table = tables.CandidateTable(rows=[tables.Row(rejection, True)])
    tables.write(project / CANDIDATES, table)

    completed = run_tdld("link", "wikidata", "--endpoint", wikidata, root=project)
    assert completed.returncode == 0, completed.stderr
    rows = [r.values for r in read_table(project / CANDIDATES).rows if r.values["subject_id"] == "actor:council-of-europe"]
    proposed = [r["object_id"] for r in rows if not r["reviewer_label"]]
    assert "wd:Q8908" in proposed and "wd:Q999999901" not in proposed
    assert any(r["object_id"] == "wd:Q999999901" and r["predicate_modifier"] == "Not" for r in rows)

    mappings = load_sources(Layout(project)).graph("mappings")
    actor = URIRef("https://w3id.org/territorial-diplomacy/id/actor/council-of-europe")
    assert (actor, URIRef("http://schema.org/sameAs"), URIRef("http://www.wikidata.org/entity/Q999999901")) not in mappings
    assert any(str(o) == "Not" for o in mappings.objects(None, URIRef("https://w3id.org/sssom/predicate_modifier")))
    assert run_tdld("check", root=project).returncode == 0
