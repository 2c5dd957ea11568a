"""Articles → entity mentions with offsets.

An outlet is a company when an article names it ("… told Reuters"), but not in its
own pages: an article's publisher (its feed, its stated source, its URL's site or its
masthead) is dropped from the article's companies, since what names it there is the
outlet's own furniture and promotion, not news about it.

`Extractor.extract` is a pure function of the article and the gazetteer, so it
can run in worker processes and its results can be cached by gazetteer
fingerprint.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import Literal

from evreader.extract.companies import ROLE_CUES, SUFFIX_CUES, find_companies
from evreader.extract.cues import CueHits, cue_table
from evreader.extract.matcher import Matcher, fold
from evreader.extract.people import TITLE_CUES, find_people
from evreader.extract.scan_py import AmbiguousHit, Scanner
from evreader.extract.spans import place
from evreader.gazetteer import Gazetteer
from evreader.ingest.publisher import key as publisher_key
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
        self._units = {e.name: frozenset(e.units) for e in gazetteer.entities.values()
                       if e.kind == "company" and e.units}
        self._media = frozenset(e.name for e in gazetteer.entities.values()
                                if e.kind == "company" and e.type == "media")
        # An outlet by each of its names as a publisher key ("politico", "electrek").
        self._outlets = {publisher_key(form): e.name for e in gazetteer.entities.values()
                         if e.kind == "company" and e.type == "media"
                         for form in (e.name, *e.aliases)}

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
        fields = [(article.title, 0, 1 if record else 0), (article.text, 1, 2 if record else 0)]
        scans = [scanner.scan(text, fold(text), mark, code) if text else ([], [], [])
                 for text, code, mark in fields]
        named = {row.name for rows, _, _ in scans for row in rows}
        out: list[MentionRow] = []
        for (text, code, _), (rows, cues, ambiguous) in zip(fields, scans, strict=True):
            if text:
                resolved = list(_resolve_ambiguous(ambiguous, code, named)) if ambiguous else []
                out.extend(self._found(text, code, rows, cues, resolved))
        if self._units:
            _name_units(out, self._units, article)
        own = self._outlets.get(publisher_key(article.publisher)) if article.publisher else None
        if own is not None:  # "Get the latest news with Axios Login", "Electrek's Take"
            out = [r for r in out if not (r.kind == "company" and r.name == own)]
        pos = 0
        for author in article.authors:
            if _NOT_PEOPLE.isdisjoint(author.lower().split()):
                out.append(MentionRow("person", author, pos, pos + len(author), 2, False))
            pos += len(author) + 2
        return out

    def _found(self, text: str, code: int, rows: list[MentionRow], cues: CueHits,
               resolved: list[MentionRow]) -> list[MentionRow]:
        """A field's gazetteer rows with the resolved ambiguous hits, the people and
        the discovered companies added where they overlap nothing, in that order (a
        discovered company may cover a place named inside it: "Indonesia Battery
        Corporation"). Each step is linear in the rows (see `spans.place`)."""
        offers = list(resolved)
        offers.extend(MentionRow("person", name, start, end, code, False)
                      for start, end, name in find_people(text, cues))
        people = len(offers) > len(resolved)
        # Headlines are Title Cased, so name patterns there would invent companies.
        if code == 1:
            new: dict[str, bool] = {}  # per name, not per mention: names can be long
            companies = []
            for start, end, name in find_companies(text, cues):
                if (fresh := new.get(name)) is None:
                    fresh = new[name] = name.lower() not in self.known_lower
                if fresh:
                    companies.append(MentionRow("company", name, start, end, code, True))
            rows = _without_places_inside(rows, companies)
            offers.extend(companies)
        out = place(rows, offers)
        if people:
            out = _without_title_abbreviations(out, text)
        if "$" in text:
            out = [r for r in out if not (r.kind == "country" and text[r.end:r.end + 1] == "$")]
        if code == 1 and self._media and "(" in text[:1600]:
            _drop_dateline_agency(out, text, self._media)
        return out


# A country's abbreviation glued to a dollar sign is a currency ("US$5.9 billion",
# "HK$3 billion"), dropped in `_found`.


def _start_of(row: MentionRow) -> int:
    return row.start


def _resolve_ambiguous(hits: list[AmbiguousHit], field: int, named: set[str]
                       ) -> Iterator[MentionRow]:
    """Ambiguous hits, decided by what else the article names.

    A place with several candidates (Georgia) takes the first candidate the
    article names plainly, or is dropped. A company form that is an ordinary word
    (targets: the company, then ("context", name) pairs) counts only when the
    article names one of its context entities ("Cruise" beside General Motors).
    Hits never overlap the plain rows.
    """
    for start, end, targets in hits:
        context = [name for kind, name in targets if kind == "context"]
        if context:
            chosen = targets[0] if any(c in named for c in context) else None
        else:
            chosen = next((t for t in targets if t[1] in named), None)
        if chosen is not None:
            yield MentionRow(chosen[0], chosen[1], start, end, field, False)


def _name_units(rows: list[MentionRow], units: dict[str, frozenset[str]],
                article: Article) -> None:
    """A group's bare name ("Samsung", "SK") stands for the one unit of the group the
    article names ("Stellantis-Samsung" beside Samsung SDI is Samsung SDI)."""
    named = {r.name for r in rows}
    if named.isdisjoint(units):
        return  # no group named: most articles
    chosen: dict[str, str | None] = {}  # group → its one named unit, worked out once
    for k, row in enumerate(rows):
        group = units.get(row.name)
        if group is None:
            continue
        if row.name not in chosen:
            present = group & named
            chosen[row.name] = next(iter(present)) if len(present) == 1 else None
        unit = chosen[row.name]
        text = article.title if row.field == 0 else article.text
        surface = text[row.start:row.end]
        if unit is not None and len(surface.split()) < len(row.name.split()) + (
                0 if " " in row.name else 1):
            rows[k] = row._replace(name=unit)


def _without_places_inside(rows: list[MentionRow], companies: list[MentionRow]
                           ) -> list[MentionRow]:
    """The rows without the countries and places a discovered company covers
    ("Indonesia Battery Corporation"), when those are all it covers. `rows` is
    sorted by start and disjoint, so each company finds what it covers by bisection."""
    if not companies or not rows:
        return rows
    drop: set[int] = set()
    for company in companies:
        k = bisect.bisect_left(rows, company.start, key=_start_of)
        if k and rows[k - 1].end > company.start:
            continue  # a row starts before the company and runs into it
        inside = []
        while k < len(rows) and rows[k].start < company.end:
            inside.append(k)
            k += 1
        if inside and all(rows[i].kind == "country" and rows[i].end <= company.end
                          for i in inside):
            drop.update(inside)
    return [r for i, r in enumerate(rows) if i not in drop] if drop else rows


_TITLE_ABBREVIATIONS = frozenset(("GM", "MD"))  # general manager, managing director


def _without_title_abbreviations(rows: list[MentionRow], text: str) -> list[MentionRow]:
    """"Umicore's Asia Pacific GM Liu Wei": an abbreviation that is also a company's
    name, standing as a job title right before a person, is not the company.
    (Most fields hold neither abbreviation: they are not walked row by row.)"""
    if not any(a in text for a in _TITLE_ABBREVIATIONS):
        return rows
    out: list[MentionRow] = []
    for k, row in enumerate(rows):
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if nxt is not None and row.kind == "company" and nxt.kind == "person" \
                and nxt.start == row.end + 1 and text[row.start:row.end] in _TITLE_ABBREVIATIONS:
            before = text[max(0, row.start - 30):row.start].split()[-1:]
            if before and (before[0][:1].isupper() or before[0].endswith(("’s", "'s"))):
                continue
        out.append(row)
    return out


_DATELINE = re.compile(r"^[^\n()]{0,80}(?:\([^()\n]{2,40}\)\s*){1,3}(?:[-—–]{1,2}|:)?")


def _drop_dateline_agency(rows: list[MentionRow], text: str, media: frozenset[str]) -> None:
    """"TOKYO, July 6 (Reuters) -": the agency in a wire dateline credits the story;
    it is not news about the agency."""
    starts = [0]
    at = text.find("\n\n")
    while at != -1 and at < 1500 and len(starts) < 4:  # a dateline opens one of the first
        starts.append(at + 2)                          # paragraphs, after a standfirst
        at = text.find("\n\n", at + 2)
    spans = [m.span() for start in starts if (m := _DATELINE.match(text, start)) is not None]
    if spans:
        rows[:] = [r for r in rows if not (
            r.name in media and "(" in text[max(0, r.start - 1):r.start + 1]
            and any(lo <= r.start and r.end <= hi for lo, hi in spans))]


def _kind(kind: str) -> Kind:
    if kind in ("company", "country", "theme", "person"):
        return kind  # type: ignore[return-value]
    raise ValueError(f"unknown entity kind {kind!r}")
