"""Gazetteer matching over words, with the compiled scanner when it is built.

A name is a sequence of case-folded words, so word boundaries hold by
construction ("ev" inside "every" is never a word; "Nissan's" has the word
"nissan"). Each hit is checked against the original text for its case rule
(acronyms exact, names capitalised); overlaps resolve leftmost-longest, so
"China Motor Corporation" is one company and not also the country China.
Blocker phrases win their span and produce nothing. The algorithm is in
`scan_py`; `_scan.c` is its compiled twin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from evreader.extract import scan_py
from evreader.gazetteer import Gazetteer

ScanFn = Callable[[str, str, dict[str, Any], "dict[str, int] | None", "dict[str, Any] | None"],
                  scan_py.ScanResult]


def _pick() -> tuple[ScanFn, bool]:
    try:
        from evreader.extract._scan import scan as compiled
    except ImportError:  # no C compiler at install time: same results, slower
        return scan_py.scan, False
    return compiled, True


scan, COMPILED = _pick()


def fold(text: str) -> str:
    """Lower-case `text` without changing its length (offsets must stay valid)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


class Matcher:
    """Finds gazetteer surfaces in text. Build once; `scan` only reads the trie."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        entries = [(fold(s.text), s.text, s.case,
                    None if s.targets[0][0] == "block" else s.targets)
                   for s in gazetteer.surfaces.values()]
        self.trie = scan_py.build_trie(entries)

    def scan(self, text: str, vocab: dict[str, int] | None = None,
             cues: dict[str, Any] | None = None) -> scan_py.ScanResult:
        """Word ids (added to `vocab`), hits (start, end, targets) and cue positions.

        Hits are non-overlapping, leftmost-longest, in text order, blockers removed.
        """
        return scan(text, fold(text), self.trie, vocab, cues)
