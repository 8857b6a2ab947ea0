"""A short run of the load test against the production server (`--workers`): no 5xx, no failed request, no memory growth.

The full run (32 clients, 60 s) is `python bench/load.py`; its figures are a benchmark, not
asserted here.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BENCH = Path(__file__).resolve().parents[2] / "bench" / "load.py"


def test_short_load_run_has_no_errors_and_no_memory_growth(built_project):
    completed = subprocess.run([sys.executable, str(BENCH), "--root", str(built_project), "--clients", "16",
                                "--duration", "15", "--warmup", "3", "--workers", "2"],
                               capture_output=True, text=True, timeout=180)
    summary = json.loads(completed.stdout.strip().splitlines()[-1])
    assert summary["requests"] > 100
    assert all(int(status) < 500 for status in summary["statuses"]), summary["statuses"]
    assert summary["failures"] == {}
    assert summary["rss_growth"] < 0.10, summary
    assert completed.returncode == 0, completed.stdout + completed.stderr
