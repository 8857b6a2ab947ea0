"""The reconciliation service's pure logic: names, request parsing, scoring, the match rule, values.

No HTTP here (tests/test_reconcile_http.py replays OpenRefine over a real server); the
catalogue is built from the session's release.
"""

import json

import pytest

from tdld.reconcile import ReconcileError, Reconciler
from tdld.reconcile.matching import MATCH_MARGIN, Scored, candidates, is_match, reconcile
from tdld.reconcile.protocol import MAX_BATCH, MAX_LIMIT, MAX_TEXT, check_callback, parse_batch, parse_extension, parse_limit, parse_query
from tdld.reconcile.text import normalise, prefix_rank, similarity
from tdld.core.urls import UrlMap

from .test_schemas import validate


@pytest.fixture(scope="module")
def service(knowledge):
    return Reconciler(knowledge, UrlMap())


@pytest.fixture(scope="module")
def catalogue(service):
    return service.catalogue


def top(service, text, **fields) -> list[dict]:
    batch = service.match_batch(json.dumps({"q0": {"query": text, **fields}}))
    validate("reconciliation-result-batch", batch)
    return batch["q0"]["result"]


# -- names ------------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b"), [
    ("Städtepartnerschaft", "stadtepartnerschaft"),
    ("Conseil de l'Europe", "conseil de l’europe"),
    ("CONSEIL DE L EUROPE", "Conseil de l'Europe"),
    ("coopération  décentralisée", "cooperation-decentralisee"),
    ("Bâle", "bale"),
])
def test_normal_form_ignores_accents_case_and_punctuation(a, b):
    assert normalise(a).text == normalise(b).text
    assert similarity(normalise(a), normalise(b)) == (1.0, True)


def test_spellings_with_and_without_spaces_are_the_same_name():
    assert similarity(normalise("paradiplomacy"), normalise("para-diplomacy")) == (1.0, True)


def test_a_different_name_never_scores_like_the_same_name():
    close, exact = similarity(normalise("town twinnings"), normalise("town twinning"))
    assert not exact and 0.8 < close <= 0.9
    unrelated, _ = similarity(normalise("Bâle"), normalise("Brasilien"))
    assert unrelated == 0.0 or unrelated < 0.6


def test_word_overlap_counts_meaningful_words_only():
    value, _ = similarity(normalise("cooperation"), normalise("coopération territoriale"))
    assert 0.5 < value < 0.9
    stopwords_only, _ = similarity(normalise("de la"), normalise("de la coopération"))
    assert stopwords_only < 0.9


@pytest.mark.parametrize(("prefix", "label", "rank"), [
    ("jumelage", "Jumelage", 0), ("jum", "jumelage de villes", 1), ("vil", "jumelage de villes", 2),
    ("umela", "jumelage", 3), ("zz", "jumelage", None), ("", "jumelage", None),
])
def test_prefix_rank(prefix, label, rank):
    assert prefix_rank(normalise(prefix), normalise(label)) == rank


# -- parsing ----------------------------------------------------------------------------------

def test_openrefine_query_batch_is_parsed():
    batch = parse_batch(json.dumps({"q0": {"query": " paradiplomacy ", "type": "skos:Concept", "type_strict": "should"},
                                    "q1": {"query": "France", "limit": 3,
                                           "properties": [{"pid": "wikidata", "v": {"id": "Q142", "name": "France"}}]}}))
    assert batch["q0"].text == "paradiplomacy" and batch["q0"].types == ("skos:Concept",)
    assert batch["q1"].limit == 3 and batch["q1"].properties[0].values == ({"id": "Q142", "name": "France"},)


def test_a_bare_string_is_a_query_text_as_in_protocol_0_1():
    assert parse_query("France").text == "France"


