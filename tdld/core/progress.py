"""Step lines on a terminal for slow steps; silence when output is not a TTY."""

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
