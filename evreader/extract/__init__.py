"""Articles → entity mentions with offsets.

`Extractor.extract` is a pure function of the article and the gazetteer, so it
can run in worker processes and its results can be cached by gazetteer
fingerprint.
"""

from __future__ import annotations

import bisect
from typing import Literal

from evreader.extract.matcher import Matcher, Scanner, fold
from evreader.extract.patterns import CUES, find_companies, find_people
from evreader.gazetteer import Gazetteer
from evreader.models import Article, Kind, Mention

_NOT_PEOPLE = ("team", "staff", "desk", "editorial", "editor", "news", "reporters", "agency")


MentionRow = tuple[str, str, int, int, int, bool]  # kind, name, start, end, field, discovered
FieldName = Literal["title", "text", "byline"]
FIELD_NAMES: tuple[FieldName, FieldName, FieldName] = ("title", "text", "byline")


class Extractor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.matcher = Matcher(gazetteer)
        self.known_lower = frozenset(gazetteer.surfaces)
        self._scanner: Scanner | None = None

    def scanner(self) -> Scanner:
        """A fresh scanner for a batch of articles: it collects their words."""
        return self.matcher.scanner(CUES)

    def extract(self, article: Article) -> list[Mention]:
        """All mentions in title, body and byline, in order of field then offset."""
        if self._scanner is None:
            self._scanner = self.scanner()
        rows = self.analyse(article, self._scanner, record=False)
        return [Mention(_kind(k), name, s, e, FIELD_NAMES[f], discovered=d)
                for k, name, s, e, f, d in rows]

    def analyse(self, article: Article, scanner: Scanner, *, record: bool = True
                ) -> list[MentionRow]:
        """Mentions (field then offset order); with `record`, the scanner also notes
        the article's title and body words (call its `next_article` after)."""
        rows = self._field(article.title, 0, scanner, 1 if record else 0)
        rows.extend(self._field(article.text, 1, scanner, 2 if record else 0))
        pos = 0
        for author in article.authors:
            if not any(w in author.lower().split() for w in _NOT_PEOPLE):
                rows.append(("person", author, pos, pos + len(author), 2, False))
            pos += len(author) + 2
        return rows

    def _field(self, text: str, code: int, scanner: Scanner, mark: int) -> list[MentionRow]:
        if not text:
            return []
        hits, cues = scanner.scan(text, fold(text), mark)
        out: list[MentionRow] = [(kind, name, start, end, code, False)
                                 for start, end, (kind, name) in _resolve_ambiguous(hits)]
        people = list(find_people(text, cues))
        # Headlines are Title Cased, so name patterns there would invent companies.
        companies = list(find_companies(text, cues)) if code == 1 else []
        if not people and not companies:
            return out
        # hits are disjoint and in order, so `taken` is sorted
        taken = [(row[2], row[3]) for row in out]
        for start, end, name in people:
            if not _overlaps(taken, start, end):
                out.append(("person", name, start, end, code, False))
                _insert(taken, start, end)
        for start, end, name in companies:
            if _overlaps(taken, start, end) or name.lower() in self.known_lower:
                continue
            out.append(("company", name, start, end, code, True))
            _insert(taken, start, end)
        out.sort(key=_start_of)
        return out


def _start_of(row: MentionRow) -> int:
    return row[2]


Target = tuple[str, str]


def _resolve_ambiguous(hits: list[tuple[int, int, tuple[Target, ...]]]
                       ) -> list[tuple[int, int, Target]]:
    """Ambiguous places (Georgia) take the candidate country the article names otherwise."""
    if all(len(t) == 1 for _, _, t in hits):
        return [(s, e, t[0]) for s, e, t in hits]
    plain = {t[0] for _, _, t in hits if len(t) == 1}
    out: list[tuple[int, int, Target]] = []
    for start, end, targets in hits:
        if len(targets) == 1:
            out.append((start, end, targets[0]))
            continue
        chosen = next((t for t in targets if t in plain), None)
        if chosen is not None:
            out.append((start, end, chosen))
    return out


def _kind(kind: str) -> Kind:
    if kind in ("company", "country", "theme", "person"):
        return kind  # type: ignore[return-value]
    raise ValueError(f"unknown entity kind {kind!r}")


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) meets any span of a sorted list of disjoint spans."""
    i = bisect.bisect_left(spans, (start, start))
    if i < len(spans) and spans[i][0] < end:
        return True
    return i > 0 and spans[i - 1][1] > start


def _insert(spans: list[tuple[int, int]], start: int, end: int) -> None:
    bisect.insort(spans, (start, end))