@pytest.mark.parametrize(("text", "status"), [
    ("{not json", 400),
    ("[]", 400),
    ('"France"', 400),
    (json.dumps({"q0": 42}), 400),
    (json.dumps({"q0": {"type": "skos:Concept"}}), 400),
    (json.dumps({"q0": {"query": 42}}), 400),
    (json.dumps({"q0": {"query": "x" * (MAX_TEXT + 1)}}), 400),
    (json.dumps({"q0": {"query": "x", "type_strict": "must"}}), 400),
    (json.dumps({"q0": {"query": "x", "type": [1, 2]}}), 400),
    (json.dumps({"q0": {"query": "x", "properties": {"pid": "p"}}}), 400),
    (json.dumps({"q0": {"query": "x", "properties": [{"pid": "p"}]}}), 400),
    (json.dumps({"q0": {"query": "x", "properties": [{"pid": "p", "v": [[1]]}]}}), 400),
    (json.dumps({"q0": {"query": "x", "limit": 0}}), 400),
    (json.dumps({"q0": {"query": "x", "limit": -1}}), 400),
    (json.dumps({"q0": {"query": "x", "limit": 2.5}}), 400),
    (json.dumps({"q0": {"query": "x", "limit": True}}), 400),
    (json.dumps({"q0": {"query": "x", "limit": float("nan")}}), 400),
    (json.dumps({f"q{i}": {"query": "x"} for i in range(MAX_BATCH + 1)}), 413),
    ("[" * 100_000 + "]" * 100_000, 400),
])
def test_bad_batches_are_refused_with_a_reason(text, status):
    with pytest.raises(ReconcileError) as caught:
        parse_batch(text)
    assert caught.value.http_status == status and str(caught.value)


def test_limits_are_whole_positive_numbers_capped():
    assert parse_limit(None, "q", 10, MAX_LIMIT) == 10
    assert parse_limit("5", "q", 10, MAX_LIMIT) == 5
    assert parse_limit(5.0, "q", 10, MAX_LIMIT) == 5
    assert parse_limit(10 ** 9, "q", 10, MAX_LIMIT) == MAX_LIMIT


@pytest.mark.parametrize("name", ["jQuery3600_1700", "cb", "$", "window.handlers.cb", "_x9"])
def test_plain_javascript_names_are_accepted_as_callbacks(name):
    assert check_callback(name) == name


@pytest.mark.parametrize("name", ["alert(1)", "a;b", "</script>", "1abc", "", "a b", "x" * 101, "a\nb"])
def test_anything_else_is_refused_as_a_callback(name):
    with pytest.raises(ReconcileError):
        check_callback(name)


@pytest.mark.parametrize("text", [
    "{}", '{"ids": "x", "properties": []}', '{"ids": [], "properties": [{"name": "x"}]}',
    '{"ids": [1], "properties": []}', '{"ids": [], "properties": [{"id": "label", "settings": []}]}',
])
def test_bad_extension_queries_are_refused(text):
    with pytest.raises(ReconcileError):
        parse_extension(text)


# -- scoring and the match rule -----------------------------------------------------------------

def test_the_same_preferred_label_scores_100_and_matches(service):
    result = top(service, "Conseil de l'Europe")
    assert result[0]["id"] == "id/actor/council-of-europe" and result[0]["score"] == 100 and result[0]["match"]
    assert all(not c["match"] for c in result[1:])


def test_an_alternative_label_scores_95_and_matches_when_unique(service):
    result = top(service, "diplomatie urbaine")
    assert result[0]["id"] == "vocab/city-diplomacy" and result[0]["score"] == 95 and result[0]["match"]
    assert result[0]["name"] == "diplomatie des villes"        # the preferred label in the query's language


def test_a_hidden_label_scores_90(service):
    result = top(service, "Staedtepartnerschaft")
    assert result[0]["id"] == "vocab/town-twinning" and result[0]["score"] == 90 and result[0]["match"]


def test_a_vague_query_has_candidates_but_no_match(service):
    result = top(service, "cooperation")
    assert len(result) >= 5 and not any(c["match"] for c in result)
    assert all(c["score"] < 90 for c in result)


