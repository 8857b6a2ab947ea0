"""SHACL validation, returned as plain data; printing is the CLI's job.

Two engines give the same results: pyshacl, the reference, and the fast validator
(:mod:`tdld.build.shacl.fast`), which runs one SPARQL query per constraint on pyoxigraph.
The fast one falls back to pyshacl when the shapes use a feature it does not evaluate.
"""

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from ...core.errors import SourceError
from ...core.namespaces import SH, bind_prefixes

VALIDATORS = ("fast", "pyshacl")
DEFAULT_VALIDATOR = "fast"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    focus: str
    focus_iri: str
    path: str
    message: str
    severity: str
    value: str
    shape: str


@dataclass
class Report:
    conforms: bool
    violations: list
    results: Graph

    def count(self, severity: str = "Violation") -> int:
        return sum(1 for v in self.violations if v.severity == severity)


def _short(graph: Graph, term) -> str:
    """A readable form of a term: a CURIE where a prefix is known."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return graph.namespace_manager.normalizeUri(term)
    if isinstance(term, Literal):
        return term.n3(graph.namespace_manager)
    return "[]"


def _path_text(results: Graph, node, data: Graph) -> str:
    path = results.value(node, SH.resultPath)
    if path is None:
        return ""
    if isinstance(path, URIRef):
        return _short(data, path)
    inverse = results.value(path, SH.inversePath)
    return "^" + _short(data, inverse) if inverse is not None else "(complex path)"


def validate_graph(data: Graph, shapes: Graph) -> Report:
    """Validate ``data`` against ``shapes``; never print, never raise on non-conformance."""
    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(results, Graph):
        raise SourceError(f"the SHACL shapes are not usable: {results}")
    bind_prefixes(results)
    return report_from_results(results, data, shapes)


def validate_triples(triples: Iterable | ox.Store, shapes: Graph, data: Callable[[], Graph],
                     validator: str = DEFAULT_VALIDATOR) -> Report:
    """Validate pyoxigraph triples, quads or a whole store (graphs merged) with the chosen engine.

    ``data`` gives the same triples as an rdflib graph, built only if pyshacl runs.
    """
    if validator not in VALIDATORS:
        raise ValueError(f"unknown SHACL validator {validator!r}; choose one of {', '.join(VALIDATORS)}")
    if validator == "fast":
        from .compile import compile_shapes
        from .fast import data_store, validate_store
        from .fragments import UnsupportedFeature

        try:
            checks = compile_shapes(shapes)
        except UnsupportedFeature as error:
            log.warning("%s; validating with pyshacl instead", error)
        else:
            store = triples if isinstance(triples, ox.Store) else data_store(triples)
            results = validate_store(store, shapes, checks)
            return report_from_results(results, results, shapes)
    return validate_graph(data(), shapes)


def report_from_results(results: Graph, data: Graph, shapes: Graph) -> Report:
    """A SHACL results graph as a Report; ``data`` names the terms (its prefixes)."""
    violations = []
    for node in results.subjects(RDF.type, SH.ValidationResult):
        message = results.value(node, SH.resultMessage)
        severity = results.value(node, SH.resultSeverity)
        value = results.value(node, SH.value)
        focus = results.value(node, SH.focusNode)
        violations.append(
            Violation(
                focus=_short(data, focus),
                focus_iri=str(focus),
                path=_path_text(results, node, data),
                message=str(message) if message is not None else "does not conform",
                severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
                value=_short(data, value) if value is not None else "",
                shape=_short(shapes, results.value(node, SH.sourceShape)),
            )
        )
    violations.sort(key=lambda v: (v.severity != "Violation", v.focus, v.path, v.message))
    real = [v for v in violations if v.severity == "Violation"]
    return Report(conforms=not real, violations=violations, results=results)


def report_as_text(report: Report) -> str:
    if not report.violations:
        return "conforms: no violation"
    lines = [f"{v.severity}: {v.focus} {v.path}: {v.message}" + (f" (value: {v.value})" if v.value else "") for v in report.violations]
    lines.append(f"{report.count('Violation')} violation(s), {report.count('Warning')} warning(s)")
    return "\n".join(lines)


def report_as_json(report: Report) -> str:
    return json.dumps({"conforms": report.conforms, "results": [asdict(v) for v in report.violations]}, indent=2, ensure_ascii=False)


def report_as_turtle(report: Report) -> str:
    return report.results.serialize(format="turtle")
