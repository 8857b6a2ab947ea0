"""The label-lookup query sent to a Wikidata SPARQL endpoint, and its results as candidates. Pure.

One query serves a batch of subjects: ``VALUES`` lists every label of the batch as a literal with
its language tag (plus the same text with its first letter in the other case, since Wikidata
writes concepts in lower case and names capitalised), items are matched on ``rdfs:label`` or
``skos:altLabel`` (what the Wikidata Query Service calls labels and aliases), and each match
brings back its labels and aliases in en/fr/de (and ``mul``), its English description and,
where the endpoint has them, its ``wdt:P31`` / ``wdt:P279`` values for type checks.

The shape is ``{match} {A} UNION {B} UNION ...`` rather than several OPTIONALs so that an
item's labels and types come back as separate rows, not as their cross product.
"""

from dataclasses import dataclass, field

WD = "http://www.wikidata.org/entity/"
WDT = "http://www.wikidata.org/prop/direct/"
LANGUAGES = ("en", "fr", "de")
MUL = "mul"  # Wikidata's language-neutral label code, valid in every language


@dataclass(frozen=True)
class Label:
    """One label of a tdld resource: its text, language, and whether it is preferred."""

    text: str
    lang: str
    preferred: bool = True


@dataclass(frozen=True)
class Subject:
    """A tdld resource to link: its IRI, whether it is a SKOS concept, its labels and rdf:types."""

    iri: str
    concept: bool
    labels: tuple = ()
    types: tuple = ()

    def label(self, lang: str = "en") -> str:
        """A display label: the preferred one in ``lang`` if any, else any label."""
        ranked = sorted(self.labels, key=lambda l: (l.lang != lang, not l.preferred, l.text))
        return ranked[0].text if ranked else self.iri.rsplit("/", 1)[-1]


@dataclass
class Candidate:
    """A Wikidata item found by label, with what the endpoint said about it."""

    iri: str
    names: set = field(default_factory=set)  # (text, lang, is_label): labels True, aliases False
    types: set = field(default_factory=set)  # IRIs of wdt:P31 values
    superclasses: set = field(default_factory=set)  # IRIs of wdt:P279 values
    description: str = ""
    matched: set = field(default_factory=set)  # (text, lang) literals of the query it matched

    @property
    def qid(self) -> str:
        return self.iri[len(WD):] if self.iri.startswith(WD) else self.iri

    def label(self, lang: str = "en") -> str:
        ranked = sorted(self.names, key=lambda n: (n[1] != lang, n[1] != MUL, not n[2], n[0]))
        return ranked[0][0] if ranked else self.qid


def case_variants(text: str) -> list[str]:
    """The text as given, then with its first letter lowered and raised (duplicates removed)."""
    variants = [text]
    if text:
        for first in (text[0].lower(), text[0].upper()):
            variant = first + text[1:]
            if variant not in variants:
                variants.append(variant)
    return variants


def lookup_literals(subjects) -> dict:
    """Every (text, lang) literal to look up → the IRIs of the subjects it stands for."""
    owners: dict = {}
    for subject in subjects:
        for label in subject.labels:
            for text in case_variants(label.text):
                owners.setdefault((text, label.lang), set()).add(subject.iri)
    return owners


def sparql_string(text: str) -> str:
    """A SPARQL string literal (double quotes, with the escapes the grammar defines)."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
    return '"' + "".join(escapes.get(c, c) for c in text) + '"'


def lookup_query(literals) -> str:
    """The SELECT query finding items whose label or alias is one of ``literals`` ((text, lang) pairs)."""
    values = "\n    ".join(f"{sparql_string(text)}@{lang}" for text, lang in sorted(literals))
    languages = ", ".join(f'"{lang}"' for lang in LANGUAGES + (MUL,))
    return f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
PREFIX wdt: <{WDT}>
SELECT ?item ?matched ?kind ?value WHERE {{
  VALUES ?matched {{
    {values}
  }}
  {{ ?item rdfs:label ?matched }} UNION {{ ?item skos:altLabel ?matched }}
  FILTER(STRSTARTS(STR(?item), "{WD}Q"))
  {{ ?item rdfs:label ?value . BIND("label" AS ?kind) FILTER(LANG(?value) IN ({languages})) }}
  UNION {{ ?item skos:altLabel ?value . BIND("alias" AS ?kind) FILTER(LANG(?value) IN ({languages})) }}
  UNION {{ ?item schema:description ?value . BIND("description" AS ?kind) FILTER(LANG(?value) = "en") }}
  UNION {{ ?item wdt:P31 ?value . BIND("P31" AS ?kind) }}
  UNION {{ ?item wdt:P279 ?value . BIND("P279" AS ?kind) }}
}}
"""


