"""The label index finds exactly what a scan of every label finds, in the same order."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdld.core.text import fold
from tdld.read.labelindex import KIND_BONUS, LabelIndex

ENTRIES = sorted({
    (fold(label), f"https://example.org/{n}", label, language, kind)
    for n, (label, language, kind) in enumerate([
        ("Städtepartnerschaft", "de", "pref"), ("town twinning", "en", "pref"), ("jumelage", "fr", "pref"),
        ("twinning", "en", "alt"), ("twin towns", "en", "hidden"), ("cross-border cooperation", "en", "pref"),
        ("coopération transfrontalière", "fr", "pref"), ("city diplomacy", "en", "pref"),
        ("diplomatie des villes", "fr", "pref"), ("paradiplomacy", "en", "pref"), ("", "en", "pref"),
        ("a", "en", "pref"), ("twinning twinning", "en", "pref"),
    ])
})


def scan(needle: str, entries: list) -> list:
    """The reference: every entry, one by one."""
    found = []
    for entry in entries:
        folded = entry[0]
        if folded == needle:
            score = 100
        elif folded.startswith(needle):
            score = 80
        elif needle in folded:
            score = 60
        elif all(word in folded for word in needle.split()):
            score = 40
        else:
            continue
        found.append((score + KIND_BONUS[entry[4]], entry))
    return sorted(found)


@pytest.mark.parametrize("needle", ["twin", "twinning", "town twinning", "twinning town", "stadte", "a", "y d",
                                    "diplomatie villes", "zzz", "g", "cooperation"])
def test_index_matches_a_full_scan(needle):
    assert sorted(LabelIndex(ENTRIES).matches(needle)) == scan(needle, ENTRIES)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeinstw -", min_size=1, max_size=8))
def test_index_matches_a_full_scan_for_any_needle(needle):
    needle = needle.strip()
    if needle:
        assert sorted(LabelIndex(ENTRIES).matches(needle)) == scan(needle, ENTRIES)


def test_index_over_the_shipped_labels_matches_a_scan(knowledge):
    index = LabelIndex(knowledge._index)
    words = random.Random(7).sample(sorted({w for e in knowledge._index for w in e[0].split()}), 40)
    for needle in words + [w[:3] for w in words]:
        assert sorted(index.matches(needle)) == scan(needle, knowledge._index), needle


def test_empty_index_finds_nothing():
    assert list(LabelIndex([]).matches("twin")) == []


def reference_fold(text: str) -> str:
    """fold() as first written: NFKD, then every combining character dropped one by one."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("-", " ").strip()


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
def test_fold_equals_its_reference_on_any_text(text):
    assert fold(text) == reference_fold(text)


@pytest.mark.parametrize("text", ["Städtediplomatie", "coopération transfrontalière", "Ærø", "İstanbul", "ﬁlm",
                                  "Κέρκυρα", "Zürich-Nord ", "Łódź", "x\u0301\u20d7y", "\U0001d15e"])
def test_fold_equals_its_reference_on_accents_ligatures_and_rare_marks(text):
    assert fold(text) == reference_fold(text)


def test_a_build_reads_the_labels_it_wrote_as_the_store_would_give_them(release):
    """Start-up reads labels.json; its labels and search entries equal those computed from the store."""
    from tdld.read.knowledge import Knowledge
    from tdld.release.labels import labels_and_index, read_label_file
    from tdld.core.namespaces import BASE

    from_file = read_label_file(release)
    assert from_file is not None
    knowledge = Knowledge(release)
    assert from_file == labels_and_index(knowledge.store, BASE)
    assert (knowledge._labels, knowledge._index) == from_file
