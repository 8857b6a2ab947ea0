"""Memory freed inside the process handed back to the system between the build's steps.

glibc keeps freed blocks for reuse. After the build's first steps that is hundreds of
megabytes which the process no longer uses, which count in its resident size, and which
the steps to come would not reuse as they are.
"""

import ctypes


def give_back_free_memory() -> None:
    """glibc's malloc_trim(0); a no-op where the C library has no such call."""
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):
        return
