"""`tdld link` in parts: the query and its parsing, the scoring, the table merge, the HTTP client."""

import json
import threading
import urllib.parse
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph
import pytest

from tdld.linking.candidates import Candidate, Label, Subject, candidates_by_subject, lookup_literals, lookup_query, parse_candidates
from tdld.linking.client import USER_AGENT, EndpointError, SparqlClient, retry_after_seconds
from tdld.linking.score import CLOSE_MATCH, EXACT_MATCH, SAME_AS, score_subject
from tdld.linking import table as tables
from tdld.build.sssom import read_table

WD = "http://www.wikidata.org/entity/"
TDV = "https://w3id.org/territorial-diplomacy/vocab/"
PLACE = "https://w3id.org/territorial-diplomacy/id/place/"
HUMAN = WD + "Q5"

GLOBALIZATION = Subject(TDV + "globalization", True, (
    Label("globalization", "en"), Label("globalisation", "en", False), Label("mondialisation", "fr"),
    Label("Globalisierung", "de")))
BASEL = Subject(PLACE + "basel", False, (Label("Basel", "en"), Label("Bâle", "fr"), Label("Basel", "de")),
                ("https://w3id.org/territorial-diplomacy/ontology#Place",))


def item(qid: str, *names, types=(), superclasses=()) -> Candidate:
    """A candidate with (text, lang) labels, or (text, lang, False) aliases."""
    return Candidate(WD + qid, {(n[0], n[1], n[2] if len(n) > 2 else True) for n in names},
                     {WD + t for t in types}, {WD + t for t in superclasses})


def best(subject, candidates):
    return {s.candidate.qid: s for s in score_subject(subject, candidates)}


# --- the query ---------------------------------------------------------------------------------

def test_lookup_query_asks_every_label_with_its_language_and_case_variant():
    tricky = Subject(TDV + "x", True, (Label('say "hi"\\now', "en"),))
    owners = lookup_literals([GLOBALIZATION, BASEL, tricky])
    query = lookup_query(owners)
    for literal in ('"globalization"@en', '"Globalization"@en', '"mondialisation"@fr', '"Bâle"@fr', '"Basel"@de',
                    '"basel"@en', '"say \\"hi\\"\\\\now"@en'):
        assert literal in query
    assert owners[("Basel", "en")] == {BASEL.iri}
    assert "rdfs:label ?matched" in query and "skos:altLabel ?matched" in query and "wdt:P31" in query
    pyoxigraph.Store().query(query)  # valid SPARQL 1.1 (raises SyntaxError otherwise)


def test_results_become_candidates_attributed_to_the_subjects_they_match():
    def row(item_, matched, lang, kind, value, value_type="literal", value_lang=None):
        binding = {"item": {"type": "uri", "value": WD + item_},
                   "matched": {"type": "literal", "value": matched, "xml:lang": lang},
                   "kind": {"type": "literal", "value": kind}, "value": {"type": value_type, "value": value}}
        if value_lang:
            binding["value"]["xml:lang"] = value_lang
        return binding

    results = {"head": {"vars": ["item", "matched", "kind", "value"]}, "results": {"bindings": [
        row("Q78", "Basel", "en", "label", "Basel", value_lang="en"),
        row("Q78", "Basel", "de", "label", "Basel", value_lang="de"),
        row("Q78", "Basel", "en", "alias", "Basle", value_lang="en"),
        row("Q78", "Basel", "en", "P31", WD + "Q1549591", value_type="uri"),
        row("Q78", "Basel", "en", "description", "city in Switzerland", value_lang="en"),
        row("Q7181", "globalization", "en", "label", "globalization", value_lang="en"),
    ]}}
    found = parse_candidates(results)
    basel = found[WD + "Q78"]
    assert basel.names == {("Basel", "en", True), ("Basel", "de", True), ("Basle", "en", False)}
    assert basel.types == {WD + "Q1549591"} and basel.description == "city in Switzerland"
    by_subject = candidates_by_subject(found, lookup_literals([GLOBALIZATION, BASEL]))
    assert [c.qid for c in by_subject[BASEL.iri]] == ["Q78"]
    assert [c.qid for c in by_subject[GLOBALIZATION.iri]] == ["Q7181"]
    with pytest.raises(ValueError):
        parse_candidates({"boolean": True})


