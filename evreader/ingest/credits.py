"""Who wrote a page and when, from its header zone and its last lines.

Bylines and date lines come in many forms (see `bylines` and `dates`); here they
are found on the page: a "By …" line or a date line in the header zone, a name
alone on its line beside a date (a role line or a relative time may stand between),
a name over a "Follow" button, or a credit at the very end of the article ("(By Ann
Lee)", a name over its email address, "It was written by …").
"""

from __future__ import annotations

import re

from evreader.ingest.bylines import byline_names, is_person_name, names_in
from evreader.ingest.dates import date_line, without_dates
from evreader.ingest.pagelines import (
    Line,
)

_TRAILING_BYLINE = re.compile(r"^(?:by|reporting\s+by)\s+|^(?:reporters?|writers?|authors?)\s*:",
                              re.I)


def classify(item: Line) -> None:
    text = item.text
    if len(text) <= 240:
        low = text.lower()  # the cheap tests first: most header lines are neither
        if ("by" in low or not item.chrome) and ("today" not in low or not _TODAY.search(text)):
            item.date = date_line(text)
        names = byline_names(text)
        if names is not None:
            item.names = names
            item.chrome = False
        elif item.date is not None and item.date.rest:
            found = [n for part in _parts(text) for n in names_in(_undated(part))]
            item.names = found or None


# "Today's Paper | August 18, 2024", "Today: Monday, …": the site's date, not the article's.
_TODAY = re.compile(r"\btoday(?:'s|’s)?\b(?!\s+at\b)", re.I)


def _parts(text: str) -> list[str]:
    return re.split(r"\s*(?:\||·|•|/(?!\w+\.)|\s[-–—]\s|\s{3,})\s*", text)


def _undated(text: str) -> str:
    text = re.sub(r"^\s*(?:posted|published|updated)\b.*?\bby\b", " ", text, flags=re.I)
    return without_dates(text)


def names_beside_dates(head: list[Line]) -> None:
    """A name alone on its line near a date line is a byline: "Rebecca Bellan" /
    "10:02 AM PDT · May 23, 2024", "Ines Lin, Taipei; Jack Wu, DIGITIMES Asia",
    "Kieran Burke with Reuters, dpa" (agencies credited after "with"); a role line
    may stand between ("Jordan Mulach" / "Senior Journalist" / "4 Hours Ago" / date).
    A name over a "Follow" button is a byline with or without a date (blog platforms)."""
    dated = [k for k, item in enumerate(head) if item.date is not None]
    for k in dated:
        for j in (k - 3, k - 2, k - 1, k + 1, k + 2):
            if not 0 <= j < len(head):
                continue
            if j == k - 3 and not _ROLE_LINE.match(head[j + 1].text):
                continue
            _name_line(head[j])
    for j in range(len(head) - 1):
        if _FOLLOW.match(head[j + 1].text) or _ROLE_LINE.match(head[j + 1].text):
            _name_line(head[j])  # "Patrick Hummel, CFA" / "Analyst": a research note's byline
    for item in head:
        post = _POST_OF.match(item.text) if item.names is None else None
        if post is not None and is_person_name(post.group(1)):
            item.names = [post.group(1)]  # "Marta Kowalczyk’s Post": a social post's author


def _name_line(item: Line) -> None:
    """Read `item` as a line that holds only a byline's names, if it is one."""
    if len(item.text) > 64 or item.names is not None or item.date is not None \
            or item.chrome or item.credit:
        return
    text = re.split(r"@|\s+with\s+(?=[A-Z])|\s*,\s*(?=[A-Za-z]+\s+(?:staff\s+)?"
                    r"(?:writer|reporter|editor|correspondent)\b)", item.text)[0].strip()
    text = _CREDENTIAL.sub("", text)  # "Patrick Hummel, CFA"
    text = _IN_PLACE.sub("", text)  # "Patricia Nilsson in Frankfurt and Peter Campbell in London"
    if any(w[:1].islower() and w not in _NAME_PARTICLES and w != "and"
           for w in text.split()):
        return  # a sentence or a headline, not a name
    names = [text] if is_person_name(text) else names_in(text)
    if names:
        item.names = names


_IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?=\s+and\s|\s*[,;]|\s*$)")


_ROLE_LINE = re.compile(r"^(?:[A-Z][\w-]*\s+){0,3}(?:journalist|reporter|editor|writer|"
                        r"correspondent|"
                        r"contributor|columnist|analyst|producer)s?(?:\s+@\w+)?$", re.I)


_FOLLOW = re.compile(r"^(?:follow|subscribe)$", re.I)


# A professional credential after a name: "Patrick Hummel, CFA", "Ann Lee, Ph.D.".
_CREDENTIAL = re.compile(r",\s*(?:CFA|CPA|CAIA|FRM|ACA|MBA|PhD|Ph\.D\.)$")


# The header of a post on a social network: "Marta Kowalczyk’s Post".
_POST_OF = re.compile(r"^(.{3,48}?)(?:’s|'s)\s+(?:post|update)$", re.I)


_NAME_PARTICLES = frozenset("de da do dos das van von der den del la le bin al di du y e".split())


_EMAIL_LINE = re.compile(r"^\[?\S+@\S+\.\w+\]?$")


_TRAILING_CODE = re.compile(r"^(?:enditem|end|ends|\(?[a-z]{1,4}\)?)(?:/[\w-]+)*$", re.I)


def trailing_byline(items: list[Line]) -> tuple[list[str], list[Line]]:
    """A byline at the end of the article: "BY LEE TAE-HEE [lee@…]", "(By Ann Lee
    and Bo Chen)", a name over its email address (not under a "Contact:" label, and
    not after a press release's "###" end mark), or a credit sentence ("It was
    written by Li Anqi and edited by …"), which stays in the body."""
    start = max(-1, len(items) - 12)
    for k in range(len(items) - 1, start, -1):
        if _END_MARK.match(items[k].text):
            start = k  # a press release's contacts and boilerplate follow its end mark
    for k in range(len(items) - 1, start, -1):
        text = items[k].text
        if items[k].chrome or _EMAIL_LINE.match(text) or _TRAILING_CODE.match(text):
            continue
        inner = text.strip("()").strip()
        names = byline_names(re.sub(r"^reporting\s+", "", inner, flags=re.I)) \
            if _TRAILING_BYLINE.match(inner) and len(inner) <= 120 else None
        if not names and k + 1 < len(items) and _EMAIL_LINE.match(items[k + 1].text) \
                and is_person_name(text) and not (k and _CONTACT.match(items[k - 1].text)):
            names = [text]
        if names:
            return names, items[:k] + items[k + 1:]
        credit = _WRITTEN_BY.search(text) if len(text) <= 240 else None
        if credit is not None and (found := names_in(credit.group(1))):
            return found, items
        if items[k].prose and len(items) - k > 4:
            break
    return [], items


_END_MARK = re.compile(r"^(?:#\s*){3}$|^-\s*(?:30|ends?)\s*-$", re.I)


_CONTACT = re.compile(r"^(?:(?:media|press|investor)\s+)?(?:contacts?|enquiries|inquiries)\s*:?$",
                      re.I)


# "It was written by Li Anqi and edited by …", "This story was reported by Ann Lee for …",
# "Contact reporter Wang Xintong (…) and editor …".
_WRITTEN_BY = re.compile(r"(?:\b(?:was|were)\s+(?:written|reported)\s+by|"
                         r"^contact\s+reporters?)\s+(.+?)"
                         r"(?=\s*\(|\s+(?:and|with)\s+(?:edited|produced|translated|additional|editor)\b|"
                         r"\s+for\s|[.;]\s|[.;]?$)", re.I)
