"""One process holds the release in memory; the query workers are forked from it.

A forked worker shares the zygote's pages (copy-on-write, and queries only read the
store's pages), so a pool of N workers costs one in-memory copy instead of N, and a worker
killed at the time limit is replaced by a fork in milliseconds instead of a new copy.
The zygote never opens the on-disk store: RocksDB starts threads, and a process with
threads cannot be forked safely. It reads the N-Quads dump, whose blank node labels the
on-disk store keeps (see ``store.write_store``), so its answers equal a disk store's.
"""

import os
import select
import signal
import socket
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

from .memory import start_allowance


def _zygote(control, release_path: str, union_default: bool) -> None:
    """The zygote process: load the dump, then fork a worker for each request until the pipe closes."""
    from ..store import load_dump_into_memory
    from .worker import answer_jobs, die_with_parent

    die_with_parent()
    store = load_dump_into_memory(Path(release_path))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    children = _Children()
    control.send(("ready",))
    while True:
        try:
            control.recv()
        except (EOFError, OSError):
            children.stop()
            return
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the worker: answer on its own socket, die with the zygote
            try:
                control.close()
                ours.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                die_with_parent()
                answer_jobs(Connection(theirs.detach()), store, union_default)
            finally:
                os._exit(0)
        theirs.close()
        children.add(pid)
        control.send(pid)
        send_handle(control, ours.fileno(), os.getppid())
        ours.close()


def _exited(pidfds: list) -> list:
    """The pidfds whose process has exited (a pidfd becomes readable then); none waits."""
    return select.select(pidfds, [], [], 0)[0] if pidfds else []


class _Children:
    """The zygote's workers, held by pidfds: with SIGCHLD ignored, a dead worker is reaped at
    once and its pid may name another process later, a pidfd never does."""

    def __init__(self):
        self.pidfds: list[int] = []

    def add(self, pid: int) -> None:
        self._forget_exited()
        try:
            self.pidfds.append(os.pidfd_open(pid))
        except (AttributeError, OSError):
            pass  # no pidfds (Linux < 5.3): the worker still dies with the zygote

    def _forget_exited(self) -> None:
        exited = _exited(self.pidfds)
        for pidfd in exited:
            os.close(pidfd)
        self.pidfds = [fd for fd in self.pidfds if fd not in exited]

    def stop(self) -> None:
        """Kill every worker and wait until all are gone, so that none outlives the zygote unreaped."""
        for pidfd in self.pidfds:
            try:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            except OSError:
                pass
        try:
            while True:
                os.waitpid(-1, 0)  # with SIGCHLD ignored: fails (ECHILD) once every child is gone
        except ChildProcessError:
            pass


class ForkedWorker:
    """A worker forked by the zygote: a connection to send jobs on, and a process to kill.

    The worker is the zygote's child, not ours, so it is held by a pidfd where Linux has
    them: a pid alone could name another process once the worker is gone.
    """

    def __init__(self, pid: int, connection: Connection):
        self.pid, self.connection = pid, connection
        try:
            self.pidfd = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self.pidfd = None

    def alive(self) -> bool:
        if self.pidfd is None:
            return True  # unknown: a dead worker shows as a closed connection
        return not _exited([self.pidfd])

    def stop(self) -> None:
        try:
            if self.pidfd is not None:
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            else:
                os.kill(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass  # already gone
        finally:
            if self.pidfd is not None:
                os.close(self.pidfd)
                self.pidfd = None
            self.connection.close()


class Zygote:
    """The pool's side of the zygote: start it, ask it for workers, stop it."""

    def __init__(self, context, release_path: str, union_default: bool, memory_quads: int):
        self.control, child = context.Pipe()
        self.process = context.Process(target=_zygote, args=(child, release_path, union_default), daemon=True)
        self.process.start()
        child.close()
        if not self.control.poll(start_allowance(memory_quads)) or self.control.recv() != ("ready",):
            self.stop()
            raise RuntimeError("the SPARQL zygote did not start")

    def alive(self) -> bool:
        return self.process.is_alive()

    def fork(self) -> ForkedWorker:
        self.control.send("fork")
        if not self.control.poll(10):
            raise RuntimeError("the SPARQL zygote did not fork a worker")
        pid = self.control.recv()
        handle = recv_handle(self.control)
        return ForkedWorker(pid, Connection(handle))

    def stop(self) -> None:
        """Close the pipe: the zygote stops its workers and exits; killed if it does not within 5 s."""
        self.control.close()
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()  # its workers die with it (PR_SET_PDEATHSIG)
            self.process.join(5)
