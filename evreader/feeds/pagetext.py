"""An article page's HTML → its main text, title, authors and date.

The extractor is trafilatura (Apache-2.0): it is what web readers and corpus
builders use to find a page's main text among navigation, share bars, cookie
banners, related links and comments, it reads the page's metadata (JSON-LD,
OpenGraph, <meta>) for title, author and date, and it only parses — no script
ever runs. It is imported on first use, so importing evreader stays light.

Its cost grows with the number of elements, roughly linearly but steeply (about
2-3 s of CPU for 40,000 elements of tables or link lists on the project's
2-core machine; README, Full text), and it cannot be interrupted once started. So the
page is bounded before the parser sees it: script, style, svg, template,
iframe and comment blocks are cut out first with a linear scan (on news pages
they are most of the bytes; JSON-LD is kept, it carries author and date), then a
page with more than MAX_ELEMENTS elements or MAX_MARKUP characters of markup
left is refused with a reason instead of parsed.

Every string returned has been through evreader.textsafe.clean_text: a page is
written by a stranger, and its text is shown in a terminal.
"""

from __future__ import annotations

import codecs
import functools
import re
from datetime import date
from typing import Any, NamedTuple

from evreader.ingest.dates import date_of_value
from evreader.textsafe import clean_text, one_line

MAX_MARKUP = 1_500_000  # characters of markup left after the cut
MAX_ELEMENTS = 40_000  # about 1.5 s of extraction at worst on the reference machine
MAX_JSON_LD = 200_000  # one JSON-LD block larger than this is dropped, not parsed
MIN_CHARS = 250  # less main text than this is not an article


class PageText(NamedTuple):
    """What a page yields; `reason` says why there is no text."""

    text: str
    title: str = ""
    authors: tuple[str, ...] = ()
    published: date | None = None
    paywalled: bool = False  # the page marks its content as not free to read
    reason: str = ""


# ---------------------------------------------------------------- decoding

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""",
                           re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# As browsers do (WHATWG Encoding): these labels mean windows-1252, a page that
# declares UTF-16 in its own ASCII text is UTF-8.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "utf-16": "utf-8", "utf-16le": "utf-8",
            "utf-16be": "utf-8"}


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = _ALIASES.get(label.strip().lower(), label.strip().lower())
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, content_type: str = "") -> str:
    """The page as text: a byte-order mark, else the HTTP charset, else a <meta>
    charset in the first 4 kB, else UTF-8, else windows-1252; never fails."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace")
    header = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    declared: str | None = _codec(header[1] if header else None)
    if declared is None:
        meta = _META_CHARSET.search(data[:4096])
        declared = _codec(meta[1].decode("ascii") if meta else None)
    for codec in (declared, "utf-8"):
        if codec is not None:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                continue
    return data.decode(declared or "cp1252", "replace")


# ---------------------------------------------------------------- bounding

_CUT_OPEN = re.compile(r"<(script|style|noscript|template|svg|iframe|object|canvas|math)\b|<!--",
                       re.IGNORECASE)
_CLOSERS = {name: re.compile(rf"</{name}\s*>", re.IGNORECASE)
            for name in ("script", "style", "noscript", "template", "svg", "iframe", "object",
                         "canvas", "math")}
_ELEMENT = re.compile(r"<[A-Za-z]")
_NOT_FREE = re.compile(r"""["']isAccessibleForFree["']\s*:\s*["']?false""", re.IGNORECASE)
_LOCKED = re.compile(r"""<meta[^>]{0,200}?(?:content_tier|article:content_tier)[^>]{0,100}?"""
                     r"""content\s*=\s*["']?(?:locked|metered)""", re.IGNORECASE)


def cut_inert(html: str) -> str:
    """The markup without the blocks that hold no article text (scripts, styles,
    inline SVG, templates, frames, comments), JSON-LD kept. One left-to-right scan
    (an unclosed block ends the page), so hostile nesting cannot make it slow."""
    out: list[str] = []
    pos = 0
    while True:
        m = _CUT_OPEN.search(html, pos)
        if m is None:
            out.append(html[pos:])
            return "".join(out)
        out.append(html[pos:m.start()])
        name = (m.group(1) or "").lower()
        if not name:
            end = html.find("-->", m.end())
            if end < 0:
                return "".join(out)
            pos = end + 3
            continue
        close = _CLOSERS[name].search(html, m.end())
        if close is None:
            return "".join(out)
        if name == "script" and close.end() - m.start() <= MAX_JSON_LD:
            tag_end = html.find(">", m.end(), close.start())
            if tag_end >= 0 and "ld+json" in html[m.end():tag_end].lower():
                out.append(html[m.start():close.end()])
        pos = close.end()


