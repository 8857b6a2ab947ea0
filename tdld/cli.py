"""The ``tdld`` command: verbs over the pipeline's plain functions. Only this module prints."""

import argparse
import csv
import io
import json
import sys
from pathlib import Path

from .errors import QueryError, TdldError
from .layout import Layout
from .linking.cli import add_link_verbs
from .namespaces import BASE
from .settings import WIKIDATA_SPARQL
from .progress import Progress

EXIT_OK, EXIT_FAILED = 0, 1


def _layout(args) -> Layout:
    return Layout(Path(args.root).resolve()) if args.root else Layout()


def cmd_check(args) -> int:
    from .load import load_sources
    from .pipeline import check, check_closure
    from .reason import reason
    from .validate import report_as_json, report_as_text, report_as_turtle

    sources = load_sources(_layout(args))
    if args.closure:
        report = check_closure(sources, reason(sources.asserted(), args.reasoner), args.validator)
    else:
        report = check(sources, args.validator)
    render = {"text": report_as_text, "json": report_as_json, "turtle": report_as_turtle}[args.format]
    print(render(report))
    return EXIT_OK if report.conforms else EXIT_FAILED


def cmd_reason(args) -> int:
    from .load import load_sources
    from .reason import reason

    sources = load_sources(_layout(args))
    progress = Progress(total=1)
    with progress.step("reasoning (OWL 2 RL)"):
        result = reason(sources.asserted(), args.reasoner)
    if args.output:
        from .dump import write_file

        target = Path(args.output)
        temporary = target.with_name(f".{target.name}.tmp")
        write_file(temporary, result.inferred.serialize(format="turtle").encode("utf-8"))
        temporary.replace(target)
    print(f"consistent: {result.asserted_count} asserted triples, {result.inferred_count} inferred triples")
    return EXIT_OK


def cmd_release(args) -> int:
    from .versions.release import cut_release

    folder = cut_release(_layout(args), args.version, progress=Progress(total=5), reasoner=args.reasoner,
                         validator=args.validator)
    print(f"released {folder.name} in {folder} (immutable; tag it in git yourself if you wish)")
    return EXIT_OK


def cmd_diff(args) -> int:
    from .pipeline import current_release
    from .store import open_store
    from .versions.changeset import json_text
    from .versions.compare import changes_as_graph, changes_as_text, compare, layout_history

    layout = _layout(args)
    changes, old_iri, new_iri = compare(layout_history(layout), args.old, args.new,
                                        lambda: open_store(current_release(layout)))
    if args.format == "json":
        sys.stdout.write(json_text(changes))
    elif args.format == "turtle":
        print(changes_as_graph(changes, old_iri, new_iri).serialize(format="turtle"))
    else:
        print(changes_as_text(changes))
    return EXIT_OK


def cmd_build(args) -> int:
    from .pipeline import build

    result = build(_layout(args), progress=Progress(total=5), reasoner=args.reasoner, validator=args.validator)
    print(f"built {result.release.name}: {result.asserted} asserted + {result.inferred} inferred triples, "
          f"{len(result.files)} dumps in {result.release}")
    return EXIT_OK


def _read_query(args) -> str:
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise QueryError(f"{args.file}: cannot read query ({getattr(error, 'strerror', None) or error})") from None
    if args.query:
        return args.query
    raise QueryError("give a query as an argument or with -f FILE")


