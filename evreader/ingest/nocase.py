"""Case-insensitive patterns, run fast where that gives the same answer.

`re` passes over a failing branch of an alternation cheaply only when the branch
is case-sensitive: its first character is compared before the branch is entered.
Under re.IGNORECASE every branch is entered and tried. The date-line patterns are
long alternations of words (time zones, weekdays, "published", "updated", month
names), tried at every word boundary of every header line, which made them the
costliest part of reading a page's header.

`NoCase` runs such a pattern case-sensitively on the lower-cased line when that
is the same search: lower-casing kept every character in its place (one
character for one: "İ" becomes two) and the line holds neither of the two letters
that re.IGNORECASE matches to an ASCII letter although lower() leaves them
alone (dotless "ı", long "ſ"). Lower-casing leaves digits, spaces and signs as
they are, and letters letters, so classes such as \\d, \\s, \\w and \\b read the
same. Otherwise the case-insensitive pattern runs on the line itself. The
pattern must be written in lower case (escapes such as \\S aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# An upper-case letter that is not an escape (\S, \W) nor in a group's syntax (?P<y>).
_UPPER_OUTSIDE_ESCAPES = re.compile(r"(?<![\\?])[A-Z]")


class NoCase:
    """A case-insensitive pattern: `finditer` and `sub` as re's, faster."""

    __slots__ = ("folded", "pattern")

    def __init__(self, source: str) -> None:
        if _UPPER_OUTSIDE_ESCAPES.search(source.replace("\\\\", "")) is not None:
            raise ValueError("a NoCase pattern is written in lower case")
        self.pattern = re.compile(source, re.I)
        self.folded = re.compile(source)

    def finditer(self, line: str, pos: int = 0, endpos: int | None = None
                 ) -> Iterator[re.Match[str]]:
        """The matches, as `pattern.finditer` gives them; those found on the
        lower-cased line have the same spans (their text is in lower case)."""
        end = len(line) if endpos is None else endpos
        low = _lowered(line)
        if low is None:
            return self.pattern.finditer(line, pos, end)
        return self.folded.finditer(low, pos, end)

    def sub(self, replacement: str, line: str) -> str:
        """`pattern.sub(replacement, line)` for a plain replacement (no group
        references or backslashes)."""
        low = _lowered(line)
        if low is None:
            return self.pattern.sub(replacement, line)
        pieces, at = [], 0
        for m in self.folded.finditer(low):
            pieces.append(line[at:m.start()])
            at = m.end()
        if not pieces:
            return line
        pieces.append(line[at:])
        return replacement.join(pieces)


def _lowered(line: str) -> str | None:
    """The line in lower case, when searching it case-sensitively is the same as
    searching `line` case-insensitively (see the module docstring)."""
    low = line.lower()
    if len(low) != len(line) or "ı" in line or "ſ" in line:
        return None
    return low
