"""The word scanner in plain Python: the reference for `_scan.c`.

One pass over a field finds its words (maximal runs of alphanumeric characters,
case-folded), gives each a vocabulary id, notes cue words, and matches gazetteer
names as sequences of words: leftmost-longest, a name's words separated by as
many non-word characters as in its gazetteer form ("U.S." = "u", one gap, "s").
Outer punctuation of a name is not needed ("Co." matches "Co" and "Co."), but a
hit takes a name's trailing punctuation when the text has it ("U.S." stays whole).

The compiled twin does exactly this, faster; tests hold the two equal. The
trie layout is documented in `_scan.c`.
"""

from __future__ import annotations

import re
from array import array
from typing import Protocol, TypeAlias

from evreader.models import MentionRow

WORD_RE = re.compile(r"[^\W_]+")

Target: TypeAlias = tuple[str, str]  # (kind, name)
Payload: TypeAlias = tuple[Target, ...] | None  # None: a blocker phrase
Surface: TypeAlias = tuple[int, str, Payload, str]  # case code, text, payload, tail
# node = (surfaces, children after a one-character gap, {(gap, word): node} or None)
Node: TypeAlias = tuple[tuple[Surface, ...], "dict[str, Node] | None",
                        "dict[tuple[int, str], Node] | None"]
Trie: TypeAlias = dict[str, Node]
CueHit: TypeAlias = tuple[int, int]  # (start, code)
AmbiguousHit: TypeAlias = tuple[int, int, tuple[Target, ...]]  # (start, end, targets)
ScanResult: TypeAlias = tuple[list[MentionRow], list[CueHit], list[AmbiguousHit]]


class Scanner(Protocol):
    """What this module's `PyScanner` and its compiled twin `_scan.Scanner` offer."""

    def scan(self, text: str, low: str, mark: int, field: int, /) -> ScanResult: ...
    def next_article(self) -> None: ...
    def words(self) -> list[str]: ...
    def arrays(self) -> tuple[bytes, bytes, bytes, bytes]: ...


