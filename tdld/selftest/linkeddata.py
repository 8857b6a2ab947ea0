"""Linked-data checks as pure functions over answers already fetched.

What tdld promises (docs/linked-data.md): slash IRIs of things answer
303 See Other to their document under /doc/; hash IRIs and documents answer 200
directly; each of the five formats comes with its Content-Type and parses; answers
vary on Accept, carry CORS and a validator for conditional requests; unknown IRIs
are 404. Static hosting keeps all of that but one: a folder of files behind rewrite
rules cannot refuse an Accept header it cannot satisfy (it falls back to HTML), so
406 is checked only where a server negotiates.
"""

from urllib.parse import unquote, urlsplit

from rdflib import URIRef

from .discovery import Deployment
from .fetch import Answer
from .formats import Unparsable, html_names, parse_document
from .report import NOT_STATIC, Check, failed, passed, skipped, verdict

REDIRECTS = (301, 302, 303, 307, 308)
UNSATISFIABLE = "application/x-tdld-selftest-unavailable"


def shown(url: str, root: str) -> str:
    """A URL as a short path for the report."""
    return (url.removeprefix(root) or "/") if url.startswith(root) else url


def _same_path(a: str, b: str) -> bool:
    return unquote(urlsplit(a).path) == unquote(urlsplit(b).path)


def deref_check(kind: str, iri: str, media_type: str, chain: list[Answer], deployment: Deployment,
                graph_size: int | None = None) -> Check:
    """One IRI in one format: the right hops, Content-Type, a body that parses and is about the IRI."""
    name = f"deref {kind} {media_type}"
    root = deployment.root
    first = chain[0]
    if not first.status:
        return failed(name, f"{shown(first.url, root)}: no answer ({first.error})")
    if deployment.is_thing(iri):
        expected = deployment.document_url(iri)
        if first.status != 303:
            return failed(name, f"{shown(first.url, root)} answered {first.status}, expected 303 See Other "
                                f"to {shown(expected, root)}")
        if not first.location:
            return failed(name, f"{shown(first.url, root)}: 303 without Location")
        if not _same_path(first.location, expected) or urlsplit(first.location).netloc != urlsplit(expected).netloc:
            return failed(name, f"{shown(first.url, root)}: 303 to {shown(first.location, root)}, "
                                f"expected {shown(expected, root)}")
        if len(chain) < 2:
            return failed(name, f"{shown(first.url, root)}: 303 to {first.location}, off the deployment's host")
        final, hops = chain[1], "303 → "
    else:
        if first.status in REDIRECTS:
            return failed(name, f"{shown(first.url, root)} answered {first.status} → {shown(first.location, root)}, "
                                "expected 200: a hash or document IRI is served directly")
        final, hops = first, ""
    where = shown(final.url, root)
    if final.status != 200:
        return failed(name, f"{hops}{where} answered {final.describe()}")
    if final.truncated:
        return failed(name, f"{hops}{where}: body larger than the cap")
    if final.media_type != media_type:
        return failed(name, f"{hops}{where}: Content-Type {final.media_type or '(none)'}, expected {media_type}")
    if media_type == "text/html":
        if not html_names(final.body, iri):
            return failed(name, f"{hops}{where}: the HTML page does not name {iri}")
        return passed(name, f"{hops}{where}: HTML naming <{iri}>")
    try:
        graph = parse_document(final.body, media_type, final.url)
    except Unparsable as error:
        return failed(name, f"{hops}{where}: {error}")
    if graph_size is not None:
        if len(graph) != graph_size:
            return failed(name, f"{hops}{where}: {len(graph)} triples, VoID states {graph_size}")
        return passed(name, f"{hops}{where}: {len(graph)} triples, as VoID states")
    about = len(set(graph.predicate_objects(URIRef(iri))))
    if not about:
        return failed(name, f"{hops}{where}: {len(graph)} triples, none about <{iri}>")
    return passed(name, f"{hops}{where}: {len(graph)} triples, {about} about <{iri}>")


def _tokens(value: str) -> set:
    return {t.strip().lower() for t in value.split(",") if t.strip()}


def vary_check(chains: list[list[Answer]], root: str) -> Check:
    """Every negotiated answer (the 303s and the documents) says it varies on Accept."""
    seen, problems = 0, []
    for chain in chains:
        for answer in chain:
            if answer.status in (200, 303):
                seen += 1
                vary = answer.header("vary")
                if not _tokens(vary) & {"accept", "*"}:
                    problems.append(f"{shown(answer.url, root)} ({answer.status}, Vary: {vary or 'none'})")
    if not seen:
        return skipped("vary-accept", "no negotiated answer to look at")
    return verdict("vary-accept", [f"no Vary: Accept on {p}" for p in problems],
                   f"all {seen} negotiated answers vary on Accept")


def cors_check(name: str, answers: list[Answer], root: str) -> Check:
    """Every successful answer allows cross-origin reads."""
    looked = [a for a in answers if a.status in (200, 303)]
    if not looked:
        return skipped(name, "no answer to look at")
    problems = [f"no Access-Control-Allow-Origin on {shown(a.url, root)} ({a.status})"
                for a in looked if not a.header("access-control-allow-origin")]
    return verdict(name, problems, f"Access-Control-Allow-Origin on all {len(looked)} answers")


def conditional_check(pairs: list[tuple[Answer, Answer | None]], root: str) -> Check:
    """Each (first GET, GET with If-None-Match) pair: an ETag, then 304 Not Modified."""
    problems = []
    for first, second in pairs:
        where = shown(first.url, root)
        if first.status != 200:
            problems.append(f"{where} answered {first.describe()}")
        elif not first.header("etag"):
            problems.append(f"{where}: no ETag")
        elif second is None or second.status != 304:
            problems.append(f"{where}: If-None-Match {first.header('etag')} answered "
                            f"{second.describe() if second else 'nothing'}, expected 304")
    return verdict("etag-304", problems, f"ETag and 304 on {len(pairs)} documents")


def not_found_check(chains: list[list[Answer]], deployment: Deployment, static: bool) -> Check:
    """Unknown IRIs are 404: at once from a server; a static host may first 303 to the missing document."""
    problems, notes = [], []
    for chain in chains:
        first, final = chain[0], chain[-1]
        where = shown(first.url, deployment.root)
        if not first.status:
            problems.append(f"{where}: no answer ({first.error})")
        elif first.status == 303 and static and final.status == 404:
            notes.append(f"{where} 303 → 404")
        elif first.status != 404:
            problems.append(f"{where} answered {first.status}" + (f" → {final.status}" if final is not first else "")
                            + ", expected 404")
        else:
            notes.append(f"{where} 404")
    return verdict("unknown-iri-404", problems, ", ".join(notes))


def not_acceptable_check(answer: Answer | None, root: str, static: bool) -> Check:
    """An Accept that no representation satisfies is 406 (servers only)."""
    if static:
        return skipped("unacceptable-406", f"{NOT_STATIC}: the generated rules fall back to HTML")
    if answer is None:
        return skipped("unacceptable-406", "no document to ask")
    if answer.status != 406:
        return failed("unacceptable-406", f"{shown(answer.url, root)} with Accept: {UNSATISFIABLE} answered "
                                          f"{answer.describe()}, expected 406")
    return passed("unacceptable-406", f"{shown(answer.url, root)} with Accept: {UNSATISFIABLE} answered 406")
