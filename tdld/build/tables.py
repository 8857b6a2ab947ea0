"""Curated tables compiled to RDF: CSV files described by W3C CSV on the Web metadata.

A table ``x.csv`` is described by ``x.csv-metadata.json`` beside it (CSVW's own convention):
its columns, the IRI of each row's subject (``aboutUrl``), each column's property
(``propertyUrl``) and how a cell becomes a term (``valueUrl``, ``datatype``, ``lang``,
``separator``), checked against ``required``, ``datatype`` formats and ``foreignKeys``.
This is the part of CSVW's csv2rdf that tdld's tables use, plus these extensions:

- ``tdld:provenance`` names the columns that say which source states a row's facts and where
  in it: every fact of the row gets a statement record (``rdf:Statement``) citing them, so a
  page or a query can tell which source says what;
- ``tdld:propertyFrom`` takes a column's property from another column's value (a date's kind);
- ``tdld:langFrom`` takes a literal's language from another column;
- ``tdld:inverse`` makes the cell's IRI the subject and the row's the object (``skos:member``), and
  ``tdld:alsoInverse`` states a second property the other way round (``skos:hasTopConcept``);
- ``tdld:layer`` says which named graph the table feeds (``data``, or ``vocabulary`` for concepts).

Every defect is one SourceError naming the file, the row (1 is the header) and the column.
"""

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from ..core.errors import SourceError
from ..core.namespaces import BASE, PREFIXES

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
DCTERMS_SOURCE = "http://purl.org/dc/terms/source"
LOCATOR = PREFIXES["tdo"] + "locator"
# Statement records are fragments of the provenance graph's document: each has a stable IRI one can cite,
# that dereferences to the graph, and none is a thing of its own under /id/.
STATEMENTS = BASE + "graph/provenance#"
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
DATE_FORMS = {  # tdld:date: the precision the source gives, and no more
    re.compile(r"^\d{4}$"): "gYear",
    re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"): "gYearMonth",
    re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"): "date",
}
DATATYPES = {
    "string": None, "date": "date", "gYear": "gYear", "gYearMonth": "gYearMonth", "integer": "integer",
    "decimal": "decimal", "boolean": "boolean", "anyURI": "anyURI",
}
FORMATS = {
    "date": re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
    "gYear": re.compile(r"^\d{4}$"), "gYearMonth": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "integer": re.compile(r"^[+-]?\d+$"), "decimal": re.compile(r"^[+-]?\d+(\.\d+)?$"),
    "boolean": re.compile(r"^(true|false)$"),
}
TEMPLATE = re.compile(r"\{([+#]?)([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Column:
    name: str
    property: str | None
    value_url: str | None
    datatype: str | None
    format: re.Pattern | None
    lang: str | None
    lang_from: str | None
    separator: str | None
    required: bool
    suppressed: bool
    virtual: bool
    property_from: tuple | None  # (column, {value: property IRI})
    inverse: bool  # the cell's term is the subject, the row's the object (collection membership)
    also_inverse: str | None  # a second property stated the other way round (skos:hasTopConcept)


def table_files(folder: Path) -> list[Path]:
    """The CSV tables of ``folder`` that have CSVW metadata beside them."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.csv") if p.with_name(p.name + "-metadata.json").is_file())


def compile_tables(paths: list[Path], graph_of) -> list[ox.Quad]:
    """Every table's triples and statement records; SourceError on the first defect.

    ``graph_of(layer)`` names the graph of a layer: a table's metadata says which with
    ``tdld:layer`` (``data`` unless it says otherwise; the concepts table says ``vocabulary``);
    the statement records go to the ``provenance`` layer.
    """
    tables = [Table.read(path) for path in paths]
    keys = {table.path.name: table.keys() for table in tables}
    quads = []
    for table in tables:
        table.check_foreign_keys(keys)
        quads += table.quads(graph_of(table.metadata.get("tdld:layer", "data")), graph_of("provenance"))
    return quads


class Table:
    """One CSV file and its CSVW description."""

    def __init__(self, path: Path, metadata: dict, columns: list[Column], rows: list[dict]):
        self.path, self.metadata, self.columns, self.rows = path, metadata, columns, rows
        schema = metadata["tableSchema"]
        self.about = expand_curie(schema.get("aboutUrl", ""))
        self.primary_key = schema.get("primaryKey") or []
        self.provenance = metadata.get("tdld:provenance")

    @classmethod
    def read(cls, path: Path) -> "Table":
        meta_path = path.with_name(path.name + "-metadata.json")
        try:
            metadata = json.loads(meta_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise SourceError(f"{meta_path}:{error.lineno}: not valid JSON ({error.msg})") from None
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(f"{meta_path}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
        if metadata.get("url") != path.name or "tableSchema" not in metadata:
            raise SourceError(f"{meta_path}: its \"url\" must be {path.name!r} and it needs a \"tableSchema\"")
        columns = [column_of(spec, meta_path) for spec in metadata["tableSchema"].get("columns", [])]
        rows = read_rows(path, [c.name for c in columns if not c.virtual])
        table = cls(path, metadata, columns, rows)
        table.check_cells()
        table.check_primary_key()
        return table

    def where(self, row_number: int, column: str | None = None) -> str:
        return f"{self.path}:{row_number}" + (f": column {column!r}" if column else "")

    def check_cells(self) -> None:
        for number, row in enumerate(self.rows, start=2):
            for column in self.columns:
                if column.virtual:
                    continue
                text = row[column.name]
                if not text:
                    if column.required:
                        raise SourceError(f"{self.where(number, column.name)}: a value is required")
                    continue
                for item in split(text, column.separator):
                    self.check_value(number, column, item, row)

    def check_value(self, number: int, column: Column, item: str, row: dict) -> None:
        where = self.where(number, column.name)
        if item != item.strip():
            raise SourceError(f"{where}: {item!r} has spaces around it")
        if column.format is not None and not column.format.fullmatch(item):
            raise SourceError(f"{where}: {item!r} does not have the form {column.format.pattern}")
        if column.datatype == "tdld:date" and not any(form.match(item) for form in DATE_FORMS):
            raise SourceError(f"{where}: {item!r} is not a date written YYYY, YYYY-MM or YYYY-MM-DD")
        if column.datatype in FORMATS and not FORMATS[column.datatype].match(item):
            raise SourceError(f"{where}: {item!r} is not a valid {column.datatype}")
        if column.property_from is not None:
            chooser, choices = column.property_from
            if row.get(chooser, "") not in choices:
                raise SourceError(f"{self.where(number, chooser)}: {row.get(chooser, '')!r} is not one of "
                                  + ", ".join(sorted(choices)) + f" (it says what {column.name!r} is)")
        if column.lang_from is not None and not LANGUAGE_TAG.match(row.get(column.lang_from, "")):
            raise SourceError(f"{self.where(number, column.lang_from)}: {row.get(column.lang_from, '')!r} is not "
                              f"a language tag (en, fr, hu, pt-BR...) for {column.name!r}")
        if column.value_url is not None:
            iri = fill(column.value_url, row | {column.name: item})
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise SourceError(f"{where}: {item!r} does not make an IRI ({iri!r})") from None

    def check_primary_key(self) -> None:
        seen = {}
        for number, row in enumerate(self.rows, start=2):
            key = tuple(row[name] for name in self.primary_key)
            if key in seen:
                raise SourceError(f"{self.where(number)}: the same {', '.join(self.primary_key)} as row {seen[key]} "
                                  f"({', '.join(key)}): merge the two rows")
            seen[key] = number

    def keys(self) -> set:
        """The values of the table's first key column: what other tables refer to."""
        first = self.primary_key[0] if self.primary_key else None
        return {row[first] for row in self.rows} if first else set()

    def check_foreign_keys(self, keys: dict) -> None:
        for foreign in self.metadata["tableSchema"].get("foreignKeys", []):
            name, target = foreign["columnReference"], foreign["reference"]["resource"]
            column = next(c for c in self.columns if c.name == name)
            allowed = keys.get(target, set()) | set(foreign["reference"].get("tdld:alsoAllowed", []))
            for number, row in enumerate(self.rows, start=2):
                for item in split(row[name], column.separator):
                    if item not in allowed:
                        raise SourceError(f"{self.where(number, name)}: {item!r} is not an id of {target}")

    def quads(self, graph: ox.NamedNode, records: ox.NamedNode) -> list[ox.Quad]:
        """The row's triples in ``graph``, the statement records saying who states them in ``records``."""
        found = []
        for number, row in enumerate(self.rows, start=2):
            subject = ox.NamedNode(fill(self.about, row))
            for column in self.columns:
                for term in self.terms(column, row):
                    predicate = ox.NamedNode(self.property_of(column, row))
                    s, o = (term, subject) if column.inverse else (subject, term)
                    found.append(ox.Quad(s, predicate, o, graph))
                    if column.also_inverse:
                        found.append(ox.Quad(o, ox.NamedNode(column.also_inverse), s, graph))
                    if self.provenance and not column.virtual:
                        found += statement_record(s, predicate, o, self.source_of(row),
                                                  row.get(self.provenance.get("locator", ""), ""), records)
        return found

    def terms(self, column: Column, row: dict) -> list:
        if column.suppressed or column.property is None and column.property_from is None:
            return []
        if column.virtual:
            return [ox.NamedNode(fill(column.value_url, row))]
        terms = []
        for item in split(row[column.name], column.separator):
            if column.value_url is not None:
                terms.append(ox.NamedNode(fill(column.value_url, row | {column.name: item})))
            else:
                terms.append(literal(item, column, row))
        return terms

    def property_of(self, column: Column, row: dict) -> str:
        if column.property_from is not None:
            chooser, choices = column.property_from
            return choices[row[chooser]]
        return fill(column.property, row)

    def source_of(self, row: dict) -> ox.NamedNode:
        return ox.NamedNode(fill(expand_curie(self.provenance["sourceUrl"]), row))


def column_of(spec: dict, where: Path) -> Column:
    """A column description, with CURIEs expanded and its checks compiled."""
    if "name" not in spec and not spec.get("virtual"):
        raise SourceError(f"{where}: a column has no \"name\"")
    datatype = spec.get("datatype")
    pattern = None
    if isinstance(datatype, dict):
        pattern = re.compile(datatype["format"]) if "format" in datatype else None
        datatype = datatype.get("base", "string")
    if datatype is not None and datatype not in DATATYPES and datatype != "tdld:date":
        raise SourceError(f"{where}: column {spec.get('name')!r} has an unknown datatype {datatype!r}")
    chooser = spec.get("tdld:propertyFrom")
    return Column(
        name=spec.get("name", ""),
        property=expand_curie(spec["propertyUrl"]) if "propertyUrl" in spec else None,
        value_url=expand_curie(spec["valueUrl"]) if "valueUrl" in spec else None,
        datatype=datatype, format=pattern, lang=spec.get("lang"), lang_from=spec.get("tdld:langFrom"),
        separator=spec.get("separator"), required=bool(spec.get("required")),
        suppressed=bool(spec.get("suppressOutput")), virtual=bool(spec.get("virtual")),
        property_from=(chooser["column"], {k: expand_curie(v) for k, v in chooser["map"].items()}) if chooser else None,
        inverse=bool(spec.get("tdld:inverse")) and "valueUrl" in spec,
        also_inverse=expand_curie(spec["tdld:alsoInverse"]) if "tdld:alsoInverse" in spec else None,
    )


def read_rows(path: Path, names: list[str]) -> list[dict]:
    """The rows as dicts; the header must name exactly the described columns, in their order."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, [])
            if header != names:
                missing = [n for n in names if n not in header]
                unknown = [h for h in header if h not in names]
                detail = (f"missing {', '.join(missing)}; " if missing else "") + \
                         (f"not described: {', '.join(unknown)}; " if unknown else "")
                raise SourceError(f"{path}:1: the header must be {','.join(names)} ({detail or 'another order; '}"
                                  f"see {path.name}-metadata.json)")
            rows = []
            for number, cells in enumerate(reader, start=2):
                if len(cells) != len(names):
                    raise SourceError(f"{path}:{number}: {len(cells)} cells where the header has {len(names)}")
                rows.append(dict(zip(names, cells)))
            return rows
    except csv.Error as error:
        raise SourceError(f"{path}:{reader.line_num}: not valid CSV ({error})") from None
    except UnicodeDecodeError as error:
        raise SourceError(f"{path}: not UTF-8 (byte {error.start})") from None
    except OSError as error:
        raise SourceError(f"{path}: cannot be read ({error.strerror})") from None


def split(text: str, separator: str | None) -> list[str]:
    if not text:
        return []
    return text.split(separator) if separator else [text]


def literal(text: str, column: Column, row: dict) -> ox.Literal:
    if column.lang_from is not None:
        return ox.Literal(text, language=row[column.lang_from])
    if column.lang:
        return ox.Literal(text, language=column.lang)
    if column.datatype == "tdld:date":
        kind = next(name for form, name in DATE_FORMS.items() if form.match(text))
        return ox.Literal(text, datatype=ox.NamedNode(XSD + kind))
    if DATATYPES.get(column.datatype):
        return ox.Literal(text, datatype=ox.NamedNode(XSD + DATATYPES[column.datatype]))
    return ox.Literal(text)


def statement_record(subject, predicate, term, source: ox.NamedNode, locator: str, graph) -> list[ox.Quad]:
    """``source`` states (subject, predicate, term): an rdf:Statement naming it, with an IRI stable across builds."""
    digest = hashlib.sha256("\n".join((str(subject), str(predicate), str(term), str(source))).encode()).hexdigest()
    node = ox.NamedNode(f"{STATEMENTS}s{digest[:24]}")
    rdf = lambda name: ox.NamedNode(RDF + name)  # noqa: E731
    record = [(rdf("type"), rdf("Statement")), (rdf("subject"), subject), (rdf("predicate"), predicate),
              (rdf("object"), term), (ox.NamedNode(DCTERMS_SOURCE), source)]
    if locator:
        record.append((ox.NamedNode(LOCATOR), ox.Literal(locator)))
    return [ox.Quad(node, p, o, graph) for p, o in record]


def expand_curie(text: str) -> str:
    prefix, colon, rest = text.partition(":")
    if colon and prefix in PREFIXES and not rest.startswith("//"):
        return PREFIXES[prefix] + rest
    return text


def fill(template: str, row: dict) -> str:
    """A URI template (RFC 6570 level 1 and 2, as CSVW uses them) filled from a row."""
    def value(match):
        operator, name = match.groups()
        text = row.get(name, "")
        return text if operator == "+" else quote(text, safe="-._~")
    return TEMPLATE.sub(value, template)