def format_solutions(variables, rows, fmt: str) -> str:
    from .store import term_text

    texts = [[term_text(t) for t in row] for row in rows]
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(variables)
        writer.writerows(texts)
        return out.getvalue().rstrip("\n")
    if fmt == "json":
        return json.dumps([dict(zip(variables, row)) for row in texts], indent=2, ensure_ascii=False)
    widths = [max([len(v)] + [len(r[i]) for r in texts]) for i, v in enumerate(variables)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    parts = [line(variables), "-+-".join("-" * w for w in widths)] + [line(r) for r in texts]
    parts.append(f"({len(texts)} row{'s' if len(texts) != 1 else ''})")
    return "\n".join(parts)


def cmd_query(args) -> int:
    import pyoxigraph as ox

    from .pipeline import current_release
    from .store import open_store, run_query, solutions_table

    query = _read_query(args)
    store = open_store(current_release(_layout(args)))
    results = run_query(store, query)
    if isinstance(results, ox.QueryBoolean):
        print("true" if bool(results) else "false")
    elif isinstance(results, ox.QuerySolutions):
        variables, rows = solutions_table(results)
        print(format_solutions(variables, rows, args.format))
    else:
        fmt = ox.RdfFormat.N_TRIPLES if args.format in ("csv", "tsv", "json") else ox.RdfFormat.TURTLE
        sys.stdout.write(ox.serialize(results, format=fmt).decode("utf-8"))
    return EXIT_OK


def cmd_stats(args) -> int:
    from dataclasses import asdict

    from .errors import Inconsistent
    from .load import load_sources
    from .pipeline import check
    from .quality import score
    from .reason import reason

    sources = load_sources(_layout(args))
    asserted = sources.asserted()
    card = score(asserted)
    card.shacl_violations = check(sources).count()
    try:
        reason(asserted)
    except Inconsistent as error:
        card.inconsistencies = len(error.problems)
    if args.format == "json":
        print(json.dumps(asdict(card) | {"check_failures": card.check_failures}, indent=2))
    else:
        print(render_scorecard(card))
    clean = card.check_failures == 0 and card.shacl_violations == 0 and card.inconsistencies == 0
    return EXIT_OK if clean else EXIT_FAILED


def cmd_serve(args) -> int:
    from werkzeug.serving import run_simple

    from .knowledge import load_release
    from .pipeline import current_release
    from .settings import Settings
    from .web import create_app

    from .versions.history import History

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

        from .knowledge import verify_release
        from .production import serve

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


def _worker_app(release, settings, versions_folder, zygote_address=None):
    """The app of one production worker process: the release was verified once before the workers started."""
    from .knowledge import load_release
    from .versions.history import History
    from .web import create_app

    app = create_app(load_release(release, _store(settings, release, check=False), verify=False),
                     settings=settings, history=History(versions_folder))
    return _prepared(app, zygote_address)


def _shared_zygote(release, settings):
    """One process holding the release in memory for every server worker's query workers; None
    when the store is remote or the release is read from disk."""
    import multiprocessing

    from .sparql.memory import forked_from_memory
    from .sparql.zygote import SharedZygote

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
    from .remote import RemoteStore, open_remote

    if not check:
        return RemoteStore(settings.store, settings.store_timeout)
    return open_remote(settings.store, release, settings.store_timeout)


def cmd_publish(args) -> int:
    from .pipeline import current_release
    from .publish import publish_release

    release = current_release(_layout(args))
    result = publish_release(release, args.store, args.graph_store, replace=args.replace, timeout=args.timeout)
    print(result.summary())
    return EXIT_OK


def cmd_site(args) -> int:
    from .pipeline import current_release
    from .site import build_site
    from .versions.history import History

    layout = _layout(args)
    out = Path(args.output) if args.output else layout.root / "site"
    count = build_site(current_release(layout), out, base=args.base, history=History(layout.versions_dir))
    print(f"wrote {count} files to {out}")
    return EXIT_OK


def cmd_selftest(args) -> int:
    from .selftest import render_json, render_text, run
    from .selftest.arguments import checked

    url, fmt, base, timeout = checked(args.url, args.format, args.base, args.timeout)
    report = run(url, base=base, timeout=timeout)
    print(render_json(report) if fmt == "json" else render_text(report))
    return report.exit_code


def render_scorecard(card) -> str:
    lines = [
        f"concepts                     {card.concepts}",
        f"individuals                  {card.individuals}",
    ]
    lines += [f"prefLabel @{lang}                {pct:5.1f} %" for lang, pct in card.pref_label_coverage.items()]
    lines += [f"definition @{lang}               {pct:5.1f} %" for lang, pct in card.definition_coverage.items()]
    lines += [
        f"with a source                {card.source_coverage:5.1f} %",
        f"Wikidata-linked concepts     {card.wikidata_concepts:5.1f} %",
        f"Wikidata-linked individuals  {card.wikidata_individuals:5.1f} %",
        f"SHACL violations             {card.shacl_violations}",
        f"inconsistencies              {card.inconsistencies}",
    ]
    for name, rows in card.checks.items():
        lines.append(f"{name:<28} {len(rows)}" + (f"  ({', '.join(rows[:5])})" if rows else ""))
    return "\n".join(lines)


def _add_reasoner_option(p) -> None:
    from .reason import REASONERS, default_reasoner

    p.add_argument("--reasoner", choices=REASONERS, default=default_reasoner(),
                   help="OWL 2 RL engine: reasonable (fast, when installed) or owlrl (the reference) (default: %(default)s)")


def _add_validator_option(p) -> None:
    from .validate import DEFAULT_VALIDATOR, VALIDATORS

    p.add_argument("--validator", choices=VALIDATORS, default=DEFAULT_VALIDATOR,
                   help="SHACL engine: fast (SPARQL on pyoxigraph; falls back to pyshacl for shapes it cannot "
                        "evaluate) or pyshacl (the reference) (default: %(default)s)")


class OneLineParser(argparse.ArgumentParser):
    """Usage errors in one line, like every other error of the command line (``--help`` shows usage)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def _number(kind: type, minimum: float, above: bool = False, maximum: float | None = None):
    """An argparse type for a number of ``kind`` at least (or, with ``above``, more than) ``minimum``."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {'whole ' if kind is int else ''}number: {text!r}") from None
        if value != value or (value <= minimum if above else value < minimum):  # NaN fails too
            raise argparse.ArgumentTypeError(f"must be {'more than' if above else 'at least'} {minimum:g}, not {text}")
        if maximum is not None and value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum:g}, not {text}")
        return value
    return parse


