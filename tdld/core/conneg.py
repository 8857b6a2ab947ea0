"""Content negotiation as data plus pure functions: Accept, Accept-Language, extensions."""

import functools
from dataclasses import dataclass


@dataclass(frozen=True)
class Representation:
    """One format a resource can be served in."""

    key: str
    media_type: str
    extension: str
    aliases: tuple = ()
    label: str = ""


REPRESENTATIONS = (
    Representation("html", "text/html", "html", (), "HTML"),
    Representation("turtle", "text/turtle", "ttl", (), "Turtle"),
    Representation("jsonld", "application/ld+json", "jsonld", ("application/json",), "JSON-LD"),
    Representation("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml"), "RDF/XML"),
    Representation("ntriples", "application/n-triples", "nt", (), "N-Triples"),
)
BY_EXTENSION = {r.extension: r for r in REPRESENTATIONS}
BY_KEY = {r.key: r for r in REPRESENTATIONS}
FORMAT_NAMES = {**{r.extension: r for r in REPRESENTATIONS}, **BY_KEY, "json": BY_KEY["jsonld"], "xml": BY_KEY["rdfxml"]}


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float
    order: int

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def parse_accept(header: str | None) -> list[Range]:
    """Media ranges of an Accept header with their q-values; malformed parts are skipped."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        main, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        if main and sub:
            ranges.append(Range(main, sub, q, order))
    return ranges


def _quality(ranges: list[Range], media_type: str) -> tuple[float, int, int]:
    """The q of the most specific range matching media_type, with its specificity and order."""
    main, _, sub = media_type.partition("/")
    best = None
    for r in ranges:
        if (r.type in ("*", main)) and (r.subtype in ("*", sub)):
            key = (r.specificity, -r.order)
            if best is None or key > best[0]:
                best = (key, r)
    if best is None:
        return (0.0, -1, 0)
    return (best[1].q, best[1].specificity, -best[1].order)


def _representation_quality(ranges: list[Range], representation: Representation) -> tuple[float, int, int]:
    """The answer of the most specific range naming the representation by any of its names.

    "application/ld+json;q=0, */*;q=0.1" refuses JSON-LD even though */* also covers its
    alias application/json; on equal specificity the primary media type decides.
    """
    names = (representation.media_type, *representation.aliases)
    candidates = [(_quality(ranges, name), index == 0) for index, name in enumerate(names)]
    return max(candidates, key=lambda c: (c[0][1], c[1], c[0][0]))[0]


MEMO_ACCEPT_LENGTH = 512


def negotiate(accept: str | None, offered=REPRESENTATIONS) -> Representation | None:
    """The best offered representation for an Accept header, or None (→ 406).

    Ties between equal q-values go to the more specific range, then to the order
    the server prefers (HTML first, then Turtle). Clients send a few distinct headers
    over and over, so answers for ordinary-sized ones are remembered.
    """
    offered = tuple(offered)
    if accept is None or len(accept) <= MEMO_ACCEPT_LENGTH:
        return _negotiate_remembered(accept, offered)
    return _negotiate(accept, offered)


@functools.lru_cache(maxsize=1024)
def _negotiate_remembered(accept: str | None, offered: tuple) -> Representation | None:
    return _negotiate(accept, offered)


def _negotiate(accept: str | None, offered: tuple) -> Representation | None:
    ranges = parse_accept(accept)
    scored = []
    for position, representation in enumerate(offered):
        best = _representation_quality(ranges, representation)
        if best[0] > 0:
            scored.append((best[0], best[1], -position, representation))
    if not scored:
        return None
    scored.sort(key=lambda s: (s[0], s[1], s[2]), reverse=True)
    return scored[0][3]


def parse_accept_language(header: str | None) -> list[str]:
    """Primary language subtags by preference (q > 0), e.g. 'fr-CH, de;q=0.8' → ['fr', 'de']."""
    if not header:
        return []
    weighted = []
    for order, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        tag = pieces[0].lower()
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.split("-")[0]
        if q > 0 and primary.isascii() and primary.isalpha() and len(primary) <= 8:
            weighted.append((-q, order, primary))
    seen, result = set(), []
    for _q, _o, tag in sorted(weighted):
        if tag not in seen:
            seen.add(tag)
            result.append(tag)
    return result


def choose_language(requested: str | None, accept_language: str | None, available=("en", "fr", "de")) -> str:
    """?lang= wins, then Accept-Language, then English."""
    if requested and requested.lower() in available:
        return requested.lower()
    for tag in parse_accept_language(accept_language):
        if tag in available:
            return tag
    return available[0]
