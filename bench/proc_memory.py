"""The memory of a process and its descendants, read from /proc (Linux), for the benchmarks' figures."""

import re
from pathlib import Path


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants, whichever of its threads started them."""
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            threads = [t.name for t in Path(f"/proc/{current}/task").iterdir()]
        except OSError:
            continue
        for thread in threads:
            try:
                stack.extend(int(c) for c in Path(f"/proc/{current}/task/{thread}/children").read_text().split())
            except OSError:
                pass
    return found


def status_kib(pid: int, field: str) -> int:
    """A field of /proc/PID/status in KiB (VmRSS: resident now, VmHWM: its peak); 0 once the process is gone."""
    return _field_kib(f"/proc/{pid}/status", field)


def rollup_kib(pid: int, field: str) -> int:
    """A field of /proc/PID/smaps_rollup in KiB (Pss: resident pages, each shared one divided among its sharers)."""
    return _field_kib(f"/proc/{pid}/smaps_rollup", field)


def _field_kib(path: str, field: str) -> int:
    try:
        text = Path(path).read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0
