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
  tagline is followed by its menu).
- **Date**: from date lines only (`dates.date_line`): a date mentioned in a
  sentence or a caption is never the publication date.
- **Authors**: "By …" lines, names beside a date, a name alone next to the date
  line, or a byline at the very end of the article.
- **Body**: the standfirst, then the paragraphs, without furniture, captions,
  credits and trailing lists of links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from evreader.ingest import debris, known
from evreader.ingest.bylines import byline_names, is_person_name, names_in
from evreader.ingest.dates import DateLine, date_line, without_dates

HEAD_LINES = 120  # lines read for the header zone, at most (some sites have long menus)
_PROSE_CHARS = 100  # a line this long is a paragraph, whatever its shape
_ABBREVIATED = re.compile(r"(?:\b(?:Co|Corp|Inc|Ltd|Bhd|Jr|Sr|St|Dr|Mr|Mrs|Ms|No|vs|U\.S|U\.K|"
                          r"E\.U|[A-Z])|\.\.)\.$")
_DATELINE = re.compile(
    r"^(?:(?P<place>[A-ZÀ-Þ][\w.'’À-ÿ-]*(?:[ /][A-ZÀ-Þ][\w.'’À-ÿ-]*){0,3})"
    r"(?:,\s+[A-Z][\w.'’-]*(?:\s+[A-Z0-9][\w.'’-]*){0,2})?\s*)?"
    r"(?P<source>(?:\([^()\n]{1,40}\)\s*){0,2})"
    r"(?P<dash>—|–|--|-|:)?\s+\S")
_TRAILING_BYLINE = re.compile(r"^(?:by|reporting\s+by)\s+", re.I)
_LIST_MARKER = re.compile(
    r"^(?:related(?:\s+\w+){0,2}|more\s+(?:on|from|in)\b.*|more\s+(?:news|stories|articles|"
    r"reading|to\s+read)|most\s+(?:read|popular|viewed)|"
    r"latest(?:\s+news)?|trending(?:\s+now)?|recommended(?:\s+for\s+you)?|read\s+more|"
    r"you\s+may\s+also\s+like|also\s+read|see\s+also|top\s+stories|popular)\s*:?$", re.I)


@dataclass(slots=True)
class PageParts:
    """What `read_page` found: everything may be missing but the body."""

    body: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    byline: str | None = None  # the header lines read as byline and date, verbatim
    publisher: str | None = None  # a news outlet's masthead at the top of the page


class _Line:
    """A non-empty line of the page and what it is, each answer worked out once and
    only when a rule asks: most lines are running text that only the first rules
    look at. (Plain attributes with None for "not yet": cached_property takes a
    lock on every read in Python 3.11, a third of this module's time.)"""

    __slots__ = ("_chrome", "_credit", "_credit_end", "_crumb", "_prose", "_tags", "_words",
                 "block", "date", "index", "names", "running", "text")

    def __init__(self, index: int, text: str, block: int) -> None:
        self.index = index  # in the lines given
        self.text = text
        self.block = block  # paragraph block (lines between blank lines)
        self.date: DateLine | None = None
        self.names: list[str] | None = None  # a byline's names
        # Running text: long and ending as a sentence does; no furniture rule applies.
        self.running = len(text) > 160 and text[-1] in ".!?\"”’"
        self._chrome: bool | None = None
        self._credit: bool | None = None
        self._crumb: bool | None = None
        self._tags: bool | None = None
        self._words: int | None = None
        self._prose: bool | None = None
        self._credit_end: bool | None = None

    @property
    def chrome(self) -> bool:
        if self._chrome is None:
            self._chrome = not self.running and debris.is_chrome(self.text)
        return self._chrome

    @chrome.setter
    def chrome(self, value: bool) -> None:
        self._chrome = value

    @property
    def credit(self) -> bool:
        if self._credit is None:
            self._credit = not self.running and debris.is_credit(self.text)
        return self._credit

    @property
    def crumb(self) -> bool:
        if self._crumb is None:
            self._crumb = not self.running and debris.is_breadcrumb(self.text)
        return self._crumb

    @property
    def tags(self) -> bool:
        if self._tags is None:
            self._tags = not self.running and _is_tag_list(self.text)
        return self._tags

    @property
    def words(self) -> int:
        if self._words is None:
            self._words = len(self.text.split())
        return self._words

    @property
    def prose(self) -> bool:
        if self._prose is None:
            self._prose = self.running or _is_prose(self.text)
        return self._prose

    @property
    def credit_end(self) -> bool:
        """It ends with a photo credit (a caption)."""
        if self._credit_end is None:
            self._credit_end = debris.has_credit_at_end(self.text)
        return self._credit_end

    @property
    def meta(self) -> bool:
        return self.date is not None or self.names is not None

    @property
    def skip(self) -> bool:
        """Furniture: chrome, a credit, a breadcrumb."""
        return not self.running and (self.chrome or self.credit or self.crumb)

    @property
    def nav(self) -> bool:
        """A menu item, a section label or a breadcrumb: short and not a sentence."""
        if self.running or self.meta:
            return False
        if self.crumb or self.tags:
            return True
        return not self.credit and self.words <= 3 and self.text[-1] not in ".!?" \
            and not self.text.startswith("The ")  # "The Yomiuri Shimbun" is a credit


