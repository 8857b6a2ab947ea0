"""Progress on a terminal: step lines with their time, or a bar; silence when output is not a TTY."""

import sys
import time
from contextlib import contextmanager


class Progress:
    """Reports numbered steps with their duration on stderr, only on a terminal."""

    def __init__(self, total: int, enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total = total
        self.done = 0

    @contextmanager
    def step(self, label: str):
        self.done += 1
        start = time.monotonic()
        if self.enabled:
            self.stream.write(f"[{self.done}/{self.total}] {label}…")
            self.stream.flush()
        try:
            yield
        finally:
            if self.enabled:
                self.stream.write(f" {time.monotonic() - start:.1f} s\n")
                self.stream.flush()


QUIET = Progress(total=0, enabled=False)


class ProgressBar:
    """``[#####.....] 3/10 batches`` on stderr, redrawn in place; silent unless stderr is a terminal."""

    def __init__(self, label: str, stream=None, enabled: bool | None = None, width: int = 30):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.label, self.width = label, width

    def __call__(self, done: int, total: int, cached: int = 0) -> None:
        if not self.enabled or total == 0:
            return
        filled = self.width * done // total
        note = f", {cached} from the cache" if cached else ""
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} batches{note}")
        if done == total:
            self.stream.write("\n")
        self.stream.flush()
