"""Transitive property paths answered from the closure: ``P+`` read as ``P`` where that is exact.

A release holds its OWL 2 RL closure, so for a property declared transitive the union
of its graphs already has every edge that ``P+`` would walk to; the build checks that
it does (tdld/release/transitive.py). Oxigraph evaluates ``?a P+ <b>`` by walking P from every
candidate ?a, so its cost grows with the data; the triple pattern ``?a P <b>`` is one
index lookup. On the benchmark join: 148 ms -> 5.5 ms at 100k triples, 2,142 ms -> 5.1 ms
at 1M.

The text is changed only where the reading is certain: a ``+`` written right after the
IRI, in a verb position (after a subject, ``;``, ``]``, ``|`` or a single ``^``), in a
query with no FROM, GRAPH, SERVICE or BASE. The ``+`` becomes a space, so every other
character keeps its place (error messages point at the same column).
"""

from .guard import declared_prefixes, resolve_term, spans

DATASET_WORDS = {"FROM", "GRAPH", "SERVICE", "BASE"}
SUBJECT_ENDS = {"var", "iri", "pname"}
PATH_JOINS = {";", "]", "|", "^"}


def shortcut_paths(text: str, default_prefixes: dict, closed: frozenset) -> str:
    """``text`` with ``P+`` read as ``P`` for every property P in ``closed``; unchanged if none applies."""
    if not closed or "+" not in text:
        return text
    items = spans(text)
    if any(kind == "word" and value.upper() in DATASET_WORDS for kind, value, _s, _e in items):
        return text
    prefixes = {**default_prefixes, **declared_prefixes(items)}
    cuts = [items[index + 1][2] for index in range(1, len(items) - 1)
            if _is_closed_path(items, index, prefixes, closed)]
    if not cuts:
        return text
    characters = list(text)
    for offset in cuts:
        characters[offset] = " "
    return "".join(characters)


def _is_closed_path(items: list, index: int, prefixes: dict, closed: frozenset) -> bool:
    kind, value, _start, end = items[index]
    after = items[index + 1]
    if kind not in ("iri", "pname") or after[1] != "+" or after[2] != end:
        return False
    return _in_verb_position(items, index) and resolve_term((kind, value), prefixes) in closed


def _in_verb_position(items: list, index: int) -> bool:
    before_kind, before = items[index - 1][0], items[index - 1][1]
    if before_kind in SUBJECT_ENDS:
        return True
    if before not in PATH_JOINS:
        return False
    # "||" is a logical or and "^^" a datatype: only a single "|" or "^" belongs to a path.
    return before not in ("|", "^") or index < 2 or items[index - 2][1] != before

