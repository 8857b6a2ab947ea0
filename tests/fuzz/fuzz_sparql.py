#!/usr/bin/env python3
"""Coverage-guided fuzzing (atheris) of the SPARQL endpoint's entry points.

    python tests/fuzz/fuzz_sparql.py -runs=200000          # a longer run
    python tests/fuzz/fuzz_sparql.py -max_total_time=3600  # an hour

Feeds arbitrary bytes to the protocol parser and the query guard: they may only answer
with a SparqlError (a 4xx or 503 for the client), never any other exception or a hang.
"""

import sys

import atheris

with atheris.instrument_imports():
    from tdld.core.namespaces import PREFIXES
    from tdld.core.errors import SparqlError
    from tdld.sparql.formats import choose
    from tdld.sparql.guard import Limits, check_query
    from tdld.sparql.protocol import parse_request

LIMITS = Limits(service_allowlist=("https://query.wikidata.org/sparql",),
                graphs=("https://w3id.org/territorial-diplomacy/graph/data",))
CONTENT_TYPES = ["application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update",
                 "text/plain", None, "multipart/form-data; boundary=x"]


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    method = provider.PickValueInList(["GET", "POST", "PUT"])
    content_type = provider.PickValueInList(CONTENT_TYPES)
    query_string = provider.ConsumeBytes(provider.ConsumeIntInRange(0, 200))
    body = provider.ConsumeBytes(provider.ConsumeIntInRange(0, 400))
    accept = provider.ConsumeUnicodeNoSurrogates(60)
    text = provider.ConsumeUnicodeNoSurrogates(2000)
    try:
        parse_request(method, content_type, query_string, body)
    except SparqlError:
        pass
    try:
        checked = check_query(text, LIMITS, PREFIXES)
        choose(checked.form, accept, None)
    except SparqlError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
