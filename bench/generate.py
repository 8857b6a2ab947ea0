#!/usr/bin/env python3
"""Seeded synthetic instance data, to measure the build at a chosen size.

    python bench/generate.py --triples 100000 --out DIR [--seed 1] [--force]

DIR receives copies of this checkout's ontology/, shapes/ and data/ plus
data/generated.ttl, so that ``tdld --root DIR build`` builds it. ``--triples`` is the
size of generated.ttl (the shipped sources add about 2,500 triples); the count lands
within a few triples of it.

The data uses only the terms of ontology/ontology.ttl and the vocabularies the shipped
data already uses, and passes the shipped SHACL shapes:

- states, regional authorities (federated states in federal states) and cities, linked
  by tdo:subdivisionOf, with rdfs:label in en, fr, de and rdfs:comment in en, fr;
- networks of local governments and European groupings of territorial cooperation,
  with org:memberOf memberships and tdo:Founding events dated by year;
- twinnings (tdo:Twinning, two tdo:partner, tdo:cooperatesWith between the partners) and
  cross-border agreements (tdo:Agreement, legal basis the Madrid Convention); a
  partnership holds over a time:ProperInterval that begins on the OWL-Time instant of
  its start, a day or a year as in data/dates.ttl;
- programmes (tdo:Programme) that fund narrower concepts generated below real concepts of
  the vocabulary (deepening the skos:broader hierarchy) and involve regions;
- meetings of networks at places, with participants and a day.

Every IRI lies under https://w3id.org/territorial-diplomacy/id/bench/ and every resource
has dcterms:source pointing to one bibliographic resource that says the data is synthetic.
The Turtle text is written directly (no rdflib), so a million triples take seconds.
"""

import argparse
import functools
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ("ontology", "shapes", "data")
OUTPUT_NAME = "generated.ttl"
BASE = "https://w3id.org/territorial-diplomacy/id/bench/"
SOURCE = "bwork:synthetic-benchmark-data"

PREFIXES = {
    "tdo": "https://w3id.org/territorial-diplomacy/ontology#",
    "tdv": "https://w3id.org/territorial-diplomacy/vocab/",
    "act": "https://w3id.org/territorial-diplomacy/id/act/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "bibo": "http://purl.org/ontology/bibo/",
}
KINDS = ("work", "state", "region", "city", "network", "egtc", "event", "meeting", "place",
         "partnership", "programme", "concept", "date", "interval")
PREFIXES.update({f"b{kind}": f"{BASE}{kind}/" for kind in KINDS})

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
ONSETS = ("al", "bar", "bel", "bran", "cas", "dor", "el", "fen", "gar", "hal", "is", "kar",
          "lin", "mar", "nor", "os", "pel", "quen", "ros", "sal", "tor", "ul", "val", "wen",
          "ard", "ber", "cor", "dun", "eis", "gra", "hel", "kel", "lor", "mon", "ost", "rav")
MIDDLES = ("", "a", "e", "i", "o", "u", "en", "an", "ar", "el", "or", "in")
CODAS = ("burg", "dorf", "feld", "heim", "ville", "mont", "stad", "haven", "brück", "court",
         "ia", "ac", "au", "berg", "bach", "lund", "wick", "ford", "sur", "tal", "ona", "ese")

