"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) → clean entries.

feedparser does the format work. Before it sees the bytes we remove any DOCTYPE
(with its internal subset), so entity-expansion bombs and external entities never
reach an XML parser; feedparser also disables external entities and expat limits
amplification — three layers. Entry HTML becomes plain text with paragraphs kept
and scripts/styles dropped.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from html.parser import HTMLParser
from typing import Any

from evreader.feeds.fastparse import fast_parse, first_date
from evreader.ingest.dates import date_of_value
from evreader.textsafe import clean_text, one_line

_DOCTYPE = re.compile(rb"<!DOCTYPE(?:[^\[>]|\[[\s\S]*?\])*>", re.IGNORECASE)
_ENTITY_DECL = re.compile(rb"<!ENTITY[\s\S]*?>", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    guid: str  # the feed's id for the entry, else its link, else a content hash
    title: str
    link: str | None
    published: date | None
    authors: tuple[str, ...]
    text: str
    source: str | None = None  # the outlet an aggregator credits (<source>, Google News)

    def key(self) -> str:
        """A short stable key for de-duplication and file names."""
        return hashlib.sha256(self.guid.encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]
    problem: str | None = None  # set when nothing usable could be read


def defang(data: bytes) -> bytes:
    """The document without DOCTYPE declarations or entity definitions."""
    head, tail = data[:65536], data[65536:]
    head = _DOCTYPE.sub(b"", head)
    head = _ENTITY_DECL.sub(b"", head)
    return head + tail


def parse_feed(data: bytes, *, base_url: str = "") -> ParsedFeed:
    """Entries of a feed document; `problem` says why when there are none."""
    if not data.strip():
        return ParsedFeed("", [], "empty document")
    if data.lstrip()[:1] == b"{":
        return _parse_json_feed(data)
    data = defang(data)
    fast = fast_parse(data, _make)
    if fast is not None and (fast.entries or fast.title):
        return fast
    try:
        import feedparser  # only for the feeds the fast reader leaves (see fastparse)
        parsed: Any = feedparser.parse(data, response_headers={
            "content-location": base_url} if base_url else None, sanitize_html=True,
            resolve_relative_uris=False)
    except Exception as exc:  # feedparser is defensive, but a feed must never crash us
        return ParsedFeed("", [], f"unparseable feed: {type(exc).__name__}")
    entries = [_entry(e) for e in parsed.get("entries", [])]
    entries = [e for e in entries if e.title or e.text]
    title = one_line(clean_text(str(parsed.get("feed", {}).get("title", "") or "")), 200)
    if not entries:
        if parsed.get("bozo"):
            reason = str(parsed.get("bozo_exception", "malformed"))[:200]
            return ParsedFeed(title, [], f"malformed feed: {one_line(reason)}")
        if not parsed.get("version"):
            return ParsedFeed(title, [], "not a feed (no RSS, Atom or JSON Feed found)")
    return ParsedFeed(title, entries)


def _parse_json_feed(data: bytes) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser 6 does not read."""
    import json
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return ParsedFeed("", [], f"malformed JSON Feed: {type(exc).__name__}")
    if not isinstance(doc, dict) or "jsonfeed.org" not in str(doc.get("version", "")):
        return ParsedFeed("", [], "not a feed (JSON without a jsonfeed.org version)")
    entries = []
    for item in doc.get("items") or ():
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
        entry = {
            "id": item.get("id"), "link": item.get("url") or item.get("external_url"),
            "title": item.get("title") or "",
            "content": [{"value": item.get("content_html") or _escape(item.get("content_text"))
                         or item.get("summary") or ""}],
            "authors": [a for a in authors if isinstance(a, dict)],
            "published": item.get("date_published") or item.get("date_modified"),
        }
        entries.append(_entry(entry))
    title = one_line(clean_text(str(doc.get("title") or "")), 200)
    return ParsedFeed(title, [e for e in entries if e.title or e.text])


def _escape(text: object) -> str:
    import html
    return html.escape(text) if isinstance(text, str) else ""


def _entry(e: Any) -> FeedEntry:
    """An entry of feedparser's output."""
    html = ""
    for content in e.get("content") or ():
        if content.get("value"):
            html = content["value"]
            break
    html = html or e.get("summary", "") or e.get("description", "") or ""
    authors: list[str] = []
    for a in e.get("authors") or ():
        name = a.get("name") if isinstance(a, dict) else None
        if isinstance(name, str):
            authors.append(name)
    if not any(a.strip() for a in authors) and isinstance(e.get("author"), str):
        authors = [e["author"]]
    return _make(guid=str(e.get("id") or ""), title_html=e.get("title", "") or "",
                 link=e.get("link") or "", html=html, authors=authors, when=_date(e),
                 source=_source(e))


def _source(e: Any) -> str | None:
    """The outlet an aggregator's entry credits: RSS `<source>` or Atom `source` title."""
    src = e.get("source")
    name = src.get("title") if isinstance(src, dict) else None
    return name if isinstance(name, str) else None


def _make(*, guid: str, title_html: str, link: str, html: str, authors: list[str],
          dates: list[str] | None = None, when: date | None = None,
          source: str | None = None) -> FeedEntry:
    """One entry from the fields either reader found (see `fastparse`): HTML made
    text, unsafe characters dropped, a link kept only when it is http(s), and an id
    even when the feed gives none (link, else a hash of title and text)."""
    text = clean_text(html_to_text(html))
    title = one_line(clean_text(html_to_text(title_html)), 300)
    url = link.strip() or None
    if url is not None and not url.startswith(("http://", "https://")):
        url = None
    guid = guid or url or hashlib.sha256(
        (title + "\0" + text).encode("utf-8", "surrogatepass")).hexdigest()
    names = [one_line(clean_text(a), 100) for a in authors if a and a.strip()]
    if dates is not None:
        when = first_date(dates, lambda v: date_of_value(v).when)
    outlet = one_line(clean_text(source), 100) or None if source else None
    if outlet and title.endswith(" - " + outlet):  # "Headline - Reuters" (aggregators)
        title = title[:-len(outlet) - 3].rstrip()
    return FeedEntry(guid, title, url, when, tuple(dict.fromkeys(names)), text.strip(), outlet)


def _date(e: Any) -> date | None:
    """The entry's date as its publisher wrote it: the raw value read in its own
    time zone (feedparser's *_parsed fields are moved to UTC, which turns a
    morning in Hanoi into the day before), the parsed fields as a fallback."""
    for key in ("published", "updated", "created"):
        value = e.get(key)
        if isinstance(value, str) and value.strip():
            found = date_of_value(value).when
            if found is not None:
                return found
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = e.get(key)
        if value:
            try:
                return date(int(value[0]), int(value[1]), int(value[2]))
            except (TypeError, ValueError):
                continue
    return None


class _TextExtractor(HTMLParser):
    """HTML → text: block elements become paragraph breaks; script/style vanish."""

    BLOCKS = frozenset("p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote pre tr table section "
                       "article header footer figure figcaption hr dd dt".split())
    SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n" if tag != "li" else "\n\n• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """HTML as plain text: paragraphs kept, markup and scripts dropped."""
    if "<" not in html and "&" not in html:
        return html
    raw = _simple_html_text(html)
    if raw is None:
        parser = _TextExtractor()
        try:
            parser.feed(html)
            parser.close()
        except Exception:  # html.parser is lenient; never let odd markup stop a feed
            return re.sub(r"<[^>]*>", " ", html)
        raw = "".join(parser.parts)
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(raw)]
    return "\n\n".join(p for p in paragraphs if p and p != "•")


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# A tag as html.parser reads one: a name, then attributes, quoted values may hold ">".
_TAG = re.compile(r"""<(/?)([a-zA-Z][^\t\n\r\f />\x00]*)(?:[^>"']+|"[^"]*"|'[^']*')*>""")
# What only html.parser handles the same way: skipped elements, comments and
# declarations, processing instructions, a "<" that may open a tag the regex missed.
_NOT_SIMPLE = re.compile(r"<[!?]|<(?:script|style|noscript|template|iframe|object|svg)\b"
                         r"|<[a-zA-Z/][^>]*$", re.IGNORECASE)


def _simple_html_text(html: str) -> str | None:
    """What `_TextExtractor` collects, by one regex pass: the same parts for markup
    without skipped elements, comments or loose "<" (most feed HTML); None for the
    rest. A third of the cost of a fill from feeds was html.parser's Python loop."""
    if _NOT_SIMPLE.search(html):
        return None
    parts: list[str] = []
    blocks = _TextExtractor.BLOCKS
    last = 0
    for m in _TAG.finditer(html):
        if m.start() > last:
            parts.append(html[last:m.start()])
        last = m.end()
        name = m.group(2).lower()
        if name in blocks:
            opens = name == "li" and not m.group(1)
            parts.append("\n\n• " if opens else "\n\n")
            if opens and m.group(0).endswith("/>"):  # <li/>: opened and closed
                parts.append("\n\n")
    parts.append(html[last:])
    text = "".join(parts)
    if "<" in text and re.search(r"<[a-zA-Z/!?]", text):
        return None  # a "<" html.parser might read as markup
    return unescape(text) if "&" in text else text
