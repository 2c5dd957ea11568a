"""Articles → entity mentions with offsets.

`Extractor.extract` is a pure function of the article and the gazetteer, so it
can run in worker processes and its results can be cached by gazetteer
fingerprint.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from evreader.extract.companies import ROLE_CUES, SUFFIX_CUES, find_companies
from evreader.extract.cues import cue_table
from evreader.extract.matcher import Matcher, fold
from evreader.extract.people import TITLE_CUES, find_people
from evreader.extract.scan_py import AmbiguousHit, Scanner
from evreader.extract.spans import place
from evreader.gazetteer import Gazetteer
from evreader.models import Article, Kind, Mention, MentionRow

# Where the scanner tells the people and company rules to look.
CUES = cue_table(ROLE_CUES, SUFFIX_CUES, TITLE_CUES)
_NOT_PEOPLE = frozenset(
    ("team", "staff", "desk", "editorial", "editor", "news", "reporters", "agency"))


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
                rows.append(MentionRow("person", author, pos, pos + len(author), 2, False))
            pos += len(author) + 2
        return rows

    def _field(self, text: str, code: int, scanner: Scanner, mark: int) -> list[MentionRow]:
        if not text:
            return []
        out, cues, ambiguous = scanner.scan(text, fold(text), mark, code)
        found = list(_resolve_ambiguous(out, ambiguous, code)) if ambiguous else []
        found.extend(MentionRow("person", name, start, end, code, False)
                     for start, end, name in find_people(text, cues))
        # Headlines are Title Cased, so name patterns there would invent companies.
        if code == 1:
            known: dict[str, bool] = {}  # per name, not per mention: names can be long
            for start, end, name in find_companies(text, cues):
                if (new := known.get(name)) is None:
                    new = known[name] = name.lower() not in self.known_lower
                if new:
                    found.append(MentionRow("company", name, start, end, code, True))
        # The hits are sorted by start and disjoint; a found name goes in, in the
        # order above, only where it overlaps nothing.
        return place(out, found)


def _resolve_ambiguous(rows: list[MentionRow], hits: list[AmbiguousHit], field: int
                       ) -> Iterator[MentionRow]:
    """Ambiguous places (Georgia) take the candidate the article names otherwise.

    Each hit (start, end, targets) becomes a row of the first target whose
    (kind, name) a plain hit of the field has; one with none is dropped. Hits
    never overlap the plain ones.
    """
    plain = {(r.kind, r.name) for r in rows}
    for start, end, targets in hits:
        chosen = next((t for t in targets if t in plain), None)
        if chosen is not None:
            yield MentionRow(chosen[0], chosen[1], start, end, field, False)


def _kind(kind: str) -> Kind:
    if kind in ("company", "country", "theme", "person"):
        return kind  # type: ignore[return-value]
    raise ValueError(f"unknown entity kind {kind!r}")
