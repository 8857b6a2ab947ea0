"""Starting and stopping the endpoint's helper processes: one pattern for workers and zygotes.

Each is spawned with a pipe, says a greeting on it when it is ready, and is stopped by
closing the pipe (it exits on its own) or, after a grace period, by killing it.
"""

from ..core.errors import SparqlError


def started(context, target, args: tuple, greeting: tuple, allowance: float, failure: str):
    """(pipe, process) of a spawned daemon process that sent ``greeting`` within ``allowance`` seconds;
    RuntimeError(``failure``) otherwise, with the process gone."""
    pipe, child = context.Pipe()
    process = context.Process(target=target, args=(child, *args), daemon=True)
    process.start()
    child.close()
    if not pipe.poll(allowance) or pipe.recv() != greeting:
        stopped(pipe, process, grace=0)
        raise RuntimeError(failure)
    return pipe, process


def stopped(pipe, process, grace: float = 5) -> None:
    """Close the pipe, so that the process ends by itself; kill it if it has not within ``grace`` seconds."""
    pipe.close()
    process.join(grace)
    if process.is_alive():
        process.kill()  # a zygote's workers die with it (PR_SET_PDEATHSIG)
        process.join(5)


def answer_jobs(connection, store, union_default: bool) -> None:
    """A worker's loop: answer each job sent on ``connection`` until it closes."""
    from .answer import answer

    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", answer(store, job, union_default)))
        except SparqlError as error:
            connection.send(("error", error.http_status, str(error)))


def die_with_parent() -> None:
    """On Linux, ask the kernel to kill this worker when its parent dies (e.g. a SIGKILLed server).

    The kernel ties this to the *thread* that started the worker, so the pool starts
    every worker from one long-lived thread of its own.
    """
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
