"""Which triples a store keeps: a release's graphs, and literals that a value-keeping store folds.

Virtuoso keeps one literal per value and position: "2012"^^xsd:gYear, "2012-01"^^xsd:gYearMonth
and "2012-01-01"^^xsd:date all start at the same instant and collide, as do "1" and "1.0".
Publishing and serving accept exactly that folding, and nothing else, as a store holding a release.
"""

import gzip
import re
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from ..core.errors import TdldError
from ..core.namespaces import ALL_GRAPHS

XSD = "http://www.w3.org/2001/XMLSchema#"
TEMPORAL = {XSD + name for name in ("gYear", "gYearMonth", "date", "dateTime", "dateTimeStamp")}
NUMERIC = {XSD + name for name in ("integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
                                   "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt",
                                   "unsignedLong", "unsignedShort", "unsignedByte")}
START = re.compile(r"(-?\d{4,})(?:-(\d\d))?(?:-(\d\d))?(?:T(\d\d):(\d\d):(\d\d(?:\.\d+)?))?")


def value_key(term):
    """What a store that keeps values, not lexical forms, sees of an object."""
    if not isinstance(term, ox.Literal):
        return term
    datatype = term.datatype.value
    if datatype in TEMPORAL:
        found = START.match(term.value)
        if found:
            year, month, day, hour, minute, second = found.groups()
            return ("instant", int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                    float(second or 0))
    if datatype in NUMERIC:
        try:
            return ("number", Decimal(term.value).normalize())
        except ArithmeticError:
            return term
    return term


def merged_by_value(triples: list) -> list:
    """The triples a value-keeping store folds into another triple of the same subject and predicate."""
    seen: dict = {}
    merged = []
    for triple in dict.fromkeys(triples):
        key = (triple.subject, triple.predicate, value_key(triple.object))
        if key in seen:
            merged.append(triple)
        else:
            seen[key] = triple
    return merged


def release_graphs(release: Path) -> dict:
    """The release's triples by named graph, as N-Triples bytes ready to send."""
    triples: dict = {g: [] for g in ALL_GRAPHS}
    try:
        with gzip.open(release / "tdld.nq.gz", "rb") as handle:
            for quad in ox.parse(handle, format=ox.RdfFormat.N_QUADS):
                graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
                if graph not in triples:
                    raise TdldError(f"{release.name}/tdld.nq.gz has a triple outside the dataset's graphs ({graph or 'default graph'})")
                triples[graph].append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except (OSError, EOFError, SyntaxError, ValueError) as error:
        raise TdldError(f"{release.name}/tdld.nq.gz cannot be read ({error}); run 'tdld build'") from None
    return triples


def folded_counts(graphs: dict) -> dict:
    """Distinct triples per graph once literals of equal value are folded."""
    return {g: len(set(t)) - len(merged_by_value(t)) for g, t in graphs.items()}
