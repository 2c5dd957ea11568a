"""Companies the gazetteer does not list, found by the way news names them.

"automaker X", "firm X", "X Motor Corporation (XMC)" and every later "XMC",
"X Co.", "X, the company that …". These are marked discovered: likely, not
certain. Each rule starts from a cue word the scanner found (a role, a company
suffix); later mentions of an abbreviation are found for all of an article's
abbreviations in one pass (`cues.whole_words`), so the rule stays linear in
the text however often it fires.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from evreader.extract.cues import ROLE, SUFFIX, CueHits, at_cues, positions, whole_words
from evreader.extract.words import STOPWORDS

_ORG_WORD = r"(?:[A-Z]|[a-z]{1,3}[A-Z])[\w’'&\-]*"
_ROLE_THEN_NAME = re.compile(
    r"(?<!\w)(?:automaker|carmaker|car maker|automobile maker|vehicle maker|EV maker|"
    r"truckmaker|truck maker|busmaker|bus maker|"
    r"EV start-?up|start-?up|firm|supplier|battery maker|cell maker|chipmaker|chip maker|"
    r"manufacturer|company|conglomerate|miner|refiner|developer|operator)[ ]"
    rf"(?P<name>{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,2}})"
)
_SUFFIX = re.compile(
    r"(?<=[ ])(?:Motor Corporation|Motor Company|Motor Co\.|Motors|Motor|Automotive|Group|"
    r"Holdings|Corporation|Corp\.|Co\.|Inc\.|Ltd\.?|Limited|Technologies|Industries|Mobility|"
    r"Association|"
    r"Batteries|Materials|Minerals|Mining|Lithium|AG|SE|GmbH|LLC|plc|PLC|Tbk|Bhd|Berhad|"
    r"S\.A\.|SA|SpA|S\.p\.A\.|N\.V\.|NV|AB|ASA|Oyj|JSC|Pty|Pte)(?![\w.])"
)
_HEAD_AT_END = re.compile(rf"(?<![\w’'.])(?P<head>{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,2}})[ ]$")
_THE_COMPANY = re.compile(
    r",[ ]the[ ](?:company|firm|group|start-?up|automaker|carmaker|supplier)[ ](?:that|which|behind)(?!\w)"
)
_HEAD_BEFORE_COMMA = re.compile(rf"(?<![\w’'.])(?P<head>{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,2}})$")
_ABBR_AFTER = re.compile(r"[ ]?\(([A-Z]{2,6})\)")
_HEAD_REACH = 60  # characters before a suffix in which the name's head is read
_NEXT_WORD = re.compile(r"[ ]([A-Z][\w’'&\-]*)")  # a capitalised word right after a name
# Words that carry a company's name on after its suffix; any other capitalised word
# there means the suffix was inside another kind of name (a show, an agency).
_ORG_TAIL = frozenset("Research Company Partners Systems Solutions Engineering Capital "
                      "Ventures Works Energy Power Enterprises".split())

# The first word of each role and suffix above, case-folded: the scanner's cues.
ROLE_CUES = ("automaker carmaker car automobile vehicle ev truckmaker truck busmaker bus start "
             "startup firm supplier battery "
             "cell chipmaker chip manufacturer company conglomerate miner refiner developer "
             "operator").split()
SUFFIX_CUES = ("motor motors automotive group holdings corporation corp co inc ltd limited "
               "technologies industries mobility association batteries materials minerals mining lithium "
               "ag se gmbh llc plc tbk bhd berhad s sa spa n nv ab asa oyj jsc pty pte").split()
# "X, a California battery maker …", "X, a unit of Y": the kinds of thing a company is.
_KIND_NOUNS = frozenset(
    "maker makers manufacturer producer supplier company firm startup start-up developer miner "
    "refiner recycler operator unit subsidiary division affiliate arm automaker carmaker "
    "conglomerate venture chipmaker group brand distributor retailer utility".split())
_PARENT_NOUNS = frozenset("unit subsidiary division affiliate arm".split())
_NOT_BETWEEN = frozenset("for of at in with from by to on who which that".split())
_APPOSITION = re.compile(r",[ ](?:a|an)[ ]")
_PARENT = re.compile(rf"[ ]of[ ](?:[A-Z][\w.’'-]*(?:’s|'s)[ ]|the[ ])?(?P<parent>{_ORG_WORD}"
                     rf"(?:[ ]{_ORG_WORD}){{0,3}})")


def find_companies(text: str, cues: CueHits | None = None) -> list[tuple[int, int, str]]:
    """(start, end, name) for likely company names not drawn from the gazetteer.

    `cues` are (offset, ROLE or SUFFIX) of cue words, as the word scanner gives
    them; without them the whole text is searched (same result).
    """
    return [*_by_role(text, cues), *_by_suffix(text, cues), *_before_the_company(text),
            *_by_apposition(text), *_trade_bodies(text)]


def _by_role(text: str, cues: CueHits | None) -> Iterator[tuple[int, int, str]]:
    """"automaker X"."""
    for m in at_cues(_ROLE_THEN_NAME, text, positions(cues, ROLE)):
        name = _trim(m.group("name"))
        if name:
            yield m.start("name"), m.start("name") + len(name), name


def _by_suffix(text: str, cues: CueHits | None) -> list[tuple[int, int, str]]:
    """"X Motor Corporation (XMC)", then every later "XMC" as the same company."""
    out: list[tuple[int, int, str]] = []
    first_owner: dict[str, tuple[int, str]] = {}  # abbr -> (where its mentions start, name)
    chain_end = -1
    for m in at_cues(_SUFFIX, text, positions(cues, SUFFIX)):
        if m.start() < chain_end:
            continue  # a later suffix of a chain already read ("Motors Group")
        head = _HEAD_AT_END.search(text, max(0, m.start() - _HEAD_REACH), m.start())
        if head is None:
            continue
        words = head.group("head").split(" ")
        while words and words[0] in STOPWORDS:
            words = words[1:]
        if not words or any(w in STOPWORDS for w in words):
            continue
        start = m.start() - 1 - len(" ".join(words))
        end = m.end()
        while (nxt := _SUFFIX.match(text, end + 1)) is not None and text[end:end + 1] == " ":
            end = nxt.end()  # "Quillon Motor Corporation": take the whole suffix chain
        while (tail := _NEXT_WORD.match(text, end)) is not None:
            if tail.group(1) not in _ORG_TAIL:
                break
            end = tail.end()  # "Schmidt Automotive Research", "L-H Battery Company"
            while (nxt := _SUFFIX.match(text, end + 1)) is not None and text[end] == " ":
                end = nxt.end()
        chain_end = end
        if tail is not None and tail.group(1) not in STOPWORDS:
            continue  # "the Brussels Motor Show", "Federal Motor Carrier Safety …"
        if text.startswith(" of ", end) and text[m.start():end].endswith("Association"):
            continue  # "National Association of …": a trade body's name goes on
        if _public_body(text, start, end):
            continue  # "the Ministry of Heavy Industries", "Heavy Industries Minister X"
        if _OF_CHAIN.search(text, max(0, start - _HEAD_REACH), start) is not None:
            continue  # "Federation of Thai Industries": the whole name is a trade body's
        name = text[start:end]
        out.append((start, end, name))
        abbr = _ABBR_AFTER.match(text, end)
        if abbr:
            first_owner.setdefault(abbr.group(1), (abbr.end(), name))
    if first_owner:
        # Every later mention of an abbreviation belongs to the company that
        # introduced it first; one pass finds them all.
        mentions = whole_words(text, first_owner, start=min(at for at, _ in first_owner.values()))
        for abbreviation, spans in mentions.items():
            at, owner = first_owner[abbreviation]
            out.extend((start, end, owner) for start, end in spans if start >= at)
    return out


# A body of government, named before "of" or with its officer after: not a company.
_GOVERNMENT_BEFORE = re.compile(
    r"(?:Ministry|Department|Dept\.|Secretary|Minister|Office|Bureau|Commission|Council|"
    r"Government)[ ]of[ ](?:the[ ])?$")
_GOVERNMENT_AFTER = re.compile(r"[ ](?:Minister|Ministry|Secretary|Department)(?!\w)")
# "<name> of (the) " reaching back to a trade body's noun: "Society of the Irish Motor".
_OF_CHAIN = re.compile(
    rf"(?:Association|Federation|Society|Chamber|Confederation)[ ]of[ ](?:the[ ])?"
    rf"(?:{_ORG_WORD}[ ]){{0,4}}(?:of[ ](?:the[ ])?(?:{_ORG_WORD}[ ]){{0,4}})?$")
# A trade body named "<noun> of <industry>": the Federation of Thai Industries, the
# National Association of Automobile Manufacturers of South Africa, the Chamber of
# Automotive Manufacturers of the Philippines Inc. An industry word must be in it, so
# the Association of Southeast Asian Nations or a Chamber of Commerce is not one.
_TRADE_BODY = re.compile(
    rf"(?:(?:{_ORG_WORD})[ ]){{0,2}}(?:Association|Federation|Society|Chamber|Confederation)"
    rf"[ ]of[ ](?:the[ ])?{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,4}}"
    rf"(?:[ ]of[ ](?:the[ ])?{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,3}})?")
_INDUSTRY_WORDS = frozenset(
    "manufacturers industry industries motor automobile automotive dealers producers "
    "importers vehicle vehicles traders makers".split())
_TRADE_NOUNS = ("Association of ", "Federation of ", "Society of ", "Chamber of ",
                "Confederation of ")


def _public_body(text: str, start: int, end: int) -> bool:
    return (_GOVERNMENT_BEFORE.search(text, max(0, start - 40), start) is not None
            or _GOVERNMENT_AFTER.match(text, end) is not None)


def _trade_bodies(text: str) -> Iterator[tuple[int, int, str]]:
    """"the Federation of Thai Industries": a trade body named after its industry."""
    for m in _trade_body_matches(text):
        words = m.group().split(" ")
        first = 0
        while words[first] in STOPWORDS or words[first] in ("The", "A", "An"):
            first += 1
        if not any(w.lower() in _INDUSTRY_WORDS for w in words):
            continue
        start = m.start() + len(" ".join(words[:first])) + (1 if first else 0)
        end = m.end()
        if (tail := _SUFFIX.match(text, end + 1)) is not None and text[end:end + 1] == " ":
            end = tail.end()  # "… of the Philippines Inc."
        yield start, end, text[start:end]


def _trade_body_matches(text: str) -> Iterator[re.Match[str]]:
    """`_TRADE_BODY.finditer(text)`, searched only from near each trade noun.

    Tried at every position, the pattern cost more than the rest of the company
    rules on a page that names one trade body. A match holds a noun ("Association
    of ") after at most two words joined by single spaces, so it starts after the
    third space before its noun: searching from there (or from the last match's
    end) finds the same leftmost match, and each stretch of text is searched once."""
    pos = 0
    nouns = [text.find(noun) for noun in _TRADE_NOUNS]  # each noun's next place, -1: none
    while (noun := _next_trade_noun(text, pos, nouns)) >= 0:
        space = noun - 1
        for _ in range(2):  # back over the two words a match may start with
            space = text.rfind(" ", 0, space) if space > 0 else -1
        m = _TRADE_BODY.search(text, max(pos, space + 1))
        if m is None:
            return
        yield m
        pos = m.end()


def _next_trade_noun(text: str, pos: int, nouns: list[int]) -> int:
    """Where the first trade noun ("Society of ") at or after `pos` starts, or -1.
    A substring search per noun (one regex over the page cost 2 % of a build);
    `nouns` keeps where each was found, so each is searched past only once."""
    first = -1
    for k, at in enumerate(nouns):
        if 0 <= at < pos:
            at = nouns[k] = text.find(_TRADE_NOUNS[k], pos)
        if at >= 0 and (first < 0 or at < first):
            first = at
    return first


def _before_the_company(text: str) -> Iterator[tuple[int, int, str]]:
    """"X, the company that …"."""
    if ", the " not in text:  # the pattern starts so: a plain substring test is ~10× faster
        return
    for m in _THE_COMPANY.finditer(text):
        head = _HEAD_BEFORE_COMMA.search(text, max(0, m.start() - _HEAD_REACH), m.start())
        if head:
            name = _trim(head.group("head"))
            if name:
                yield head.start("head"), head.start("head") + len(name), name


def _by_apposition(text: str) -> Iterator[tuple[int, int, str]]:
    """"X, a California battery maker …", "X, a subsidiary of Y": the name before
    the comma, and the parent after "unit of" / "subsidiary of"."""
    if ", a" not in text:  # the pattern starts so: a substring test first
        return
    for m in _APPOSITION.finditer(text):
        words = text[m.end():m.end() + 80].split(" ")[:5]
        kind = next((k for k, w in enumerate(words)
                     if w.strip(",.;").lower() in _KIND_NOUNS), None)
        if kind is None or any(w.lower() in _NOT_BETWEEN for w in words[:kind]):
            continue
        head = _HEAD_BEFORE_COMMA.search(text, max(0, m.start() - _HEAD_REACH), m.start())
        if head is not None:
            name = _trim(head.group("head"))
            if name:
                yield head.start("head"), head.start("head") + len(name), name
        if words[kind].strip(",.;").lower() in _PARENT_NOUNS:
            offset = m.end() + len(" ".join(words[:kind + 1]))
            parent = _PARENT.match(text, offset)
            if parent is not None:
                name = _trim(parent.group("parent"))
                if name:
                    yield parent.start("parent"), parent.start("parent") + len(name), name


def _trim(name: str) -> str:
    """Drop possessives and words that cannot be part of a company name."""
    words: list[str] = []
    for w in name.split(" "):
        base = w[:-2] if w.endswith(("’s", "'s")) else w
        if not base or base in STOPWORDS:
            break
        words.append(base)
        if base != w:
            break  # a possessive ends the name
    return " ".join(words)
