"""Matching a typed fragment against every entity form, fast enough per keystroke.

The lookup scores each form ("nissan motor", "hon hai precision") by whether the
fragment starts it or one of its words, and by two rapidfuzz scores. A Python loop
over the ~6,000 forms of a 100k-article index took ~2.4 ms per keystroke and
rapidfuzz's `extract` with `partial_ratio` ~3 ms. Here the word-prefix test is a
substring search in one joined string and the fuzzy scores come from `cdist`; the
lookup also builds one index per set of kinds asked for, so a company lookup scores
a fifth of the forms. Results, and their order, are those of the plain loop and
`extract` (tests compare them).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from rapidfuzz import process

SEP = "\x00"  # joins the forms; never in a folded form from cleaned text (checked)

Scorer = Callable[..., float]


class FormIndex:
    """The forms, joined for substring search, with where each one starts."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = list(keys)
        self.plain = any(SEP in k for k in self.keys)  # then the joined string lies: loop
        self.joined = SEP + SEP.join(self.keys)
        starts: list[int] = []
        at = 1
        for key in self.keys:
            starts.append(at)
            at += len(key) + 1
        self.starts = starts

    def word_prefix_hits(self, q: str) -> list[tuple[int, bool]]:
        """(index, starts the form) for each form that `q` starts, or (when `q` has 2+
        characters) that has a word after a space starting with `q`; ascending."""
        if self.plain or SEP in q or not q:
            return _word_prefix_hits_loop(self.keys, q)
        prefix = {self._form_at(p + 1) for p in _find_all(self.joined, SEP + q)}
        found = set(prefix)
        if len(q) >= 2:
            found.update(self._form_at(p) for p in _find_all(self.joined, " " + q))
        return [(i, i in prefix) for i in sorted(found)]

    def _form_at(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def scores(self, q: str, scorer: Scorer, cutoff: float) -> list[tuple[int, float]]:
        """(index, score) for forms scoring at least `cutoff`, in the order
        `process.extract(q, keys, scorer=scorer, limit=None, score_cutoff=cutoff)`
        gives them: best first, ties in form order."""
        if not self.keys:
            return []
        row: Any = process.cdist([q], self.keys, scorer=scorer, score_cutoff=cutoff,
                                 dtype=np.float64)[0]
        hits = np.flatnonzero(row >= cutoff)
        order = hits[np.lexsort((hits, -row[hits]))]
        return [(int(i), float(row[i])) for i in order]


def _find_all(text: str, needle: str) -> list[int]:
    out: list[int] = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _word_prefix_hits_loop(keys: Sequence[str], q: str) -> list[tuple[int, bool]]:
    """The plain reading of `word_prefix_hits`, one form at a time."""
    out: list[tuple[int, bool]] = []
    for i, key in enumerate(keys):
        if key.startswith(q):
            out.append((i, True))
        elif len(q) >= 2 and f" {q}" in key:
            out.append((i, False))
    return out
