"""The lines of a copied page, and what each one is.

Reading a page asks the same questions of its lines again and again: is it running
text, a menu item, a credit, a breadcrumb, a list of tags? `Line` answers each once,
and only when a rule asks (most lines are running text that only the first rules
look at).
"""

from __future__ import annotations

import re

from evreader.ingest import debris
from evreader.ingest.dates import DateLine

PROSE_CHARS = 100  # a line this long is a paragraph, whatever its shape


# "(yet)", "(for now)", "(again)": an aside, not a credit ("(photo by …)", "(file photo)").
_ASIDE_AT_END = re.compile(
    r"\((?!(?:photo|image|file|pictured|courtesy|credit|supplied|pic)\b)[a-z]+(?: [a-z]+){0,2}\)$")
ABBREVIATED = re.compile(r"(?:\b(?:Co|Corp|Inc|Ltd|Bhd|Jr|Sr|St|Dr|Mr|Mrs|Ms|No|vs|U\.S|U\.K|"
                          r"E\.U|[A-Z])|\.\.)\.$")


class Line:
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
            self._tags = not self.running and is_tag_list(self.text)
        return self._tags

    @property
    def words(self) -> int:
        if self._words is None:
            self._words = len(self.text.split())
        return self._words

    @property
    def prose(self) -> bool:
        if self._prose is None:
            self._prose = self.running or is_prose(self.text)
        return self._prose

    @property
    def credit_end(self) -> bool:
        """It ends with a photo credit (a caption); a lower-case aside in brackets
        ("Why sodium-ion won't kill LFP (yet)") is none."""
        if self._credit_end is None:
            self._credit_end = debris.has_credit_at_end(self.text) \
                and _ASIDE_AT_END.search(self.text) is None
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


def lines_of(lines: list[str]) -> list[Line]:
    items: list[Line] = []
    block = 0
    for i, line in enumerate(lines):
        if not line:
            block += 1
        else:
            items.append(Line(i, line, block))
    return items


def is_prose(text: str) -> bool:
    """A paragraph of running text rather than a label, a headline or a menu (a
    headline may be sentences: "X has a body count. Here's who's left standing.")."""
    if len(text) < PROSE_CHARS and text[-1:] == "." and headline_sentences(text):
        return False
    if len(text) >= 2 * PROSE_CHARS or (len(text) >= PROSE_CHARS and text[-1] in ".!?”\"’)"):
        return True
    words = text.split()
    return len(words) >= 8 and text[-1] in ".!?”\"’)" and not ABBREVIATED.search(text)


def headline_sentences(text: str) -> bool:
    """A headline written as sentences ("Rivian Stock Is Falling. Why Its 2025
    Delivery Forecast Disappointed.", "X has a body count. Here's who's left."):
    short, and two sentences or Title Case."""
    words = text.split()
    if len(words) > 20:
        return False
    two = re.search(r"[.!?]\s+[\"“‘]?[A-Z]", text[:-1]) is not None
    capitals = sum(1 for w in words if w[:1].isupper()) / len(words)
    return two or capitals >= 0.75


def is_tag_list(text: str) -> bool:
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