_CONTROL_RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _char_ref(m: re.Match[str]) -> str:
    code = int(m[1], 16) if m[1] else int(m[2])
    if code in (9, 10, 13) or (32 <= code < 127) or (160 <= code <= 0x10FFFF
                                                      and not 0xD800 <= code <= 0xDFFF):
        return m[0]
    return ""


def defuse_controls(markup: str) -> str:
    """The markup without control characters, raw or as character references
    (`&#x1b;`). The terminal never sees them anyway (clean_text), but a single
    referenced control makes the extractor's XML stage drop the whole article."""
    markup = _CONTROL_RAW.sub("", markup)
    return _CHAR_REF.sub(_char_ref, markup) if "&#" in markup else markup


def count_elements(markup: str) -> int:
    return sum(1 for _ in _ELEMENT.finditer(markup))


# ---------------------------------------------------------------- extraction


def extract_page(data: bytes, *, url: str = "", content_type: str = "") -> PageText:
    """The main text and metadata of one HTML page. Never raises for what a page
    contains; a page with no article, or one too big to read safely, gets a reason."""
    html = decode_html(data, content_type)
    paywalled = bool(_NOT_FREE.search(html) or _LOCKED.search(html))
    markup = defuse_controls(cut_inert(html))
    if len(markup) > MAX_MARKUP:
        return PageText("", paywalled=paywalled, reason=(
            f"page too large to extract ({len(markup) / 1e6:.1f} MB of markup; "
            f"the limit is {MAX_MARKUP / 1e6:g} MB)"))
    elements = count_elements(markup)
    if elements > MAX_ELEMENTS:
        return PageText("", paywalled=paywalled, reason=(
            f"page too complex to extract ({elements:,} elements; the limit is "
            f"{MAX_ELEMENTS:,})"))
    try:
        doc = _trafilatura(markup, url)
    except ImportError:
        return PageText("", reason="full text needs the trafilatura package")
    except Exception as exc:  # an extractor bug must cost one article, not the reader
        return PageText("", paywalled=paywalled,
                        reason=f"could not extract the text ({type(exc).__name__})")
    if doc is None:
        return PageText("", paywalled=paywalled, reason="no article text found")
    title = one_line(clean_text(str(getattr(doc, "title", "") or "")), 300)
    text = tidy_text(str(getattr(doc, "text", "") or ""), title)
    authors = _authors(getattr(doc, "author", None))
    published = date_of_value(getattr(doc, "date", None)).when
    if len(text) < MIN_CHARS:
        return PageText("", title, authors, published, paywalled, "no article text found")
    return PageText(text, title, authors, published, paywalled)


@functools.cache
def _config() -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(MAX_MARKUP * 4))  # bytes of UTF-8, at most
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def _trafilatura(markup: str, url: str) -> Any:
    from trafilatura import bare_extraction

    return bare_extraction(
        markup, url=url or None, with_metadata=True, include_comments=False,
        include_tables=True, include_images=False, include_links=False,
        include_formatting=False, deduplicate=False, config=_config(),
        # The date the page states (JSON-LD, <meta>, <time>), not one guessed from
        # any date-looking text on the page.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )


def tidy_text(raw: str, title: str = "") -> str:
    """Extractor output as evreader stores article text: clean, one paragraph per
    block with a blank line between, whitespace runs folded, list items bulleted,
    and no opening line that only repeats the headline (some pages' <h1> is kept
    by the extractor, others' is not; the title is stored apart)."""
    paragraphs = []
    for line in clean_text(raw).split("\n"):
        flat = " ".join(line.split())
        if not flat:
            continue
        if flat.startswith("- "):
            flat = "• " + flat[2:]
        paragraphs.append(flat)
    if paragraphs and title and _is_headline(paragraphs[0], title):
        paragraphs.pop(0)
    return "\n\n".join(paragraphs)


def _is_headline(line: str, title: str) -> bool:
    """`line` is the title again, perhaps with a kicker ("Exclusive:") or a tail
    ("sources say"): short, unpunctuated at its end, and mostly the title's words."""
    if len(line) > 300 or line.endswith((".", "!", "?", '"', "”", ":")):
        return False
    a, b = set(re.findall(r"\w+", line.lower())), set(re.findall(r"\w+", title.lower()))
    shared = len(a & b)
    return min(len(a), len(b)) >= 3 and shared >= 0.8 * min(len(a), len(b)) \
        and shared >= 0.5 * max(len(a), len(b))


def _authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, str) or not value.strip():
        return ()
    names: list[str] = []
    for part in re.split(r";|\s+and\s+|\s*&\s*", value):
        name = one_line(clean_text(part), 100).strip(" ,")
        if name and name not in names:
            names.append(name)
    return tuple(names[:10])
