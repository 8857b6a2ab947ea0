"""Comparing names: one normal form for every language, and a similarity in [0, 1].

The normal form builds on :func:`tdld.core.text.fold` (accents and case removed, ``-`` as a
space) and also turns every other punctuation mark into a space, so that "Conseil de l'Europe",
"conseil de l’europe" and "CONSEIL DE L EUROPE" are the same name.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from ..core.text import fold

# Words that carry no meaning in a name, in the three languages of the data.
STOPWORDS = frozenset("""
    a an and at by for in of on the to
    au aux d de des du en et l la le les un une
    das dem den der des die ein eine fur im und von zu
""".split())
NON_WORD = re.compile(r"[\W_]+")
NON_EXACT_CEILING = 0.9   # a name that is not the same name never scores above this
PREFIX_MIN_LENGTH = 3
CHARACTER_FLOOR = 0.65    # character similarity below this says nothing (unrelated words reach 0.5)


@dataclass(frozen=True)
class Name:
    """A name in normal form: the words, the words without spaces, the meaningful words."""

    text: str
    squashed: str
    words: frozenset

    def __bool__(self) -> bool:
        return bool(self.text)


def normalise(text: str) -> Name:
    words = NON_WORD.sub(" ", fold(text)).split()
    content = frozenset(w for w in words if w not in STOPWORDS)
    return Name(" ".join(words), "".join(words), content)


def word_overlap(query: frozenset, label: frozenset) -> float:
    """Dice coefficient over meaningful words; a word that begins the other (plural, compound) counts 0.8."""
    if not query or not label:
        return 0.0
    matched = 0.0
    for word in query:
        if word in label:
            matched += 1
        elif len(word) >= 4 and any(other.startswith(word) or (len(other) >= 4 and word.startswith(other))
                                    for other in label):
            matched += 0.8
    return 2 * matched / (len(query) + len(label))


def similarity(query: Name, label: Name) -> tuple[float, bool]:
    """(similarity in [0, 1], same name?) — the same name after normalisation is 1.0, anything else at most 0.9."""
    if not query or not label:
        return 0.0, False
    if query.text == label.text or query.squashed == label.squashed:
        return 1.0, True
    best = word_overlap(query.words, label.words)
    floor = max(best, CHARACTER_FLOOR)
    matcher = SequenceMatcher(None, query.text, label.text, autojunk=False)
    if matcher.real_quick_ratio() > floor and matcher.quick_ratio() > floor:
        best = max(best, matcher.ratio())
    if len(query.text) >= PREFIX_MIN_LENGTH and label.text.startswith(query.text):
        best = max(best, 0.5 + 0.4 * len(query.text) / len(label.text))
    return NON_EXACT_CEILING * min(best, 1.0), False


def prefix_rank(prefix: Name, label: Name) -> int | None:
    """How a label answers a prefix typed by a user: 0 same, 1 starts with it, 2 a word starts with it,
    3 contains it; None if it does not."""
    if not prefix:
        return None
    if label.text == prefix.text or label.squashed == prefix.squashed:
        return 0
    if label.text.startswith(prefix.text) or label.squashed.startswith(prefix.squashed):
        return 1
    if (" " + prefix.text) in (" " + label.text):
        return 2
    if len(prefix.squashed) >= PREFIX_MIN_LENGTH and prefix.squashed in label.squashed:
        return 3
    return None
