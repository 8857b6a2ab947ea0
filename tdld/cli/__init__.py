"""The ``tdld`` command: verbs over the library's plain functions. Only ``tdld.cli`` prints."""

import argparse
import sys

from ..core.errors import TdldError
from .build import add_build_verbs
from .link import add_link_verbs
from .options import EXIT_OK, OneLineParser
from .serve import add_serve_verbs


def parser() -> argparse.ArgumentParser:
    top = OneLineParser(prog="tdld", description="Build, check and query the territorial diplomacy knowledge base.")
    top.add_argument("--root", help="project folder holding ontology/, shapes/, data/ (default: this checkout)")
    verbs = top.add_subparsers(dest="verb", required=True)

    add_build_verbs(verbs)
    add_serve_verbs(verbs)
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
