"""Who wrote it: the people a byline or a credit line names.

Bylines come as "By Ann Lee and Bo Chen", "BY TOM KRISHER", "By: Kevin
Williams", "Ann Lee | Feb 27 2023", "By Carter Williams, KSL.com | Posted …",
"YUSUKE HINATA, Nikkei staff writer", "Lora Kolodny@in/lorakolodny", "Ines Lin,
Taipei; Jack Wu, DIGITIMES Asia", or a name alone on its line next to the date.
A name is two to five capitalised words (initials, hyphens, apostrophes and
particles such as "da" or "van" allowed) or the same in capitals; outlets,
desks and agencies ("The Associated Press", "TOI Business Desk", "KSL.com")
are not people.
"""

from __future__ import annotations

import re

from evreader.ingest import known
from evreader.ingest.dates import without_dates

_BY = re.compile(r"^\s*(?:(?:by|words\s+by|written\s+by|story\s+by|text\s+by|words|reporter|"
                 r"reported\s+by|report\s+by)\b\s*:?|(?:writer|author|authors)\s*:)\s*", re.I)
# Between the names of one byline, and between a name and what follows it.
_SEGMENTS = re.compile(r"\s*(?:\||·|•|;|/|@|\s[-–—]\s|\[|\(|\s{3,})\s*")
_NAMES = re.compile(r"\s*(?:,|\band\b|&)\s*", re.I)
_PARTICLES = frozenset("de da do dos das van von der den del della la le bin al di du y e".split())
# Words that make a capitalised phrase an outlet, a desk, a role or a section.
_NOT_PEOPLE = frozenset(
    "the staff desk team editor editors editorial reporter reporters correspondent writer "
    "news agency press wire service newsroom bureau contributor contributors analysis "
    "business markets tech technology autos auto cars electric energy world opinion sports "
    "home latest video live watch events data more sections menu share updated published "
    "posted comments read minutes min photo image credit source sources nikkei reuters "
    "bloomberg associated online digital media daily times post herald journal review "
    "magazine insights research group company inc ltd corp co motors asia font size text "
    "journalist senior images illustration illustrations policy author authors multiple "
    "follow copy url link sites global sales metals time office monde english sharing social "
    "information supplementary background summary introduction conclusion notice action "
    "contact contacts limited plc llc corporation holdings minerals mining resources "
    "announcement".split())
# Words that make an author field an outlet or a desk, not a person.
_OUTLET_WORDS = frozenset(
    "staff desk team editorial editors newsroom bureau agency press wire news reuters bloomberg "
    "ap afp xinhua yonhap bernama kyodo associated correspondents reporters".split())
_EMAIL = re.compile(r"\S+@\S+\.\w+")
# Words a name never holds; in capitals they tell "LISTEN TO ARTICLE" from "TOM KRISHER".
_FUNCTION_WORDS = frozenset(
    "a an the of to in on at for from with by as and or but is are was this that it its "
    "our your my we you he she they".split())


def names_in(text: str) -> list[str]:
    """The people a byline's text names, in order ("Ann Lee, KSL.com" gives Ann Lee)."""
    out: dict[str, None] = {}  # in order, each once (a field may list thousands)
    for segment in _SEGMENTS.split(text):
        for part in _NAMES.split(segment):
            name = " ".join(part.split()).strip(" .,:")
            if name and name not in out and is_person_name(name):
                out[name] = None
    return list(out)


def byline_names(line: str) -> list[str] | None:
    """The authors of a "By …" line, or None when `line` is not one ("By the end of
    the year, …" is a sentence; "By The Associated Press" a byline without people)."""
    line = line.replace("**", "").replace("__", "")  # "**Authors:** Ann Lee; Bo Chen"
    m = _BY.match(line)
    if m is None or len(line) > 150:
        return None
    rest = _TRAILING_WORDS.sub("", IN_PLACE.sub("", without_dates(line[m.end():])).strip())
    first = _TRAILING_WORDS.sub("", _SEGMENTS.split(rest.strip(), maxsplit=1)[0])
    names = names_in(first) or names_in(rest)
    if names:
        for more in rest.split(";")[1:]:  # "Ann Lee; Bo Chen": a list, one name a part
            more = _TRAILING_WORDS.sub("", more.strip())
            if len(more.split()) <= 8:
                names += [n for n in names_in(more) if n not in names]
        return names
    words = first.split()
    if len(words) > 5 or any(w[:1].islower() for w in words):
        return None
    return []


# Where a reporter files from: "Patricia Nilsson in Frankfurt and Peter Campbell in
# London", "Reporting by Rishav Chatterjee in Bengaluru; Editing by …".
IN_PLACE = re.compile(r"\s+in\s+[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?(?=\s+and\s|\s*[,;]|\s*$)")
_TRAILING_WORDS = re.compile(r"(?:\s+(?:on|at|in|from|with|\||-|–|—|,))+\s*$", re.I)


def is_person_name(text: str) -> bool:
    """Two to five words that read as a person's name (see the module docstring)."""
    text = _EMAIL.sub("", text).strip()
    if not 3 <= len(text) <= 48:
        return False
    words = text.split()
    if not 2 <= len(words) <= 5:
        return False
    if words[0] in _PARTICLES or words[-1] in _PARTICLES:
        return False
    if any(w.endswith(("'s", "’s")) for w in words):
        return False  # "Idemitsu Kosan's Chiba Complex"
    # Names are in capitals or not; "ABC South West WA", "EV Sales" mix the two.
    upper = [w.isupper() and len(w.strip(".")) > 1 for w in words]
    short = [len(w.strip(".")) <= 1 for w in words]
    if any(upper) and not all(u or s for u, s in zip(upper, short, strict=True)):
        return False
    if _known_thing(words):
        return False
    caps = 0
    for word in words:
        low = word.lower().strip(".")
        if word in _PARTICLES:
            continue
        if low in _NOT_PEOPLE or low in _FUNCTION_WORDS or not _name_word(word):
            return False
        caps += 1
    return 2 <= caps <= 4


def _known_thing(words: list[str]) -> bool:
    """A company, or a place ending the phrase ("Zeekr Australia", "New Delhi"): the
    gazetteer's own forms (see ingest.known)."""
    forms = known.things()
    text = " ".join(words).lower()
    return text in forms or words[-1].lower().strip(".,") in forms


def _name_word(word: str) -> bool:
    """A capitalised word of letters (apostrophes and hyphens inside), an initial
    ("J.", "Ma."), or the same in capitals."""
    if len(word) <= 4 and word.endswith(".") and word[:-1].isalpha():  # an initial
        return word[0].isupper()
    if not word[0].isupper():
        return False
    body = word.replace("-", "").replace("'", "").replace("’", "")
    return body.isalpha() and (word[1:].islower() or word.isupper()
                               or all(p[:1].isupper() for p in word.split("-")))


def author_names(text: str) -> list[str]:
    """The people a metadata author field names: "Nick Carey, Kevin Krolicki" is two;
    an outlet or a desk ("Reuters", "TOI Business Desk", "KSL.com") is nobody; a
    name this module cannot read as one (a single word, another script) stays whole."""
    text = re.sub(r"\s*\([^()]*\)", "", text)  # "Chen Lu (Bloomberg)": the outlet credited
    words = [w.lower().strip(".,()") for w in text.split()]
    if not words or any(w in _OUTLET_WORDS for w in words) or re.search(r"\w\.[a-z]{2,}", text):
        return []
    return names_in(text) or ([" ".join(text.split())] if len(words) <= 5 else [])
