"""SPARQL clients the tests drive as users would: Apache Jena's rsparql from Debian's packages.

Debian's libapache-jena-java 4.5.0 relocates Xerces into the package ``xerces`` but keeps
Xerces' message bundles under ``org/apache/jena/ext/xerces/impl/``, where the relocated
classes do not look: rsparql then fails on its first message. A small jar with those bundles
copied to ``xerces/impl/`` comes first on the class path. The other jars are those of the
package and of the packages it depends on, with one SLF4J binding (nop) of the several
Debian installs side by side.
"""

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

JENA_PACKAGE = "libapache-jena-java"
JENA_JAR = Path("/usr/share/java/jena-arq.jar")
BUNDLES = "org/apache/jena/ext/xerces/impl/"


def _package_jars() -> list[str]:
    listed = subprocess.run(["apt-cache", "depends", "--recurse", "--installed", "--no-recommends", "--no-suggests",
                             JENA_PACKAGE], capture_output=True, text=True, check=True).stdout
    packages = sorted({line.strip() for line in listed.splitlines() if line and not line.startswith(" ")
                       and "<" not in line})
    jars = set()
    for package in packages:
        files = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True).stdout.splitlines()
        jars |= {f for f in files if f.startswith("/usr/share/java/") and f.endswith(".jar")}
    kept = [j for j in sorted(jars) if "slf4j" not in Path(j).name]
    return kept + ["/usr/share/java/slf4j-api.jar", "/usr/share/java/slf4j-nop.jar"]


def rsparql_command(folder: Path) -> Path:
    """An ``rsparql`` script in ``folder`` running Debian's Jena; skips when Jena or Java is missing."""
    if not JENA_JAR.is_file() or shutil.which("java") is None or shutil.which("dpkg") is None:
        pytest.skip(f"Apache Jena and Java are needed (Debian: apt-get install {JENA_PACKAGE} default-jre-headless); "
                    ".ci/run installs them")
    bundles = folder / "xerces-messages.jar"
    with zipfile.ZipFile("/usr/share/java/jena-core.jar") as source, zipfile.ZipFile(bundles, "w") as out:
        for name in source.namelist():
            if name.startswith(BUNDLES) and not name.endswith((".class", "/")):
                out.writestr("xerces/impl/" + name[len(BUNDLES):], source.read(name))
    class_path = ":".join([str(bundles), *_package_jars()])
    script = folder / "rsparql"
    script.write_text(f'#!/bin/sh\nexec java -cp "{class_path}" arq.rsparql "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return script