def test_results_are_sorted_by_decreasing_score_and_cut_to_the_limit(service):
    result = top(service, "diplomacy", limit=4)
    assert len(result) == 4
    assert [c["score"] for c in result] == sorted((c["score"] for c in result), reverse=True)


def test_an_identifier_as_query_returns_that_entity(service):
    for text in ("id/actor/france", "actor:france", "https://w3id.org/territorial-diplomacy/id/actor/france"):
        result = top(service, text)
        assert result[0]["id"] == "id/actor/france" and result[0]["match"]


def test_type_constraint_keeps_only_members_including_subclasses(service, catalogue):
    everything = {c["id"] for c in top(service, "Europe", limit=50)}
    actors = top(service, "Europe", type="tdo:Actor", limit=50)
    concepts = top(service, "Europe", type="skos:Concept", limit=50)
    assert actors and concepts and {c["id"] for c in actors} | {c["id"] for c in concepts} <= everything
    assert all(catalogue.entity(c["id"]).iri in catalogue.members[catalogue.find_type("tdo:Actor").iri] for c in actors)
    assert all(c["type"][0]["id"] == "skos:Concept" for c in concepts)


def test_type_all_needs_every_type(service):
    both = top(service, "France", type=["tdo:Actor", "tdo:State"], type_strict="all")
    assert [c["id"] for c in both] == ["id/actor/france"]
    none = top(service, "France", type=["tdo:State", "skos:Concept"], type_strict="all")
    assert none == []


def test_collections_and_the_scheme_are_types(service):
    result = top(service, "cooperation", type="tdv:kinds-of-cooperation", limit=50)
    assert result and "vocab/decentralized-cooperation" not in {c["id"] for c in result}
    assert {c["id"] for c in top(service, "cooperation", type="tdv:scheme", limit=50)} >= {c["id"] for c in result}


def test_unknown_types_and_properties_are_refused(service):
    with pytest.raises(ReconcileError, match="unknown type"):
        top(service, "France", type="tdo:Nothing")
    with pytest.raises(ReconcileError, match="unknown property"):
        top(service, "France", properties=[{"pid": "tdo:nothing", "v": "x"}])


def test_property_constraints_change_the_score(service):
    plain = top(service, "France")[0]
    agreeing = top(service, "France", properties=[{"pid": "wikidata", "v": "Q142"}])[0]
    disagreeing = top(service, "France", properties=[{"pid": "wikidata", "v": "Q183"}])[0]
    assert plain["score"] == agreeing["score"] == 100 and agreeing["match"]
    assert disagreeing["id"] == "id/actor/france" and disagreeing["score"] == 70 and not disagreeing["match"]


@pytest.mark.parametrize("value", ["tdo:State", "state", "https://w3id.org/territorial-diplomacy/ontology#State",
                                   {"id": "tdo:TerritorialAuthority", "name": "territorial authority"}])
def test_rdf_type_constraints_agree_with_classes_by_id_or_name(service, value):
    result = top(service, "Frankreich", properties=[{"pid": "rdf:type", "v": value}])
    assert result[0]["id"] == "id/actor/france" and result[0]["score"] == 100


def test_entity_valued_constraints_agree_by_id_or_label(service):
    for value in ("vocab/territorial-diplomacy", "territorial diplomacy", {"id": "vocab/territorial-diplomacy"}):
        result = top(service, "city diplomacy", properties=[{"pid": "skos:related", "v": value}])
        assert result[0]["id"] == "vocab/city-diplomacy" and result[0]["match"]


def test_wikidata_constraints_accept_a_qid_in_every_spelling(service):
    for value in ("Q142", "q142", "wd:Q142", {"id": "http://www.wikidata.org/entity/Q142", "name": "France"}):
        result = top(service, "France", properties=[{"pid": "wikidata", "v": value}])
        assert result[0]["id"] == "id/actor/france" and result[0]["match"], value


