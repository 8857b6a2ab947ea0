"""The ``tdld link`` verb: ``link wikidata`` proposes mappings, ``link check`` checks shipped ones. Only this module prints."""

from pathlib import Path

from ..core.namespaces import compact
from ..core.progress import ProgressBar
from ..core.settings import WIKIDATA_SPARQL
from .options import EXIT_FAILED, EXIT_OK, _layout, _number


def cmd_link_wikidata(args) -> int:
    from ..build.load import load_sources
    from ..linking.client import SparqlClient
    from ..linking.table import DEFAULT_NAME
    from ..linking.workflow import link

    layout = _layout(args)
    sources = load_sources(layout)
    output = Path(args.output) if args.output else layout.mappings_dir / DEFAULT_NAME
    cache = Path(args.cache) if args.cache else layout.build_dir / "cache" / "wikidata"
    client = SparqlClient(args.endpoint, cache_dir=cache, timeout=args.timeout)
    report = link(sources.asserted(), client, output, batch_size=args.batch, limit=args.limit,
                  progress=ProgressBar("asking Wikidata"))
    print(f"looked up {report.asked} of {report.linkable} concepts and individuals "
          f"({report.already_linked} already have a reviewed Wikidata mapping)")
    print(f"{report.with_candidates} have candidates: {report.rows} rows in {output} "
          f"({report.requests} requests, {report.cache_hits} answers from the cache in {cache})")
    print("nothing is published until a curator checks a row and fills its reviewer_label")
    return EXIT_OK


def cmd_link_check(args) -> int:
    from ..build.load import load_sources
    from ..linking.client import SparqlClient
    from ..linking.workflow import check

    sources = load_sources(_layout(args))
    report = check(sources.asserted(), SparqlClient(args.endpoint, timeout=args.timeout))
    print(f"{len(report.links)} mappings to {len(report.items)} Wikidata items checked at {report.endpoint}")
    print(f"concepts linked     {report.concepts.mapped:>4}/{report.concepts.total:<4} {report.concepts.percent:5.1f} %")
    print(f"individuals linked  {report.individuals.mapped:>4}/{report.individuals.total:<4} "
          f"{report.individuals.percent:5.1f} %  (dates excluded)")
    for iri in report.missing:
        users = ", ".join(f"{compact(s)} {compact(p)}" for s, p in report.used_by(iri))
        print(f"{compact(iri)} does not resolve (used by {users})")
    for iri, target in report.redirects.items():
        users = ", ".join(f"{compact(s)} {compact(p)}" for s, p in report.used_by(iri))
        print(f"{compact(iri)} was merged into {compact(target)} (used by {users})")
    problems = len(report.missing) + len(report.redirects)
    print("all resolve" if report.ok else f"{problems} of {len(report.items)} items do not resolve")
    return EXIT_OK if report.ok else EXIT_FAILED


def add_link_verbs(verbs) -> None:
    """Add ``link wikidata`` and ``link check`` to the ``tdld`` sub-command parser ``verbs``."""
    link = verbs.add_parser("link", help="propose Wikidata mappings for review, or check the shipped ones")
    sub = link.add_subparsers(dest="link_verb", required=True)

    p = sub.add_parser("wikidata", help="look up unmapped concepts and individuals by label and write candidates "
                                        "to a reviewable SSSOM TSV (exit 0, 2 on load or network error)")
    p.add_argument("--endpoint", default=WIKIDATA_SPARQL, help="SPARQL endpoint (default: %(default)s)")
    p.add_argument("-o", "--output", help="candidate table (default: data/mappings/wikidata-candidates.sssom.tsv)")
    p.add_argument("--cache", help="folder of cached answers (default: build/cache/wikidata in the project)")
    p.add_argument("--batch", type=_number(int, 1), default=20, help="resources per query (default: %(default)s)")
    p.add_argument("--limit", type=_number(int, 1), help="look up only the first N unmapped resources")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an answer (default: %(default)s)")
    p.set_defaults(run=cmd_link_wikidata)

    p = sub.add_parser("check", help="check that every mapped Wikidata item exists and report coverage "
                                     "(exit 0 all resolve, 1 some do not, 2 load or network error)")
    p.add_argument("--endpoint", default=WIKIDATA_SPARQL, help="SPARQL endpoint (default: %(default)s)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for an answer (default: %(default)s)")
    p.set_defaults(run=cmd_link_check)
