"""The CLI through its real entry point: exit codes and one-line errors."""

import json
import re

import pytest
from rdflib import Graph

from ..conftest import REPO, run_tdld

INVALID_ACT = """
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix eli: <http://data.europa.eu/eli/ontology#> .
<https://w3id.org/territorial-diplomacy/id/act/undated> a tdo:Regulation ;
    rdfs:label "undated act"@en , "acte sans date"@fr , "undatierter Rechtsakt"@de ;
    rdfs:comment "An act without its date."@en , "Un acte sans sa date."@fr ;
    eli:id_local "X" ;
    dcterms:source <https://example.org/record> .
"""

INCONSISTENT = """
@prefix tdo: <https://w3id.org/territorial-diplomacy/ontology#> .
<https://w3id.org/territorial-diplomacy/id/actor/france> a tdo:FederatedState .
"""


def assert_one_line_error(completed, *fragments):
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.strip().splitlines()
    assert len(lines) == 1, completed.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_check_conforms_with_exit_0(project):
    completed = run_tdld("check", root=project)
    assert completed.returncode == 0, completed.stdout
    assert "conforms" in completed.stdout


def test_check_reports_violation_with_exit_1(project):
    (project / "data" / "undated.ttl").write_text(INVALID_ACT, encoding="utf-8")
    completed = run_tdld("check", root=project)
    assert completed.returncode == 1
    assert "act:undated : A legal act needs a date: eli:date_document" in completed.stdout


def test_check_formats_json_and_turtle(project):
    (project / "data" / "undated.ttl").write_text(INVALID_ACT, encoding="utf-8")
    as_json = json.loads(run_tdld("check", "--format", "json", root=project).stdout)
    assert as_json["conforms"] is False
    assert any(r["focus"] == "act:undated" and "needs a date" in r["message"] for r in as_json["results"])
    as_turtle = run_tdld("check", "--format", "turtle", root=project).stdout
    assert len(Graph().parse(data=as_turtle, format="turtle")) > 0


def test_syntax_error_names_file_and_line_with_exit_2(project):
    (project / "data" / "broken.ttl").write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e "unterminated .\n', encoding="utf-8"
    )
    completed = run_tdld("check", root=project)
    assert completed.returncode == 2
    assert_one_line_error(completed, "broken.ttl:3:", "Turtle syntax error")


def test_missing_folder_is_a_load_error(tmp_path):
    completed = run_tdld("check", root=tmp_path / "nowhere")
    assert completed.returncode == 2
    assert_one_line_error(completed, "folder not found")


def test_bad_mapping_table_names_file_and_line(project):
    table = project / "data" / "mappings" / "wikidata.sssom.tsv"
    lines = table.read_text(encoding="utf-8").splitlines()
    cells = lines[-1].split("\t")
    cells[6] = "very sure"
    lines[-1] = "\t".join(cells)
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    completed = run_tdld("check", root=project)
    assert completed.returncode == 2
    assert_one_line_error(completed, f"wikidata.sssom.tsv:{len(lines)}:", "confidence")


def test_reason_counts_and_writes_inferred_graph(project, tmp_path):
    target = tmp_path / "inferred.ttl"
    completed = run_tdld("reason", "-o", str(target), root=project)
    assert completed.returncode == 0, completed.stderr
    assert "consistent:" in completed.stdout and "inferred triples" in completed.stdout
    assert len(Graph().parse(target)) > 100


def test_reason_names_the_culprit_of_an_inconsistency_with_exit_1(project):
    (project / "data" / "contradiction.ttl").write_text(INCONSISTENT, encoding="utf-8")
    completed = run_tdld("reason", root=project)
    assert completed.returncode == 1
    assert_one_line_error(completed, "inconsistent", "https://w3id.org/territorial-diplomacy/id/actor/france")