def test_date_constraints_agree_at_the_precision_both_sides_know(service):
    def by_date(value):
        batch = service.match_batch(json.dumps({"q0": {"properties": [{"pid": "date", "v": value}]}}))
        return {c["id"] for c in batch["q0"]["result"] if c["score"] == 100}

    event = "id/event/basel-tripartite-conference-1975"
    assert event in by_date("1975-09-23T00:00:00Z")       # as OpenRefine sends a date cell
    assert event in by_date("1975")
    assert event not in by_date("1975-01-01")
    assert "id/date/2004" in by_date("2004-05-01") and "id/date/2004" not in by_date("2005")


def test_properties_alone_find_entities(service):
    result = service.match_batch(json.dumps({"q0": {"properties": [{"pid": "wikidata", "v": "Q8908"}]}}))["q0"]["result"]
    assert result[0]["id"] == "id/actor/council-of-europe" and result[0]["score"] == 100


def test_match_rule_needs_a_unique_clear_lead(catalogue):
    entity = next(iter(catalogue.entities.values()))

    def scored(score, exact, agreement=None):
        return Scored(entity, score, score / 100, exact, None, agreement)

    assert is_match([scored(100, True)])
    assert is_match([scored(100, True), scored(100 - MATCH_MARGIN, False)])
    assert not is_match([scored(100, True), scored(100 - MATCH_MARGIN + 1, False)])   # not clearly ahead
    assert not is_match([scored(100, True), scored(95, True)])                         # two with that name
    assert not is_match([scored(86, False)])                                           # not the same name
    assert not is_match([scored(100, True, agreement=0.5)])                            # a property disagrees
    assert not is_match([])


def test_candidates_are_deterministic(catalogue):
    query = parse_query({"query": "diplomacy"})
    assert [s.entity.id for s in candidates(catalogue, query)] == [s.entity.id for s in candidates(catalogue, query)]


def test_every_candidate_has_types_and_concepts_their_definition(catalogue):
    results = reconcile(catalogue, parse_query({"query": "cooperation", "limit": 20}))
    assert all(result["type"] for result in results)
    concepts = [r for r in results if r["type"][0]["id"] == "skos:Concept"]
    assert concepts and all(r["description"] for r in concepts)


# -- data extension -------------------------------------------------------------------------

def test_extension_returns_the_wikidata_qid_and_typed_values(service):
    answer = service.extend(json.dumps({"ids": ["id/actor/france", "id/event/basel-tripartite-conference-1975",
                                                "vocab/city-diplomacy", "id/nothing"],
                                        "properties": [{"id": "wikidata"}, {"id": "date"},
                                                       {"id": "label", "settings": {"lang": "fr"}},
                                                       {"id": "skos:related", "settings": {"limit": "2"}}]}))
    validate("data-extension-response", answer)
    rows = answer["rows"]
    assert rows["id/actor/france"]["wikidata"] == [{"str": "Q142"}]
    assert rows["id/event/basel-tripartite-conference-1975"]["date"] == [{"date": "1975-09-23T00:00:00Z"}]
    assert rows["vocab/city-diplomacy"]["label"] == [{"str": "diplomatie des villes"}]
    assert len(rows["vocab/city-diplomacy"]["skos:related"]) == 2
    assert all("id" in v and "name" in v for v in rows["vocab/city-diplomacy"]["skos:related"])
    assert rows["id/nothing"] == {"wikidata": [], "date": [], "label": [], "skos:related": []}
    assert [m["id"] for m in answer["meta"]] == ["wikidata", "date", "label", "skos:related"]


def test_a_year_alone_is_not_made_a_day(service):
    answer = service.extend(json.dumps({"ids": ["id/date/2004"], "properties": [{"id": "date"}]}))
    assert answer["rows"]["id/date/2004"]["date"] == [{"str": "2004"}]


