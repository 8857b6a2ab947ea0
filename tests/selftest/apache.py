"""A real Apache httpd serving a copy of the static site with its generated .htaccess.

Apache runs in the foreground as a child, with a configuration of its own that loads only
the modules the rules name and lets the site's .htaccess decide everything else.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ..conftest import free_port, listening, stop_process

APACHE = shutil.which("apache2", path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin"]))
MODULES = Path("/usr/lib/apache2/modules")
CONFIG = """ServerRoot {folder}
Listen 127.0.0.1:{port}
{modules}
PidFile {folder}/httpd.pid
ErrorLog {folder}/error.log
ServerName 127.0.0.1
{user}
TypesConfig /dev/null
DocumentRoot {site}
<Directory {site}>
    AllowOverride All
    Require all granted
</Directory>
"""
LOADED = {"mpm_event_module": "mod_mpm_event.so", "authz_core_module": "mod_authz_core.so",
          "mime_module": "mod_mime.so", "dir_module": "mod_dir.so", "rewrite_module": "mod_rewrite.so",
          "headers_module": "mod_headers.so"}


@pytest.fixture
def apache(tmp_path):
    """Serve a copy of a site with Apache; yields start(site) → URL."""
    if APACHE is None or not MODULES.is_dir():
        pytest.skip("Apache httpd is not installed (Debian: apt-get install apache2); .ci/run installs it")
    processes = []
    # Apache started as root serves as www-data: the copy must be readable by anyone.
    public = Path(tempfile.mkdtemp(prefix="tdld-apache-"))
    public.chmod(0o755)

    def start(site: Path) -> str:
        served = public / "site"
        shutil.copytree(site, served)
        for folder, _dirs, files in os.walk(served):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), 0o644)
        port = free_port()
        user = ""
        if os.geteuid() == 0:
            account = "www-data" if _exists("www-data") else "nobody"
            user = f"User {account}\nGroup {account if account == 'www-data' else 'nogroup'}"
        modules = "\n".join(f"LoadModule {name} {MODULES / file}" for name, file in LOADED.items())
        config = tmp_path / "httpd.conf"
        config.write_text(CONFIG.format(folder=tmp_path, port=port, modules=modules, user=user, site=served),
                          encoding="utf-8")
        log = open(tmp_path / "stdout.log", "wb")
        process = subprocess.Popen([APACHE, "-f", str(config), "-DFOREGROUND"], stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        processes.append((process, log))
        deadline = time.monotonic() + 10
        while not listening(port):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("apache2 did not start: " + (tmp_path / "stdout.log").read_text(errors="replace")
                            + (tmp_path / "error.log").read_text(errors="replace") if (tmp_path / "error.log").exists() else "")
            time.sleep(0.05)
        return f"http://127.0.0.1:{port}"

    yield start
    for process, log in processes:
        stop_process(process, group=True)
        log.close()
    shutil.rmtree(public, ignore_errors=True)


def _exists(user: str) -> bool:
    try:
        pwd.getpwnam(user)
        return True
    except KeyError:
        return False
