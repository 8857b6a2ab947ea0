"""Verbs that put a release in front of people: serve, publish, site, selftest."""

import sys
from pathlib import Path
from .options import EXIT_FAILED, EXIT_OK, _layout






def cmd_serve(args) -> int:
    from werkzeug.serving import run_simple

    from ..read.knowledge import load_release
    from ..release.folder import current_release
    from ..core.settings import Settings
    from ..web import create_app

    from ..release.history import History

    release = current_release(_layout(args))
    history = History(_layout(args).versions_dir)
    allowlist = tuple(u.strip() for u in args.service_allowlist.split(",") if u.strip())
    settings = Settings(base=args.base, sparql_timeout=args.sparql_timeout, sparql_workers=args.sparql_workers,
                        sparql_memory_quads=args.sparql_memory_quads,
                        sparql_max_results=args.sparql_max_results, service_allowlist=allowlist,
                        rate_limit=args.rate_limit, rate_limit_loopback=args.rate_limit_loopback,
                        trusted_proxies=args.trusted_proxies, store=args.store, store_timeout=args.store_timeout,
                        cache_mb=args.cache_mb)
    if args.workers:
        from functools import partial

        from ..release.folder import verify_release
        from ..web.server import serve

        # Checked once here, so that a damaged build or a wrong store stops before any worker starts.
        verify_release(release)
        _store(settings, release)
        print(f"serving {release.name} on http://{args.host}:{args.port}/ with {args.workers} workers (Ctrl-C to stop)",
              file=sys.stderr, flush=True)
        shared = _shared_zygote(release, settings)
        try:
            serve(partial(_worker_app, release, settings, history.folder, shared and shared.address),
                  args.host, args.port, args.workers)
        finally:
            if shared is not None:
                shared.stop()
        return EXIT_OK
    knowledge = load_release(release, _store(settings, release))
    if args.get:
        client = create_app(knowledge, settings=settings, history=history).test_client()
        response = client.get(args.get, headers={"Accept": args.accept})
        sys.stdout.write(response.get_data(as_text=True))
        return EXIT_OK if response.status_code < 400 else EXIT_FAILED
    print(f"serving {release.name} on http://{args.host}:{args.port}/ (Ctrl-C to stop)", file=sys.stderr, flush=True)
    run_simple(args.host, args.port, _prepared(create_app(knowledge, settings=settings, history=history)),
               threaded=True, use_reloader=False)
    return EXIT_OK


def cmd_publish(args) -> int:
    from ..release.folder import current_release
    from ..remote.publish import publish_release

    release = current_release(_layout(args))
    result = publish_release(release, args.store, args.graph_store, replace=args.replace, timeout=args.timeout)
    print(result.summary())
    return EXIT_OK


def cmd_site(args) -> int:
    from ..release.folder import current_release
    from ..web.site import build_site
    from ..release.history import History

    layout = _layout(args)
    out = Path(args.output) if args.output else layout.root / "site"
    count = build_site(current_release(layout), out, base=args.base, history=History(layout.versions_dir))
    print(f"wrote {count} files to {out}")
    return EXIT_OK


def cmd_selftest(args) -> int:
    from ..selftest import render_json, render_text, run
    from ..selftest.arguments import checked

    url, fmt, base, timeout = checked(args.url, args.format, args.base, args.timeout)
    report = run(url, base=base, timeout=timeout)
    print(render_json(report) if fmt == "json" else render_text(report))
    return report.exit_code


def _worker_app(release, settings, versions_folder, zygote_address=None):
    """The app of one production worker process: the release was verified once before the workers started."""
    from ..read.knowledge import load_release
    from ..release.history import History
    from ..web import create_app

    app = create_app(load_release(release, _store(settings, release, check=False), verify=False),
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


def _store(settings, release, check: bool = True):
    """None for the embedded store; else the remote store, checked to hold this release unless told not to."""
    if settings.store == "embedded":
        return None
    from ..remote import RemoteStore, open_remote

    if not check:
        return RemoteStore(settings.store, settings.store_timeout)
    return open_remote(settings.store, release, settings.store_timeout)
