"""One article from a page's text: its headline, byline, date and body.

A page copied from a news site reads, line by line: navigation (short lines:
"News", "Business", "Sign In"), a section label, the headline, perhaps a
standfirst, a caption, the byline and a date line in one of many forms, a
share bar, then the body, then more furniture (related articles, copyright).
Notes and plain clippings are the same without the furniture.

- **Header zone**: the lines before the body. The body starts at the first
  paragraph of prose after the last byline or date line of the page's top (a
  standfirst or a long caption may come before them), or at a wire dateline
  ("TOKYO, July 6 (Reuters) -") when one follows closely.
- **Headline**: the first headline-shaped line (four words or more, not a
  sentence, not a caption) that no run of navigation follows (a site's
  tagline is followed by its menu), and that is not a series label
  ("Battery Cell Research | Insight Note") above another one. A headline
  copied from a PDF may be wrapped: the next line of its paragraph carries it on
  when the first breaks off mid-phrase ("… to Li-Cycle for" / "Battery
  Resource Recovery Facility …") or the next starts in lower case.
- **Date**: from date lines only (`dates.date_line`): a date mentioned in a
  sentence or a caption is never the publication date.
- **Authors**: "By …" lines, names beside a date, a name alone next to the date
  line, or a byline at the very end of the article.
- **Body**: the standfirst, then the paragraphs, without furniture, captions,
  credits and trailing lists of links.

The lines' features live in `pagelines`, bylines and credits in `credits`, the
body's assembly in `pagebody`; this module decides where the header zone, the
headline and the body are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from evreader.ingest import known
from evreader.ingest.credits import classify, names_beside_dates, trailing_byline
from evreader.ingest.dates import dates_in
from evreader.ingest.pagebody import body_text
from evreader.ingest.pagelines import (
    ABBREVIATED,
    Line,
    headline_sentences,
    lines_of,
)

HEAD_LINES = 120  # lines read for the header zone, at most (some sites have long menus)


_DATELINE = re.compile(
    r"^(?:(?P<place>[A-ZÀ-Þ][\w.'’À-ÿ-]*(?:[ /][A-ZÀ-Þ][\w.'’À-ÿ-]*){0,3})"
    r"(?:,\s+[A-Z][\w.'’-]*(?:\s+[A-Z0-9][\w.'’-]*){0,2})?\s*)?"
    r"(?P<source>(?:\([^()\n]{1,40}\)\s*){0,2})"
    r"(?P<dash>—|–|--|-|:)?\s+\S")


@dataclass(slots=True)
class PageParts:
    """What `read_page` found: everything may be missing but the body."""

    body: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    byline: str | None = None  # the header lines read as byline and date, verbatim
    publisher: str | None = None  # a news outlet's masthead at the top of the page


def read_page(lines: list[str]) -> PageParts | None:
    """The article in a file's stripped lines ("" for a blank line)."""
    items = lines_of(lines)
    if not items:
        return None
    head = items[:HEAD_LINES]
    prose = 0
    for item in head:  # bylines and dates stand before the third paragraph of prose
        if item.running:
            prose += 1
            if prose >= 3:
                break
        else:
            classify(item)
    names_beside_dates(head)
    body_at = _body_start(items, head)
    title_at = _title(head, body_at)
    title_end = title_at  # the headline's last line
    if title_at is not None:
        title_end = _wrapped_end(head, title_at)
        for item in head[title_at + 1:title_end + 1]:
            item.names = None  # "… Facility in Rochester, New York" is no byline
        body_at = max(body_at, title_end + 1) if title_end > title_at else body_at
    if title_at is not None and body_at <= title_at:
        body_at = title_at + 1
        while body_at < len(items) and (items[body_at].meta or _skippable(items[body_at])):
            body_at += 1
    published: date | None = None
    updated: date | None = None
    swappable = False
    authors: list[str] = []
    bylines: list[str] = []
    for item in head[:body_at]:
        if item.date is not None:
            if item.date.updated_only:
                updated = updated or item.date.published
            elif published is None:
                published, swappable = item.date.published, item.date.swappable
        if item.names:
            authors.extend(n for n in item.names if n not in authors)  # the head: ≤ 120 lines
        if item.meta:
            bylines.append(item.text)
    if published is None and updated is not None:
        published = updated
        swappable = any(i.date is not None and i.date.swappable for i in head[:body_at])
    if published is not None and swappable:
        published = _settle_day_and_month(published, items, body_at)
    if published is None:  # a standfirst may come before a release's dateline
        published = next((when for item in items[body_at:body_at + 3]
                          if (when := _release_date(item.text)) is not None), None)
    standfirst = _standfirst(head, title_at, title_end, body_at)
    body_items = items[body_at:]
    if not authors:
        authors, body_items = trailing_byline(body_items)
    body = body_text(standfirst, body_items, _furnished(head))
    title = None
    if title_at is not None:
        title = " ".join(i.text for i in head[title_at:(title_end or title_at) + 1])
        title = title.lstrip("#").strip()
    if not body and title is None:
        return None
    return PageParts(body, title or None, authors, published, "\n".join(bylines) or None,
                     _masthead(items[:3]))


