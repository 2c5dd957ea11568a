"""Gazetteer matching with one Aho–Corasick automaton.

The automaton runs over a case-folded copy of the text (same length, so offsets
hold). Each hit is then checked against the original text: word boundaries
("Nissan's", "U.S.", "Co." work), case rules per surface (acronyms exact, names
capitalised), and overlaps are resolved leftmost-longest, so "China Motor
Corporation" is one company and not also the country China. Blocker phrases win
their span and produce nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from evreader.gazetteer import Gazetteer, Surface


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    targets: tuple[tuple[str, str], ...]


def fold(text: str) -> str:
    """Lower-case `text` without changing its length (offsets must stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


_NON_WORD = re.compile(r"[^\w ]|_")  # spaces are already spaces


def normalise(text: str) -> str:
    """Folded text with every non-word character turned into a space (same length).

    Keys are stored as " word word " so the automaton only reports hits that start
    and end on word boundaries: "ev" inside "every" is never even seen.
    """
    return _NON_WORD.sub(" ", fold(text))


class Matcher:
    """Finds gazetteer surfaces in text. Build once; `find` is thread-safe."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.automaton = ahocorasick.Automaton()
        keys: dict[str, list[Surface]] = {}
        for surface in gazetteer.surfaces.values():
            core = normalise(surface.text)
            if not core.strip():
                continue
            keys.setdefault(f" {core} ", []).append(surface)
        for key, surfaces in keys.items():
            # value: (length of the surface, surfaces sharing this normalised form)
            self.automaton.add_word(key, (len(key) - 2, tuple(surfaces)))
        self.empty = not keys
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits, leftmost-longest, blockers removed, in text order."""
        if self.empty or not text:
            return []
        padded = f" {normalise(text)} "
        candidates: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
        append = candidates.append
        for end_index, (length, surfaces) in self.automaton.iter(padded):
            # padded[end_index] is the trailing space; text offsets are one less.
            end = end_index - 1
            start = end - length
            span = text[start:end]
            for surface in surfaces:
                case = surface.case
                if (case == "any" or (case == "cap" and (span[:1].isupper() or span[:1].isdigit()))
                        or span == surface.text):
                    append((start, end, surface.targets))
                    break
        if not candidates:
            return []
        candidates.sort(key=lambda c: (c[0], c[0] - c[1]))
        hits: list[Hit] = []
        last_end = -1
        for start, end, targets in candidates:
            if start < last_end:
                continue
            last_end = end
            if targets[0][0] != "block":
                hits.append(Hit(start, end, targets))
        return hits
