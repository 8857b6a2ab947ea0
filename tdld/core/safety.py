"""Switch off what rdflib would fetch on a query's behalf.

rdflib's SPARQL engine (used by pyshacl's SPARQL constraints and the quality
checks) loads any graph named in FROM (``SPARQL_LOAD_GRAPHS`` is True by
default: a local file read or an HTTP request) and runs SERVICE clauses by
making HTTP requests. tdld never needs either, so both are turned off when
tdld is imported.
"""

import rdflib.plugins.sparql
import rdflib.plugins.sparql.evaluate as evaluate


class FetchRefused(Exception):
    """A query tried to make rdflib fetch something."""


def _refuse_service(_ctx, part):
    raise FetchRefused("SERVICE is disabled in tdld's rdflib")


def lock_down() -> None:
    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
    evaluate.evalServiceQuery = _refuse_service