def parser() -> argparse.ArgumentParser:
    top = OneLineParser(prog="tdld", description="Build, check and query the territorial diplomacy knowledge base.")
    top.add_argument("--root", help="project folder holding ontology/, shapes/, data/ (default: this checkout)")
    verbs = top.add_subparsers(dest="verb", required=True)

    p = verbs.add_parser("check", help="SHACL-validate the sources; exit 0 conforms, 1 violations, 2 load error")
    p.add_argument("--format", choices=("text", "turtle", "json"), default="text")
    p.add_argument("--closure", action="store_true", help="validate the sources plus their OWL RL closure")
    _add_reasoner_option(p)
    _add_validator_option(p)
    p.set_defaults(run=cmd_check)

    p = verbs.add_parser("reason", help="compute the OWL 2 RL closure; exit 1 on inconsistency")
    p.add_argument("-o", "--output", help="write the inferred triples to this Turtle file")
    _add_reasoner_option(p)
    p.set_defaults(run=cmd_reason)

    p = verbs.add_parser("build", help="check, reason, validate the closure, write the dumps atomically")
    _add_reasoner_option(p)
    _add_validator_option(p)
    p.set_defaults(run=cmd_build)

    p = verbs.add_parser("release", help="build, then freeze the build as immutable release X.Y.Z in versions/")
    p.add_argument("version", help="the release number, MAJOR.MINOR.PATCH (see docs/versioning.md)")
    _add_reasoner_option(p)
    _add_validator_option(p)
    p.set_defaults(run=cmd_release)

    p = verbs.add_parser("diff", help="what changed between two releases, or the last release and the build")
    p.add_argument("old", nargs="?", help="a release number (default: the last release)")
    p.add_argument("new", nargs="?", help="a release number or 'build' (default: build, the working build)")
    p.add_argument("--format", choices=("text", "json", "turtle"), default="text")
    p.set_defaults(run=cmd_diff)

    p = verbs.add_parser("query", help="run SPARQL against the built dataset")
    p.add_argument("query", nargs="?", help="the SPARQL query text")
    p.add_argument("-f", "--file", help="read the query from this file")
    p.add_argument("--format", choices=("table", "csv", "tsv", "json"), default="table")
    p.set_defaults(run=cmd_query)

    p = verbs.add_parser("serve", help="serve the built dataset as linked data over HTTP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_number(int, 1, maximum=65535), default=8000)
    p.add_argument("--base", default=BASE, help="the IRI base mapped onto the server's paths (default: %(default)s)")
    p.add_argument("--workers", type=_number(int, 0), default=0,
                   help="serve with granian and this many worker processes (production); 0: a single-process server")
    p.add_argument("--rate-limit", type=_number(float, 0), default=0.0,
                   help="requests per minute per client address, 429 beyond; 0 turns it off (default: %(default)s)")
    p.add_argument("--rate-limit-loopback", action="store_true", help="also limit clients on the loopback interface")
    p.add_argument("--trusted-proxies", type=_number(int, 0), default=0,
                   help="number of reverse proxies in front whose X-Forwarded-For names the client (default: 0)")
    p.add_argument("--sparql-timeout", type=_number(float, 0, above=True), default=10.0, help="seconds a SPARQL query may run (default: %(default)s)")
    p.add_argument("--sparql-workers", type=_number(int, 1), default=2, help="SPARQL worker processes (default: %(default)s)")
    p.add_argument("--sparql-memory-quads", type=_number(int, 0), default=500_000,
                   help="query workers read a release of at most this many quads from memory, "
                        "faster for lookups and joins; 0 reads from disk only (default: %(default)s)")
    p.add_argument("--sparql-max-results", type=_number(int, 1), default=10_000, help="most rows or triples per query (default: %(default)s)")
    p.add_argument("--service-allowlist", default=WIKIDATA_SPARQL,
                   help="comma-separated endpoints SERVICE may call; empty for none (default: %(default)s)")
    p.add_argument("--store", default="embedded",
                   help="'embedded' (default), or the SPARQL query endpoint of a store loaded by 'tdld publish'")
    p.add_argument("--store-timeout", type=_number(float, 0, above=True), default=30.0,
                   help="seconds a request to a remote store may take, for pages (default: %(default)s)")
    p.add_argument("--cache-mb", type=_number(float, 0), default=64.0,
                   help="memory per process for answers already made for this release; 0 turns it off (default: %(default)s)")
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

    p = verbs.add_parser("stats", help="print the quality scorecard; exit 1 if any check fails")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_stats)
    add_link_verbs(verbs)
    return top


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except TdldError as error:
        print(f"tdld: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("tdld: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
