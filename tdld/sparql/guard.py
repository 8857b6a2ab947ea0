"""Checks a query before any engine sees it.

pyoxigraph runs ``SERVICE <url>`` by making an HTTP request from the server, and
crashes on a few thousand nested parentheses; rdflib would load ``FROM`` IRIs.
So the text is tokenised here, and updates, unknown graphs, non-allowlisted
SERVICE calls and deep nesting are refused with a reason.
"""

import re
from dataclasses import dataclass, field

from ..core.errors import Refused, SparqlError

TOKEN = re.compile(
    r'''(?P<long>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\')'''
    r'''|(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')'''
    r'''|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'''
    r'''|(?P<comment>\#[^\n]*)'''
    r'''|(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)'''
    r'''|(?P<pname>[A-Za-z][\w.-]*:[\w.:%-]*|:[\w.:%-]*)'''
    r'''|(?P<word>[A-Za-z_][A-Za-z0-9_]*)'''
    r'''|(?P<open>[({\[])|(?P<close>[)}\]])'''
    r'''|(?P<space>\s+)|(?P<other>.)''',
    re.S,
)
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
# Functions whose value changes from one evaluation to the next: such answers are never cached.
VOLATILE_FUNCTIONS = {"RAND", "NOW", "UUID", "STRUUID", "BNODE"}


@dataclass
class Checked:
    form: str
    from_graphs: list = field(default_factory=list)
    services: list = field(default_factory=list)
    volatile: bool = False
    bounded: bool = False
    predeclared: bool = False  # uses a prefix it does not declare itself: the engine needs tdld's prefixes

    @property
    def repeatable(self) -> bool:
        """Same release, same answer: no remote SERVICE and no volatile function."""
        return not self.services and not self.volatile


@dataclass(frozen=True)
class Limits:
    max_length: int = 20_000
    max_depth: int = 64
    service_allowlist: tuple = ()
    graphs: tuple = ()


SKIPPED = ("space", "comment")


def tokens(text: str):
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in SKIPPED:
            yield kind, match.group()


def spans(text: str) -> list:
    """The tokens with their offsets, (kind, value, start, end), for code that edits the text."""
    return [(m.lastgroup, m.group(), m.start(), m.end()) for m in TOKEN.finditer(text) if m.lastgroup not in SKIPPED]


def declared_prefixes(items: list) -> dict:
    """The query's own PREFIX declarations, name -> namespace, from its tokens (or spans)."""
    found = {}
    for index in range(len(items) - 2):
        if items[index][0] == "word" and items[index][1].upper() == "PREFIX" and items[index + 1][1].endswith(":") \
                and items[index + 2][0] == "iri":
            found[items[index + 1][1][:-1]] = items[index + 2][1][1:-1]
    return found


def update_as_query(word: str) -> SparqlError:
    """An update in the query parameter is a malformed query (400) for the SPARQL protocol; LOAD,
    which would fetch from the web, is refused outright (403), as SERVICE and FROM are."""
    if word == "LOAD":
        return Refused("LOAD is refused: this endpoint is read-only and never fetches anything")
    return SparqlError(f"malformed query: {word} starts a SPARQL Update, which is not a query "
                       "(this endpoint is read-only and takes no update)")


