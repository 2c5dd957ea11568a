"""Recognise the parts of a clipping that are not body text.

Page debris (breadcrumbs, "8 Min Read", share buttons, image file names, image
credits), titles, bylines, dates and trailing author names. All rules are general
patterns; none knows about particular files. Every regex here is linear-time on
long lines (a 5M-character line must not stall ingest).
"""

from __future__ import annotations

import re
from datetime import date

from evreader.textsafe import one_line

TITLE_LIMIT = 100

_BREADCRUMB = re.compile(r"^[^\S\n]*(?:[\w&.'’\- ]{1,40}?[^\S\n]*[>»›][^\S\n]*){1,8}[\w&.'’\- ]{1,40}$")
_DEBRIS_LINE = re.compile(
    r"^\s*(?:"
    r"\d{1,3}\s*(?:min|mins|minute|minutes)\.?\s+read"
    r"|share(?:\s+(?:this|the))?(?:\s+(?:article|story|post|page))?"
    r"|share\s+on\s+\w+|click\s+to\s+share|print(?:\s+this)?(?:\s+article)?|e-?mail"
    r"|advertisement|sponsored(?:\s+content)?|read\s+more|related\s+(?:articles?|stories)"
    r"|(?:image|photo|picture|graphic)s?\s*(?:source|credit|courtesy)s?\s*:.*"
    r"|(?:image|photo|picture)s?\s*:\s*\S.{0,80}"
    r")\s*$",
    re.IGNORECASE,
)
_IMAGE_NAME = re.compile(
    r"(?<![\w/.-])[\w-]{1,120}\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|avif)(?![\w.])", re.IGNORECASE
)

_IMAGE_HINT = re.compile(r"\.(?:png|jpe?g|gif|webp|svg|bmp|tiff?|avif)(?![\w.])", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = (
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
    re.compile(r"\b(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b"),
    # The lookahead is the month's first letter under the same re.I rules: it turns
    # most positions away in one test instead of twelve (2× faster on bylines).
    re.compile(r"(?=[jfmasond])" + _MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<y>(?:19|20)\d\d)\b", re.I),
)
_DATE_NEEDS = ("-", "/", "", "")  # a character each pattern above cannot match without
_DATE_STARTS_WITH_DIGIT = (True, True, False, True)
_DIGIT = re.compile(r"\d")  # the same digits as \d in the patterns (Unicode Nd)
_DATE_RULES = tuple(zip(_DATE_PATTERNS, _DATE_NEEDS, _DATE_STARTS_WITH_DIGIT, strict=True))
_WEEKDAY_PREFIX = re.compile(
    r"(?=[,\smtwfs])(?:,\s*)?\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?\s*$",
    re.I,
)
_TIME_OF_DAY = re.compile(r"[\d:.\s]*(?:[ap]\.?m\.?)?\s*[A-Z]{0,5}\)?", re.I)
_NAME_SEPARATOR = re.compile(r"\s*(?:,|\band\b|&|\|)\s*")
_NAME_WORD = r"[A-Z][a-zà-öø-ÿA-Z'’\-]*\.?"
_PARTICLE = r"(?:de|da|van|von|der|den|del|la|le|bin|al|di|du)"
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{1,3}}"
_NAME_ONLY = re.compile(rf"^{_NAME}$")
_BY_LINE = re.compile(r"^\s*(?:by|words\s+by|written\s+by)\s+(?P<names>.{3,160})$", re.I)
_TRAILING_WORD = re.compile(r"[A-Z][a-zà-öø-ÿ'’\-]+")
_SENTENCE_END = re.compile(r"[.!?…](?:[\"”’')\]]*)(?=\s+[\"“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    ["co", "corp", "inc", "ltd", "llc", "plc", "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gov", "sen", "rep", "gen", "lt", "col", "capt", "u.s", "u.k", "e.g", "i.e", "approx", "dept", "est", "fig"]
)


def is_debris(line: str) -> bool:
    """A whole line that is page furniture, not news text."""
    s = line.strip()
    if not s or len(s) > 200:
        return False
    if _DEBRIS_LINE.match(s):
        return True
    if ">" in s or "»" in s or "›" in s:
        return bool(_BREADCRUMB.match(s)) and len(s.split()) <= 12
    return bool(_IMAGE_NAME.fullmatch(s))


def may_name_images(text: str) -> bool:
    """False when `text` has no image file name anywhere (a whole-file shortcut)."""
    return "." in text and _IMAGE_HINT.search(text) is not None


def strip_image_names(text: str) -> str:
    """Remove stray image file names such as "s_225cf….png" left by scrapers."""
    if "." not in text or not _IMAGE_HINT.search(text):
        return text
    out = _IMAGE_NAME.sub("", text)
    if out is text or out == text:
        return text
    return re.sub(r"[^\S\n]{2,}", " ", out).strip()


def find_date(text: str) -> tuple[date, int, int] | None:
    """The first calendar date stated in `text`, with its span."""
    best: tuple[date, int, int] | None = None
    for pattern, needs, digit_first in _DATE_RULES:
        if needs and needs not in text:
            continue  # the pattern has this character literally: it cannot match
        if best is not None and digit_first and not _DIGIT.search(text, 0, best[1]):
            continue  # its match would start on a digit, and none comes before the best
        m = pattern.search(text)
        while m is not None:  # as finditer would go on: from the end of each match
            parsed = _to_date(m)
            if parsed is not None:
                if best is None or m.start() < best[1]:
                    best = (parsed, m.start(), m.end())
                break
            m = pattern.search(text, m.end())
    return best


