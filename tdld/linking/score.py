"""How much a Wikidata candidate looks like the tdld resource it was found for. Pure.

The confidence (0..1) multiplies four things a curator can check in the row's comment:

- **label agreement**: the best match between a label of the resource and a label or alias of
  the item in the same language: 1.0 for the same text, 0.9 when only case, accents, hyphens
  or spacing differ; times 0.9 if the resource's label is an alternative one, times 0.9 if the
  item's is an alias;
- **language coverage**: in how many of en, fr, de they agree (0.70, 0.85, 1.00 for 1, 2, 3),
  minus 0.10 for each language where both have a label and none agree;
- **type compatibility**, only when the endpoint gives ``wdt:P31``/``wdt:P279``: 0.4 when the
  item is of a kind the resource cannot be (a human for a place, a city for a concept ...);
  when the endpoint says nothing, or nothing that tdld recognises, the factor is 1 and the
  comment says the type is unknown (the offline Wikidata extract has no P31 at all);
- **ambiguity**: 0.7 for each other plausible candidate sharing a matched label that matches in
  as many languages, 0.85 for each that matches in fewer.

Concepts get ``skos:exactMatch`` from :data:`EXACT_THRESHOLD` up and ``skos:closeMatch``
below; other resources get ``schema:sameAs`` (never ``owl:sameAs``). The justification is
always ``semapv:LexicalMatching``: a curator must still look before reviewing.
"""


from dataclasses import dataclass

from ..core.text import fold
from .candidates import LANGUAGES, MUL, WD, Candidate, Subject

EXACT_THRESHOLD = 0.85
MIN_CONFIDENCE = 0.2
MAX_PER_SUBJECT = 5
JUSTIFICATION = "https://w3id.org/semapv/vocab/LexicalMatching"
EXACT_MATCH = "http://www.w3.org/2004/02/skos/core#exactMatch"
CLOSE_MATCH = "http://www.w3.org/2004/02/skos/core#closeMatch"
SAME_AS = "http://schema.org/sameAs"

ID = "https://w3id.org/territorial-diplomacy/id/"

# A few well-known Wikidata classes, grouped by the kind of thing they denote. Used only to
# score; never written as a mapping. An item of a class listed here under another kind than
# the resource's is incompatible; an item of none of them is of unknown type.
KINDS = {
    "person": {"Q5"},  # human
    "place": {"Q515", "Q1549591", "Q486972", "Q5119", "Q2221906"},  # city, big city, human settlement, capital, geographic location
    "state": {"Q3624078", "Q6256", "Q7275"},  # sovereign state, country, state
    "organisation": {"Q43229", "Q484652"},  # organization, international organization
    "legal act": {"Q131569", "Q7748", "Q820655"},  # treaty, law, statute
    "event": {"Q1656682", "Q198"},  # event, war
    "work": {"Q13442814", "Q571", "Q7725634", "Q5633421", "Q737498", "Q35127"},  # article, book, literary work, journals, website
    "concept": {"Q151885"},  # concept
}
# Which kinds each tdld resource may be, from the folder of its IRI (concepts: "concept").
KINDS_OF_FOLDER = {
    "actor": {"organisation", "state", "place"},
    "person": {"person"},
    "place": {"place", "state"},
    "act": {"legal act", "work"},
    "event": {"event"},
    "work": {"work"},
    "policy": {"organisation", "concept", "event"},
    "partnership": {"organisation", "event", "legal act"},
}


@dataclass(frozen=True)
class Scored:
    """A candidate with its confidence, mapping predicate and the reasons, for one subject."""

    subject: Subject
    candidate: Candidate
    confidence: float
    predicate: str
    justification: str
    comment: str


@dataclass(frozen=True)
class Agreement:
    """How the labels of a subject and of a candidate agree, language by language."""

    best: float  # 0..1, the best single label match
    languages: tuple  # languages (of en, fr, de) where they agree
    conflicts: tuple  # languages where both have labels and none agree
    exact: bool  # the best match is the same text
    matched: frozenset  # normalised texts that matched


def normalise(text: str) -> str:
    """Case-, accent-, hyphen-, underscore- and space-insensitive form of a label."""
    return " ".join(fold(text).replace("_", " ").split())


def _in(lang: str, wanted: str) -> bool:
    return lang == wanted or lang == MUL


