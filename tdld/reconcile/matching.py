"""Scoring candidates for one reconciliation query, and deciding when one of them is a match.

Score (0-100):

- **name**: the best of the entity's labels in every language, compared in normal form
  (accents, case and punctuation ignored): the same name scores 100 for a preferred label,
  95 for an alternative label, 90 for a hidden one (misspellings, forms without accents);
  a different name scores at most 90 % of that, from word overlap, character similarity
  or a prefix;
- **properties**: with property constraints, 70 % of the score comes from the name and
  30 % from how well the constraints agree (each one 1 if a value is the same entity, the
  same identifier or the same text, less for a close text, 0 otherwise); without a query
  text the score is the agreement alone.

``match`` is true for the first candidate only when its name is the same name, every
property constraint agrees, and no other candidate also has that name or comes within
:data:`MATCH_MARGIN` points of it.
"""

import re
from dataclasses import dataclass

from .entities import Catalogue, Entity, Property
from .errors import ReconcileError
from .protocol import Constraint, Query
from .text import Name, normalise, similarity
from .values import Value, value_keys, values_of

KIND_WEIGHT = {"pref": 1.0, "alt": 0.95, "hidden": 0.9}
MIN_NAME = 0.55           # name similarity below which an entity is no candidate
MATCH_SCORE = 90          # a match scores at least this
MATCH_MARGIN = 10         # ... and leads the next candidate by at least this
NAME_SHARE = 0.7          # share of the name in the score when properties are given
FUZZY_VALUE = 0.6         # text similarity from which a property value counts as partly agreeing
WHEN = re.compile(r"(\d{4})(-\d{2}-\d{2})?(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


@dataclass
class Scored:
    entity: Entity
    score: float
    name_similarity: float
    exact: bool
    label: object          # the Label that matched, or None
    agreement: float | None


def resolve_types(catalogue: Catalogue, query: Query, key: str) -> list:
    types = []
    for text in query.types:
        info = catalogue.find_type(text)
        if info is None:
            raise ReconcileError(f"{key}: unknown type {text!r}; /reconcile/suggest/type lists the types")
        types.append(info)
    return types


def resolve_properties(catalogue: Catalogue, constraints: tuple, key: str) -> list[tuple[Property, Constraint]]:
    resolved = []
    for constraint in constraints:
        prop = catalogue.find_property(constraint.pid)
        if prop is None:
            raise ReconcileError(f"{key}: unknown property {constraint.pid!r}; "
                                 "/reconcile/suggest/property lists the properties")
        resolved.append((prop, constraint))
    return resolved


def best_label(query: Name, entity: Entity, lang: str = "en"):
    """(score 0-100, similarity, same name?, label) of the entity's best label for the query;
    between equally good labels, the one in ``lang``."""
    best = (0.0, 0.0, False, None)
    for label in entity.labels:
        value, exact = similarity(query, label.name)
        score = 100 * value * KIND_WEIGHT[label.kind]
        if score > best[0] or (score == best[0] > 0 and label.lang == lang and best[3].lang != lang):
            best = (score, value, exact, label)
    return best


def query_keys(catalogue: Catalogue, value) -> tuple[set, Name | None, str | None]:
    """(identifiers, name, day or year) a client's property value may be recognised by."""
    if isinstance(value, dict):
        ident = value["id"].strip()
        return {ident, ident.upper(), catalogue.expand(ident) or ident}, \
            (normalise(value["name"]) if value["name"] else None), None
    text = (str(value).lower() if isinstance(value, bool) else str(value)).strip()
    when = WHEN.fullmatch(text)
    return {text, text.upper(), catalogue.expand(text) or text}, normalise(text), \
        (when.group(1) + (when.group(2) or "") if when else None)


def same_time(when: str, value: Value) -> bool:
    """A day agrees with the same day, and with its year when only the year is known (either side)."""
    known = str(value.value)
    return when == known or ((len(when) == 4 or len(known) == 4) and when[:4] == known[:4])


def agreement(catalogue: Catalogue, entity: Entity, prop: Property, constraint: Constraint) -> float:
    """1.0 when a value agrees exactly, the text similarity when one is close, 0.0 otherwise."""
    values = [(value, *value_keys(catalogue, value, prop))
              for value in values_of(catalogue, entity, prop, "all", for_matching=True)]
    best = 0.0
    for supplied in constraint.values:
        ids, name, when = query_keys(catalogue, supplied)
        for value, value_ids, value_names in values:
            if ids & value_ids or (when and value.kind in ("date", "year") and same_time(when, value)):
                return 1.0
            for other in value_names if name else ():
                close, exact = similarity(name, other)
                if exact:
                    return 1.0
                if close >= FUZZY_VALUE:
                    best = max(best, close)
    return best


def candidates(catalogue: Catalogue, query: Query, key: str = "query", lang: str = "en") -> list[Scored]:
    """Every candidate for the query, best first (not cut to the limit)."""
    types = resolve_types(catalogue, query, key)
    constraints = resolve_properties(catalogue, query.properties, key)
    if types:
        pool = [catalogue.entities[iri] for iri in sorted(catalogue.members_of(types, query.type_strict))]
    else:
        pool = [catalogue.entities[iri] for iri in sorted(catalogue.entities)]
    needle = normalise(query.text) if query.text else None
    named = catalogue.entity(query.text) if query.text else None
    scored = []
    for entity in pool:
        if needle is not None:
            if entity is named:
                name_score, value, exact, label = 100.0, 1.0, True, None
            else:
                name_score, value, exact, label = best_label(needle, entity, lang)
                if value < MIN_NAME:
                    continue
        else:
            name_score, value, exact, label = 0.0, 0.0, False, None
        agreed = None
        if constraints:
            agreed = sum(agreement(catalogue, entity, prop, c) for prop, c in constraints) / len(constraints)
            if needle is None:
                if agreed <= 0:
                    continue
                score = 100 * agreed
            else:
                score = NAME_SHARE * name_score + (1 - NAME_SHARE) * 100 * agreed
        else:
            score = name_score
        scored.append(Scored(entity, round(score, 1), round(value, 3), exact, label, agreed))
    scored.sort(key=lambda s: (-s.score, not s.exact, s.entity.id))
    return scored


def is_match(ranked: list[Scored]) -> bool:
    """Only a confident, unique hit: the same name, full agreement, and clearly ahead of the next."""
    if not ranked:
        return False
    first = ranked[0]
    if not first.exact or first.score < MATCH_SCORE or (first.agreement is not None and first.agreement < 1.0):
        return False
    if len(ranked) > 1:
        second = ranked[1]
        if second.exact or first.score - second.score < MATCH_MARGIN:
            return False
    return True


def display_name(catalogue: Catalogue, scored: Scored, lang: str = "en") -> tuple[str, str]:
    """(name, language): the preferred label in the language of the label that matched, else in ``lang``."""
    if scored.label is not None and scored.label.lang:
        lang = scored.label.lang
    return catalogue.knowledge.label(scored.entity.iri, lang), lang


def reconcile(catalogue: Catalogue, query: Query, key: str = "query", lang: str = "en") -> list[dict]:
    """The reconciliation result for one query: candidates as the protocol shapes them."""
    ranked = candidates(catalogue, query, key, lang)
    requested = resolve_types(catalogue, query, key)
    matched = is_match(ranked)
    result = []
    for position, scored in enumerate(ranked[:query.limit]):
        name, shown = display_name(catalogue, scored, lang)
        types = catalogue.entity_types(scored.entity)
        types += [t for t in requested if t not in types and scored.entity.iri in catalogue.members[t.iri]]
        candidate = {
            "id": scored.entity.id,
            "name": name,
            "score": scored.score,
            "match": matched and position == 0,
            "type": [{"id": t.id, "name": t.name} for t in types],
            "features": [{"id": "name_similarity", "value": scored.name_similarity},
                         {"id": "same_name", "value": scored.exact}],
        }
        if scored.agreement is not None:
            candidate["features"].append({"id": "property_agreement", "value": round(scored.agreement, 3)})
        description = catalogue.description(scored.entity.iri, shown)
        if description:
            candidate["description"] = shorten(description)
        result.append(candidate)
    return result


def shorten(text: str, length: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1].rsplit(" ", 1)[0] + "…"
