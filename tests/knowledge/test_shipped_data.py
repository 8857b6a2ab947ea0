"""The knowledge base as shipped: conforms, is consistent, scores 100 %."""

import json

from rdflib import URIRef
from rdflib.namespace import OWL, RDF, SKOS

from tdld.build.load import load_sources
from tdld.core.namespaces import PROV, TDO, TDV
from tdld.build.pipeline import check
from tdld.build.quality import score

from ..conftest import run_tdld


def test_shipped_sources_conform_to_the_shapes(sources):
    report = check(sources)
    assert report.conforms, "\n".join(f"{v.focus} {v.path}: {v.message}" for v in report.violations)


def test_shipped_sources_are_consistent_and_their_closure_holds_what_the_ontology_entails(reasoning):
    """No contradiction (reason() would raise), and the closure types, inverts and chains as the ontology says."""
    actor = "https://w3id.org/territorial-diplomacy/id/actor/"
    inferred = set(reasoning.inferred)
    # a state is a territorial authority and, through tdo:Actor, a prov:Agent (cax-sco)
    assert (URIRef(actor + "france"), RDF.type, TDO.TerritorialAuthority) in inferred
    assert (URIRef(actor + "france"), RDF.type, PROV.Agent) in inferred
    # tdo:subdivisionOf and tdo:hasSubdivision are inverses (prp-inv)
    assert (URIRef(actor + "france"), TDO.hasSubdivision, URIRef(actor + "french-guiana")) in inferred
    assert not any(s == o and p == OWL.sameAs for s, p, o in inferred)


def test_stats_scorecard_is_complete_and_clean(built_project):
    completed = run_tdld("stats", "--format", "json", root=built_project)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    card = json.loads(completed.stdout)
    assert card["concepts"] >= 36
    # An English label and English and French definitions are required; other names are measured.
    assert card["pref_label_coverage"]["en"] == 100.0 and set(card["pref_label_coverage"]) == {"en", "fr", "de", "es"}
    assert all(0 < card["pref_label_coverage"][lang] <= 100 for lang in ("fr", "de", "es"))
    assert card["definition_coverage"] == {"en": 100.0, "fr": 100.0}
    egtcs = card["kinds"]["EGTC"]
    assert egtcs["count"] >= 60 and egtcs["source"] == 100.0 and 0 < egtcs["date"] <= 100
    assert card["kinds"]["legal act"]["count"] >= 40 and card["kinds"]["concept"]["count"] >= 120
    assert card["source_coverage"] == 100.0
    assert card["shacl_violations"] == 0
    assert card["inconsistencies"] == 0
    assert card["check_failures"] == 0
    assert all(rows == [] for rows in card["checks"].values())


def test_each_quality_check_detects_its_problem():
    """The scorecard's checks are not vacuous: a damaged vocabulary makes them fire."""
    asserted = load_sources().asserted()
    parent, child = TDV["territorial-cooperation"], TDV["cross-border-cooperation"]
    asserted.add((parent, SKOS.broader, child))
    asserted.add((child, SKOS.related, child))
    asserted.add((parent, SKOS.exactMatch, TDV["town-twinning"]))
    for label in list(asserted.objects(child, SKOS.prefLabel)):
        if label.language == "en":
            asserted.remove((child, SKOS.prefLabel, label))
    for text in list(asserted.objects(parent, SKOS.definition)):
        if text.language == "fr":
            asserted.remove((parent, SKOS.definition, text))
    checks = score(asserted).checks
    assert str(child) in checks["cyclic-hierarchy"]
    assert str(child) in checks["reflexive-relation"]
    assert str(child) in checks["incomplete-language-coverage"]
    assert str(parent) in checks["undocumented-concept"]
    assert str(parent) in checks["mapping-inside-scheme"]
    assert checks["orphan-concept"] == []