def _to_date(m: re.Match[str]) -> date | None:
    try:
        year = int(m["y"])
        month = _MONTHS[m["mon"].lower().rstrip(".")] if "mon" in m.re.groupindex else int(m["m"])
        return date(year, month, int(m["d"]))
    except (KeyError, ValueError):
        return None


def parse_date(value: object) -> date | None:
    """A date from a metadata field (ISO string, RFC 822 string, or date)."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    found = find_date(value[:200])
    return found[0] if found else None


def is_name(text: str) -> bool:
    """Looks like a person's (or desk's) name: 2–4 capitalised words, no digits."""
    s = text.strip()
    return len(s) <= 48 and bool(_NAME_ONLY.match(s))


Byline = tuple[list[str], date | None] | None


def parse_byline(line: str) -> Byline:
    """Authors and date from a byline such as "By A and B" or "Zhou Zi Yi Sat, Mar 16 2024".

    None when the line is not a byline.
    """
    if len(line) > 160 and (_folded(line) or len(line.split(None, 80)) > 80):
        return None  # one_line would leave it over 160 characters: too long for a byline
    s = one_line(line)
    if not s or len(s) > 160:
        return None
    return _parse_folded(s)


def _parse_folded(s: str) -> Byline:
    """parse_byline for a line as one_line leaves it."""
    found = find_date(s)
    published = found[0] if found else None
    rest = s
    if found:
        rest = s[: found[1]]
        rest = _without_weekday(rest).strip(" ,|·-–—")
        tail = s[found[2]:].strip()
        # Whatever follows the date must be a time of day or zone, not prose.
        if tail and not _TIME_OF_DAY.fullmatch(tail):
            return None
    by = _BY_LINE.match(rest)
    if by:
        names = split_names(by.group("names"))
        return (names, published) if names else None
    if not rest:
        return ([], published) if published else None
    if is_name(rest):
        return [rest], published
    return None


def _without_weekday(rest: str) -> str:
    """`_WEEKDAY_PREFIX.sub("", rest)` for folded text (single spaces), looking at its
    last 20 characters only: a match ends the text and is at most 14 long there."""
    found = _WEEKDAY_PREFIX.search(rest, max(0, len(rest) - 20))
    return rest[:found.start()] if found else rest


def _folded(line: str) -> bool:
    """Whether one_line(line) == line, by cheap tests: no space at either end, no
    double space, and no other whitespace (every other whitespace character is
    non-printable). False may also mean "not sure"."""
    return (not line[0].isspace() and not line[-1].isspace() and "  " not in line
            and line.isprintable())


def split_names(text: str) -> list[str]:
    text = text.strip()
    if "," in text or "and" in text or "&" in text or "|" in text:
        parts = _NAME_SEPARATOR.split(text)
    else:  # no separator the pattern could match: one name (most bylines)
        parts = [text]
    return [p for p in (x.strip() for x in parts) if p and is_name(p)]


def trailing_author(line: str, *, after_sentence_only: bool) -> tuple[str, str] | None:
    """Split "…South Carolina. Nick Holt" into ("…South Carolina.", "Nick Holt").

    With `after_sentence_only`, the name must follow sentence punctuation; otherwise
    (when the file shows a byline-per-line pattern) a lowercase word may precede it.
    """
    words = line[-120:].split(" ")
    for count in (2, 3):
        if len(words) <= count:
            return None
        name_words = words[-count:]
        if not all(_TRAILING_WORD.fullmatch(w) for w in name_words):
            return None
        before = words[-count - 1]
        body = line[: len(line) - len(" ".join(name_words))].rstrip()
        if not before or not body:
            return None
        if before[-1] in ".!?”\"’)":
            return body, " ".join(name_words)
        if not after_sentence_only and before[:1].islower():
            return body, " ".join(name_words)
        if not before[:1].isupper():
            return None
    return None


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph (abbreviations such as "Co." do not end it)."""
    s = text.lstrip()
    for m in _SENTENCE_END.finditer(s, 0, min(len(s), 2000)):
        end = m.start()
        word = s[max(0, end - 12): end].split()[-1:] or [""]
        token = word[0].lower().strip("(\"“")
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        if re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
            continue  # U.S., e.g.
        return s[: m.end()].strip()
    return s[:2000].strip()


def derive_title(text: str) -> str:
    """A title from the first sentence, at most ~100 characters, cut on a word."""
    sentence = first_sentence(text).rstrip()
    if sentence.endswith(".") and not sentence.endswith(".."):
        sentence = sentence[:-1]
    return one_line(sentence, TITLE_LIMIT) or "(untitled)"


def looks_like_title(line: str) -> bool:
    """A short single line that reads as a headline rather than a paragraph."""
    s = line.strip()
    if not s or len(s) > 160 or "\n" in s:
        return False
    return not (s.endswith(".") and not s.endswith("..."))
