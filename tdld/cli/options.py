"""What every verb of the command line shares: the parser, number checks, the project layout."""

import argparse
from pathlib import Path
from ..core.layout import Layout


EXIT_OK, EXIT_FAILED = 0, 1


def _layout(args) -> Layout:
    return Layout(Path(args.root).resolve()) if args.root else Layout()


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


def _add_reasoner_option(p) -> None:
    from ..build.reason import REASONERS, default_reasoner

    p.add_argument("--reasoner", choices=REASONERS, default=default_reasoner(),
                   help="OWL 2 RL engine: reasonable (fast, when installed) or owlrl (the reference) (default: %(default)s)")


def _add_validator_option(p) -> None:
    from ..build.shacl.validate import DEFAULT_VALIDATOR, VALIDATORS

    p.add_argument("--validator", choices=VALIDATORS, default=DEFAULT_VALIDATOR,
                   help="SHACL engine: fast (SPARQL on pyoxigraph; falls back to pyshacl for shapes it cannot "
                        "evaluate) or pyshacl (the reference) (default: %(default)s)")
