"""Verbs that make and inspect the knowledge: check, reason, build, release, diff, query, stats."""

import csv
import io
import json
import sys
from pathlib import Path

from ..core.errors import SparqlError
from ..core.progress import Progress
from .options import (
    EXIT_FAILED,
    EXIT_OK,
    _add_reasoner_option,
    _add_validator_option,
    _layout,
    _number,
)


def cmd_check(args) -> int:
    from ..build.load import load_sources
    from ..build.pipeline import check, check_closure
    from ..build.reason import reason
    from ..build.shacl.validate import report_as_json, report_as_text, report_as_turtle

    sources = load_sources(_layout(args))
    if args.closure:
        report = check_closure(sources, reason(sources.asserted(), args.reasoner), args.validator)
    else:
        report = check(sources, args.validator)
    render = {"text": report_as_text, "json": report_as_json, "turtle": report_as_turtle}[args.format]
    print(render(report))
    return EXIT_OK if report.conforms else EXIT_FAILED


def cmd_reason(args) -> int:
    from ..build.load import load_sources
    from ..build.reason import reason

    sources = load_sources(_layout(args))
    progress = Progress(total=1)
    with progress.step("reasoning (OWL 2 RL)"):
        result = reason(sources.asserted(), args.reasoner)
    if args.output:
        from ..core.files import write_atomically

        write_atomically(Path(args.output), result.inferred.serialize(format="turtle").encode("utf-8"))
    print(f"consistent: {result.asserted_count} asserted triples, {result.inferred_count} inferred triples")
    return EXIT_OK


def cmd_build(args) -> int:
    from ..build.pipeline import build

    result = build(_layout(args), progress=Progress(total=9), reasoner=args.reasoner, validator=args.validator,
                   force=args.force, max_triples=args.max_triples)
    if result.unchanged:
        print(f"up to date: {result.release.name} was built from the same sources, code and options "
              f"({result.asserted} asserted + {result.inferred} inferred triples); --force builds again")
        return EXIT_OK
    print(f"built {result.release.name}: {result.asserted} asserted + {result.inferred} inferred triples, "
          f"{len(result.files)} dumps in {result.release}")
    return EXIT_OK


def cmd_release(args) -> int:
    from ..versions.cut import cut_release

    folder = cut_release(_layout(args), args.version, progress=Progress(total=9), reasoner=args.reasoner,
                         validator=args.validator)
    print(f"released {folder.name} in {folder} (immutable; tag it in git yourself if you wish)")
    return EXIT_OK


def cmd_diff(args) -> int:
    from ..release.folder import current_release
    from ..release.store import open_store
    from ..versions.changeset import json_text
    from ..versions.compare import (
        changes_as_graph,
        changes_as_text,
        compare,
        layout_history,
    )

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


def _read_query(args) -> str:
    if args.file:
        try:
            return Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SparqlError(f"{args.file}: cannot read query ({getattr(error, 'strerror', None) or error})") from None
    if args.query:
        return args.query
    raise SparqlError("give a query as an argument or with -f FILE")


def format_solutions(variables, rows, fmt: str) -> str:
    from ..release.store import term_text

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

    from ..release.folder import current_release
    from ..release.store import open_store, run_query, solutions_table

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

    from ..build.load import load_sources
    from ..build.pipeline import check
    from ..build.quality import score
    from ..build.reason import reason
    from ..core.errors import Inconsistent

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
    lines += ["", "coverage by kind (%)"] + coverage_table(card.kinds)
    return "\n".join(lines)


def coverage_table(kinds: dict) -> list[str]:
    """One row per kind of thing: how many, and the share with a name per language, a description, a source, a date."""
    columns = list(next(iter(kinds.values())).keys()) if kinds else []
    width = max(len(kind) for kind in kinds) if kinds else 0
    lines = [" " * width + "  " + "  ".join(f"{c:>8}" for c in columns)]
    for kind, figures in kinds.items():
        cells = [f"{figures[c]:>8}" if c == "count" else f"{figures[c]:>8.1f}" for c in columns]
        lines.append(f"{kind:<{width}}  " + "  ".join(cells))
    return lines


def add_build_verbs(verbs) -> None:
    """check, reason, build, release, diff, query and stats."""
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
    p.add_argument("--force", action="store_true",
                   help="build even when the sources, tdld's code and the options are those of the current build")
    p.add_argument("--max-triples", type=_number(int, 0), default=None, metavar="N",
                   help="refuse sources of more than N triples before any work (default: what this machine's memory "
                        "holds; 0: no limit)")
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

    p = verbs.add_parser("stats", help="print the quality scorecard; exit 1 if any check fails")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(run=cmd_stats)
