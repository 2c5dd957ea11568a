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

from typing import Any, Protocol

from evreader.extract import scan_py
from evreader.gazetteer import Gazetteer


class Scanner(Protocol):
    """What `scan_py.Scanner` and its compiled twin `_scan.Scanner` offer."""

    def scan(self, text: str, low: str, mark: int, field: int, /) -> scan_py.ScanResult: ...
    def next_article(self) -> None: ...
    def words(self) -> list[str]: ...
    def arrays(self) -> tuple[bytes, bytes, bytes, bytes]: ...


def _pick() -> tuple[Any, Any, bool]:
    try:
        from evreader.extract._scan import Scanner as compiled
        from evreader.extract._scan import columns
    except ImportError:  # no C compiler at install time: same results, slower
        return scan_py.Scanner, scan_py.columns, False
    return compiled, columns, True


SCANNER, COLUMNS, COMPILED = _pick()


def _pick_fold() -> Any:
    try:
        from evreader._chars import fold as compiled
    except ImportError:  # no C compiler at install time: same results, slower
        return None
    return compiled


_FOLD = _pick_fold()


def fold(text: str) -> str:
    """Lower-case `text` without changing its length (offsets must stay valid)."""
    if _FOLD is not None:
        folded: str | None = _FOLD(text)
        if folded is not None:  # None: a text with Σ, which Python lowers by context
            return folded
    return fold_py(text)


def fold_py(text: str) -> str:
    """`fold` in Python: str.lower, or per character where one would become two."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


class Matcher:
    """Finds gazetteer surfaces in text. Build once; scanners only read the trie."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        entries = [(fold(s.text), s.text, s.case,
                    None if s.targets[0][0] == "block" else s.targets)
                   for s in gazetteer.surfaces.values()]
        self.trie = scan_py.build_trie(entries)

    def scanner(self, cues: dict[str, Any] | None = None) -> Scanner:
        """A scanner over this gazetteer (see `scan_py.Scanner`): one per batch of
        articles, since it keeps their vocabulary and word lists."""
        made: Scanner = SCANNER(self.trie, cues)
        return made