def check_query(text: str, limits: Limits, default_prefixes: dict) -> Checked:
    """Raise SparqlError/Refused with a readable reason, or describe the query."""
    if not text.strip():
        raise SparqlError("the query is empty")
    if len(text) > limits.max_length:
        raise SparqlError(f"the query is {len(text)} characters long; the limit is {limits.max_length}", status=413)
    depth = deepest = 0
    form = None
    previous: list = []
    checked = Checked(form="")
    items = list(tokens(text))
    declared = declared_prefixes(items)
    prefixes = {**default_prefixes, **declared}
    for index, (kind, value) in enumerate(items):
        upper = value.upper()
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limits.max_depth:
                raise SparqlError(f"the query is nested more than {limits.max_depth} levels deep")
        elif kind == "close":
            depth -= 1
        elif kind == "word" and form is None:
            if upper in UPDATE_WORDS:
                raise update_as_query(upper)
            if upper in QUERY_FORMS:
                form = upper
        if kind == "pname" and not (index and items[index - 1][1].upper() == "PREFIX") \
                and value.partition(":")[0] not in declared:
            checked.predeclared = True
        if kind == "word" and upper in VOLATILE_FUNCTIONS:
            checked.volatile = True
        if kind == "word" and upper == "SERVICE":
            target = _next_term(items, index + 1, skip={"SILENT"})
            iri = resolve_term(target, prefixes)
            if iri is None:
                raise Refused("SERVICE needs a fixed IRI from the allowlist; a variable endpoint is refused")
            if iri not in limits.service_allowlist:
                allowed = ", ".join(limits.service_allowlist) or "none"
                raise Refused(f"SERVICE <{iri}> is not on this endpoint's allowlist (allowed: {allowed})")
            checked.services.append(iri)
        if kind == "word" and upper == "FROM":
            target = _next_term(items, index + 1, skip={"NAMED"})
            iri = resolve_term(target, prefixes)
            if iri is None or iri not in limits.graphs:
                raise Refused(f"FROM {target[1] if target else ''}: only this dataset's named graphs can be used "
                              "(nothing is ever fetched from the web or from files)")
            checked.from_graphs.append(iri)
        previous.append(value)
    if form is None:
        update = next((value.upper() for kind, value in items if kind == "word" and value.upper() in UPDATE_WORDS), None)
        if update is not None:
            raise update_as_query(update)
        raise SparqlError("SPARQL syntax error: not a query; expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    checked.form = form
    checked.bounded = is_bounded(items)
    return checked


def is_bounded(items: list) -> bool:
    """True for one triple pattern with a fixed subject, unsorted and undeduplicated.

    ``SELECT ?p ?o WHERE { <s> ?p ?o } LIMIT n`` and ``ASK { <s> ?p ?o }``: the engine
    walks only that subject's triples and stops at the result cap, so such a query can
    be answered in the web process without the worker round trip. Anything else (a second
    pattern, a filter, a path, ORDER BY, DISTINCT, OFFSET, FROM, a literal) is not.
    """
    rest = _after_prologue(items)
    if not rest or rest[0][0] != "word":
        return False
    form = rest[0][1].upper()
    position = 1
    if form == "SELECT":
        if position < len(rest) and rest[position] == ("other", "*"):
            position += 1
        else:
            start = position
            while position < len(rest) and rest[position][0] == "var":
                position += 1
            if position == start:
                return False
    elif form != "ASK":
        return False
    if position < len(rest) and rest[position][0] == "word" and rest[position][1].upper() == "WHERE":
        position += 1
    pattern = rest[position:position + 5]
    if len(pattern) < 5 or pattern[0] != ("open", "{"):
        return False
    subject, predicate, value = pattern[1:4]
    if subject[0] not in ("iri", "pname") or not _is_term(predicate, verb=True) or not _is_term(value):
        return False
    position += 4
    if rest[position] == ("other", "."):
        position += 1
    if position >= len(rest) or rest[position] != ("close", "}"):
        return False
    tail = rest[position + 1:]
    if not tail:
        return True
    return (form == "SELECT" and tail[0][0] == "word" and tail[0][1].upper() == "LIMIT" and len(tail) > 1
            and all(kind == "other" and value.isdigit() for kind, value in tail[1:]))


def _after_prologue(items: list) -> list:
    position = 0
    while position < len(items) and items[position][0] == "word":
        keyword = items[position][1].upper()
        if keyword == "PREFIX" and position + 2 < len(items):
            position += 3
        elif keyword == "BASE" and position + 1 < len(items):
            position += 2
        else:
            break
    return items[position:]


def _is_term(token, verb: bool = False) -> bool:
    kind, value = token
    return kind in ("iri", "pname", "var") or (verb and kind == "word" and value == "a")


def _next_term(items, start: int, skip: set):
    for kind, value in items[start:]:
        if kind == "word" and value.upper() in skip:
            continue
        return kind, value
    return None


def resolve_term(term, prefixes: dict) -> str | None:
    """The IRI a (kind, value) token names, or None if it is not an IRI or its prefix is unknown."""
    if term is None:
        return None
    kind, value = term
    if kind == "iri":
        return value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + local
    return None
