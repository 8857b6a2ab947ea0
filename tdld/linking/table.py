"""The reviewable SSSOM TSV of Wikidata candidates: read, merge, write. Pure apart from the two file functions.

Rules, so that a curator's work is never lost:

- a row with a ``reviewer_label`` (or ``reviewer_id``) is kept exactly as it is, byte for byte,
  wherever it is in the file;
- unreviewed rows of the subjects linked in this run are replaced by the new proposals, except
  that a proposal identical to an existing row but for its date keeps the existing row (reruns
  do not churn the file);
- unreviewed rows of other subjects are kept;
- the header of an existing file is kept as it is; a new file gets :data:`HEADER`, which
  :func:`tdld.build.sssom.read_table` reads, with every prefix the rows use.

Proposals have an empty ``reviewer_label``: ``tdld build`` does not publish them until a curator
fills it in (in this file, or after moving the row to ``wikidata.sssom.tsv``).
"""

from dataclasses import dataclass, field
from pathlib import Path

from ..build.sssom import read_table
from ..core import namespaces
from ..core.files import write_atomically
from ..core.namespaces import PREFIXES

COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label", "mapping_justification",
           "confidence", "author_label", "reviewer_label", "mapping_date", "comment", "predicate_modifier")
CURIE_PREFIXES = ("wd", "skos", "schema", "semapv", "tdv", "actor", "act", "policy", "event", "place", "work",
                  "person", "partnership", "date")
MAPPING_SET_ID = "https://w3id.org/territorial-diplomacy/mappings/wikidata-candidates"
AUTHOR = "tdld-linker 0.1 (automatic lexical matching)"
DEFAULT_NAME = "wikidata-candidates.sssom.tsv"


def default_header() -> list[str]:
    lines = ["# curie_map:"]
    lines += [f"#   {prefix}: {PREFIXES[prefix]}" for prefix in CURIE_PREFIXES]
    lines += [
        f"# mapping_set_id: {MAPPING_SET_ID}",
        "# mapping_set_description: Candidate mappings to Wikidata proposed by tdld link wikidata (lexical matching "
        "on labels and aliases in en, fr and de). Rows with an empty reviewer_label are proposals and are not "
        "published; a curator checks the item and fills reviewer_label to publish a row, or fills reviewer_label and "
        "sets predicate_modifier to Not to reject it for good.",
        "# license: https://creativecommons.org/licenses/by/4.0/",
    ]
    return lines


HEADER = default_header()


@dataclass
class Row:
    values: dict
    reviewed: bool
    text: str | None = None  # the line as read, kept for reviewed and unchanged rows

    @property
    def subject(self) -> str:
        return self.values.get("subject_id", "")


@dataclass
class CandidateTable:
    header: list = field(default_factory=lambda: list(HEADER))
    columns: tuple = COLUMNS
    curie_map: dict = field(default_factory=lambda: {p: PREFIXES[p] for p in CURIE_PREFIXES})
    rows: list = field(default_factory=list)

    def reviewed_rows(self) -> list:
        return [row for row in self.rows if row.reviewed]

    def accepted_rows(self) -> list:
        return [row for row in self.reviewed_rows() if row.values.get("predicate_modifier", "") != "Not"]

    def rejected_rows(self) -> list:
        return [row for row in self.reviewed_rows() if row.values.get("predicate_modifier", "") == "Not"]


def read(path: Path) -> CandidateTable:
    """The table at ``path`` (an empty one if there is no file); SourceError if it is malformed."""
    if not path.exists():
        return CandidateTable()
    table = read_table(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    rows = [Row(dict(row.values), row.reviewed, lines[row.line - 1]) for row in table.rows]
    return CandidateTable(header=header, columns=tuple(table.columns), curie_map=dict(table.curie_map), rows=rows)


def compact(iri: str, curie_map: dict) -> str:
    """The shortest CURIE for ``iri`` under ``curie_map``; the IRI itself if no prefix fits."""
    return namespaces.compact(iri, curie_map)


def expand(curie: str, curie_map: dict) -> str:
    prefix, sep, local = curie.partition(":")
    if sep and prefix in curie_map and not local.startswith("//"):
        return curie_map[prefix] + local
    return curie


def clean(text: str) -> str:
    """A cell value: no tab or line break (the format has no quoting), no outer spaces."""
    return " ".join(str(text).replace("\t", " ").splitlines()).strip()


def _same_but_date(old: Row, new: dict) -> bool:
    keys = set(old.values) | set(new)
    return all(old.values.get(k, "") == new.get(k, "") for k in keys if k != "mapping_date")


def merge(table: CandidateTable, proposals: dict) -> CandidateTable:
    """A new table where the unreviewed rows of each subject in ``proposals`` are replaced.

    ``proposals`` maps a subject's CURIE (as written in the table) to its new rows (dicts by
    column); a subject with no proposal maps to an empty list. Reviewed rows never change.
    """
    result = CandidateTable(header=list(table.header), columns=table.columns, curie_map=dict(table.curie_map))
    pending = {subject: list(rows) for subject, rows in proposals.items()}

    def emit(subject: str) -> None:
        previous = [r for r in table.rows if r.subject == subject and not r.reviewed]
        for values in pending.pop(subject, []):
            values = {k: clean(v) for k, v in values.items()}
            kept = next((r for r in previous if _same_but_date(r, values)), None)
            result.rows.append(kept if kept else Row(values, False))

    for row in table.rows:
        if row.reviewed or row.subject not in proposals:
            result.rows.append(row)
        elif row.subject in pending:
            emit(row.subject)  # the new rows take the place of the first old one
    for subject in sorted(pending):
        emit(subject)
    return result


def render(table: CandidateTable) -> str:
    lines = list(table.header) + ["\t".join(table.columns)]
    for row in table.rows:
        lines.append(row.text if row.text is not None else "\t".join(clean(row.values.get(c, "")) for c in table.columns))
    return "\n".join(lines) + "\n"


def write(path: Path, table: CandidateTable) -> None:
    """Write the table atomically: a crash leaves the previous file, never half of one."""
    write_atomically(path, render(table).encode("utf-8"))