# --- scoring --------------------------------------------------------------------------------------

def test_more_languages_agreeing_means_more_confidence():
    three = best(GLOBALIZATION, [item("Q7181", ("globalization", "en"), ("mondialisation", "fr"), ("Globalisierung", "de"))])
    one = best(GLOBALIZATION, [item("Q7181", ("globalization", "en"))])
    assert three["Q7181"].confidence == 1.0 and three["Q7181"].predicate == EXACT_MATCH
    assert one["Q7181"].confidence < three["Q7181"].confidence and one["Q7181"].predicate == CLOSE_MATCH


def test_a_match_ignoring_case_and_accents_counts_but_less_than_an_exact_one():
    exact = best(BASEL, [item("Q78", ("Bâle", "fr"))])["Q78"].confidence
    folded = best(BASEL, [item("Q78", ("BALE", "fr"))])["Q78"]
    assert 0 < folded.confidence < exact
    assert "ignoring case/accents" in folded.comment
    assert best(BASEL, [item("Q78", ("Basel-Stadt", "en"))]) == {}  # a different name is no match


def test_an_alias_or_an_alternative_label_counts_less_than_a_label():
    label = best(GLOBALIZATION, [item("Q1", ("globalization", "en"))])["Q1"].confidence
    alias = best(GLOBALIZATION, [item("Q1", ("globalization", "en", False))])["Q1"].confidence
    alternative = best(GLOBALIZATION, [item("Q1", ("globalisation", "en"))])["Q1"].confidence
    assert alias < label and alternative < label


def test_ambiguity_lowers_confidence():
    real = item("Q78", ("Basel", "en"), ("Basel", "de"))
    alone = best(BASEL, [real])["Q78"]
    together = best(BASEL, [real, item("Q999999901", ("Basel", "en"), ("Basel", "de"))])
    assert together["Q78"].confidence < alone.confidence
    assert together["Q78"].confidence == together["Q999999901"].confidence
    assert "ambiguous" in together["Q78"].comment and "ambiguous" not in alone.comment
    weaker_namesake = best(BASEL, [real, item("Q999999902", ("Basel", "en"))])
    assert together["Q78"].confidence < weaker_namesake["Q78"].confidence < alone.confidence


def test_type_compatibility_counts_only_when_the_endpoint_knows_types():
    unknown = best(BASEL, [item("Q78", ("Basel", "en"))])["Q78"]
    city = best(BASEL, [item("Q78", ("Basel", "en"), types=("Q515",))])["Q78"]
    human = best(BASEL, [item("Q9", ("Basel", "en"), types=("Q5",))])["Q9"]
    unfamiliar = best(BASEL, [item("Q78", ("Basel", "en"), types=("Q123456789",))])["Q78"]
    assert unknown.confidence == city.confidence == unfamiliar.confidence  # no P31: no penalty
    assert human.confidence < unknown.confidence / 2
    assert "type unknown" in unknown.comment and "type compatible" in city.comment and "incompatible" in human.comment
    # an incompatible namesake does not make the compatible item ambiguous
    both = best(BASEL, [item("Q78", ("Basel", "en")), item("Q9", ("Basel", "en"), types=("Q5",))])
    assert both["Q78"].confidence == unknown.confidence


def test_predicates_follow_the_kind_of_resource():
    assert best(BASEL, [item("Q78", ("Basel", "en"), ("Bâle", "fr"), ("Basel", "de"))])["Q78"].predicate == SAME_AS
    concept = best(GLOBALIZATION, [item("Q7181", ("globalization", "en"), ("mondialisation", "fr"))])["Q7181"]
    assert concept.predicate == EXACT_MATCH and concept.confidence >= 0.85
    assert all(s.justification == "https://w3id.org/semapv/vocab/LexicalMatching"
               for s in score_subject(GLOBALIZATION, [item("Q1", ("globalization", "en"))]))


