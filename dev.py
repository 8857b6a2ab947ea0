#!/usr/bin/env python3
"""Set up a virtual environment in .venv and run tdld in it: the README's quick start.

    python3 dev.py serve   # install, build if needed, serve on http://127.0.0.1:8000
    python3 dev.py test    # install with test extras, run the whole test suite

Needs only Python 3.11+. Reinstalls when pyproject.toml changes.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".tdld-installed"


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"dev.py: Python 3.11 or newer is needed, this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        print("dev.py: creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    print(f"dev.py: installing tdld{extras} into .venv", flush=True)
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(BIN / "python"), "-m", "pip", "install", "--quiet", "-e", f".{extras}"], cwd=ROOT, check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    rest = argv[1:]
    if command == "test":
        ensure_environment("[test]")
        return subprocess.run([str(BIN / "python"), "-m", "pytest", *rest], cwd=ROOT).returncode
    if command == "serve":
        ensure_environment("")
        tdld = str(BIN / "tdld")
        if not (ROOT / "build" / "current" / "build.json").exists():
            built = subprocess.run([tdld, "build"], cwd=ROOT)
            if built.returncode:
                return built.returncode
        return subprocess.run([tdld, "serve", *rest], cwd=ROOT).returncode
    if command in ("tdld", "run"):
        ensure_environment("")
        return subprocess.run([str(BIN / "tdld"), *rest], cwd=ROOT).returncode
    print(__doc__.strip())
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
