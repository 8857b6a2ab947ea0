"""Starting and stopping the endpoint's helper processes: one pattern for workers and zygotes.

Each is spawned with a pipe, says a greeting on it when it is ready, and is stopped by
closing the pipe (it exits on its own) or, after a grace period, by killing it.
"""


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
