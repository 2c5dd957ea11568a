"""Articles → entity mentions with offsets.

`Extractor.extract` is a pure function of the article and the gazetteer, so it
can run in worker processes and its results can be cached by gazetteer
fingerprint.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Literal

from evreader.extract.matcher import Hit, Matcher
from evreader.extract.patterns import find_companies, find_people
from evreader.gazetteer import Gazetteer
from evreader.models import Article, Kind, Mention

_NOT_PEOPLE = ("team", "staff", "desk", "editorial", "editor", "news", "reporters", "agency")


class Extractor:
    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.matcher = Matcher(gazetteer)
        self.known_lower = frozenset(gazetteer.surfaces)

    def extract(self, article: Article) -> list[Mention]:
        """All mentions in title, body and byline, in order of field then offset."""
        mentions: list[Mention] = []
        for field_name, text in (("title", article.title), ("text", article.text)):
            mentions.extend(self._extract_field(text, field_name))
        pos = 0
        for author in article.authors:
            if not any(w in author.lower().split() for w in _NOT_PEOPLE):
                mentions.append(Mention("person", author, pos, pos + len(author), "byline"))
            pos += len(author) + 2
        return mentions

    def _extract_field(self, text: str, field_name: str) -> list[Mention]:
        hits = self.matcher.find(text)
        resolved = _resolve_ambiguous(hits)
        out: list[Mention] = []
        taken: list[tuple[int, int]] = []
        for hit, (kind, name) in resolved:
            out.append(Mention(_kind(kind), name, hit.start, hit.end, _field(field_name)))
            taken.append((hit.start, hit.end))
        taken.sort()  # hits are disjoint, so sorted spans stay disjoint
        for start, end, name in find_people(text):
            if not _overlaps(taken, start, end):
                out.append(Mention("person", name, start, end, _field(field_name)))
                _insert(taken, start, end)
        # Headlines are Title Cased, so name patterns there would invent companies.
        for start, end, name in find_companies(text) if field_name == "text" else ():
            if _overlaps(taken, start, end) or name.lower() in self.known_lower:
                continue
            out.append(Mention("company", name, start, end, _field(field_name), discovered=True))
            _insert(taken, start, end)
        out.sort(key=lambda m: m.start)
        return out


def _resolve_ambiguous(hits: Iterable[Hit]) -> list[tuple[Hit, tuple[str, str]]]:
    """Ambiguous places (Georgia) take the candidate country the article names otherwise."""
    hits = list(hits)
    plain = {h.targets[0] for h in hits if len(h.targets) == 1}
    out: list[tuple[Hit, tuple[str, str]]] = []
    for hit in hits:
        if len(hit.targets) == 1:
            out.append((hit, hit.targets[0]))
            continue
        chosen = next((t for t in hit.targets if t in plain), None)
        if chosen is not None:
            out.append((hit, chosen))
    return out


def _kind(kind: str) -> Kind:
    if kind in ("company", "country", "theme", "person"):
        return kind  # type: ignore[return-value]
    raise ValueError(f"unknown entity kind {kind!r}")


def _field(name: str) -> Literal["title", "text"]:
    return "title" if name == "title" else "text"


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) meets any span of a sorted list of disjoint spans."""
    i = bisect.bisect_left(spans, (start, start))
    if i < len(spans) and spans[i][0] < end:
        return True
    return i > 0 and spans[i - 1][1] > start


def _insert(spans: list[tuple[int, int]], start: int, end: int) -> None:
    bisect.insort(spans, (start, end))