def test_query_without_a_build_says_what_to_run(project):
    completed = run_tdld("query", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", root=project)
    assert completed.returncode == 2
    assert_one_line_error(completed, "tdld build")


def test_query_bad_sparql_is_one_readable_line(built_project):
    completed = run_tdld("query", "SELEC ?x WHERE { ?x ?p ?o }", root=built_project)
    assert completed.returncode == 2
    assert_one_line_error(completed, "SPARQL syntax error")


def test_query_missing_file_is_one_readable_line(built_project, tmp_path):
    completed = run_tdld("query", "-f", str(tmp_path / "absent.rq"), root=built_project)
    assert completed.returncode == 2
    assert_one_line_error(completed, "absent.rq", "cannot read query")


def test_query_table_csv_tsv_json(built_project, tmp_path):
    query = "SELECT ?label WHERE { tdv:city-diplomacy skos:prefLabel ?label } ORDER BY ?label"
    table = run_tdld("query", query, root=built_project)
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0].strip() == "label"
    assert "city diplomacy" in table.stdout and "(4 rows)" in table.stdout  # en, fr, de, es
    csv_out = run_tdld("query", query, "--format", "csv", root=built_project).stdout.splitlines()
    assert csv_out[0] == "label" and len(csv_out) == 5
    tsv_out = run_tdld("query", query, "--format", "tsv", root=built_project).stdout.splitlines()
    assert len(tsv_out) == 5
    rows = json.loads(run_tdld("query", query, "--format", "json", root=built_project).stdout)
    assert {"label": "city diplomacy"} in rows
    path = tmp_path / "q.rq"
    path.write_text(query, encoding="utf-8")
    assert run_tdld("query", "-f", str(path), "--format", "csv", root=built_project).stdout.splitlines() == csv_out


def test_query_ask_and_construct(built_project):
    assert run_tdld("query", "ASK { FILTER(false) }", root=built_project).stdout.strip() == "false"
    assert run_tdld("query", "ASK { actor:french-guiana tdo:subdivisionOf actor:france }", root=built_project).stdout.strip() == "true"
    constructed = run_tdld("query", "CONSTRUCT WHERE { tdv:city-diplomacy skos:prefLabel ?l }", root=built_project)
    assert len(Graph().parse(data=constructed.stdout, format="turtle")) == 4


def test_build_prints_release_and_counts(project):
    completed = run_tdld("build", root=project)
    assert completed.returncode == 0, completed.stderr
    assert "asserted" in completed.stdout and "inferred" in completed.stdout
    assert (project / "build" / "current" / "SHA256SUMS").is_file()
    assert completed.stderr == ""  # not a terminal: no progress output


def test_build_of_invalid_data_fails_with_exit_1(project):
    (project / "data" / "undated.ttl").write_text(INVALID_ACT, encoding="utf-8")
    completed = run_tdld("build", root=project)
    assert completed.returncode == 1
    assert_one_line_error(completed, "SHACL violation", "tdld check")
    assert not (project / "build" / "current").exists()


def test_build_reports_progress_on_a_terminal(project):
    import os
    import pty
    import subprocess

    from ..conftest import tdld_command

    leader, follower = pty.openpty()
    try:
        completed = subprocess.run(
            [tdld_command(), "--root", str(project), "build"], stdout=subprocess.PIPE, stderr=follower, timeout=300
        )
        os.close(follower)
        follower = None
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    assert completed.returncode == 0
    text = output.decode("utf-8")
    steps = ("comparing with the last build", "loading sources", "validating (SHACL), reasoning (OWL 2 RL) beside",
             "measuring quality, reasoning beside", "writing the asserted dumps, reasoning beside",
             "reasoning (OWL 2 RL): the closure", "writing dumps, validating the closure (SHACL) beside",
             "validating the closure (SHACL): the report", "publishing the release")
    for number, step in enumerate(steps, 1):
        assert re.search(rf"\[{number}/9\] {re.escape(step)}… \d+\.\d s", text), step



