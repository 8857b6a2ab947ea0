"""The ``tdld`` command: verbs over the library's plain functions. Only ``tdld.cli`` prints."""

import argparse
import sys

from ..core.errors import TdldError
from ..core.namespaces import BASE
from ..core.settings import WIKIDATA_SPARQL
from .build import cmd_build, cmd_check, cmd_diff, cmd_query, cmd_reason, cmd_release, cmd_stats
from .link import add_link_verbs
from .options import EXIT_OK, OneLineParser, _add_reasoner_option, _add_validator_option, _number
from .serve import cmd_publish, cmd_selftest, cmd_serve, cmd_site


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