# --- the table ----------------------------------------------------------------------------------

def proposal(subject, obj, confidence="0.70", date="2026-01-02"):
    return {"subject_id": subject, "subject_label": "x", "predicate_id": "schema:sameAs", "object_id": obj,
            "object_label": "y", "mapping_justification": "semapv:LexicalMatching", "confidence": confidence,
            "author_label": tables.AUTHOR, "reviewer_label": "", "mapping_date": date, "comment": "a\tb\nc"}


def test_merge_keeps_reviewed_rows_byte_for_byte_and_replaces_stale_proposals(tmp_path):
    path = tmp_path / "candidates.sssom.tsv"
    columns = "\t".join(tables.COLUMNS)
    reviewed = "place:basel\tBasel \tschema:sameAs\twd:Q78\tBasel\tsemapv:LexicalMatching\t0.85\tbot\tA Curator\t2026-01-01\tchecked  \t"
    stale = "place:basel\tBasel\tschema:sameAs\twd:Q1\tx\tsemapv:LexicalMatching\t0.3\tbot\t\t2026-01-01\t\t"
    other = "place:utrecht\tUtrecht\tschema:sameAs\twd:Q2\tx\tsemapv:LexicalMatching\t0.4\tbot\t\t2026-01-01\t\t"
    path.write_text("\n".join(tables.HEADER + [columns, reviewed, stale, other]) + "\n", encoding="utf-8")

    table = tables.merge(tables.read(path), {"place:basel": [proposal("place:basel", "wd:Q3")],
                                             "place:madrid": [proposal("place:madrid", "wd:Q4")]})
    tables.write(path, table)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert reviewed in lines and other in lines and stale not in lines
    assert [l.split("\t")[3] for l in lines if not l.startswith(("#", "subject_id"))] == ["wd:Q78", "wd:Q3", "wd:Q2", "wd:Q4"]
    parsed = read_table(path)
    assert parsed.rows[1].values["comment"] == "a b c"  # no tab or line break can break the table
    assert [r.reviewed for r in parsed.rows] == [True, False, False, False]
    assert not list(tmp_path.glob(".*tmp"))  # atomic write leaves no temporary file


def test_an_unchanged_proposal_keeps_its_date_and_a_subject_without_candidates_loses_its_proposals(tmp_path):
    path = tmp_path / "candidates.sssom.tsv"
    tables.write(path, tables.merge(tables.read(path), {"place:basel": [proposal("place:basel", "wd:Q78", date="2026-01-01")],
                                                        "place:utrecht": [proposal("place:utrecht", "wd:Q2")]}))
    before = path.read_bytes()
    tables.write(path, tables.merge(tables.read(path), {"place:basel": [proposal("place:basel", "wd:Q78", date="2026-02-02")]}))
    assert path.read_bytes() == before
    tables.write(path, tables.merge(tables.read(path), {"place:utrecht": []}))
    assert [r.values["subject_id"] for r in read_table(path).rows] == ["place:basel"]


def test_a_new_table_declares_what_tdld_sssom_needs(tmp_path):
    path = tmp_path / "new.sssom.tsv"
    tables.write(path, tables.CandidateTable())
    parsed = read_table(path)
    assert parsed.metadata["mapping_set_id"] == "https://w3id.org/territorial-diplomacy/mappings/wikidata-candidates"
    assert set(tables.CURIE_PREFIXES) <= set(parsed.curie_map)
    assert parsed.columns == list(tables.COLUMNS) and parsed.rows == []


# --- the HTTP client against a local server ----------------------------------------------------------

EMPTY = {"head": {"vars": ["x"]}, "results": {"bindings": []}}


