"""Shared fixtures: a copy of the project to break, a built release, the real CLI."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tdld.layout import Layout
from tdld.pipeline import build

REPO = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ("ontology", "shapes", "data")


def copy_project(target: Path) -> Path:
    """A fresh copy of the sources, so a test can break a file without touching the repo."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in SOURCE_FOLDERS:
        shutil.copytree(REPO / folder, target / folder)
    return target


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A project copy with one successful build, shared by read-only tests."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    build(Layout(root))
    return root


@pytest.fixture(scope="session")
def release(built_project) -> Path:
    return (built_project / "build" / "current").resolve()


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
    from tdld.knowledge import Knowledge

    return Knowledge(release)


@pytest.fixture(scope="session")
def app(knowledge):
    from tdld.web import create_app

    return create_app(knowledge)


@pytest.fixture
def client(app):
    return app.test_client()