def _masthead(top: list[Line]) -> str | None:
    """The outlet a copied page's first lines name on their own ("Axios",
    "POLITICO"): the built-in gazetteer's news outlets, by any of their names."""
    outlets = known.media()
    for item in top:
        name = outlets.get(item.text.strip(" #|").lower())
        if name is not None:
            return name
    return None


def _skippable(item: Line) -> bool:
    return item.skip


def _body_start(items: list[Line], head: list[Line]) -> int:
    """Index in `items` of the first body line (see the module docstring)."""
    prose_seen = 0
    last_meta = -1
    for k, item in enumerate(head):
        if item.meta:
            last_meta = k
        elif not item.skip and item.prose:
            prose_seen += 1
            if prose_seen >= 3:
                break
    start = last_meta + 1
    while start < len(items):
        item = items[start]
        if not (item.skip or item.meta) and item.prose \
                and not (start < len(head) and _is_caption(item, items, start)):
            break
        start += 1
    else:
        start = last_meta + 1  # no prose after the header: whatever follows is the body
        while start < len(items) and (items[start].meta or _skippable(items[start])):
            start += 1
    # A wire dateline a few lines on marks the body's start; before it, captions.
    for j in range(start, min(start + 4, len(items))):
        if len(items[j].text) >= 60 and _is_dateline(items[j].text):
            return j
    return start


# A press release's dateline: "SANTA CLARA, Calif., Aug. 15, 2024 /PRNewswire/ --",
# "BERLIN, 3 March 2025 (dpa) -": a place and a date, the wire, a dash.
_RELEASE_DATELINE = re.compile(
    r"^(?P<head>[^\n]{3,100}?)\s*(?:/[^/\n]{2,40}/|\([^()\n]{2,40}\))\s*(?:--|—|–|-)\s")


def _release_date(text: str) -> date | None:
    """The date a press release's dateline states, when the page gave none above
    it: the one date before the wire's name (a dateline without a year, such as
    "TOKYO, July 6 (Reuters) -", states none)."""
    m = _RELEASE_DATELINE.match(text[:160])
    if m is None:
        return None
    found = dates_in(m.group("head"), prefer_month_first=True)
    return found[0].when if len(found) == 1 else None


def _is_dateline(text: str) -> bool:
    m = _DATELINE.match(text[:120])
    if m is None:
        return False
    place, source, dash = m.group("place"), m.group("source"), m.group("dash")
    if source:
        return True
    if place is None or dash is None:
        return False
    first = place.split()[0].strip(",.")
    return (dash != "-" or " - " in text[:60]) and (
        (first.isupper() and len(first) >= 3) or (dash == ":" and len(place.split()) <= 2))