def test_a_build_of_unchanged_inputs_stops_at_once_and_says_so(project):
    """Same sources, code and options: nothing is written; any edit, another option or --force builds."""
    releases = project / "build" / "releases"
    first = run_tdld("build", root=project)
    assert first.returncode == 0, first.stderr
    built = {p.name for p in releases.iterdir()}
    again = run_tdld("build", root=project)
    assert again.returncode == 0 and again.stdout.startswith("up to date: ")
    assert {p.name for p in releases.iterdir()} == built and (project / "build" / "current").resolve().name in again.stdout
    asserted, inferred = re.search(r"(\d+) asserted \+ (\d+) inferred", first.stdout).groups()
    assert f"({asserted} asserted + {inferred} inferred triples)" in again.stdout
    for command in (("build", "--validator", "pyshacl"), ("build", "--force")):
        rebuilt = run_tdld(*command, root=project)
        assert rebuilt.returncode == 0 and rebuilt.stdout.startswith("built "), (command, rebuilt.stdout)
    vocabulary = project / "ontology" / "vocabulary.ttl"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert run_tdld("build", root=project).stdout.startswith("built ")
    assert run_tdld("build", root=project).stdout.startswith("up to date: ")


def test_sources_larger_than_the_limit_are_refused_before_any_work(project):
    """One line naming the size, the limit and the way on; nothing written."""
    refused = run_tdld("build", "--max-triples", "1000", root=project)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert re.search(r"about \d{1,3}(,\d{3})+ triples", refused.stderr) and "--max-triples" in refused.stderr
    assert "tdld publish" in refused.stderr and not (project / "build" / "releases").exists()
    assert run_tdld("build", "--max-triples", "0", root=project).returncode == 0


def test_serve_without_a_build_says_what_to_run(project):
    completed = run_tdld("serve", "--get", "/", root=project)
    assert completed.returncode == 2
    assert_one_line_error(completed, "tdld build")


def test_serve_with_a_damaged_build_says_what_to_run(project):
    assert run_tdld("build", root=project).returncode == 0
    dump = project / "build" / "current" / "tdld.nq.gz"
    dump.write_bytes(dump.read_bytes()[: len(dump.read_bytes()) // 2])
    completed = run_tdld("serve", "--get", "/", root=project)
    assert completed.returncode == 2
    assert_one_line_error(completed, "damaged", "tdld.nq.gz", "tdld build")


def test_every_serve_option_is_documented_in_the_command_line_guide():
    from tdld.cli import parser

    readme = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    serve = next(a for a in parser()._subparsers._group_actions[0].choices.items() if a[0] == "serve")[1]
    for action in serve._actions:
        for option in action.option_strings:
            if option.startswith("--") and option != "--help":
                assert f"`{option}" in readme, option


@pytest.mark.parametrize("args, named", [(("check", "--frobnicate"), "--frobnicate"), ((), "verb"),
                                         (("diff", "--format", "xml"), "'xml'")])
def test_a_usage_error_is_one_line_with_exit_2(args, named):
    result = run_tdld(*args)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and named in lines[0] and "--help" in lines[0]


@pytest.mark.parametrize("option, value, said", [
    ("--sparql-workers", "0", "at least 1"), ("--sparql-timeout", "-5", "more than 0"),
    ("--sparql-timeout", "nan", "more than 0"), ("--cache-mb", "-1", "at least 0"),
    ("--sparql-memory-quads", "-3", "at least 0"), ("--sparql-memory-quads", "many", "not a whole number"),
    ("--port", "70000", "at most 65535"), ("--sparql-max-results", "0", "at least 1"),
    ("--store-timeout", "0", "more than 0"), ("--rate-limit", "-2", "at least 0"),
])
def test_serve_refuses_numbers_out_of_range_before_starting(option, value, said):
    # A negative worker count used to start a server that refused every query with 503.
    result = run_tdld("serve", option, value, "--get", "/")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and option in lines[0] and said in lines[0] and "Traceback" not in result.stderr