def read_page(lines: list[str]) -> PageParts | None:
    """The article in a file's stripped lines ("" for a blank line)."""
    items = _items(lines)
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
            _classify(item)
    _names_beside_dates(head)
    body_at = _body_start(items, head)
    title_at = _title(head, body_at)
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
            authors.extend(n for n in item.names if n not in authors)
        if item.meta:
            bylines.append(item.text)
    if published is None and updated is not None:
        published = updated
        swappable = any(i.date is not None and i.date.swappable for i in head[:body_at])
    if published is not None and swappable:
        published = _settle_day_and_month(published, items, body_at)
    standfirst = _standfirst(head, title_at, body_at)
    body_items = items[body_at:]
    if not authors:
        authors, body_items = _trailing_byline(body_items)
    body = _body(standfirst, body_items, _furnished(head))
    title = head[title_at].text.lstrip("#").strip() if title_at is not None else None
    if not body and title is None:
        return None
    return PageParts(body, title or None, authors, published, "\n".join(bylines) or None,
                     _masthead(items[:3]))


def _masthead(top: list[_Line]) -> str | None:
    """The outlet a copied page's first lines name on their own ("Axios",
    "POLITICO"): the built-in gazetteer's news outlets, by any of their names."""
    outlets = known.media()
    for item in top:
        name = outlets.get(item.text.strip(" #|").lower())
        if name is not None:
            return name
    return None


def _items(lines: list[str]) -> list[_Line]:
    items: list[_Line] = []
    block = 0
    for i, line in enumerate(lines):
        if not line:
            block += 1
        else:
            items.append(_Line(i, line, block))
    return items


def _classify(item: _Line) -> None:
    text = item.text
    if len(text) <= 240:
        if not item.chrome or "by" in text.lower():
            item.date = date_line(text)
        names = byline_names(text)
        if names is not None:
            item.names = names
            item.chrome = False
        elif item.date is not None and item.date.rest:
            found = [n for part in _parts(text) for n in names_in(_undated(part))]
            item.names = found or None


def _parts(text: str) -> list[str]:
    return re.split(r"\s*(?:\||·|•|/(?!\w+\.)|\s[-–—]\s|\s{3,})\s*", text)


def _undated(text: str) -> str:
    text = re.sub(r"^\s*(?:posted|published|updated)\b.*?\bby\b", " ", text, flags=re.I)
    return without_dates(text)


def _names_beside_dates(head: list[_Line]) -> None:
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
        if _FOLLOW.match(head[j + 1].text):
            _name_line(head[j])


def _name_line(item: _Line) -> None:
    """Read `item` as a line that holds only a byline's names, if it is one."""
    if len(item.text) > 64 or item.names is not None or item.date is not None \
            or item.chrome or item.credit:
        return
    text = re.split(r"@|\s+with\s+(?=[A-Z])|\s*,\s*(?=[A-Za-z]+\s+(?:staff\s+)?"
                    r"(?:writer|reporter|editor|correspondent)\b)", item.text)[0].strip()
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