def _is_caption(item: Line, items: list[Line], k: int) -> bool:
    """A photo caption: it ends with a credit, a credit line follows it, or the next
    line repeats it (with a credit)."""
    if item.credit_end:
        return True
    nxt = items[k + 1] if k + 1 < len(items) else None
    if nxt is None:
        return False
    if nxt.credit:
        return True
    # The same caption again with its credit: "The site in Liberty." / "… Liberty.(WBTV)"
    rest = nxt.text[len(item.text):] if nxt.text.startswith(item.text) else ""
    return 0 < len(rest) <= 60 and nxt.credit_end


def _title(head: list[Line], body_at: int) -> int | None:
    """Index in `head` of the headline, or None (see the module docstring)."""
    zone = head[:min(body_at, len(head))]
    candidates = [k for k, item in enumerate(zone) if _headline_shaped(item, zone, k)]
    for n, k in enumerate(candidates):
        # A label or a site's tagline: a menu (two menu lines, or a breadcrumb or tag
        # line) follows it before any byline or date line, and another headline-
        # shaped line comes later.
        if n + 1 < len(candidates):
            if _label(zone[k]):
                continue  # "Battery Cell Research | Insight Note" / the headline
            between = zone[k + 1:candidates[n + 1]]
            if _menu_follows(between) or (0 < len(between) <= 2 and all(i.nav for i in between)):
                continue  # "Buy Side from WSJ" / "Autos" / the headline
            if any(i.crumb for i in zone[k + 1:candidates[-1]]):
                continue  # a site's name, its menu, "Home / News / Releases", the headline
        return k
    if candidates:
        return candidates[-1]
    # No headline-shaped line: a short line alone in its paragraph, above the body
    # and before any prose, is the title ("Headline" / blank / the body).
    for k, item in enumerate(head[:max(body_at, 1) + 1]):
        if _skippable(item) or item.meta:
            continue
        if item.prose:
            break
        alone = (k == 0 or head[k - 1].block != item.block) and \
            (k + 1 >= len(head) or head[k + 1].block != item.block)
        if alone and _short_title(item.text) and k + 1 < len(head):
            return k
    return None


# Words a headline cannot end on: the line breaks off mid-phrase and goes on below.
_BREAKS_OFF = frozenset(
    "a an the and or of for to in on at by as with from into over than after amid about "
    "against between via its their his her our your this that these those new".split())


_WRAP_LINES = 4  # lines a wrapped headline takes, at most
_PLAIN_WORD = re.compile(r"[a-z][a-z'’-]*\b")
_FIELD_LABEL = re.compile(r"[A-Z][A-Za-z ]{0,24}:")  # "AGENCY:", "Authors:"


def _wrapped_end(head: list[Line], k: int) -> int:
    """The last line of the headline `head[k]`: a PDF's hard-wrapped title goes on in
    its paragraph. It is wrapped when its line breaks off on a word no headline ends
    on ("… to Li-Cycle for") or a comma, or when the next line starts with a plain
    lower-case word; it then goes on over lines that are no sentence, date, byline,
    field ("AGENCY: …") nor furniture, until one ends as a headline does."""
    line = head[k]
    if k + 1 >= len(head) or not _goes_on(line, head[k + 1]):
        return k
    last = line.text.rsplit(" ", 1)[-1]
    nxt = head[k + 1]
    if not (line.text[-1] == "," or (last.islower() and last in _BREAKS_OFF)
            or (_PLAIN_WORD.match(nxt.text) is not None and nxt.names is None)):
        return k
    end, words = k + 1, line.words + nxt.words
    while end + 1 < len(head) and end + 1 - k < _WRAP_LINES:
        more = head[end + 1]
        if not _goes_on(head[end], more) or more.names is not None \
                or words + more.words > 30:
            break
        end, words = end + 1, words + more.words
    return end


def _goes_on(line: Line, nxt: Line) -> bool:
    """Whether `nxt` may carry the headline line `line` on."""
    return (nxt.block == line.block and not nxt.skip and nxt.date is None and not nxt.prose
            and line.text[-1] not in ".!?:;\"”'’)" and nxt.text[-1] not in ".!?:;"
            and nxt.words <= 15 and nxt.text[0].isalnum()
            and _FIELD_LABEL.match(nxt.text) is None and not nxt.text.isupper())