# Real concepts of ontology/vocabulary.ttl below which narrower concepts are generated,
# with their preferred labels in en, fr, de.
PARENT_CONCEPTS = {
    "town-twinning": ("town twinning", "jumelage", "Städtepartnerschaft"),
    "cross-border-cooperation": ("cross-border cooperation", "coopération transfrontalière",
                                 "grenzüberschreitende Zusammenarbeit"),
    "interregional-cooperation": ("interregional cooperation", "coopération interrégionale",
                                  "interregionale Zusammenarbeit"),
    "transnational-cooperation": ("transnational cooperation", "coopération transnationale",
                                  "transnationale Zusammenarbeit"),
    "decentralized-cooperation": ("decentralized cooperation", "coopération décentralisée",
                                  "dezentrale Zusammenarbeit"),
    "development-aid-partnership": ("development aid partnership", "partenariat d'aide au développement",
                                    "kommunale Entwicklungspartnerschaft"),
}
THEMES = (
    ("health", "santé", "Gesundheit"), ("culture", "culture", "Kultur"),
    ("education", "éducation", "Bildung"), ("youth exchange", "échanges de jeunes", "Jugendaustausch"),
    ("water management", "gestion de l'eau", "Wasserwirtschaft"), ("transport", "transports", "Verkehr"),
    ("energy", "énergie", "Energie"), ("tourism", "tourisme", "Tourismus"),
    ("heritage", "patrimoine", "Kulturerbe"), ("climate adaptation", "adaptation au climat", "Klimaanpassung"),
    ("sport", "sport", "Sport"), ("civil protection", "protection civile", "Katastrophenschutz"),
    ("urban planning", "urbanisme", "Stadtplanung"), ("employment", "emploi", "Beschäftigung"),
    ("agriculture", "agriculture", "Landwirtschaft"), ("research", "recherche", "Forschung"),
)
AUDIENCES = (
    ("for young people", "pour les jeunes", "für junge Menschen"),
    ("for elected officials", "pour les élus", "für Mandatsträger"),
    ("for civil servants", "pour les agents publics", "für Verwaltungsbedienstete"),
    ("for schools", "pour les écoles", "für Schulen"),
    ("for associations", "pour les associations", "für Vereine"),
    ("for businesses", "pour les entreprises", "für Unternehmen"),
)
PURPOSES = ("reconciliation", "social-cohesion", "economic-and-social-cohesion", "conflict-prevention")
MADRID_CONVENTION = "act:madrid-convention"


# ---------------------------------------------------------------------------
# Turtle text
# ---------------------------------------------------------------------------

def escape(text: str) -> str:
    """A Turtle short string body: backslashes and quotes escaped, newlines kept out."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def lang(text: str, tag: str) -> str:
    return f'"{escape(text)}"@{tag}'


def plain(text: str) -> str:
    return f'"{escape(text)}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^{datatype}'


def labels(en: str, fr: str, de: str, predicate: str = "rdfs:label") -> list:
    return [(predicate, lang(en, "en")), (predicate, lang(fr, "fr")), (predicate, lang(de, "de"))]


def comments(en: str, fr: str) -> list:
    return [("rdfs:comment", lang(en, "en")), ("rdfs:comment", lang(fr, "fr"))]


class TurtleWriter:
    """Collects Turtle statements and counts the triples they hold, as it writes them."""

    def __init__(self):
        self.parts: list[str] = []
        self.triples = 0

    def prefixes(self, prefixes: dict) -> None:
        self.parts += [f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items()]
        self.parts.append("\n")

    def resource(self, subject: str, pairs: list) -> None:
        """One subject block; every (predicate, object) pair is one triple."""
        body = " ;\n    ".join(f"{p} {o}" for p, o in pairs)
        self.parts.append(f"{subject} {body} .\n\n")
        self.triples += len(pairs)

    def statement(self, subject: str, predicate: str, obj: str) -> None:
        self.parts.append(f"{subject} {predicate} {obj} .\n")
        self.triples += 1

    def text(self) -> str:
        return "".join(self.parts)


# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

class Names:
    """Unique, pronounceable, deterministic place names and their ASCII slugs."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def next(self) -> str:
        while True:
            parts = [self.rng.choice(ONSETS), self.rng.choice(MIDDLES)]
            if self.rng.random() < 0.35:
                parts += [self.rng.choice(ONSETS), self.rng.choice(MIDDLES)]
            name = ("".join(parts) + self.rng.choice(CODAS)).capitalize()
            if slug(name) not in self.used:
                self.used.add(slug(name))
                return name


