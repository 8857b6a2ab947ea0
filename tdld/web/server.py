"""Start a server for a release: granian in production, Werkzeug's server for development.

granian: worker processes respawned if one dies, HTTP parsed and written in Rust. gunicorn
parses HTTP in Python and writes headers and body in two system calls. Measured on two cores
with the same app and data (wrk, 8 / 32 connections), granian answers a repeated query 7.9x /
3.6x faster and a new query text 1.1x faster at 8 connections (see docs/performance.md).
"""

import sys
from functools import partial

from granian.constants import HTTPModes, Interfaces
from granian.http import HTTP1Settings
from granian.server import Server

HEADER_READ_TIMEOUT_MS = 10_000  # a client that sends its headers slower than this is dropped (slowloris)
MAX_REQUEST_BYTES = 64 * 1024  # request line and headers; the app refuses long URLs with 414 itself


def serve_production(release, settings, versions_folder, host: str, port: int, workers: int) -> None:
    """Serve with ``workers`` granian processes sharing one in-memory copy of the release, until stopped."""
    from ..release.folder import verify_release

    # Checked once here, so that a damaged build or a wrong store stops before any worker starts.
    verify_release(release)
    store_for(settings, release)
    print(f"serving {release.name} on http://{host}:{port}/ with {workers} workers (Ctrl-C to stop)",
          file=sys.stderr, flush=True)
    shared = _shared_zygote(release, settings)
    try:
        _granian(partial(_worker_app, release, settings, versions_folder, shared and shared.address), host, port,
                 workers)
    finally:
        if shared is not None:
            shared.stop()


def serve_development(app, host: str, port: int) -> None:
    """Werkzeug's single-process server, restarted when a module changes: for development only."""
    from werkzeug.serving import WSGIRequestHandler, run_simple

    class Anonymous(WSGIRequestHandler):
        """Werkzeug's handler without the Server header, which names Werkzeug and Python with versions."""

        def send_header(self, keyword, value):
            if keyword.lower() != "server":
                super().send_header(keyword, value)

    run_simple(host, port, _prepared(app), threaded=True, use_reloader=True, reloader_type="stat",
               request_handler=Anonymous)


def _granian(app_loader, host: str, port: int, workers: int, threads: int = 4) -> None:
    """Run until SIGINT or SIGTERM. ``app_loader()`` builds the WSGI app in each worker process.

    The loader must be picklable (a module-level function or a partial of one): Python 3.14
    starts processes by spawning, not forking.
    """
    server = Server(
        "tdld",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        http=HTTPModes.http1,
        websockets=False,
        workers=workers,
        blocking_threads=threads,
        backpressure=threads * 16,
        http1_settings=HTTP1Settings(header_read_timeout=HEADER_READ_TIMEOUT_MS, max_buffer_size=MAX_REQUEST_BYTES),
        log_access=True,
        respawn_failed_workers=True,
        respawn_interval=0.5,
        workers_kill_timeout=10,
    )
    server.serve(target_loader=app_loader, wrap_loader=False)


def _worker_app(release, settings, versions_folder, zygote_address=None):
    """The app of one production worker process: the release was verified once before the workers started."""
    from ..read.knowledge import load_release
    from ..release.history import History
    from . import create_app

    app = create_app(load_release(release, store_for(settings, release, check=False), verify=False),
                     settings=settings, history=History(versions_folder))
    return _prepared(app, zygote_address)


def _shared_zygote(release, settings):
    """One process holding the release in memory for every server worker's query workers; None
    when the store is remote or the release is read from disk."""
    import multiprocessing

    from ..sparql.memory import forked_from_memory
    from ..sparql.zygote import SharedZygote

    if settings.store != "embedded" or not forked_from_memory(release, settings.sparql_memory_quads):
        return None
    try:
        return SharedZygote(multiprocessing.get_context("spawn"), release)
    except (OSError, RuntimeError) as error:
        print(f"tdld: no shared query process ({error}); each server worker loads the release itself",
              file=sys.stderr, flush=True)
        return None


def _prepared(app, zygote_address=None):
    """The app with its query workers' release loading in the background, for a server."""
    pool = app.config.get("SPARQL_POOL")  # absent when the app serves no SPARQL
    if pool is not None:
        if zygote_address:
            pool.use_shared_zygote(zygote_address)
        pool.prepare()
    return app


def store_for(settings, release, check: bool = True):
    """None for the embedded store; else the remote store, checked to hold this release unless told not to."""
    if settings.store == "embedded":
        return None
    from ..remote import RemoteStore, open_remote

    if not check:
        return RemoteStore(settings.store, settings.store_timeout)
    return open_remote(settings.store, release, settings.store_timeout)
