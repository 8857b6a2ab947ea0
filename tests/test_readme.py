"""The README's recipes, run as written against a real server (and a real nginx in front of it).

Each recipe's code blocks are read from the README itself; only the address changes,
from the quick start's http://127.0.0.1:8000 to the test server's.
"""

import os
import re
import subprocess
import sys
import urllib.request

import pytest
from rdflib import Graph, Literal, URIRef

from .clients import rsparql_command
from .conftest import REPO, run_tdld, running_server
from .selftest.test_selftest import needs_nginx, nginx  # noqa: F401 (nginx is a fixture)

pytestmark = pytest.mark.slow

QUICK_START = "http://127.0.0.1:8000"
CITY_DIPLOMACY = URIRef("https://w3id.org/territorial-diplomacy/vocab/city-diplomacy")
PREF_LABEL = URIRef("http://www.w3.org/2004/02/skos/core#prefLabel")


def recipes() -> dict:
    """{recipe title: [(language, code)]} for the '### ' sections of 'Use the data'."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Use the data\n", 1)[1].split("\n## ", 1)[0]
    found = {}
    for part in section.split("\n### ")[1:]:
        title, _, body = part.partition("\n")
        found[title.strip()] = re.findall(r"```(\w+)\n(.*?)```", body, re.S)
    return found


def blocks(title: str, language: str) -> list[str]:
    return [code for lang, code in recipes()[title] if lang == language]


@pytest.fixture(scope="module")
def server(built_project, tmp_path_factory):
    with running_server(built_project, tmp_path_factory.mktemp("readme")) as base:
        yield base


def run_shell(code: str, base: str, folder, extra_path: str = "") -> str:
    env = {**os.environ, "PATH": extra_path + os.pathsep + os.environ["PATH"] if extra_path else os.environ["PATH"]}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", code.replace(QUICK_START, base)], cwd=folder,
                          capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_python(code: str, base: str, folder) -> str:
    done = subprocess.run([sys.executable, "-c", code.replace(QUICK_START, base)], cwd=folder,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_readme_is_short_and_every_recipe_has_code():
    assert len((REPO / "README.md").read_text(encoding="utf-8")) < 13_000
    assert all(recipes().values()) and len(recipes()) >= 6


def test_download_a_dump_and_check_it(server, tmp_path):
    out = run_shell(blocks("Download a dump and check it", "sh")[0], server, tmp_path)
    assert out.strip() == "tdld.ttl: OK"
    assert len(Graph().parse(tmp_path / "tdld.ttl")) > 10_000


def test_look_up_a_term_in_turtle(server, tmp_path):
    out = run_shell(blocks("Look up a term or a thing in Turtle", "sh")[0], server, tmp_path)
    labels = set(Graph().parse(data=out, format="turtle").objects(CITY_DIPLOMACY, PREF_LABEL))
    assert Literal("city diplomacy", lang="en") in labels and Literal("diplomatie des villes", lang="fr") in labels


def test_query_from_python(server, tmp_path):
    sparqlwrapper, rdflib_dump = blocks("Query from Python", "python")
    assert "en city diplomacy" in run_python(sparqlwrapper, server, tmp_path).splitlines()
    names = run_python(rdflib_dump, server, tmp_path).splitlines()
    assert len(names) >= 50 and "Ister-Granum EGTC" in names and names == sorted(names)


def test_query_from_the_command_line(server, tmp_path):
    rsparql = rsparql_command(tmp_path)
    out = run_shell(blocks("Query from the command line", "sh")[0], server, tmp_path, str(rsparql.parent))
    lines = out.splitlines()
    # curl and roqet print the same CSV (header and five rows); rsparql prints TSV with the same IRIs.
    csv_rows = [line for line in lines if line.startswith("https://")]
    tsv_rows = [line for line in lines if line.startswith("<https://")]
    assert lines.count("egtc,name") == 2 and len(csv_rows) == 10 and csv_rows[:5] == csv_rows[5:]
    assert [row.split("\t")[0].strip("<>") for row in tsv_rows] == [row.split(",")[0] for row in csv_rows[:5]]


def test_link_a_spreadsheet_with_openrefine(server, tmp_path):
    import json

    out = run_shell(blocks("Link a spreadsheet with OpenRefine", "sh")[0], server, tmp_path)
    manifest, end = json.JSONDecoder().raw_decode(out)
    match, _ = json.JSONDecoder().raw_decode(out[end:].lstrip())
    assert "0.2" in manifest["versions"]
    best = match["q0"]["result"][0]
    assert best["id"] == "id/actor/ister-granum" and best["match"] is True


@needs_nginx
def test_run_your_own_copy_behind_nginx(built_project, tmp_path, nginx):  # noqa: F811 (a fixture)
    serve = blocks("Run your own copy behind nginx", "sh")[0]
    assert "python3 dev.py tdld build" in serve and ".venv/bin/tdld serve" in serve
    options = serve.split(".venv/bin/tdld serve", 1)[1].split()
    at = options.index("--port")
    del options[at:at + 2]  # the test server takes a free port of its own
    site = blocks("Run your own copy behind nginx", "nginx")[0]
    with running_server(built_project, tmp_path, *options) as base:
        proxied = nginx(tmp_path, site.replace("listen 8080;", "listen 127.0.0.1:__PORT__;")
                        .replace(QUICK_START, base))
        request = urllib.request.Request(proxied + "/vocab/city-diplomacy", headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=30) as response:
            graph = Graph().parse(data=response.read(), format="turtle")
            assert response.url.endswith("/doc/vocab/city-diplomacy")
        assert Literal("city diplomacy", lang="en") in set(graph.objects(CITY_DIPLOMACY, PREF_LABEL))
        result = run_tdld("selftest", proxied + "/", timeout=180)
        assert result.returncode == 0, result.stdout
