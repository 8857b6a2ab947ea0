"""Interface strings in the three languages of the data."""

LANGUAGES = ("en", "fr", "de")

STRINGS = {
    "brand": {"en": "territorial diplomacy as linked data", "fr": "la diplomatie territoriale en données liées",
              "de": "territoriale Diplomatie als Linked Data"},
    "all_languages": {"en": "All languages", "fr": "Toutes les langues", "de": "Alle Sprachen"},
    "kind": {"en": "kind", "fr": "type", "de": "Art"},
    "label": {"en": "label", "fr": "libellé", "de": "Bezeichnung"},
    "hierarchy": {"en": "Hierarchy", "fr": "Hiérarchie", "de": "Hierarchie"},
    "by_facet": {"en": "By facet", "fr": "Par facette", "de": "Nach Facette"},
    "home": {"en": "Home", "fr": "Accueil", "de": "Start"},
    "concepts": {"en": "Concepts", "fr": "Concepts", "de": "Begriffe"},
    "ontology": {"en": "Ontology", "fr": "Ontologie", "de": "Ontologie"},
    "individuals": {"en": "Entities", "fr": "Entités", "de": "Entitäten"},
    "timeline": {"en": "Timeline", "fr": "Chronologie", "de": "Zeitleiste"},
    "sources": {"en": "Sources", "fr": "Sources", "de": "Quellen"},
    "downloads": {"en": "Downloads", "fr": "Téléchargements", "de": "Downloads"},
    "search": {"en": "Search", "fr": "Rechercher", "de": "Suchen"},
    "search_label": {"en": "Search terms in any language", "fr": "Rechercher un terme, dans toutes les langues",
                     "de": "Begriffe in allen Sprachen suchen"},
    "definition": {"en": "Definition", "fr": "Définition", "de": "Definition"},
    "labels": {"en": "Labels", "fr": "Libellés", "de": "Bezeichnungen"},
    "mappings": {"en": "Mappings", "fr": "Alignements", "de": "Abbildungen"},
    "statements": {"en": "Statements", "fr": "Énoncés", "de": "Aussagen"},
    "inbound": {"en": "Linked from", "fr": "Cité par", "de": "Verlinkt von"},
    "download_this": {"en": "This resource as", "fr": "Cette ressource en", "de": "Diese Ressource als"},
    "inferred": {"en": "inferred", "fr": "inféré", "de": "abgeleitet"},
    "inferred_note": {"en": "Statements marked “inferred” were derived by OWL 2 RL reasoning, not asserted.",
                      "fr": "Les énoncés marqués « inféré » sont déduits par raisonnement OWL 2 RL, non déclarés.",
                      "de": "Als „abgeleitet“ markierte Aussagen stammen aus OWL-2-RL-Schlussfolgerung."},
    "asserted_only": {"en": "Show asserted statements only", "fr": "N'afficher que les énoncés déclarés",
                      "de": "Nur ausdrückliche Aussagen zeigen"},
    "not_found": {"en": "Not found", "fr": "Introuvable", "de": "Nicht gefunden"},
    "near_matches": {"en": "Perhaps you meant", "fr": "Vouliez-vous dire", "de": "Meinten Sie"},
    "no_results": {"en": "No results.", "fr": "Aucun résultat.", "de": "Keine Ergebnisse."},
    "query_this": {"en": "Query this resource", "fr": "Interroger cette ressource", "de": "Diese Ressource abfragen"},
    "language": {"en": "Language", "fr": "Langue", "de": "Sprache"},
    "synonym_map": {"en": "Terms related to territorial diplomacy", "fr": "Termes liés à la diplomatie territoriale",
                    "de": "Mit territorialer Diplomatie verwandte Begriffe"},
    "tagline": {"en": "The foreign action of cities, regions and federated states, as linked data.",
                "fr": "L'action extérieure des villes, des régions et des États fédérés, en données liées.",
                "de": "Das auswärtige Handeln von Städten, Regionen und Gliedstaaten als Linked Data."},
}


def translate(key: str, lang: str) -> str:
    entry = STRINGS.get(key, {})
    return entry.get(lang) or entry.get("en") or key