def agreement(subject: Subject, candidate: Candidate) -> Agreement:
    best_overall, exact_overall = 0.0, False
    languages, conflicts, matched = [], [], set()
    for lang in LANGUAGES:
        mine = [l for l in subject.labels if _in(l.lang, lang)]
        theirs = [n for n in candidate.names if _in(n[1], lang)]
        best, exact = 0.0, False
        for label in mine:
            for text, _lang, is_label in theirs:
                if text == label.text:
                    quality = 1.0
                elif normalise(text) == normalise(label.text):
                    quality = 0.9
                else:
                    continue
                quality *= (1.0 if label.preferred else 0.9) * (1.0 if is_label else 0.9)
                matched.add(normalise(text))
                if quality > best:
                    best, exact = quality, text == label.text
        if best > 0:
            languages.append(lang)
            if best > best_overall or (best == best_overall and exact):
                best_overall, exact_overall = best, exact
        elif any(l.preferred for l in mine) and any(n[2] for n in theirs):
            conflicts.append(lang)
    return Agreement(best_overall, tuple(languages), tuple(conflicts), exact_overall, frozenset(matched))


def kinds_of_subject(subject: Subject) -> set:
    if subject.concept:
        return {"concept"}
    if subject.iri.startswith(ID):
        folder = subject.iri[len(ID):].split("/", 1)[0]
        return set(KINDS_OF_FOLDER.get(folder, set()))
    return set()


def kinds_of_candidate(candidate: Candidate) -> set:
    qids = {iri[len(WD):] for iri in candidate.types | candidate.superclasses if iri.startswith(WD)}
    kinds = {kind for kind, classes in KINDS.items() if qids & classes}
    if candidate.superclasses:
        kinds.add("concept")  # an item with superclasses is a class, i.e. a general notion
    return kinds


def type_fit(subject: Subject, candidate: Candidate) -> str:
    """'compatible', 'incompatible' or 'unknown' (no P31/P279, or none tdld recognises)."""
    theirs = kinds_of_candidate(candidate)
    mine = kinds_of_subject(subject)
    if not theirs or not mine:
        return "unknown"
    return "compatible" if theirs & mine else "incompatible"


def base_confidence(found: Agreement) -> float:
    coverage = {0: 0.0, 1: 0.70, 2: 0.85}.get(len(found.languages), 1.0)
    return max(0.0, found.best * coverage - 0.10 * len(found.conflicts))


def predicate_for(subject: Subject, confidence: float) -> str:
    if not subject.concept:
        return SAME_AS
    return EXACT_MATCH if confidence >= EXACT_THRESHOLD else CLOSE_MATCH


def _describe(found: Agreement, fit: str, candidate: Candidate, rivals: int) -> str:
    how = "exact" if found.exact else "ignoring case/accents"
    parts = [f"labels agree in {', '.join(found.languages)} ({how})" if found.languages else "no label agrees"]
    if found.conflicts:
        parts.append(f"labels differ in {', '.join(found.conflicts)}")
    if fit == "unknown":
        parts.append("type unknown (no P31/P279 tdld recognises)")
    else:
        shown = sorted(iri[len(WD):] for iri in candidate.types | candidate.superclasses)[:3]
        parts.append(f"type {fit} (P31/P279 {', '.join(shown)})")
    if rivals:
        parts.append(f"ambiguous: {rivals} other candidate{'s' if rivals > 1 else ''} with the same label")
    if candidate.description:
        parts.append(f"Wikidata: {candidate.description}")
    return "; ".join(parts)


def score_subject(subject: Subject, candidates) -> list:
    """Rate every candidate of one subject; return the plausible ones, best first."""
    rated = []
    for candidate in candidates:
        found = agreement(subject, candidate)
        if found.best > 0:
            rated.append((candidate, found, type_fit(subject, candidate)))
    scored = []
    for candidate, found, fit in rated:
        confidence = base_confidence(found) * (0.4 if fit == "incompatible" else 1.0)
        rivals = [(c, f) for c, f, t in rated
                  if c is not candidate and t != "incompatible" and f.matched & found.matched]
        for _rival, theirs in rivals:
            confidence *= 0.7 if len(theirs.languages) >= len(found.languages) else 0.85
        confidence = round(min(1.0, confidence), 2)
        if confidence < MIN_CONFIDENCE:
            continue
        scored.append(Scored(subject, candidate, confidence, predicate_for(subject, confidence), JUSTIFICATION,
                             _describe(found, fit, candidate, len(rivals))))
    scored.sort(key=lambda s: (-s.confidence, s.candidate.iri))
    return scored[:MAX_PER_SUBJECT]
