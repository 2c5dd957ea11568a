"""Calendar dates as news pages and feeds write them.

Pages state their publication date in many forms: "Aug. 8, 2022 at 5:41 AM
CDT", "Tue, Apr 9 2024 10:02 AM EDT", "05 Mar. 2024, 16:55", "Tuesday 01 April
2025", "2024-03-05 14:20", "05/03/2024", "24/10/2023 - 14:20", "Mon 4 Mar 2024
06.00 GMT". `dates_in` finds every date of a line with where it stands;
`date_line` decides whether a line is a date line (the date and its
furniture: labels, times, zones, a byline) rather than a sentence that
mentions a date, and which of its dates is the publication date.

A numeric date whose day and month could be swapped (05/03/2024) is read
day-first, as most of the world writes it, unless the caller knows better
(`prefer_month_first`). Every pattern is a regex without nested repetition, so
each is linear on any line.
"""

from __future__ import annotations

import bisect
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from evreader.ingest.nocase import NoCase

_MONTH_NUMBERS = {
    name: number
    for number, names in enumerate((
        ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
        ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
        ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
        ("dec", "december")), start=1)
    for name in names
}
_MON = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
        r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
# Each pattern names y, d and mon (a month name) or m (a month number); a and b are
# a numeric date's first two fields, in an order to be decided.
_PATTERNS: tuple[re.Pattern[str] | NoCase, ...] = (
    re.compile(rf"(?<![\w/.-]){_YEAR}(?:[-/]|\.\s?)(?P<m>[01]?\d)(?:[-/]|\.\s?)"
               rf"(?P<d>[0-3]?\d)(?![\w/])"),  # 2024-03-05, 2024/3/5, "2025. 02. 18."
    NoCase(rf"(?<![\w/.]){_MON}\s*{_DAY}\s?,?\s*{_YEAR}(?!\d)"),
    NoCase(rf"(?<![\w/.]){_DAY}\s*{_MON}\s?,?\s*{_YEAR}(?!\d)"),
    re.compile(rf"(?<![\w/.-])(?P<a>[0-3]?\d)[/.-](?P<b>[0-3]?\d)[/.-]{_YEAR}(?![\w/])"),
)
_LABELS = NoCase(
    r"(?P<published>first\s+published|published|posted|issued|created|released|date)"
    r"|(?P<updated>last\s+updated|updated|modified|last\s+modified|edited|revised)")


class FoundDate(NamedTuple):
    when: date
    start: int
    end: int
    swappable: bool  # a numeric day/month that could also be read the other way


_YEAR_HINT = re.compile(r"(?:19|20)\d\d")


def dates_in(line: str, *, prefer_month_first: bool = False) -> list[FoundDate]:
    """Every calendar date stated in `line`, in order, none overlapping."""
    if _YEAR_HINT.search(line) is None:  # every pattern holds a year
        return []
    found: list[FoundDate] = []  # sorted by start, disjoint
    for pattern in _PATTERNS:  # in order of precedence: an earlier pattern's date stays
        starts = [f.start for f in found] if found else None
        added = []
        for m in pattern.finditer(line):
            if starts is not None:
                k = bisect.bisect_left(starts, m.end())  # found dates starting before m ends
                if k and found[k - 1].end > m.start():
                    continue  # overlaps the last of them (they are disjoint, sorted)
            parsed = _parse(m, prefer_month_first)
            if parsed is not None:
                added.append(FoundDate(parsed[0], m.start(), m.end(), parsed[1]))
        if added:
            found = sorted(found + added, key=_start) if found else added  # a merge
    return found


def _start(found: FoundDate) -> int:
    return found.start


def _parse(m: re.Match[str], month_first: bool) -> tuple[date, bool] | None:
    g = m.groupdict()
    year = int(g["y"])
    if g.get("mon"):
        return _date(year, _MONTH_NUMBERS[g["mon"].lower().rstrip(".")], int(g["d"]), False)
    if g.get("m"):
        return _date(year, int(g["m"]), int(g["d"]), False)
    a, b = int(g["a"]), int(g["b"])
    if a > 12 or b > 12:  # only one reading is a date
        return _date(year, b, a, False) if a > 12 else _date(year, a, b, False)
    swappable = a != b
    return _date(year, a, b, swappable) if month_first else _date(year, b, a, swappable)


def _date(year: int, month: int, day: int, swappable: bool) -> tuple[date, bool] | None:
    try:
        return date(year, month, day), swappable
    except ValueError:
        return None


# What may stand beside a date in a date line: times, zones, weekdays, labels,
# separators, "at", "on", "by", counts of comments and minutes.
_ZONES = ("utc gmt est edt cst cdt mst mdt pst pdt et ct mt pt akst akdt hst jst kst ist cet "
          "cest eet eest bst sgt hkt aest aedt acst awst nzst nzdt wib wita ict pht msk brt z")
