"""Shared fixtures: a copy of the project to break, a built release, the real CLI."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tdld.core.layout import Layout
from tdld.build.pipeline import build

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"  # what the tests read besides the project itself
EXAMPLES = REPO / "tdld" / "examples"  # the query page's example queries, also the competency questions
WIKIDATA_EXTRACT = DATA / "wikidata" / "items.ttl"
SOURCE_FOLDERS = ("ontology", "shapes", "data")


@pytest.fixture(scope="session")
def sources():
    """The shipped sources, loaded once (read them; copy before changing anything)."""
    from tdld.build.load import load_sources

    return load_sources()


@pytest.fixture(scope="session")
def core_sources(tmp_path_factory):
    """The hand-written core of the sources, loaded once: for engine comparisons that pyshacl makes slow."""
    from tdld.build.load import load_sources

    return load_sources(Layout(copy_project(tmp_path_factory.mktemp("core") / "project", with_tables=False)))


@pytest.fixture(scope="session")
def reasoning(sources):
    """The OWL 2 RL closure of the shipped sources with the default reasoner."""
    from tdld.build.reason import reason

    return reason(sources.asserted())


def copy_project(target: Path, with_tables: bool = True) -> Path:
    """A fresh copy of the sources, so a test can break a file without touching the repo.

    Without the curated tables (``data/tables``) it is the hand-written core: a build of it takes a
    few seconds, for the tests that build, break and rebuild many times.
    """
    target.mkdir(parents=True, exist_ok=True)
    for folder in SOURCE_FOLDERS:
        skip = shutil.ignore_patterns("tables") if folder == "data" and not with_tables else None
        shutil.copytree(REPO / folder, target / folder, ignore=skip)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    """The hand-written core of the sources, to break and rebuild (the shipped whole is built once: built_project)."""
    return copy_project(tmp_path / "project", with_tables=False)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A project copy with one successful build, shared by read-only tests."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    build(Layout(root))
    return root


@pytest.fixture(scope="session")
def release(built_project) -> Path:
    return (built_project / "build" / "current").resolve()


def release_files(release: Path) -> dict:
    """Every file of a release (dumps and the on-disk store), by relative path: to prove nothing changed."""
    return {str(p.relative_to(release)): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}


def tdld_command() -> str:
    """The installed console script, so tests go through the real entry point."""
    script = Path(sys.executable).parent / "tdld"
    return str(script) if script.exists() else shutil.which("tdld")


def run_tdld(*args, root: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    command = [tdld_command()]
    if root is not None:
        command += ["--root", str(root)]
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="session")
def knowledge(release):
    from tdld.read.knowledge import Knowledge

    return Knowledge(release)


@pytest.fixture(scope="session")
def app(knowledge):
    from tdld.web import create_app

    return create_app(knowledge)


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def listening(port: int) -> bool:
    """Whether something accepts connections on this loopback port."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class ServerURL(str):
    """The base URL of a running server, which also knows the server's process id."""

    pid: int = 0


@contextmanager
def running_server(root: Path, log_dir: Path, *options: str, start_timeout: float = 30):
    """A real `tdld serve` process on a free loopback port; yields its base URL (no trailing slash)."""
    port = free_port()
    log_path = log_dir / f"serve-{port}.log"
    command = [tdld_command(), "--root", str(root), "serve", "--host", "127.0.0.1", "--port", str(port), *options]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        # A session of its own: stopping the server stops what it started (workers, the --dev reloader's child).
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            deadline = time.monotonic() + start_timeout
            while not _answers(base + "/"):
                if process.poll() is not None:
                    pytest.fail(f"tdld serve exited with {process.returncode}:\n{log_path.read_text(errors='replace')}")
                if time.monotonic() > deadline:
                    pytest.fail(f"tdld serve did not answer within {start_timeout} s:\n{log_path.read_text(errors='replace')}")
                time.sleep(0.2)
            url = ServerURL(base)
            url.pid = process.pid
            yield url
        finally:
            stop_process(process, group=True)


def stop_process(process: subprocess.Popen, group: bool = False) -> None:
    """Ask a child process (and, with ``group``, its whole session) to stop, then force it after 10 s."""
    def signal_it(number):
        try:
            os.killpg(process.pid, number) if group else process.send_signal(number)
        except ProcessLookupError:
            pass

    signal_it(signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        signal_it(signal.SIGKILL)
        process.wait(timeout=10)
    if group:
        signal_it(signal.SIGKILL)  # whatever of the session outlived its leader


def http_call(url, method="GET", data=None, headers=None, params=None):
    """(status, headers, body) of one real HTTP request, without raising on 4xx/5xx."""
    import urllib.parse

    if params:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params, doseq=True)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
