"""Articles → entity mentions with offsets.

`Extractor.extract` is a pure function of the article and the gazetteer, so it
can run in worker processes and its results can be cached by gazetteer
fingerprint.
"""

from __future__ import annotations

import bisect
from typing import Literal

from evreader.extract.matcher import Matcher
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

    def extract(self, article: Article) -> list[Mention]:
        """All mentions in title, body and byline, in order of field then offset."""
        rows, _, _ = self.analyse(article, None)
        return [Mention(_kind(k), name, s, e, FIELD_NAMES[f], discovered=d)
                for k, name, s, e, f, d in rows]

    def analyse(self, article: Article, vocab: dict[str, int] | None
                ) -> tuple[list[MentionRow], list[int], list[int]]:
        """Mentions (field then offset order) and the word ids of title and body.

        Word ids come from `vocab`, which grows; with None no ids are made.
        """
        title_ids, rows = self._field(article.title, 0, vocab)
        text_ids, text_rows = self._field(article.text, 1, vocab)
        rows.extend(text_rows)
        pos = 0
        for author in article.authors:
            if not any(w in author.lower().split() for w in _NOT_PEOPLE):
                rows.append(("person", author, pos, pos + len(author), 2, False))
            pos += len(author) + 2
        return rows, title_ids or [], text_ids or []

    def _field(self, text: str, code: int, vocab: dict[str, int] | None
               ) -> tuple[list[int] | None, list[MentionRow]]:
        if not text:
            return [], []
        ids, hits, cues = self.matcher.scan(text, vocab, CUES if code == 1 else None)
        out: list[MentionRow] = []
        taken: list[tuple[int, int]] = []
        for start, end, (kind, name) in _resolve_ambiguous(hits):
            out.append((kind, name, start, end, code, False))
            taken.append((start, end))
        # hits are disjoint and in order, so `taken` is sorted
        for start, end, name in find_people(text):
            if not _overlaps(taken, start, end):
                out.append(("person", name, start, end, code, False))
                _insert(taken, start, end)
        # Headlines are Title Cased, so name patterns there would invent companies.
        for start, end, name in find_companies(text, cues) if code == 1 else ():
            if _overlaps(taken, start, end) or name.lower() in self.known_lower:
                continue
            out.append(("company", name, start, end, code, True))
            _insert(taken, start, end)
        out.sort(key=_start_of)
        return ids, out


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