_NAME_PARTICLES = frozenset("de da do dos das van von der den del la le bin al di du y e".split())


def _is_prose(text: str) -> bool:
    """A paragraph of running text rather than a label, a headline or a menu (a
    headline may be sentences: "X has a body count. Here's who's left standing.")."""
    if len(text) < _PROSE_CHARS and text[-1:] == "." and _headline_sentences(text):
        return False
    if len(text) >= 2 * _PROSE_CHARS or (len(text) >= _PROSE_CHARS and text[-1] in ".!?”\"’)"):
        return True
    words = text.split()
    return len(words) >= 8 and text[-1] in ".!?”\"’)" and not _ABBREVIATED.search(text)


def _skippable(item: _Line) -> bool:
    return item.skip


def _body_start(items: list[_Line], head: list[_Line]) -> int:
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


def _is_caption(item: _Line, items: list[_Line], k: int) -> bool:
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


def _title(head: list[_Line], body_at: int) -> int | None:
    """Index in `head` of the headline, or None (see the module docstring)."""
    zone = head[:min(body_at, len(head))]
    candidates = [k for k, item in enumerate(zone) if _headline_shaped(item, zone, k)]
    for n, k in enumerate(candidates):
        # A label or a site's tagline: a menu (two menu lines, or a breadcrumb or tag
        # line) follows it before any byline or date line, and another headline-
        # shaped line comes later.
        if n + 1 < len(candidates):
            between = zone[k + 1:candidates[n + 1]]
            if _menu_follows(between) or (0 < len(between) <= 2 and all(i.nav for i in between)):
                continue  # "Buy Side from WSJ" / "Autos" / the headline
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


def _menu_follows(lines: list[_Line]) -> bool:
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


def _headline_shaped(item: _Line, zone: list[_Line], k: int) -> bool:
    text = item.text
    if item.meta or item.skip or len(text) > 250 or text.endswith(":"):
        return False
    if not 4 <= item.words <= 30 or not any(c.isalpha() for c in text):
        return False
    if text[-1] == "." and not _ABBREVIATED.search(text) and not _headline_sentences(text):
        return False
    if item.tags or item.credit_end or (len(text) > 90 and _is_dateline(text)):
        return False
    return not (k + 1 < len(zone) and zone[k + 1].text.startswith(text) and zone[k + 1].credit)


def _headline_sentences(text: str) -> bool:
    """A headline written as sentences ("Rivian Stock Is Falling. Why Its 2025
    Delivery Forecast Disappointed.", "X has a body count. Here's who's left."):
    short, and two sentences or Title Case."""
    words = text.split()
    if len(words) > 20:
        return False
    two = re.search(r"[.!?]\s+[\"“‘]?[A-Z]", text[:-1]) is not None
    capitals = sum(1 for w in words if w[:1].isupper()) / len(words)
    return two or capitals >= 0.75


def _is_tag_list(text: str) -> bool:
    """"Grid Scale, Technology, Americas", "Battery & Fuel Cell", "Advisor | Former cell
    lead | Energy transition": labels, not a headline."""
    words = text.split()
    bars = [i.strip() for i in text.split("|")]
    if len(bars) >= 3 and all(0 < len(i.split()) <= 4 for i in bars):
        return True
    if "&" in words and len(words) <= 5 and all(w[:1].isupper() or w == "&" for w in words):
        return True
    items = [i.strip() for i in text.split(",")]
    return len(items) >= 3 and all(
        0 < len(i.split()) <= 3 and all(w[:1].isupper() or w == "&" for w in i.split())
        for i in items)


def _short_title(text: str) -> bool:
    """A line that reads as a title: short, one line, not a sentence."""
    s = text.strip()
    return 0 < len(s) <= 160 and (not s.endswith(".") or s.endswith("...")
                                  or bool(_ABBREVIATED.search(s)))


def _nav_like(item: _Line) -> bool:
    return item.nav


def _furnished(lines: list[_Line]) -> bool:
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


