"""Federated queries: tdld joined with Wikidata through SERVICE, against a local stand-in."""

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from importlib import resources
from pathlib import Path

import pytest

from ..conftest import WIKIDATA_EXTRACT, free_port, running_server

pytestmark = pytest.mark.slow

PUBLIC = "https://query.wikidata.org/sparql"


@pytest.fixture(scope="module")
def wikidata_stand_in(tmp_path_factory):
    """Oxigraph's own server holding the Wikidata extract, on a free loopback port."""
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    location = tmp_path_factory.mktemp("wikidata-store")
    subprocess.run([oxigraph, "load", "--location", str(location), "--file", str(WIKIDATA_EXTRACT)],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    process = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail("the Oxigraph server did not start")
                time.sleep(0.2)
        yield url
    finally:
        process.kill()
        process.wait(10)


def example(name: str) -> str:
    return (resources.files("tdld") / "examples" / f"{name}.rq").read_text(encoding="utf-8")


def run(endpoint: str, query: str) -> tuple[int, bytes]:
    request = urllib.request.Request(endpoint, data=urllib.parse.urlencode({"query": query}).encode(),
                                     headers={"Accept": "application/sparql-results+json",
                                              "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_documented_federated_query_joins_tdld_and_wikidata(built_project, tmp_path, wikidata_stand_in):
    query = example("federated-wikidata-labels").replace(PUBLIC, wikidata_stand_in)
    with running_server(built_project, tmp_path, "--service-allowlist", wikidata_stand_in) as base:
        status, body = run(base + "/sparql", query)
    assert status == 200, body
    rows = {(b["thing"]["value"].rsplit("/", 1)[-1], b["wikidataLabel"]["value"])
            for b in json.loads(body)["results"]["bindings"]}
    assert ("france", "France") in rows and ("council-of-europe", "Council of Europe") in rows


def test_federated_query_to_a_service_off_the_allowlist_is_refused(built_project, tmp_path, wikidata_stand_in):
    query = example("federated-wikidata-labels").replace(PUBLIC, wikidata_stand_in)
    with running_server(built_project, tmp_path, "--service-allowlist", "") as base:
        status, body = run(base + "/sparql", query)
    assert status == 403 and b"allowlist" in body


def test_every_federated_example_names_only_the_public_wikidata_endpoint():
    folder = resources.files("tdld") / "examples"
    federated = [e for e in folder.iterdir() if e.name.startswith("federated-")]
    assert len(federated) >= 2
    for entry in federated:
        text = entry.read_text(encoding="utf-8")
        assert f"SERVICE <{PUBLIC}>" in text, entry.name
