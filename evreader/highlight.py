"""Where a search's words and phrases are in a text, so the reader can mark them.

The words a search matched are the vocabulary terms its query words expand to
(the same typo and prefix expansion `SearchEngine.search` scores), so what is
marked is exactly what made the article match: "recal" marks "recall", "recalls".
Spans index the text as given; folding keeps lengths, so they hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evreader.extract.matcher import fold
from evreader.extract.scan_py import WORD_RE
from evreader.index.chunks import tokens_of
from evreader.models import Filters
from evreader.search import SearchEngine

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Highlighter:
    terms: frozenset[str] = frozenset()  # folded words to mark
    phrases: tuple[re.Pattern[str], ...] = ()  # exact phrases, any whitespace between words

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases)

    def spans(self, text: str) -> list[Span]:
        """Sorted, non-overlapping (start, end) of every hit in `text`."""
        if not self or not text:
            return []
        folded = fold(text)
        found: list[Span] = []
        if self.terms:
            terms = self.terms
            found = [m.span() for m in WORD_RE.finditer(folded) if m.group() in terms]
        for pattern in self.phrases:
            found += [m.span() for m in pattern.finditer(folded)]
        if self.phrases:
            found.sort()
        return _merged(found)


def highlighter(engine: SearchEngine, filters: Filters) -> Highlighter:
    """What to mark for the text part of `filters` (free words and phrases)."""
    words = tokens_of(filters.query) + [w for p in filters.phrases for w in tokens_of(p)]
    vocab = engine.vocab
    terms = frozenset(vocab[t] for word in dict.fromkeys(words) for t, _ in engine.expand(word))
    phrases = tuple(re.compile(r"\s+".join(re.escape(w) for w in fold(p).split()))
                    for p in filters.phrases if p.split())
    return Highlighter(terms, phrases)


def _merged(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
            continue
        out.append((start, end))
    return out
