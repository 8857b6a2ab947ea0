"""Faults: a worker killed mid-request, and the server keeps answering."""

import os
import signal
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from ..conftest import running_server

pytestmark = pytest.mark.slow

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def children(pid: int) -> list[int]:
    """The server's worker processes: its children forked from it, not the ones it spawns for
    SPARQL (the shared query process and multiprocessing's resource tracker)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(c) for c in text if _command_line(int(c)) == _command_line(pid)]
    return found


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def get(url: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_sigkill_of_a_worker_mid_request_and_the_next_request_succeeds(built_project, tmp_path):
    with running_server(built_project, tmp_path, "--workers", "1", "--sparql-timeout", "30",
                        "--service-allowlist", "") as base:
        master = base.pid
        workers = children(master)
        assert len(workers) == 1
        outcome = {}

        def slow_request():
            try:
                outcome["status"] = get(base + "/sparql?" + urllib.parse.urlencode({"query": SLOW}), timeout=60)
            except (urllib.error.URLError, ConnectionError, OSError) as error:
                outcome["error"] = error

        thread = threading.Thread(target=slow_request)
        thread.start()
        time.sleep(2)  # the query is now being evaluated
        os.kill(workers[0], signal.SIGKILL)
        thread.join(30)
        assert "error" in outcome or outcome.get("status", 200) >= 500  # that request was lost, not hung
        deadline = time.monotonic() + 30
        status = None
        while time.monotonic() < deadline:
            try:
                status = get(base + "/doc/vocab/city-diplomacy", timeout=5)
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        assert status == 200
        assert children(master) and children(master) != workers  # a new worker was spawned
        assert get(base + "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})) == 200
