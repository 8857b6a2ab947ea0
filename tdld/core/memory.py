"""Memory freed inside the process handed back to the system, so that a forked child does not share it.

glibc keeps freed blocks for reuse. After the build's first steps that is hundreds of
megabytes which the process no longer uses but which count in its resident size, and which
a child forked then would copy as soon as either side writes to a page.
"""

import ctypes


def give_back_free_memory() -> None:
    """glibc's malloc_trim(0); a no-op where the C library has no such call."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        return
