"""One piece of work done in a forked child while the build goes on, its result sent back.

Reasoning and validation hold the interpreter for their whole run, so a thread beside
them gains nothing; a forked child does. The child starts from the parent's memory
(shared until written), so it reads the build's store without a copy, and what it
allocates is returned when it ends. Fork only while no other thread of the build runs:
a thread holding a lock at the fork would leave the child waiting forever.
"""

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable

from ..core.errors import TdldError

PR_SET_PDEATHSIG = 1  # Linux prctl option: the signal a child gets when its parent dies


def _die_with_parent(parent: int) -> None:
    """A killed build leaves no child working on alone (Linux; elsewhere a no-op)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _run(work: Callable, what: str, send, parent: int) -> None:
    _die_with_parent(parent)
    try:
        send.send(("done", work()))
    except TdldError as error:
        send.send(("error", error))
    except Exception as error:  # anything else reaches the parent as one line
        send.send(("error", TdldError(f"{what} failed: {error.__class__.__name__}: {error}")))
    finally:
        send.close()


class Beside:
    """``work()`` started now in a child process; :meth:`result` waits for what it returns."""

    def __init__(self, work: Callable, what: str):
        """``what``: the work in a few words, for the error that says it failed ("reasoning")."""
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self.what = what
        self._process = context.Process(target=_run, args=(work, what, send, os.getpid()), daemon=True,
                                        name=f"tdld-{what.replace(' ', '-')}")
        self._process.start()
        send.close()

    def result(self):
        """What ``work()`` returned; the TdldError it raised is raised here as it was there."""
        try:
            kind, payload = self._receive.recv()
        except EOFError:
            self._process.join()
            raise TdldError(f"the {self.what} process ended without a result (exit code {self._process.exitcode})") from None
        finally:
            self._receive.close()
        self._process.join()
        if kind == "error":
            raise payload
        return payload

    def alive(self) -> bool:
        return self._process.is_alive()

    def cancel(self) -> None:
        """Stop the child when its result is no longer wanted."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join()
        self._receive.close()
