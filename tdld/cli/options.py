"""What every verb of the command line shares: the parser, number checks, the project layout."""

import argparse
from dataclasses import fields
from pathlib import Path

from ..core.layout import Layout
from ..core.settings import Settings

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
                   help="OWL 2 RL engine: compiled (tdld's rules for the axioms its ontology uses; other ontologies go to reasonable, or to owlrl without it), reasonable (fast, when installed) or owlrl (the reference) (default: %(default)s)")


def _add_validator_option(p) -> None:
    from ..build.shacl.validate import DEFAULT_VALIDATOR, VALIDATORS

    p.add_argument("--validator", choices=VALIDATORS, default=DEFAULT_VALIDATOR,
                   help="SHACL engine: fast (SPARQL on pyoxigraph; falls back to pyshacl for shapes it cannot "
                        "evaluate) or pyshacl (the reference) (default: %(default)s)")


def add_settings_options(p) -> None:
    """One option per server setting, generated from the registry: ``sparql_timeout`` is ``--sparql-timeout``."""
    for setting in fields(Settings):
        flag = "--" + setting.name.replace("_", "-")
        meta = setting.metadata
        if setting.type is bool:
            p.add_argument(flag, dest=setting.name, action="store_true", help=meta["help"])
        elif setting.type is tuple:
            p.add_argument(flag, dest=setting.name, default=",".join(setting.default), type=_comma_list,
                           help=meta["help"] + " (default: %(default)s)")
        elif setting.type in (int, float):
            above = "above" in meta
            kind = _number(setting.type, meta["above"] if above else meta["minimum"], above=above,
                           maximum=meta.get("maximum"))
            p.add_argument(flag, dest=setting.name, type=kind, default=setting.default,
                           help=meta["help"] + " (default: %(default)s)")
        else:
            p.add_argument(flag, dest=setting.name, default=setting.default,
                           help=meta["help"] + " (default: %(default)s)")


def settings_from(args) -> Settings:
    values = {s.name: getattr(args, s.name) for s in fields(Settings)}
    if isinstance(values["service_allowlist"], str):  # the default, as written in the help
        values["service_allowlist"] = _comma_list(values["service_allowlist"])
    return Settings(**values)


def _comma_list(text: str) -> tuple:
    return tuple(part.strip() for part in text.split(",") if part.strip())
