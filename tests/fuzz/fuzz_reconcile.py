#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of the reconciliation service's request parsing.

    python tests/fuzz/fuzz_reconcile.py -max_total_time=3600

Arbitrary text as `queries=`, `extend=` and a JSONP callback: the parsers may only answer
with a ReconcileError (a 4xx JSON error for the client), never any other exception.
"""

import sys

import atheris

with atheris.instrument_imports():
    from tdld.reconcile.errors import ReconcileError
    from tdld.reconcile.protocol import check_callback, parse_batch, parse_extension


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    for parse in (parse_batch, parse_extension, check_callback):
        try:
            parse(provider.ConsumeUnicodeNoSurrogates(provider.ConsumeIntInRange(0, 3000)))
        except ReconcileError:
            pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