_FURNITURE = NoCase(
    r"\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?\s?m\b\.?)?"
    r"|\b\d{1,2}\s*[ap]\.?\s?m\b\.?"
    rf"|\b(?:{'|'.join(_ZONES.split())})\b(?:\s*[+-]\s*\d{{1,2}}(?::?\d\d)?)?"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\b(?:first\s+published|published|posted|issued|created|released|date|last\s+updated"
    r"|updated|modified|last\s+modified|edited|revised|on|at|by|ago|hours?|minutes?|mins?"
    r"|comments?|read|new)\b"
    r"|\b\d+\b"
    r"|[|·•,:;()\[\]/+\-–—]")
_LOWER_WORD = re.compile(r"[a-z][a-z'’]*$")


class DateLine(NamedTuple):
    published: date  # the date it gives for publication
    updated_only: bool  # it gives only an update date ("Updated 20 Oct 2023")
    rest: str  # what is left once the dates and their furniture are taken out
    swappable: bool  # a numeric date whose day and month could be read the other way


def date_line(line: str, *, prefer_month_first: bool = False, max_rest_words: int = 10
              ) -> DateLine | None:
    """The publication date a date line gives, or None when `line` is not one.

    A date line is mostly dates and their furniture; what is left may be a short
    byline ("By Ann Lee, KSL.com") but not a sentence: "pictured at the plant on
    June 4, 2025" is a caption, not a date line. Of several dates, one labelled
    published/posted/issued wins, else the first not labelled updated/modified,
    else the first.
    """
    if len(line) > 240:
        return None
    found = dates_in(line, prefer_month_first=prefer_month_first)
    if not found:
        return None
    rest = line
    for f in reversed(found):
        rest = rest[:f.start] + " " + rest[f.end:]
    rest = _FURNITURE.sub(" ", rest)
    words = rest.split()
    # A byline, an outlet or tags may stand beside the date ("By Ann Lee, KSL.com",
    # "Battery Metals Latin America"): capitalised words. A sentence has lower-case
    # words ("pictured", "in"): a caption that mentions a date is not a date line.
    if len(words) > max_rest_words or sum(1 for w in words if _LOWER_WORD.match(w)) > 2:
        return None
    labels = [_label_before(line, f.start, found[k - 1].end if k else 0)
              for k, f in enumerate(found)]
    for wanted in ("published", None):
        for f, label in zip(found, labels, strict=True):
            if label == wanted:
                return DateLine(f.when, False, " ".join(words), f.swappable)
    return DateLine(found[0].when, True, " ".join(words), found[0].swappable)


def _label_before(line: str, start: int, floor: int) -> str | None:
    """"published" or "updated" when that word stands between the previous date
    and this one (the nearest such word wins)."""
    label = None
    for m in _LABELS.finditer(line, floor, start):
        label = "published" if m.group("published") else "updated"
    return label


class ValueDate(NamedTuple):
    when: date | None
    problem: str | None  # why a value that was given could not be read


def date_of_value(value: object) -> ValueDate:
    """A date from a metadata field: an ISO 8601 or RFC 822 string, a date or a
    datetime; the date as the publisher wrote it (its own time zone, never moved
    to UTC). A value that names no valid date gives the reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ValueDate(None, None)
    if isinstance(value, datetime):
        return ValueDate(value.date(), None)
    if isinstance(value, date):
        return ValueDate(value, None)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return ValueDate(None, f"not a date ({type(value).__name__})")
    text = str(value).strip()[:200]
    iso = re.match(r"((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?"
                   r"(?:Z|[+-]\d\d:?\d\d)?)?$", text)
    if iso:
        parsed = _date(int(iso[1]), int(iso[2]), int(iso[3]), False)
        return ValueDate(parsed[0], None) if parsed else ValueDate(None, f"no such date: {text}")
    if re.match(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d", text):
        try:
            return ValueDate(parsedate_to_datetime(text).date(), None)
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    found = dates_in(text)
    if found:
        return ValueDate(found[0].when, None)
    if re.search(r"(?:19|20)\d\d", text):
        return ValueDate(None, f"no such date: {text[:60]}")
    return ValueDate(None, f"not a date: {text[:60]}")


def parse_date(value: object) -> date | None:
    """A date from a metadata value or a free-text query word, or None."""
    return date_of_value(value).when


_CLOCK = NoCase(
    r"\d{1,2}[:.]\d\d(?:[:.]\d\d)?\s*(?:[ap]\.?\s?m\b\.?)?|\b\d{1,2}\s*[ap]\.?\s?m\b\.?"
    rf"|\b(?:{'|'.join(_ZONES.split())})\b(?:\s*[+-]\s*\d{{1,2}}(?::?\d\d)?)?"
    r"|\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\b(?:first\s+published|published|posted|issued|updated|modified|last\s+updated)\b"
    r"(?:\s+(?:on|at))?\s*:?")


def without_dates(text: str) -> str:
    """`text` without its dates, times, zones, weekdays and date labels: what a date
    line says besides its date ("Zhou Zi Yi Sat, Mar 16 2024 09:48 AM" → "Zhou Zi Yi ,")."""
    pieces, at = [], 0
    for found in dates_in(text):
        pieces.append(text[at:found.start])
        at = found.end
    pieces.append(text[at:])
    return _CLOCK.sub(" ", " ".join(pieces))