class Script:
    """What a tiny local endpoint answers, request after request, and what it received."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.received = []


@pytest.fixture
def endpoint():
    servers = []

    def start(script: Script) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                script.received.append((dict(self.headers), urllib.parse.parse_qs(body.decode("utf-8"))))
                status, headers, payload = script.answers.pop(0) if len(script.answers) > 1 else script.answers[0]
                data = json.dumps(payload).encode() if isinstance(payload, dict) else payload
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}/sparql"

    yield start
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_429_with_retry_after_is_honoured_then_the_answer_is_used(endpoint):
    script = Script((429, {"Retry-After": "7"}, b"slow down"), (200, {"Content-Type": "application/sparql-results+json"}, EMPTY))
    slept = []
    client = SparqlClient(endpoint(script), sleep=slept.append)
    assert client.select("SELECT * WHERE { ?s ?p ?x }") == EMPTY
    assert slept == [7.0] and client.requests == 2
    headers, form = script.received[0]
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept"] == "application/sparql-results+json"
    assert form["query"] == ["SELECT * WHERE { ?s ?p ?x }"]


def test_503_without_retry_after_backs_off_and_gives_up_after_the_last_retry(endpoint):
    slept = []
    client = SparqlClient(endpoint(Script((503, {}, b"busy"))), sleep=slept.append, max_retries=3, backoff=0.5)
    with pytest.raises(EndpointError, match="still answers 503 after 3 retries"):
        client.select("ASK {}")
    assert slept == [0.5, 1.0, 2.0] and client.requests == 4


def test_a_retry_after_longer_than_allowed_is_reported_not_shortened(endpoint):
    slept = []
    client = SparqlClient(endpoint(Script((429, {"Retry-After": "3600"}, b""))), sleep=slept.append, max_sleep=60)
    with pytest.raises(EndpointError, match="asks to wait 3600 s"):
        client.select("ASK {}")
    assert slept == []


def test_other_errors_are_one_line_endpoint_errors(endpoint):
    with pytest.raises(EndpointError, match="answered 400 Bad Request: bad query"):
        SparqlClient(endpoint(Script((400, {}, b"bad query\nmore")))).select("nonsense")
    with pytest.raises(EndpointError, match="did not answer SPARQL JSON results"):
        SparqlClient(endpoint(Script((200, {}, b"<html>")))).select("ASK {}")
    with pytest.raises(EndpointError, match="not an http"):
        SparqlClient("file:///etc/passwd")


def test_answers_are_cached_in_files_and_never_asked_twice(endpoint, tmp_path):
    script = Script((200, {}, EMPTY))
    url = endpoint(script)
    first = SparqlClient(url, cache_dir=tmp_path / "cache")
    first.select("ASK {}")
    first.select("ASK {}")
    again = SparqlClient(url, cache_dir=tmp_path / "cache")
    assert again.select("ASK {}") == EMPTY
    assert len(script.received) == 1 and first.cache_hits == 1 and again.requests == 0
    [entry] = (tmp_path / "cache").iterdir()
    assert json.loads(entry.read_text())["query"] == "ASK {}"
    assert SparqlClient(url, cache_dir=tmp_path / "cache").select("ASK {}", use_cache=False) == EMPTY
    assert len(script.received) == 2
    other = SparqlClient(url.replace("/sparql", "/other"), cache_dir=tmp_path / "cache")
    assert not other.is_cached("ASK {}")  # the endpoint is part of the key


def test_retry_after_as_an_http_date():
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30
    assert retry_after_seconds("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0
    assert retry_after_seconds("soon", now=now) is None and retry_after_seconds(None) is None


def test_the_progress_bar_draws_in_place_on_a_terminal_and_stays_silent_otherwise():
    import io

    from tdld.core.progress import ProgressBar

    screen = io.StringIO()
    bar = ProgressBar("asking Wikidata", stream=screen, enabled=True, width=10)
    for done in range(3):
        bar(done, 2, cached=done)
    assert screen.getvalue() == ("\rasking Wikidata [..........] 0/2 batches"
                                 "\rasking Wikidata [#####.....] 1/2 batches, 1 from the cache"
                                 "\rasking Wikidata [##########] 2/2 batches, 2 from the cache\n")
    quiet = io.StringIO()
    ProgressBar("x", stream=quiet)(1, 2)  # StringIO is not a terminal
    assert quiet.getvalue() == ""
