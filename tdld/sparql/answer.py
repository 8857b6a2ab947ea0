"""One query evaluated on a pyoxigraph store and written in the chosen format.

The same code answers in a worker process (any query) and in the web process (only
queries of a shape whose cost is bounded by the data, see ``guard.is_bounded``), so
both paths write answers the same way and give the same errors (the same bytes when both
read the store from disk; a worker holding the release in memory may list the solutions
of a query without ORDER BY in another order).
"""

import pyoxigraph as ox

from ..core.errors import SparqlError
from ..core.namespaces import PREFIXES
from .results import SOLUTION_FORMATS, TooMany, take, write_solutions

GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD,
                 "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def answer(store, job, union_default: bool) -> bytes:
    """The body answering ``job``; SparqlError (with its HTTP status) for anything wrong."""
    try:
        return _evaluate(store, job, union_default)
    except SyntaxError as error:
        raise SparqlError("SPARQL syntax error: " + " ".join(str(error).split()), status=400) from None
    except SparqlError:
        raise
    except Exception as error:  # evaluation errors (e.g. a failing SERVICE) are the query's
        raise SparqlError(f"the query could not be evaluated: {' '.join(str(error).split())[:500]}",
                          status=400) from None


def _evaluate(store, job, union_default: bool) -> bytes:
    # Converting tdld's prefixes costs 13 us a query; a query that declares its own needs none.
    options = {"prefixes": PREFIXES} if job.predeclared else {}
    if job.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    elif union_default:
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]

    results = store.query(job.query, **options)
    if isinstance(results, ox.QueryBoolean):
        return results.serialize(format=SOLUTION_FORMATS[job.result_format])
    if isinstance(results, ox.QuerySolutions):
        try:
            names, rows = take(results, job.max_results)
        except TooMany:
            raise SparqlError(f"the query has more than {job.max_results} results; "
                              "narrow it or add a LIMIT", status=413) from None
        return write_solutions(names, rows, job.result_format)
    triples = []
    for triple in results:
        triples.append(triple)
        if len(triples) > job.max_results:
            raise SparqlError(f"the query builds more than {job.max_results} triples; "
                              "narrow it or add a LIMIT", status=413)
    return ox.serialize(triples, format=GRAPH_FORMATS[job.result_format],
                        **({"prefixes": PREFIXES} if job.result_format in ("turtle", "trig") else {}))
