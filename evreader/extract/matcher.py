"""Gazetteer matching over words.

A name is a sequence of case-folded words, so word boundaries hold by
construction ("ev" inside "every" is never a word; "Nissan's" has the word
"nissan"). Each hit is checked against the original text for its case rule
(acronyms exact, names capitalised); overlaps resolve leftmost-longest, so
"China Motor Corporation" is one company and not also the country China.
Blocker phrases win their span and produce nothing. The algorithm is in
`scan_py`; `_native` picks it or its compiled twin.
"""

from __future__ import annotations

from evreader import _native
from evreader.extract import scan_py
from evreader.extract.folding import fold
from evreader.extract.scan_py import Scanner
from evreader.gazetteer import Gazetteer
from evreader.models import MentionRow

__all__ = ["Matcher", "fold"]


class Matcher:
    """Finds gazetteer surfaces in text. Build once; scanners only read the trie."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        entries = [(fold(s.text), s.text, s.case,
                    None if s.targets[0][0] == "block" else s.targets)
                   for s in gazetteer.surfaces.values()]
        self.trie = scan_py.build_trie(entries)

    def scanner(self, cues: dict[str, int] | None = None) -> Scanner:
        """A scanner over this gazetteer (see `scan_py.PyScanner`): one per batch of
        articles, since it keeps their vocabulary and word lists."""
        return _native.SCANNER(self.trie, cues, MentionRow)
