"""A build that fails, is interrupted or is killed never replaces the last good release, and leaves nothing behind."""

import os
import pty
import signal
import subprocess
from pathlib import Path

import pytest

from tdld.build.pipeline import build
from tdld.core.errors import ValidationFailed
from tdld.core.layout import Layout
from tdld.release.dump import verify_checksums

from ..cli.test_cli import INVALID_ACT
from ..conftest import release_files, tdld_command

pytestmark = pytest.mark.slow


def snapshot(root: Path) -> tuple[Path, dict]:
    current = (root / "build" / "current").resolve()
    return current, release_files(current)


def assert_intact(root: Path, before: tuple[Path, dict]) -> None:
    current, files = snapshot(root)
    assert current == before[0]
    assert files == before[1]
    assert verify_checksums(current) == []


def test_failed_build_leaves_previous_release_intact(project):
    build(Layout(project))
    before = snapshot(project)
    (project / "data" / "undated.ttl").write_text(INVALID_ACT, encoding="utf-8")
    with pytest.raises(ValidationFailed):
        build(Layout(project))
    assert_intact(project, before)


def test_build_interrupted_while_writing_leaves_no_partial_release(project, monkeypatch):
    build(Layout(project))
    before = snapshot(project)
    import tdld.release.folder

    real = tdld.release.folder.write_dumps

    def write_then_fail(dataset, folder, *args, **kwargs):
        real(dataset, folder, *args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(tdld.release.folder, "write_dumps", write_then_fail)
    with pytest.raises(KeyboardInterrupt):
        build(Layout(project), force=True)
    assert_intact(project, before)
    assert [p.name for p in (project / "build" / "releases").iterdir() if p.name.startswith(".")] == []


def build_in_a_terminal_until(root, marker: bytes) -> bool:
    """Start `tdld build` on a pseudo-terminal (so it reports its steps) and SIGKILL it at ``marker``."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([tdld_command(), "--root", str(root), "build"], stdout=subprocess.DEVNULL,
                               stderr=follower, stdin=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    try:
        while marker not in seen:
            try:
                chunk = os.read(leader, 1024)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        killed = process.poll() is None and marker in seen
        process.send_signal(signal.SIGKILL)
        process.wait(30)
        return killed
    finally:
        os.close(leader)


def test_build_killed_in_any_step_leaves_the_last_good_build(project):
    first = build(Layout(project))
    files = release_files(first.release)
    for marker in (b"validating (SHACL)", b"reasoning (OWL 2 RL)", b"validating the closure", b"writing dumps"):
        assert build_in_a_terminal_until(project, marker), f"the build ended before {marker!r}"
        current = (project / "build" / "current").resolve()
        assert current == first.release, marker
        assert release_files(current) == files, marker
        assert verify_checksums(current) == [], marker
    second = build(Layout(project))
    assert (project / "build" / "current").resolve() == second.release
    assert not [p for p in (project / "build" / "releases").iterdir() if p.name.startswith(".")]


def test_corrupt_source_stops_the_build_and_publishes_nothing(project):
    first = build(Layout(project))
    (project / "data" / "actors.ttl").write_bytes(b"\xff\xfe not turtle at all")
    completed = subprocess.run([tdld_command(), "--root", str(project), "build"], capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.count("\n") == 1 and "actors.ttl" in completed.stderr
    assert (project / "build" / "current").resolve() == first.release


def test_a_build_removes_what_killed_builds_left_but_not_a_running_builds_folder(project):
    """Temporary folders end with their process id: a dead one's is removed, a live one's is kept."""
    releases = project / "build" / "releases"
    releases.mkdir(parents=True)
    alive = subprocess.Popen(["sleep", "60"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    try:
        kept = releases / f".tmp-0.1.0-20260101T000000Z-{alive.pid}"
        left = releases / f".tmp-0.1.0-20260101T000001Z-{dead.pid}"
        for folder in (kept, left):
            folder.mkdir()
            (folder / "tdld.ttl").write_text("partial", encoding="utf-8")
        build(Layout(project))
        assert kept.is_dir() and not left.exists()
    finally:
        alive.kill()
        alive.wait()


def test_a_closure_that_fails_its_shapes_publishes_nothing(project):
    """The closure is validated beside the writing of the release: a violation found there still stops it."""
    from .test_reason_beside import ONLY_IN_THE_CLOSURE

    first = build(Layout(project))
    (project / "shapes" / "closure-only.ttl").write_text(ONLY_IN_THE_CLOSURE, encoding="utf-8")
    with pytest.raises(ValidationFailed, match="the OWL RL closure has"):
        build(Layout(project))
    assert (project / "build" / "current").resolve() == first.release
    assert [p.name for p in (project / "build" / "releases").iterdir()] == [first.release.name]