class PyScanner:
    """Scans the fields of a batch of articles against one trie and cue table.

    `scan(text, low, mark, field)` gives (rows, cue_hits, ambiguous) of one field.
    Gazetteer hits are non-overlapping, leftmost-longest, blockers removed; a hit
    whose payload has one (kind, name) target gives a `row(kind, name, start, end,
    field, False)`, one with several targets an ambiguous (start, end, targets)
    instead. Cue hits are (start, code) of words in `cues`. With mark 1 the field's
    words count as the current article's title and body words, with 2 as body
    words, with 0 not at all. `next_article()` closes an article; `words()` is the
    vocabulary in id order and `arrays()` each article's distinct word ids (title
    and body, then title only), first-seen order, as CSR bytes of int32.
    """

    def __init__(self, trie: Trie, cues: dict[str, int] | None,
                 row: type[MentionRow] = MentionRow) -> None:
        self._trie = trie
        self._cues = cues
        self._row = row
        self._vocab: dict[str, int] = {}
        self._t_ptr: list[int] = [0]
        self._t_ids: list[int] = []
        self._h_ptr: list[int] = [0]
        self._h_ids: list[int] = []
        self._seen_t: set[int] = set()
        self._seen_h: set[int] = set()

    def scan(self, text: str, low: str, mark: int, field: int) -> ScanResult:
        if len(text) != len(low):
            raise ValueError("text and low must have the same length")
        if mark not in (0, 1, 2):
            raise ValueError("mark must be 0, 1 or 2")
        words = [(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(low)]
        vocab = self._vocab
        for _, _, w in words:
            wid = vocab.setdefault(w, len(vocab))
            if mark and wid not in self._seen_t:
                self._seen_t.add(wid)
                self._t_ids.append(wid)
            if mark == 1 and wid not in self._seen_h:
                self._seen_h.add(wid)
                self._h_ids.append(wid)
        cues = self._cues
        cue_hits = [(s, cues[w]) for s, _, w in words if w in cues] if cues is not None else []
        rows: list[MentionRow] = []
        ambiguous: list[AmbiguousHit] = []
        for start, end, payload in _match(text, words, self._trie):
            if not isinstance(payload, tuple) or not payload:
                raise TypeError("payload must be a non-empty tuple of targets or None")
            if len(payload) == 1:
                target = payload[0]
                if not isinstance(target, tuple) or len(target) != 2:
                    raise TypeError("a target must be a (kind, name) tuple")
                rows.append(self._row(target[0], target[1], start, end, field, False))
            else:
                ambiguous.append((start, end, payload))
        return rows, cue_hits, ambiguous

    def next_article(self) -> None:
        self._t_ptr.append(len(self._t_ids))
        self._h_ptr.append(len(self._h_ids))
        self._seen_t.clear()
        self._seen_h.clear()

    def words(self) -> list[str]:
        return list(self._vocab)

    def arrays(self) -> tuple[bytes, bytes, bytes, bytes]:
        return tuple(array("i", a).tobytes()  # type: ignore[return-value]
                     for a in (self._t_ptr, self._t_ids, self._h_ptr, self._h_ids))


def _match(text: str, words: list[tuple[int, int, str]], trie: Trie
           ) -> list[tuple[int, int, Payload]]:
    """Leftmost-longest gazetteer hits over the words; blockers take their span silently."""
    hits: list[tuple[int, int, Payload]] = []
    last_end = -1
    for a, (start, _, word) in enumerate(words):
        if start < last_end:
            continue
        node: Node | None = trie.get(word)
        best: tuple[int, Payload] | None = None
        j = a
        while node is not None:
            found: tuple[int, Payload] | None = None
            for case, surface, payload, tail in node[0]:
                end = words[j][1]
                if _case_ok(text, start, end, case, surface):
                    if tail and text.startswith(tail, end):
                        end += len(tail)
                    if found is None or end > found[0]:  # "Level 2+" over "Level 2"
                        found = (end, payload)
            best = found or best
            if j + 1 >= len(words):
                break
            gap = words[j + 1][0] - words[j][1]
            nxt = words[j + 1][2]
            if gap == 1:
                node = None if node[1] is None else node[1].get(nxt)
            else:
                node = None if node[2] is None else node[2].get((gap, nxt))
            j += 1
        if best is None:
            continue
        last_end = best[0]
        if best[1] is not None:
            hits.append((start, best[0], best[1]))
    return hits


def _case_ok(text: str, start: int, end: int, case: int, surface: str) -> bool:
    if case == 0:
        return True
    if case == 1 and (text[start].isupper() or text[start].isdigit()):
        return True
    return text[start:end] == surface


CASE_CODES = {"any": 0, "cap": 1, "exact": 2}


class _Building:
    """A trie node while the trie is built (frozen into a `Node` at the end)."""

    __slots__ = ("children", "surfaces", "wide")

    def __init__(self) -> None:
        self.surfaces: list[Surface] = []
        self.children: dict[str, _Building] | None = None
        self.wide: dict[tuple[int, str], _Building] | None = None

    def child(self, gap: int, word: str) -> _Building:
        if gap == 1:
            if self.children is None:
                self.children = {}
            return self.children.setdefault(word, _Building())
        if self.wide is None:
            self.wide = {}
        return self.wide.setdefault((gap, word), _Building())

    def freeze(self) -> Node:
        """This node as a `Node`, its descendants first (no recursion: a name may
        have as many words as a user's entities file gives it)."""
        order: list[_Building] = []
        stack = [self]
        while stack:  # every node before its descendants
            node = stack.pop()
            order.append(node)
            stack.extend(node.children.values() if node.children is not None else ())
            stack.extend(node.wide.values() if node.wide is not None else ())
        frozen: dict[int, Node] = {}
        for node in reversed(order):  # so every descendant is frozen before it
            frozen[id(node)] = (
                tuple(node.surfaces),
                None if node.children is None else
                {k: frozen[id(n)] for k, n in node.children.items()},
                None if node.wide is None else {k: frozen[id(n)] for k, n in node.wide.items()})
        return frozen[id(self)]


def build_trie(entries: list[tuple[str, str, str, Payload]]) -> Trie:
    """Trie from (folded text, original text, case mode, payload), in priority order.

    Outer non-word characters are dropped from both texts (trailing ones become the
    surface's tail); names with no word characters are skipped.
    """
    root: dict[str, _Building] = {}
    for folded, original, case, payload in entries:
        spans = [(m.start(), m.end()) for m in WORD_RE.finditer(folded)]
        if not spans:
            continue
        s, e = spans[0]
        node = root.setdefault(folded[s:e], _Building())
        for (s, e), (_, prev_end) in zip(spans[1:], spans, strict=False):
            node = node.child(s - prev_end, folded[s:e])
        tail = original[spans[-1][1]:].rstrip()
        node.surfaces.append((CASE_CODES[case], original[spans[0][0]:spans[-1][1]], payload,
                              tail))
    return {word: node.freeze() for word, node in root.items()}
