"""Read SSSOM TSV mapping tables and compile their reviewed rows into RDF.

Each reviewed row gives the mapping triple itself (what users query) and an
``sssom:Mapping`` node carrying its evidence (justification, confidence, author,
reviewer, date, comment), so that nobody has to trust a link blindly. A reviewed row
whose ``predicate_modifier`` is ``Not`` records a rejected candidate: its evidence is
kept, the link is not made.
"""

import csv
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from ..core.errors import SourceError
from ..core.namespaces import SSSOM

REQUIRED_COLUMNS = ("subject_id", "predicate_id", "object_id", "mapping_justification", "confidence", "mapping_date")
ALLOWED_PREDICATES = {
    "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2004/02/skos/core#closeMatch",
    "http://www.w3.org/2004/02/skos/core#broadMatch",
    "http://www.w3.org/2004/02/skos/core#narrowMatch",
    "http://www.w3.org/2004/02/skos/core#relatedMatch",
    "http://schema.org/sameAs",
}
LITERAL_COLUMNS = ("subject_label", "object_label", "author_label", "reviewer_label", "comment", "predicate_modifier")


@dataclass(frozen=True)
class MappingRow:
    line: int
    values: dict

    @property
    def reviewed(self) -> bool:
        return bool(self.values.get("reviewer_label") or self.values.get("reviewer_id"))


@dataclass
class MappingTable:
    path: Path
    metadata: dict
    curie_map: dict
    columns: list
    rows: list


def parse_header(lines: list[str]) -> tuple[dict, dict]:
    """Parse the small YAML subset SSSOM headers use: scalars and the curie_map block."""
    metadata: dict = {}
    curie_map: dict = {}
    in_curie_map = False
    for raw in lines:
        text = raw[1:].rstrip()
        if not text.strip():
            continue
        if in_curie_map and text.startswith("  "):
            prefix, _, iri = text.strip().partition(":")
            curie_map[prefix.strip()] = iri.strip().strip("\"'")
            continue
        in_curie_map = False
        key, _, value = text.strip().partition(":")
        if key == "curie_map" and not value.strip():
            in_curie_map = True
        else:
            metadata[key.strip()] = value.strip().strip("\"'")
    return metadata, curie_map


def read_table(path: Path) -> MappingTable:
    """Read one SSSOM TSV file; raise SourceError naming file and line on any defect."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{path}: cannot read ({error})") from None
    header = [line for line in lines if line.startswith("#")]
    body_start = len(header)
    if any(not line.startswith("#") for line in lines[:body_start]):
        raise SourceError(f"{path}: the '#' header must come before the table")
    metadata, curie_map = parse_header(header)
    reader = csv.reader(lines[body_start:], delimiter="\t", quoting=csv.QUOTE_NONE)
    try:
        columns = next(reader)
    except StopIteration:
        raise SourceError(f"{path}: no table after the header") from None
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SourceError(f"{path}:{body_start + 1}: missing column(s) {', '.join(missing)}")
    rows = []
    for offset, cells in enumerate(reader, start=body_start + 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            raise SourceError(f"{path}:{offset}: {len(cells)} cells where the header has {len(columns)} columns")
        rows.append(MappingRow(offset, dict(zip(columns, (c.strip() for c in cells)))))
    return MappingTable(path, metadata, curie_map, columns, rows)


def expand(curie: str, curie_map: dict, where: str) -> URIRef:
    """Turn a CURIE (or a full IRI) into an IRI, or explain which prefix is unknown."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", curie):
        return URIRef(curie)
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in curie_map:
        raise SourceError(f"{where}: unknown prefix in {curie!r}; declare it in the curie_map")
    return URIRef(curie_map[prefix] + local)


def compile_row(row: MappingRow, table: MappingTable, graph: Graph) -> None:
    where = f"{table.path}:{row.line}"
    values = row.values
    subject = expand(values["subject_id"], table.curie_map, where)
    predicate = expand(values["predicate_id"], table.curie_map, where)
    obj = expand(values["object_id"], table.curie_map, where)
    if str(predicate) not in ALLOWED_PREDICATES:
        raise SourceError(f"{where}: predicate {values['predicate_id']} is not a mapping predicate tdld accepts")
    try:
        confidence = float(values["confidence"])
    except ValueError:
        raise SourceError(f"{where}: confidence {values['confidence']!r} is not a number") from None
    if not 0.0 <= confidence <= 1.0:
        raise SourceError(f"{where}: confidence {confidence} is outside 0..1")
    try:
        date.fromisoformat(values["mapping_date"])
    except ValueError:
        raise SourceError(f"{where}: mapping_date {values['mapping_date']!r} is not YYYY-MM-DD") from None
    modifier = values.get("predicate_modifier", "")
    if modifier not in ("", "Not"):
        raise SourceError(f"{where}: predicate_modifier {modifier!r} is not 'Not' or empty")
    if modifier != "Not":  # a 'Not' row records a rejection: evidence only, never the link itself
        graph.add((subject, predicate, obj))
    digest = hashlib.sha1(f"{subject} {predicate} {obj}".encode()).hexdigest()[:16]
    set_id = table.metadata.get("mapping_set_id") or table.path.as_uri()
    node = URIRef(f"{set_id}#{digest}")
    graph.add((node, RDF.type, SSSOM.Mapping))
    graph.add((URIRef(set_id), SSSOM.mappings, node))
    graph.add((node, SSSOM.subject_id, subject))
    graph.add((node, SSSOM.predicate_id, predicate))
    graph.add((node, SSSOM.object_id, obj))
    graph.add((node, SSSOM.mapping_justification, expand(values["mapping_justification"], table.curie_map, where)))
    graph.add((node, SSSOM.confidence, Literal(confidence, datatype=XSD.double)))
    graph.add((node, SSSOM.mapping_date, Literal(values["mapping_date"], datatype=XSD.date)))
    for column in LITERAL_COLUMNS:
        if values.get(column):
            graph.add((node, SSSOM[column], Literal(values[column])))


def read_sssom(path: Path, graph: Graph) -> int:
    """Compile the reviewed rows of one SSSOM file into ``graph``; return how many."""
    table = read_table(path)
    set_id = URIRef(table.metadata.get("mapping_set_id") or path.as_uri())
    graph.add((set_id, RDF.type, SSSOM.MappingSet))
    for key, predicate in (("mapping_set_description", DCTERMS.description), ("license", DCTERMS.license)):
        if table.metadata.get(key):
            value = table.metadata[key]
            graph.add((set_id, predicate, URIRef(value) if key == "license" else Literal(value)))
    compiled = 0
    for row in table.rows:
        if row.reviewed:
            compile_row(row, table, graph)
            compiled += 1
    return compiled
