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

_NOT_PEOPLE = frozenset(
    ("team", "staff", "desk", "editorial", "editor", "news", "reporters", "agency"))


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
            if _NOT_PEOPLE.isdisjoint(author.lower().split()):
                rows.append(("person", author, pos, pos + len(author), 2, False))
            pos += len(author) + 2
        return rows

    def _field(self, text: str, code: int, scanner: Scanner, mark: int) -> list[MentionRow]:
        if not text:
            return []
        out, cues, ambiguous = scanner.scan(text, fold(text), mark, code)
        if ambiguous:
            out = _resolve_ambiguous(out)
        people = list(find_people(text, cues))
        # Headlines are Title Cased, so name patterns there would invent companies.
        companies = list(find_companies(text, cues)) if code == 1 else []
        # `out` stays sorted by start and its spans disjoint: hits are, and a found
        # name goes in only where it overlaps nothing.
        for start, end, name in people:
            _insert_free(out, ("person", name, start, end, code, False))
        for start, end, name in companies:
            if name.lower() not in self.known_lower:
                _insert_free(out, ("company", name, start, end, code, True))
        return out


def _start_of(row: MentionRow) -> int:
    return row[2]


def _resolve_ambiguous(rows: list[MentionRow]) -> list[MentionRow]:
    """Ambiguous places (Georgia) take the candidate country the article names otherwise.

    An ambiguous row is (None, targets, ...) as the scanner gives it; one with no
    candidate named otherwise is dropped.
    """
    plain = {(r[0], r[1]) for r in rows if r[0] is not None}
    out: list[MentionRow] = []
    for row in rows:
        if row[0] is not None:
            out.append(row)
            continue
        chosen = next((t for t in row[1] if t in plain), None)
        if chosen is not None:
            out.append((chosen[0], chosen[1], *row[2:]))
    return out


def _kind(kind: str) -> Kind:
    if kind in ("company", "country", "theme", "person"):
        return kind  # type: ignore[return-value]
    raise ValueError(f"unknown entity kind {kind!r}")


def _insert_free(rows: list[MentionRow], row: MentionRow) -> None:
    """Insert `row` into rows sorted by start with disjoint spans, unless it overlaps one."""
    start, end = row[2], row[3]
    i = bisect.bisect_left(rows, start, key=_start_of)
    if (i < len(rows) and rows[i][2] < end) or (i > 0 and rows[i - 1][3] > start):
        return
    rows.insert(i, row)
