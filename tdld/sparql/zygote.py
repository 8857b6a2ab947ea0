"""One process holds the release in memory; the query workers are forked from it.

A forked worker shares the zygote's pages (copy-on-write, and queries only read the
store's pages), so a pool of N workers costs one in-memory copy instead of N, and a worker
killed at the time limit is replaced by a fork in milliseconds instead of a new copy.
The zygote never opens the on-disk store: RocksDB starts threads, and a process with
threads cannot be forked safely. It reads the N-Quads dump, whose blank node labels the
on-disk store keeps (see ``store.write_store_from``), so its answers equal a disk store's.

A server with several worker processes starts one zygote for all of them
(``SharedZygote``): each server worker's pool connects to it over a Unix socket and
gets its workers from it, so the release is loaded, and held, once per server instead
of once per server worker. A pool whose server has none, or whose shared zygote died,
starts a zygote of its own.
"""

import os
import select
import shutil
import signal
import socket
import tempfile
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import recv_handle, send_handle
from pathlib import Path

from .memory import start_allowance
from .processes import started, stopped


def _zygote(control, release_path: str, union_default: bool, address: str | None = None) -> None:
    """The zygote process: load the dump, then fork a worker for each request.

    ``control`` is its owner's pipe: when it closes, the zygote stops every worker and
    exits. With an ``address``, pools also connect on that Unix socket; when one's
    connection closes (its server worker stopped or died), its workers are killed.
    """
    from ..release.store import load_dump_into_memory
    from .processes import die_with_parent

    die_with_parent()
    listener = None
    if address is not None:  # listening before the load: a pool that connects meanwhile waits for its greeting
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(address)
        listener.listen(64)
        control.send(("listening",))
    store = load_dump_into_memory(Path(release_path))
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    owners = {control: _Children()}
    control.send(("ready",))
    while True:
        for source in wait([*owners, *([listener] if listener else [])]):
            if source is listener:
                pool = Connection(listener.accept()[0].detach())
                try:
                    pool.send(("ready", os.getpid(), release_path))
                    owners[pool] = _Children()
                except OSError:  # gone before its greeting
                    pool.close()
                continue
            try:
                source.recv()
            except Exception:  # closed (EOFError, OSError) or garbled: this owner is done
                if source is control:
                    for children in owners.values():
                        children.kill()
                    _reap_all()
                    return
                owners.pop(source).kill()
                source.close()
                continue
            _fork_worker(source, owners, listener, store, union_default)


def _fork_worker(owner: Connection, owners: dict, listener, store, union_default: bool) -> None:
    """Fork a worker for ``owner`` and send it the worker's pid and socket."""
    from .processes import answer_jobs, die_with_parent

    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:  # the worker: answer on its own socket, die with the zygote
        try:
            for connection in owners:
                connection.close()
            if listener is not None:
                listener.close()
            ours.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            die_with_parent()
            answer_jobs(Connection(theirs.detach()), store, union_default)
        finally:
            os._exit(0)
    theirs.close()
    owners[owner].add(pid)
    try:
        owner.send(pid)
        send_handle(owner, ours.fileno(), 0)  # the pid argument is unused on Unix
    except OSError:
        pass  # the pool went away meanwhile: its closed connection is seen next, and its workers killed
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

    def kill(self) -> None:
        """Kill these workers; with SIGCHLD ignored, the kernel reaps them."""
        for pidfd in self.pidfds:
            try:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            except OSError:
                pass
            os.close(pidfd)
        self.pidfds = []


def _reap_all() -> None:
    """Wait until every worker is gone, so that none outlives the zygote unreaped."""
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
    """The pool's side of a zygote of its own: start it, ask it for workers, stop it."""

    def __init__(self, context, release_path: str, union_default: bool, memory_quads: int):
        self.control, self.process = started(context, _zygote, (release_path, union_default), ("ready",),
                                             start_allowance(memory_quads), "the SPARQL zygote did not start")
        self.pid = self.process.pid

    def alive(self) -> bool:
        return self.process.is_alive()

    def fork(self) -> ForkedWorker:
        return _ask_for_worker(self.control)

    def stop(self) -> None:
        """Close the pipe: the zygote stops its workers and exits; killed if it does not within 5 s."""
        stopped(self.control, self.process)


def _ask_for_worker(control: Connection) -> ForkedWorker:
    control.send("fork")
    if not control.poll(10):
        raise RuntimeError("the SPARQL zygote did not fork a worker")
    pid = control.recv()
    handle = recv_handle(control)
    return ForkedWorker(pid, Connection(handle))


class SharedZygote:
    """One zygote for every worker process of a server, started by the server's main process.

    Its socket lives in a directory only this user can enter. Starting it waits until the
    socket listens, not for the load, so that the server answers pages meanwhile; pools
    that connect wait for its greeting.
    """

    def __init__(self, context, release_path: str, union_default: bool = True):
        self.folder = tempfile.mkdtemp(prefix="tdld-zygote-")  # mode 0700
        self.address = os.path.join(self.folder, "socket")
        try:
            self.control, self.process = started(context, _zygote, (str(release_path), union_default, self.address),
                                                 ("listening",), 60, "the server's SPARQL zygote did not start")
        except RuntimeError:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise

    def stop(self) -> None:
        """Close the pipe: the zygote stops every worker and exits; killed if it does not within 5 s."""
        stopped(self.control, self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


class ZygoteClient:
    """A pool's connection to its server's shared zygote; the same calls as ``Zygote``."""

    def __init__(self, address: str, release_path: str, memory_quads: int):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(address)
        except OSError:
            sock.close()
            raise
        self.control = Connection(sock.detach())
        greeting = self.control.recv() if self.control.poll(start_allowance(memory_quads)) else None
        if not (isinstance(greeting, tuple) and len(greeting) == 3 and greeting[0] == "ready"
                and Path(greeting[2]).resolve() == Path(release_path).resolve()):
            self.control.close()
            raise RuntimeError("the server's SPARQL zygote did not answer for this release")
        self.pid = greeting[1]
        try:
            self.pidfd = os.pidfd_open(self.pid)
        except (AttributeError, OSError):
            self.pidfd = None

    def alive(self) -> bool:
        if self.pidfd is not None:
            return not _exited([self.pidfd])
        try:
            os.kill(self.pid, 0)
            return True
        except OSError:
            return False

    def fork(self) -> ForkedWorker:
        return _ask_for_worker(self.control)

    def stop(self) -> None:
        """Close the connection: the zygote kills this pool's workers, and serves the others on."""
        self.control.close()
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