@pytest.mark.parametrize("settings", [{"lang": "xx"}, {"limit": -1}, {"limit": "many"}, {"limit": True}])
def test_bad_settings_are_refused(service, settings):
    with pytest.raises(ReconcileError):
        service.extend(json.dumps({"ids": ["id/actor/france"], "properties": [{"id": "label", "settings": settings}]}))


def test_proposals_depend_on_the_type(service):
    concepts = service.propose("skos:Concept", None)
    states = service.propose("tdo:State", "50")
    validate("data-extension-property-proposal", concepts)
    validate("data-extension-property-proposal", states)
    concept_ids = [p["id"] for p in concepts["properties"]]
    state_ids = [p["id"] for p in states["properties"]]
    assert concept_ids[0] == "label" and "skos:broader" in concept_ids and "eurovoc" in concept_ids
    assert "wikidata" in state_ids and "skos:broader" not in state_ids
    assert states["limit"] == 50 and states["type"] == "tdo:State"
    assert len(service.propose("skos:Concept", "3")["properties"]) == 3


# -- robustness ---------------------------------------------------------------------------------

def test_random_requests_are_answered_or_refused_never_crash(service):
    """Arbitrary JSON in every parameter: an answer or a ReconcileError, nothing else."""
    import random

    rnd = random.Random(20261126)
    atoms = [None, True, False, 0, -1, 1.5, 1e308, float("inf"), float("nan"), 10 ** 30, "", "x", "tdo:Actor",
             "skos:Concept", "id/actor/france", "wikidata", "rdf:type", "label", "\u0000", "ééé", "<script>", "Q142",
             {"id": "Q142"}, {"id": 5}, [], {}, "should", "all", "http://x", "tdv:scheme", "1975-09-23"]
    keys = ["query", "type", "limit", "properties", "type_strict", "pid", "v", "id", "name", "ids", "settings", "lang"]

    def value(depth=0):
        roll = rnd.random()
        if depth > 3 or roll < 0.4:
            return rnd.choice(atoms)
        if roll < 0.7:
            return {rnd.choice(keys): value(depth + 1) for _ in range(rnd.randint(0, 4))}
        return [value(depth + 1) for _ in range(rnd.randint(0, 3))]

    calls = [
        lambda: service.match_batch(json.dumps({"q0": value(), "q1": value()})),
        lambda: service.match_one(json.dumps(value())),
        lambda: service.extend(json.dumps({"ids": value(), "properties": [{"id": rnd.choice(atoms), "settings": value()}]})),
        lambda: service.extend(json.dumps(value())),
        lambda: service.suggest(rnd.choice(["entity", "type", "property", "x"]), str(rnd.choice(atoms)),
                                str(rnd.choice(atoms)), str(rnd.choice(atoms)), str(rnd.choice(atoms))),
        lambda: service.propose(str(rnd.choice(atoms)), str(rnd.choice(atoms))),
        lambda: service.preview(str(rnd.choice(atoms)), "en", "http://localhost"),
    ]
    answered = 0
    for _ in range(1500):
        try:
            rnd.choice(calls)()
            answered += 1
        except ReconcileError as error:
            assert str(error) and error.http_status in (400, 404, 413)
    assert answered > 100


def test_a_list_of_egtc_names_reconciles_to_the_groupings(service):
    """What an OpenRefine user with a column of EGTC names sends: a batch typed by the EGTC class."""
    names = {"q0": "Ister-Granum EGTC", "q1": "EGTC Arrabona", "q2": "Pons Danubii European Grouping of Territorial Cooperation"}
    batch = service.match_batch(json.dumps({key: {"query": name, "type": "tdo:EuropeanGroupingOfTerritorialCooperation"}
                                            for key, name in names.items()}))
    validate("reconciliation-result-batch", batch)
    found = {key: batch[key]["result"][0] for key in names}
    assert {key: hit["id"] for key, hit in found.items()} == {
        "q0": "id/actor/ister-granum", "q1": "id/actor/arrabona", "q2": "id/actor/pons-danubii"}
    assert all(hit["match"] for hit in found.values())
