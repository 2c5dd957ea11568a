"""Gazetteer matching with one Aho–Corasick automaton.

The automaton runs over a case-folded copy of the text (same length, so offsets
hold). Each hit is then checked against the original text: word boundaries
("Nissan's", "U.S.", "Co." work), case rules per surface (acronyms exact, names
capitalised), and overlaps are resolved leftmost-longest, so "China Motor
Corporation" is one company and not also the country China. Blocker phrases win
their span and produce nothing.
"""

from __future__ import annotations

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


class Matcher:
    """Finds gazetteer surfaces in text. Build once; `find` is thread-safe."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.automaton = ahocorasick.Automaton()
        for key, surface in gazetteer.surfaces.items():
            folded = fold(surface.text)
            if folded != key:
                key = folded
            existing = self.automaton.get(key, None)
            entry: tuple[Surface, ...] = (*existing, surface) if existing else (surface,)
            self.automaton.add_word(key, entry)
        self.empty = len(gazetteer.surfaces) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Non-overlapping hits, leftmost-longest, blockers removed, in text order."""
        if self.empty or not text:
            return []
        folded = fold(text)
        n = len(text)
        candidates: list[tuple[int, int, tuple[tuple[str, str], ...]]] = []
        for end_index, surfaces in self.automaton.iter(folded):
            end = end_index + 1
            length = len(surfaces[0].text)
            start = end - length
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                continue
            if end < n and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
                continue
            span = text[start:end]
            for surface in surfaces:
                if _case_ok(surface, span):
                    candidates.append((start, end, surface.targets))
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


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _case_ok(surface: Surface, span: str) -> bool:
    if surface.case == "exact":
        return span == surface.text
    if surface.case == "cap":
        return span[:1].isupper() or span[:1].isdigit()
    return True
