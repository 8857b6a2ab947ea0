"""Verbs that put a release in front of people: serve, publish, site, selftest."""

import sys
from pathlib import Path

from ..core.namespaces import BASE
from .options import (
    EXIT_FAILED,
    EXIT_OK,
    _layout,
    _number,
    add_settings_options,
    settings_from,
)


def cmd_serve(args) -> int:
    from ..read.knowledge import load_release
    from ..release.folder import current_release
    from ..release.history import History
    from ..web import create_app
    from ..web.server import serve_development, serve_production, store_for

    release = current_release(_layout(args))
    history = History(_layout(args).versions_dir)
    settings = settings_from(args)
    if not args.dev and not args.get:
        serve_production(release, settings, history.folder, args.host, args.port, args.workers or default_workers())
        return EXIT_OK
    knowledge = load_release(release, store_for(settings, release))
    app = create_app(knowledge, settings=settings, history=history)
    if args.get:
        response = app.test_client().get(args.get, headers={"Accept": args.accept})
        sys.stdout.write(response.get_data(as_text=True))
        return EXIT_OK if response.status_code < 400 else EXIT_FAILED
    print(f"serving {release.name} on http://{args.host}:{args.port}/ with the development server, which reloads "
          "when the code changes (not for production; Ctrl-C to stop)", file=sys.stderr, flush=True)
    serve_development(app, args.host, args.port)
    return EXIT_OK


def default_workers() -> int:
    """One server worker per core this process may use, at most 8 (the query workers are separate)."""
    import os

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, 8))


def cmd_publish(args) -> int:
    from ..release.folder import current_release
    from ..remote.publish import publish_release

    release = current_release(_layout(args))
    result = publish_release(release, args.store, args.graph_store, replace=args.replace, timeout=args.timeout)
    print(result.summary())
    return EXIT_OK


def cmd_site(args) -> int:
    from ..release.folder import current_release
    from ..release.history import History
    from ..web.site import build_site

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


def add_serve_verbs(verbs) -> None:
    """serve, publish, site and selftest."""
    p = verbs.add_parser("serve", help="serve the built dataset as linked data over HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_number(int, 1, maximum=65535), default=8000)
    p.add_argument("--workers", type=_number(int, 0), default=0,
                   help="server worker processes (default 0: one per core, at most 8)")
    p.add_argument("--dev", action="store_true",
                   help="serve with Werkzeug's development server, reloading when the code changes (not for production)")
    add_settings_options(p)
    p.add_argument("--get", metavar="PATH", help="answer one request in-process and print the body (no socket)")
    p.add_argument("--accept", default="text/html", help="Accept header for --get")
    p.set_defaults(run=cmd_serve)

    p = verbs.add_parser("publish", help="load the built release into a remote SPARQL store and verify it; "
                                         "exit 1 if the store holds it already or differs, 2 on errors")
    p.add_argument("--store", required=True, help="the store's SPARQL query endpoint (Oxigraph: .../query, Virtuoso: .../sparql)")
    p.add_argument("--graph-store", help="its Graph Store Protocol endpoint (default: .../store beside .../query, "
                                         ".../sparql-graph-crud-auth beside .../sparql); user:password@ in the URL or "
                                         "TDLD_STORE_USER / TDLD_STORE_PASSWORD for stores that need them")
    p.add_argument("--replace", action="store_true", help="replace the dataset's graphs if the store holds them")
    p.add_argument("--timeout", type=float, default=300.0, help="seconds each request may take (default: %(default)s)")
    p.set_defaults(run=cmd_publish)

    p = verbs.add_parser("site", help="write the static site (HTML, per-resource RDF, conneg rules) into site/")
    p.add_argument("-o", "--output", help="target folder (default: site/ in the project)")
    p.add_argument("--base", default=BASE, help="the IRI base mapped onto the site's paths (default: %(default)s)")
    p.set_defaults(run=cmd_site)

    p = verbs.add_parser("selftest", help="check a running deployment (server or static site) against what tdld "
                                          "promises; exit 0 all pass, 1 a check fails, 2 unreachable or bad arguments")
    p.add_argument("url", nargs="?", help="the deployment's root URL, e.g. http://127.0.0.1:8000/")
    p.add_argument("--format", default="text", metavar="text|json", help="report format (default: %(default)s)")
    p.add_argument("--base", help="the IRI base the deployment serves at URL (default: the VoID's void:uriSpace)")
    p.add_argument("--timeout", default="10", metavar="S", help="seconds each request may take (default: %(default)s)")
    p.set_defaults(run=cmd_selftest)
