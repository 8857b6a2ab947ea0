"""Release numbers: MAJOR.MINOR.PATCH, compared as numbers, checked against the changes they carry.

What each part means for an ontology and a vocabulary is written in docs/versioning.md;
the diff (``tdld.versions.diff``) suggests the bump, and a release whose number is
smaller than that suggestion is refused.
"""

import re
from dataclasses import dataclass

PATTERN = re.compile(r"(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})")
BUMPS = ("none", "patch", "minor", "major")


class BadVersion(ValueError):
    """Not a release number, or not one that may follow the last release."""


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    def bumped(self, bump: str) -> "Version":
        """The next number after this one for a change of the given size."""
        if bump == "major":
            return Version(self.major + 1, 0, 0)
        if bump == "minor":
            return Version(self.major, self.minor + 1, 0)
        if bump == "patch":
            return Version(self.major, self.minor, self.patch + 1)
        return self

    def bump_to(self, later: "Version") -> str:
        """The size of the step from this number to a later one: major, minor or patch."""
        if later.major != self.major:
            return "major"
        if later.minor != self.minor:
            return "minor"
        return "patch"


def parse(text: str) -> Version:
    """'1.2.3' → Version(1, 2, 3); anything else (a 'v', a suffix, leading zeros) is refused."""
    match = PATTERN.fullmatch(text.strip())
    if match is None:
        raise BadVersion(f"{text!r} is not a release number: write MAJOR.MINOR.PATCH, e.g. 1.0.0")
    return Version(*(int(part) for part in match.groups()))


def check_next(last: Version | None, wanted: Version, needed: str) -> None:
    """Refuse a number that does not follow ``last`` or is too small for a ``needed`` bump."""
    if last is None:
        return
    if wanted <= last:
        raise BadVersion(f"{wanted} does not follow the last release {last}: choose a greater number")
    step = last.bump_to(wanted)
    if BUMPS.index(step) < BUMPS.index(needed):
        raise BadVersion(f"the changes since {last} need a {needed} release ({last.bumped(needed)} or later); "
                         f"{wanted} is only a {step} step (see 'tdld diff {last}')")
