"""A release's quality, published with it: the scorecard as quality.json, its figures in DQV in the VoID.

The build measures (tdld.build.quality); the release keeps what was measured, so that users see
the state of the data without running anything: a page (/quality) and, for machines, W3C Data
Quality Vocabulary measurements on the dataset description.
"""

import json
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from ..core.namespaces import BASE, DATASET
from .void import download_iri

QUALITY_FILE = "quality.json"
VALIDATION_FILE = "validation.ttl"  # the SHACL validation report of the release (asserted data and closure)
DQV = "http://www.w3.org/ns/dqv#"
METRIC = BASE + "quality#"  # tdld's metrics: quality#name-en-EGTC is the share of EGTCs with an English name


def metric_name(kind: str, figure: str) -> str:
    return f"{figure}-{kind}".replace(" ", "-")


def add_measurements(void: Graph, quality: dict) -> None:
    """One dqv:QualityMeasurement per figure of each kind, and the SHACL and consistency results."""
    void.bind("dqv", DQV)
    dataset = URIRef(str(DATASET))
    figures = [(metric_name(kind, figure), value, XSD.integer if figure == "count" else XSD.decimal)
               for kind, values in quality.get("kinds", {}).items() for figure, value in values.items()]
    figures += [("shacl-violations", quality.get("shacl_violations", 0), XSD.integer),
                ("inconsistencies", quality.get("inconsistencies", 0), XSD.integer),
                ("failed-checks", quality.get("check_failures", 0), XSD.integer)]
    for name, value, datatype in figures:
        measurement = BNode(f"q-{name}")
        void.add((dataset, URIRef(DQV + "hasQualityMeasurement"), measurement))
        void.add((measurement, RDF.type, URIRef(DQV + "QualityMeasurement")))
        void.add((measurement, URIRef(DQV + "computedOn"), dataset))
        void.add((measurement, URIRef(DQV + "isMeasurementOf"), URIRef(METRIC + name)))
        void.add((measurement, URIRef(DQV + "value"), Literal(value, datatype=datatype)))


def add_validation_report(void: Graph) -> None:
    """Point the dataset description at the release's SHACL report, as DQV quality metadata."""
    void.bind("dqv", DQV)
    void.add((URIRef(str(DATASET)), URIRef(DQV + "hasQualityMetadata"), download_iri(VALIDATION_FILE)))


def read_quality(release: Path) -> dict | None:
    """The scorecard a release was published with; None for a release made before there was one."""
    path = release / QUALITY_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
