"""The label index finds exactly what a scan of every label finds, in the same order."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tdld.knowledge import fold
from tdld.labelindex import KIND_BONUS, LabelIndex

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