def _label(item: Line) -> bool:
    """A series or section label: two short Title Case parts either side of a bar
    ("Battery Cell Research | Insight Note", "Markets | Analysis")."""
    parts = [p.strip() for p in item.text.split("|")]
    return len(parts) == 2 and all(
        0 < len(p.split()) <= 3 and all(w[:1].isupper() or w == "&" for w in p.split())
        for p in parts)


def _menu_follows(lines: list[Line]) -> bool:
    run = 0
    for item in lines:
        if item.meta:
            return False
        if item.crumb or item.tags:
            return True
        run = run + 1 if item.nav else 0
        if run >= 2:
            return True
    return False


_TIME_LABEL = re.compile(r"\b\d{1,2}:\d\d\b|\b(?:today|yesterday|ago)\b", re.I)


def _headline_shaped(item: Line, zone: list[Line], k: int) -> bool:
    text = item.text
    if item.meta or item.skip or len(text) > 250 or text.endswith(":"):
        return False
    if not 4 <= item.words <= 30 or not any(c.isalpha() for c in text):
        return False
    if text[-1] == "." and not ABBREVIATED.search(text) and not headline_sentences(text):
        return False
    if item.tags or item.credit_end or (len(text) > 90 and _is_dateline(text)):
        return False
    if item.words <= 6 and _TIME_LABEL.search(text):
        return False  # "ECONOMY | Today 16:21": a section and a time
    return not (k + 1 < len(zone) and zone[k + 1].text.startswith(text) and zone[k + 1].credit)


def _short_title(text: str) -> bool:
    """A line that reads as a title: short, one line, not a sentence."""
    s = text.strip()
    return 0 < len(s) <= 160 and (not s.endswith(".") or s.endswith("...")
                                  or bool(ABBREVIATED.search(s)))


def _nav_like(item: Line) -> bool:
    return item.nav


def _furnished(lines: list[Line]) -> bool:
    """Whether a page carries furniture: a chrome line, a credit, or a menu (two
    short label lines in a row)."""
    run, block = 0, -1
    for item in lines:
        if _skippable(item):
            return True
        run = run + 1 if _nav_like(item) and (run == 0 or item.block == block) else 0
        block = item.block
        if run >= 2:
            return True
    return False


def _standfirst(head: list[Line], title_at: int | None, title_end: int | None,
                body_at: int) -> list[str]:
    """Lines above the body that are neither the headline, furniture, meta,
    captions nor menu: the standfirst (kept as the body's first paragraph). On a
    page without furniture (a note, a clean clipping) every such line is kept,
    short headings too."""
    end = min(body_at, len(head))
    clean = not _furnished(head[:end])
    out: list[str] = []
    for k in range(end):
        item = head[k]
        if title_at is not None and title_at <= k <= (title_end or title_at):
            continue
        if _skippable(item) or item.meta or _is_caption(item, head, k):
            continue
        after_title = title_at is not None and k > title_at
        if clean or (after_title and not item.nav and item.words >= 5):
            out.append(item.text)
    return out


def _settle_day_and_month(when: date, items: list[Line], body_at: int) -> date:
    """A numeric date read day-first (05/12/2025) becomes month-first when the
    page's dateline or first paragraph says the other reading ("Taipei, May 12")."""
    try:
        swapped = date(when.year, when.day, when.month)
    except ValueError:
        return when
    near = " ".join(i.text[:200] for i in items[body_at:body_at + 2])
    months = ("January February March April May June July August September October "
              "November December").split()
    for candidate, other in ((swapped, when), (when, swapped)):
        name = months[candidate.month - 1]
        spelled = rf"\b{name[:3]}\w*\.?\s+0?{candidate.day}\b|\b0?{candidate.day}\s+{name[:3]}"
        other_name = months[other.month - 1]
        other_spelled = rf"\b{other_name[:3]}\w*\.?\s+0?{other.day}\b"
        if re.search(spelled, near, re.I) and not re.search(other_spelled, near, re.I):
            return candidate
    return when
