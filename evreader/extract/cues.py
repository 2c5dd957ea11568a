"""Where the rules for people and discovered companies look, and how they find
later mentions.

The word scanner reports where cue words stand: the first word of each role
("automaker", "battery maker") and of each company suffix ("Motor", "Corp"),
and every word a job title can end in. The rules try their patterns only there,
so nothing is tried at every capitalised word.

`whole_words` finds every whole-word occurrence of a set of words in one pass
over the text, whatever the size of the set: a rule that finds a name and then
its later mentions ("X Motor Corporation (XMC)" and every later "XMC"; "CEO Ann
Lee" and every later "Lee") stays linear in the text, however many names an
article introduces.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterator

ROLE, SUFFIX, TITLE = 1, 2, 4

CueHits = list[tuple[int, int]]  # (offset of a cue word, its codes)


def cue_table(roles: Collection[str], suffixes: Collection[str], titles: Collection[str]
              ) -> dict[str, int]:
    """Case-folded cue words and their codes (a word may be several kinds of cue)."""
    return {w: (ROLE if w in roles else 0) | (SUFFIX if w in suffixes else 0)
            | (TITLE if w in titles else 0)
            for w in {*roles, *suffixes, *titles}}


def positions(cues: CueHits | None, code: int) -> list[int] | None:
    """The offsets of cue words of one kind (None: no cues known, look everywhere)."""
    return None if cues is None else [p for p, c in cues if c & code]


def at_cues(pattern: re.Pattern[str], text: str, where: list[int] | None
            ) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only the given word starts when known."""
    if where is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for pos in where:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = max(m.end(), pos + 1)
            yield m


def any_within(sorted_positions: list[int], lo: int, hi: int) -> bool:
    """Whether a sorted list has a value in [lo, hi)."""
    i = bisect.bisect_left(sorted_positions, lo)
    return i < len(sorted_positions) and sorted_positions[i] < hi


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


_FEW = 8  # up to this many words, one str.find pass per word is faster than tokens
_TOKEN = re.compile(r"\w+")
_MAX_PIECES = 8  # word pieces a sought word may have ("O'Neil" has two)


def whole_words(text: str, words: Collection[str], start: int = 0
                ) -> dict[str, list[tuple[int, int]]]:
    """Each word's whole-word occurrences from `start` on, as (start, end) spans.

    Whole-word: no word character (alphanumeric or "_") right before or after.
    For a few words, `str.find` per word; for more, one pass over the text's
    tokens, so the cost is the text's length however many words are sought.
    """
    found: dict[str, list[tuple[int, int]]] = {w: [] for w in words if w}
    if not found:
        return found
    if len(found) <= _FEW:
        for word in found:
            found[word] = list(_find_word(text, word, start))
        return found
    by_piece: dict[str, int] = {}  # first word piece -> most pieces of a word starting so
    for word in found:
        first = _TOKEN.match(word)
        if first is not None and first.start() == 0:
            pieces = len(_TOKEN.findall(word))
            by_piece[first.group()] = max(by_piece.get(first.group(), 0), pieces)
    n = len(text)
    for m in _TOKEN.finditer(text, start):
        most = by_piece.get(m.group())
        if most is None:
            continue
        end = m.end()
        for _ in range(min(most, _MAX_PIECES)):
            if (end == n or not is_word_char(text[end])) and \
                    (spans := found.get(text[m.start():end])) is not None:
                spans.append((m.start(), end))
            nxt = _TOKEN.search(text, end, min(n, end + 4))  # a short join: "'", "-"
            if nxt is None or not _joined(text, end, nxt.start()):
                break
            end = nxt.end()
    return found


def _joined(text: str, a: int, b: int) -> bool:
    """Whether text[a:b] is punctuation that may join the pieces of a name."""
    return 0 < b - a <= 3 and all(c in "’'-.&" for c in text[a:b])


def _find_word(text: str, word: str, start: int) -> Iterator[tuple[int, int]]:
    pos = text.find(word, start)
    while pos != -1:
        end = pos + len(word)
        if ((pos == 0 or not is_word_char(text[pos - 1]))
                and (end == len(text) or not is_word_char(text[end]))):
            yield pos, end
            pos = text.find(word, end)
        else:
            pos = text.find(word, pos + 1)
