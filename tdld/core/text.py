"""Folding text for comparison: one rule for labels, search and matching."""

import unicodedata

_COMBINING: dict = {}
DASHES = "‐‑‒–—"  # besides the ASCII hyphen-minus


def fold(text: str) -> str:
    """Accent- and case-insensitive form for matching ("Städte" → "stadte")."""
    if text.isascii():  # NFKD leaves ASCII as it is: the common case skips the decomposition
        return text.casefold().replace("-", " ").strip()
    if not _COMBINING:
        _COMBINING.update((c, None) for c in range(0x110000) if unicodedata.combining(chr(c)))
        _COMBINING.update((ord(dash), " ") for dash in DASHES)
    return unicodedata.normalize("NFKD", text).translate(_COMBINING).casefold().replace("-", " ").strip()
