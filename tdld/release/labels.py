"""Labels and the search index, computed once at build time and read back at start-up.

Reading 300,000 labels out of the on-disk store takes seconds at a million triples
(each literal is a separate lookup), and every server process did it again; a JSON file
in the build is read in a fraction of that. A build without the file (an old build, a
release folder) is still served: the labels are then computed from the store.
"""

import json
from pathlib import Path

import pyoxigraph as ox

from ..core.files import write_file
from ..core.text import fold

LABEL_FILE = "labels.json"
LABEL_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://xmlns.com/foaf/0.1/name",
    "http://purl.org/dc/terms/title",
)
SEARCH_PREDICATES = {
    "http://www.w3.org/2004/02/skos/core#prefLabel": "pref",
    "http://www.w3.org/2000/01/rdf-schema#label": "pref",
    "http://www.w3.org/2004/02/skos/core#altLabel": "alt",
    "http://www.w3.org/2004/02/skos/core#hiddenLabel": "hidden",
    "http://xmlns.com/foaf/0.1/name": "pref",
}


def label_literals(store) -> dict:
    """For each label or search predicate: (subject, is an IRI, text, language) of its literals."""
    found = {}
    for predicate in dict.fromkeys(LABEL_PREDICATES + tuple(SEARCH_PREDICATES)):
        rows = []
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            literal = quad.object
            if isinstance(literal, ox.Literal):
                subject = quad.subject
                rows.append((subject.value, isinstance(subject, ox.NamedNode), literal.value, literal.language or ""))
        found[predicate] = rows
    return found


def best_labels(literals: dict) -> dict:
    """IRI → language → its label, the first label predicate winning."""
    labels: dict = {}
    for rank, predicate in enumerate(LABEL_PREDICATES):
        for subject, _is_iri, text, language in literals[predicate]:
            entry = labels.setdefault(subject, {})
            if language not in entry or entry[language][0] > rank:
                entry[language] = (rank, text)
    return {iri: {lang: text for lang, (_r, text) in entry.items()} for iri, entry in labels.items()}


def search_entries(literals: dict, base: str) -> list:
    """Sorted (folded, iri, label, language, kind) of every label of an IRI under ``base``."""
    index = set()
    for predicate, kind in SEARCH_PREDICATES.items():
        index.update((fold(text), subject, text, language, kind)
                     for subject, is_iri, text, language in literals[predicate]
                     if is_iri and subject.startswith(base))
    return sorted(index)


def labels_and_index(store, base: str) -> tuple[dict, list]:
    literals = label_literals(store)
    return best_labels(literals), search_entries(literals, base)


def write_label_file(store, folder: Path, base: str) -> Path:
    labels, index = labels_and_index(store, base)
    path = folder / LABEL_FILE
    write_file(path, json.dumps({"labels": labels, "index": index}, ensure_ascii=False,
                                separators=(",", ":")).encode("utf-8"))
    return path


def read_label_file(folder: Path) -> tuple[dict, list] | None:
    """The labels and search entries of a build, or None when it has no label file."""
    path = folder / LABEL_FILE
    if not path.is_file():
        return None
    data = json.loads(path.read_bytes())
    return data["labels"], [tuple(entry) for entry in data["index"]]