@functools.lru_cache(maxsize=None)
def slug(name: str) -> str:
    """Lowercase ASCII words joined by '-', as docs/modelling.md asks of every slug."""
    ascii_name = name.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae")
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_name).split())


def french_of(name: str) -> str:
    """'de Velmora' or 'd'Aldenburg', as French elides before a vowel."""
    return f"d'{name}" if name[0].lower() in "aeiouy" else f"de {name}"


# ---------------------------------------------------------------------------
# The world being generated
# ---------------------------------------------------------------------------

@dataclass
class Actor:
    iri: str
    name: str
    state: int


@dataclass
class World:
    """What has been generated so far, for later resources to link to."""

    rng: random.Random
    names: Names
    out: TurtleWriter
    states: list = field(default_factory=list)
    federal: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    cities: list = field(default_factory=list)
    networks: list = field(default_factory=list)
    concepts: list = field(default_factory=list)
    places: dict = field(default_factory=dict)
    dates: set = field(default_factory=set)
    pairs: set = field(default_factory=set)


@dataclass(frozen=True)
class Plan:
    """How many resources of each kind a target size calls for; partnerships fill the rest."""

    states: int
    regions: int
    cities: int
    networks: int
    egtcs: int
    concepts: int
    programmes: int
    meetings: int

    @classmethod
    def for_size(cls, triples: int) -> "Plan":
        cities = max(12, triples // 26)
        regions = max(3, cities // 12)
        concept_room = len(PARENT_CONCEPTS) * len(THEMES) * (1 + len(AUDIENCES))
        return cls(
            states=max(3, regions // 8),
            regions=regions,
            cities=cities,
            networks=max(1, cities // 80),
            egtcs=max(1, regions // 15),
            concepts=min(concept_room, max(4, triples // 400)),
            programmes=max(1, triples // 2500),
            meetings=max(1, triples // 1500),
        )


# ---------------------------------------------------------------------------
# Dates (OWL-Time, as data/dates.ttl)
# ---------------------------------------------------------------------------

def random_day(rng: random.Random, first: int, last: int) -> tuple[int, int, int]:
    """A plausible day; twinnings cluster in the post-war decades like the real ones."""
    year = min(last, max(first, int(rng.triangular(first, last, first + (last - first) // 3))))
    return year, rng.randint(1, 12), rng.randint(1, 28)


def instant(world: World, year: int, month: int = 0, day: int = 0) -> str:
    """The instant of a day (or of a year when month is 0), written on first use."""
    value = f"{year:04d}-{month:02d}-{day:02d}" if month else f"{year:04d}"
    iri = f"bdate:{value}"
    if iri not in world.dates:
        world.dates.add(iri)
        if month:
            pairs = [("a", "time:Instant"), ("time:inXSDDate", typed(value, "xsd:date")),
                     ("rdfs:label", plain(f"{day} {MONTHS[month - 1]} {year}"))]
        else:
            pairs = [("a", "time:Instant"), ("time:inXSDgYear", typed(value, "xsd:gYear")),
                     ("rdfs:label", plain(value))]
        world.out.resource(iri, pairs + [("dcterms:source", SOURCE)])
    return iri


def interval_from(world: World, start: str) -> str:
    """The open interval that begins at an instant: the time over which a partnership holds."""
    value = start.split(":", 1)[1]
    iri = f"binterval:from-{value}"
    if iri not in world.dates:
        world.dates.add(iri)
        world.out.resource(iri, [("a", "time:ProperInterval"), ("time:hasBeginning", start),
                                 ("rdfs:label", plain(f"from {value}")), ("dcterms:source", SOURCE)])
    return iri


def dated_start(world: World) -> str:
    """A partnership's start: a day when the record gives one, else a year."""
    year, month, day = random_day(world.rng, 1947, 2023)
    if world.rng.random() < 0.6:
        return instant(world, year, month, day)
    return instant(world, year)


# ---------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------

def write_source(world: World, seed: int) -> None:
    """The one bibliographic resource every generated fact cites: it says the data is fake."""
    world.out.resource(SOURCE, [
        ("a", "bibo:Document"),
        ("dcterms:title", lang("Synthetic benchmark data for tdld", "en")),
        *labels("Synthetic benchmark data", "Données synthétiques de mesure de performance",
                "Synthetische Benchmark-Daten"),
        *comments(f"Data generated at random (seed {seed}) to measure the tdld build at scale; "
                  "it describes no real place, authority, organisation or event.",
                  f"Données générées au hasard (graine {seed}) pour mesurer la construction de tdld "
                  "à grande échelle ; elles ne décrivent aucun lieu, aucune collectivité, "
                  "aucune organisation ni aucun événement réels."),
        ("dcterms:source", SOURCE),
    ])


def described(kind_en: str, fictive_fr: str) -> list:
    """The comments that NamedThingShape asks for, saying plainly that the thing is made up."""
    return comments(f"Synthetic {kind_en} generated for benchmarks; not a real one.",
                    f"{fictive_fr} pour les mesures de performance.")


def write_states(world: World, count: int) -> None:
    for index in range(count):
        name = world.names.next()
        federal = index % 4 == 1
        if federal:
            texts = (f"Federal Republic of {name}", f"République fédérale {french_of(name)}", f"Bundesrepublik {name}")
        else:
            texts = (f"Republic of {name}", f"République {french_of(name)}", f"Republik {name}")
        iri = f"bstate:{slug(name)}"
        world.out.resource(iri, [("a", "tdo:State"), *labels(*texts), *described("state", "État fictif généré"),
                                 ("dcterms:source", SOURCE)])
        world.states.append(Actor(iri, name, index))
        world.federal.append(federal)


def write_regions(world: World, count: int) -> None:
    for index in range(count):
        state = index % len(world.states)
        name = world.names.next()
        if world.federal[state]:
            kind, texts = "tdo:FederatedState", (f"State of {name}", f"État {french_of(name)}", f"Land {name}")
        else:
            kind, texts = "tdo:RegionalAuthority", (f"Region of {name}", f"Région {french_of(name)}", f"Region {name}")
        iri = f"bregion:{slug(name)}"
        world.out.resource(iri, [("a", kind), *labels(*texts), *described("region", "Territoire fictif généré"),
                                 ("tdo:subdivisionOf", world.states[state].iri), ("dcterms:source", SOURCE)])
        world.regions.append(Actor(iri, name, state))


def plan_networks(world: World, count: int) -> None:
    """Name the networks first, so that cities can state their memberships in one block."""
    for _ in range(count):
        name = world.names.next()
        world.networks.append(Actor(f"bnetwork:{slug(name)}-cities", name, -1))


def write_cities(world: World, count: int) -> None:
    rng = world.rng
    for _ in range(count):
        region = world.regions[rng.randrange(len(world.regions))]
        name = world.names.next()
        iri = f"bcity:{slug(name)}"
        pairs = [("a", "tdo:City"), *labels(name, name, name), *described("city", "Ville fictive générée"),
                 ("tdo:subdivisionOf", region.iri)]
        if world.networks and rng.random() < 0.4:
            for network in sorted({rng.randrange(len(world.networks)) for _ in range(rng.randint(1, 2))}):
                pairs.append(("org:memberOf", world.networks[network].iri))
        world.out.resource(iri, pairs + [("dcterms:source", SOURCE)])
        world.cities.append(Actor(iri, name, region.state))


def write_founding(world: World, actor: Actor, title: tuple) -> None:
    en, fr, de = title
    year = world.rng.randint(1951, 2015)
    world.out.resource(f"bevent:founding-of-{actor.iri.split(':', 1)[1]}", [
        ("a", "tdo:Founding"),
        *labels(f"Founding of {en}", f"Fondation {fr}", f"Gründung {de}"),
        *described("founding event", "Événement fictif généré"),
        ("tdo:founds", actor.iri), ("time:hasTime", instant(world, year)), ("dcterms:source", SOURCE),
    ])


def write_networks(world: World) -> None:
    for network in world.networks:
        name = network.name
        title = (f"{name} Cities Network", f"Réseau des villes {french_of(name)}", f"Städtenetz {name}")
        world.out.resource(network.iri, [("a", "tdo:LocalGovernmentNetwork"), *labels(*title),
                                         *described("network of local governments", "Réseau fictif généré"),
                                         ("dcterms:source", SOURCE)])
        write_founding(world, network, (f"the {title[0]}", f"du réseau des villes {french_of(name)}",
                                        f"des Städtenetzes {name}"))


def write_egtcs(world: World, count: int) -> None:
    """Groupings of regions of two or more states, each region stating its membership."""
    rng = world.rng
    for _ in range(count):
        name = world.names.next()
        iri = f"begtc:{slug(name)}"
        world.out.resource(iri, [
            ("a", "tdo:EuropeanGroupingOfTerritorialCooperation"),
            *labels(f"EGTC {name}", f"GECT {name}", f"EVTZ {name}"),
            *described("European grouping of territorial cooperation", "Groupement fictif généré"),
            ("dcterms:source", SOURCE),
        ])
        members = []
        for _ in range(rng.randint(2, 4)):
            region = world.regions[rng.randrange(len(world.regions))]
            if region.iri not in members:
                members.append(region.iri)
        for member in members:
            world.out.statement(member, "org:memberOf", iri)
        write_founding(world, Actor(iri, name, -1), (f"EGTC {name}", f"du GECT {name}", f"des EVTZ {name}"))


def write_concepts(world: World, count: int) -> None:
    """Narrower concepts below real ones: parent > parent: theme > parent: theme audience."""
    rng = world.rng
    combos = [(p, t) for p in PARENT_CONCEPTS for t in THEMES]
    rng.shuffle(combos)
    for parent, theme in combos:
        if len(world.concepts) >= count:
            return
        parent_labels = PARENT_CONCEPTS[parent]
        labels_2 = (f"{parent_labels[0]}: {theme[0]}", f"{parent_labels[1]} : {theme[1]}", f"{parent_labels[2]}: {theme[2]}")
        middle = write_concept(world, f"tdv:{parent}", parent_labels, labels_2)
        for audience in rng.sample(AUDIENCES, rng.randint(0, 2)):
            if len(world.concepts) >= count:
                return
            write_concept(world, middle, labels_2, tuple(f"{a} {b}" for a, b in zip(labels_2, audience)))


def write_concept(world: World, broader: str, parent: tuple, own: tuple) -> str:
    """One concept of the scheme, with the labels and definitions the vocabulary shapes ask for."""
    iri = f"bconcept:{slug(own[0])}"
    world.out.resource(iri, [
        ("a", "skos:Concept"), ("skos:inScheme", "tdv:scheme"),
        *labels(*own, predicate="skos:prefLabel"), ("rdfs:label", lang(own[0], "en")),
        ("skos:definition", lang(f"Synthetic narrower concept of {parent[0]}, generated for benchmarks.", "en")),
        ("skos:definition", lang(f"Concept plus spécifique que « {parent[1]} », fictif, généré pour les mesures.", "fr")),
        ("skos:broader", broader), ("dcterms:source", SOURCE),
    ])
    world.concepts.append(iri)
    return iri


def write_programmes(world: World, count: int) -> None:
    rng = world.rng
    for _ in range(count):
        name = world.names.next()
        start = rng.randint(1990, 2021)
        funded = rng.choice(world.concepts) if world.concepts else "tdv:cross-border-cooperation"
        pairs = [
            ("a", "tdo:Programme"),
            *labels(f"{name} cooperation programme {start}-{start + 6}",
                    f"Programme de coopération {name} {start}-{start + 6}",
                    f"Kooperationsprogramm {name} {start}-{start + 6}"),
            *described("programme", "Programme fictif généré"),
            ("tdo:funds", funded), ("tdo:purpose", f"tdv:{rng.choice(PURPOSES)}"),
            ("tdo:startedOn", instant(world, start)), ("tdo:endedOn", instant(world, start + 6)),
        ]
        involved = sorted({rng.randrange(len(world.regions)) for _ in range(rng.randint(2, 6))})
        pairs += [("tdo:involves", world.regions[i].iri) for i in involved]
        world.out.resource(f"bprogramme:{slug(name)}", pairs + [("dcterms:source", SOURCE)])


def place_of(world: World, city: Actor) -> str:
    """The place named after a host city, written the first time a meeting is held there."""
    iri = f"bplace:{city.iri.split(':', 1)[1]}"
    if iri not in world.places:
        world.places[iri] = city.name
        world.out.resource(iri, [("a", "tdo:Place"), *labels(city.name, city.name, city.name),
                                 *described("place", "Lieu fictif généré"), ("dcterms:source", SOURCE)])
    return iri


def write_meetings(world: World, count: int) -> None:
    rng = world.rng
    for index in range(count):
        network = world.networks[index % len(world.networks)]
        host = world.cities[rng.randrange(len(world.cities))]
        year, month, day = random_day(rng, 1960, 2023)
        where = place_of(world, host)
        pairs = [
            ("a", "tdo:Meeting"),
            *labels(f"{network.name} congress in {host.name}, {year}",
                    f"Congrès du réseau {network.name} à {host.name}, {year}",
                    f"Kongress des Netzes {network.name} in {host.name}, {year}"),
            *described("meeting", "Congrès fictif généré"),
            ("tdo:organisedBy", network.iri), ("prov:atLocation", where),
            ("time:hasTime", instant(world, year, month, day)),
        ]
        guests = sorted({rng.randrange(len(world.cities)) for _ in range(rng.randint(2, 5))})
        pairs += [("tdo:participant", world.cities[i].iri) for i in guests]
        if world.concepts and rng.random() < 0.1:
            pairs.append(("tdo:adoptedDefinitionOf", rng.choice(world.concepts)))
        world.out.resource(f"bmeeting:{slug(network.name)}-{year}-{index}", pairs + [("dcterms:source", SOURCE)])


def popular(rng: random.Random, actors: list) -> Actor:
    """Skewed choice: a few towns have many partners, most have one or two."""
    return actors[int(len(actors) * rng.random() ** 1.8)]


def partner_pair(world: World, actors: list) -> tuple | None:
    """Two actors of different states that are not partners yet, or None after many tries."""
    for _ in range(50):
        a, b = popular(world.rng, actors), world.rng.choice(actors)
        if a.state == b.state and world.rng.random() < 0.9:
            continue
        key = (a.iri, b.iri) if a.iri < b.iri else (b.iri, a.iri)
        if a.iri != b.iri and key not in world.pairs:
            world.pairs.add(key)
            return a, b
    return None


def write_twinning(world: World, a: Actor, b: Actor) -> None:
    since = interval_from(world, dated_start(world))
    world.out.resource(f"bpartnership:{slug(a.name)}-{slug(b.name)}", [
        ("a", "tdo:Twinning"),
        *labels(f"Twinning of {a.name} and {b.name}", f"Jumelage entre {a.name} et {b.name}",
                f"Städtepartnerschaft {a.name} – {b.name}"),
        *described("twinning", "Jumelage fictif généré"),
        ("tdo:partner", a.iri), ("tdo:partner", b.iri), ("time:hasTime", since), ("dcterms:source", SOURCE),
    ])
    world.out.statement(a.iri, "tdo:cooperatesWith", b.iri)


def write_agreement(world: World, a: Actor, b: Actor) -> None:
    since = interval_from(world, dated_start(world))
    world.out.resource(f"bpartnership:agreement-{slug(a.name)}-{slug(b.name)}", [
        ("a", "tdo:Agreement"),
        *labels(f"Cross-border agreement between {a.name} and {b.name}",
                f"Accord transfrontalier entre {a.name} et {b.name}",
                f"Grenzüberschreitendes Abkommen zwischen {a.name} und {b.name}"),
        *described("cooperation agreement", "Accord fictif généré"),
        ("tdo:partner", a.iri), ("tdo:partner", b.iri), ("tdo:legalBasis", MADRID_CONVENTION),
        ("time:hasTime", since), ("dcterms:source", SOURCE),
    ])


def write_partnerships(world: World, target: int) -> None:
    """Twinnings of cities and agreements of regions until the target size is reached."""
    margin = 6  # about half a partnership: stop where the next one would overshoot more
    misses = 0
    while world.out.triples < target - margin and misses < 100:
        regional = world.rng.random() < 0.12
        pair = partner_pair(world, world.regions if regional else world.cities)
        if pair is None:
            misses += 1
            continue
        (write_agreement if regional else write_twinning)(world, *pair)


# ---------------------------------------------------------------------------
# The project folder
# ---------------------------------------------------------------------------

def generate(triples: int, seed: int = 1) -> tuple[str, int]:
    """The Turtle text of about ``triples`` synthetic triples, and their exact count."""
    world = World(rng=random.Random(seed), names=Names(random.Random(seed + 1)), out=TurtleWriter())
    world.out.parts.append(f"# Synthetic benchmark data for tdld: {triples} triples asked, seed {seed}.\n"
                           "# Generated by bench/generate.py; describes nothing real.\n")
    world.out.prefixes(PREFIXES)
    plan = Plan.for_size(triples)
    write_source(world, seed)
    write_states(world, plan.states)
    write_regions(world, plan.regions)
    plan_networks(world, plan.networks)
    write_cities(world, plan.cities)
    write_networks(world)
    write_egtcs(world, plan.egtcs)
    write_concepts(world, plan.concepts)
    write_programmes(world, plan.programmes)
    write_meetings(world, plan.meetings)
    write_partnerships(world, triples)
    return world.out.text(), world.out.triples


def copy_sources(out: Path, force: bool) -> None:
    """Copy the shipped ontology, shapes and data, replacing earlier copies only with --force."""
    for folder in SOURCE_FOLDERS:
        target = out / folder
        if target.exists():
            if not force:
                raise SystemExit(f"{target} exists; use --force to replace it")
            shutil.rmtree(target)
        shutil.copytree(ROOT / folder, target)


def write_project(out: Path, triples: int, seed: int = 1, force: bool = False) -> int:
    """Create a buildable project folder at ``out``; return the generated triple count."""
    out.mkdir(parents=True, exist_ok=True)
    copy_sources(out, force)
    text, count = generate(triples, seed)
    (out / "data" / OUTPUT_NAME).write_text(text, encoding="utf-8")
    return count


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=10_000, help="size of data/generated.ttl (default: %(default)s)")
    parser.add_argument("--out", required=True, help="project folder to create")
    parser.add_argument("--seed", type=int, default=1, help="random seed; same seed, same bytes (default: %(default)s)")
    parser.add_argument("--force", action="store_true", help="replace ontology/, shapes/, data/ if DIR has them")
    args = parser.parse_args(argv)
    if args.triples < 1000:
        parser.error("--triples must be at least 1000")
    started = time.perf_counter()
    count = write_project(Path(args.out), args.triples, args.seed, args.force)
    elapsed = time.perf_counter() - started
    print(f"wrote {count} triples ({count / args.triples - 1:+.2%} of {args.triples}) to "
          f"{Path(args.out) / 'data' / OUTPUT_NAME} in {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