def _term(binding: dict, name: str):
    term = binding.get(name)
    return term if isinstance(term, dict) and "value" in term else None


def parse_candidates(results: dict) -> dict:
    """SPARQL 1.1 JSON results of :func:`lookup_query` → {item IRI: Candidate}.

    Rows missing a part are skipped rather than trusted; raises ValueError if ``results`` is
    not SPARQL JSON results at all.
    """
    try:
        bindings = results["results"]["bindings"]
    except (KeyError, TypeError):
        raise ValueError("not SPARQL JSON results (no results.bindings)") from None
    found: dict = {}
    for binding in bindings:
        item, matched, kind, value = (_term(binding, n) for n in ("item", "matched", "kind", "value"))
        if not item or item.get("type") != "uri" or not matched:
            continue
        candidate = found.setdefault(item["value"], Candidate(item["value"]))
        lang = matched.get("xml:lang", "")
        candidate.matched.add((matched["value"], lang.lower()))
        if not kind or not value:
            continue
        kind = kind["value"]
        if kind in ("label", "alias"):
            candidate.names.add((value["value"], value.get("xml:lang", "").lower(), kind == "label"))
        elif kind == "description":
            candidate.description = candidate.description or value["value"]
        elif kind == "P31" and value.get("type") == "uri":
            candidate.types.add(value["value"])
        elif kind == "P279" and value.get("type") == "uri":
            candidate.superclasses.add(value["value"])
    return found


def candidates_by_subject(found: dict, owners: dict) -> dict:
    """{subject IRI: [Candidate]}: each candidate goes to the subjects whose labels it matched."""
    by_subject: dict = {}
    for candidate in found.values():
        subjects = set()
        for literal in candidate.matched:
            subjects |= owners.get(literal, set())
        for iri in subjects:
            by_subject.setdefault(iri, []).append(candidate)
    for candidates in by_subject.values():
        candidates.sort(key=lambda c: c.iri)
    return by_subject


# --- the check of existing mappings -----------------------------------------------------------

def existence_query(iris) -> str:
    """Which of these Wikidata IRIs the endpoint knows (has any triple about), and where they redirect.

    A merged item survives in Wikidata's RDF only as ``wd:Qold owl:sameAs wd:Qnew``.
    """
    values = " ".join(f"<{iri}>" for iri in sorted(iris))
    return f"""PREFIX owl: <http://www.w3.org/2002/07/owl#>
SELECT ?item ?target WHERE {{
  VALUES ?item {{ {values} }}
  FILTER EXISTS {{ ?item ?p ?o }}
  OPTIONAL {{ ?item owl:sameAs ?target }}
}}
"""


def parse_existence(results: dict) -> tuple[set, dict]:
    """SPARQL JSON results of :func:`existence_query` → (IRIs that exist, {IRI: redirect target})."""
    try:
        bindings = results["results"]["bindings"]
    except (KeyError, TypeError):
        raise ValueError("not SPARQL JSON results (no results.bindings)") from None
    existing, redirects = set(), {}
    for binding in bindings:
        item, target = _term(binding, "item"), _term(binding, "target")
        if item:
            existing.add(item["value"])
            if target and target["value"] != item["value"]:
                redirects[item["value"]] = target["value"]
    return existing, redirects