def _standfirst(head: list[_Line], title_at: int | None, body_at: int) -> list[str]:
    """Lines above the body that are neither the headline, furniture, meta,
    captions nor menu: the standfirst (kept as the body's first paragraph). On a
    page without furniture (a note, a clean clipping) every such line is kept,
    short headings too."""
    end = min(body_at, len(head))
    clean = not _furnished(head[:end])
    out: list[str] = []
    for k in range(end):
        item = head[k]
        if k == title_at or _skippable(item) or item.meta or _is_caption(item, head, k):
            continue
        after_title = title_at is not None and k > title_at
        if clean or (after_title and not item.nav and item.words >= 5):
            out.append(item.text)
    return out


_EMAIL_LINE = re.compile(r"^\[?\S+@\S+\.\w+\]?$")
_TRAILING_CODE = re.compile(r"^(?:enditem|end|ends|\(?[a-z]{1,4}\)?)(?:/[\w-]+)*$", re.I)


def _trailing_byline(items: list[_Line]) -> tuple[list[str], list[_Line]]:
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


def _body(standfirst: list[str], items: list[_Line], furnished: bool) -> str:
    """The body paragraphs, without furniture, captions and trailing link lists."""
    items = _without_trailing_lists(items, furnished)
    paragraphs = list(standfirst)
    current: list[str] = []
    block = None
    images = any(debris.may_name_images(i.text) for i in items)
    for k, item in enumerate(items):
        text = item.text
        if not item.running and (item.chrome or item.credit or (
                len(text) < 300 and item.credit_end and _strong_caption(items, k))):
            continue
        if images:
            text = debris.strip_image_names(text)
            if not text:
                continue
        text = debris.strip_glued_credit(text)
        if block is not None and item.block != block and current:
            paragraphs.append(_join(current))
            current = []
        block = item.block
        current.append(text)
    if current:
        paragraphs.append(_join(current))
    return "\n\n".join(p for p in paragraphs if p)


def _strong_caption(items: list[_Line], k: int) -> bool:
    """A caption inside the body: ends with a credit and is not running text (it
    stands alone between blank lines or is short)."""
    text = items[k].text
    return len(text) < 200 or text.rstrip()[-1:] not in ".!?”\""


_AUTHOR_BIO = re.compile(
    r"^[A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){1,3}\s(?:is|was)\s(?:an?\s|the\s)?[\w ,&'’-]{0,60}?"
    r"\b(?:reporter|editor|correspondent|writer|columnist|journalist|contributor|producer|"
    r"analyst|chief|bureau\s+chief)\b.{0,120}$")


def _without_trailing_lists(items: list[_Line], furnished: bool) -> list[_Line]:
    """Drop a trailing "Related articles" / "Most Read" marker and the short lines
    after it, an author's bio ("Hans Greimel is Asia editor for …"), and, on a page
    with furniture, a trailing run of menu lines."""
    end = len(items)
    while end > 1 and len(items[end - 1].text) < 240 and _AUTHOR_BIO.match(items[end - 1].text):
        end -= 1
    for k in range(end - 1, max(-1, end - 40), -1):
        text = items[k].text
        if _LIST_MARKER.match(text) and all(not i.prose or len(i.text) < 140
                                            for i in items[k + 1:end]):
            end = k
        elif items[k].prose and len(text) >= 140:
            break
    if furnished:
        run = end
        while run > 1 and items[run - 1].nav and items[run - 1].words <= 3:
            run -= 1
        if end - run >= 2:
            end = run
    return items[:end]


def _join(lines: list[str]) -> str:
    """A paragraph's lines: hard-wrapped lines joined, list items and short lines
    (verse, addresses) kept on their own line."""
    if len(lines) == 1:
        return lines[0]
    out = [lines[0]]
    for line in lines[1:]:
        if line[:1] in "-*•#>|" or line[:2].rstrip(".)").isdigit() or len(out[-1]) < 40:
            out.append("\n" + line)
        else:
            out.append(" " + line)
    return "".join(out)


def _settle_day_and_month(when: date, items: list[_Line], body_at: int) -> date:
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
