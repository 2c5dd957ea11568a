"""Entities the gazetteer does not list, found by the way news names them.

People: a title before a name ("CEO Elon Musk", "analyst Seiji Sugiura") or an
appositive after it ("Seiji Sugiura, a senior analyst at …"); once a full name is
known, later surname-only mentions in the same article count too.
Companies: "automaker X", "firm X", "X Motor Corporation (XMC)", "X Co.", "X, the
company that …". These are marked discovered: likely, not certain.

This runs on every article, so each rule starts from its cue (a title, a role
word, a company suffix) as the word scanner found it and reads the name next to
it; nothing is tried at every capitalised word. The rules are defined here, in
Python; the loops of the people rule and of the role and suffix rules also exist
compiled (`_people.c`, `_companies.c`), which take their word sets and regexes
from here and are held equal to these by property tests.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

_W = r"[A-Z][a-zà-öø-ÿ’'\-]+"  # a capitalised name word
_PARTICLE = r"(?:de|van|von|da|del|bin|al)[ ]"
_NAME = rf"{_W}(?:[ ](?:{_PARTICLE})?{_W}){{1,2}}"
_ORG_WORD = r"[A-Z][\w’'&\-]*"
_TITLES = (
    r"CEO|CFO|CTO|COO|(?i:chief executive(?: officer)?|chief (?:financial|technology|operating|"
    r"executive|economist|analyst|strategist)(?: officer)?|chairman|chairwoman|chairperson|"
    r"president|vice[- ]president|founder|co-founder|(?:senior |chief |lead )?analyst|economist|"
    r"(?:managing )?director|head|minister|secretary|spokesperson|spokesman|spokeswoman|"
    r"professor|researcher|governor|senator|boss)"
)
_TITLE_THEN_NAME = re.compile(rf"(?<!\w)(?:{_TITLES})[ ](?P<name>{_NAME})(?!\w)")
_APPOSITIVE = re.compile(
    rf",[ ](?:(?:a|an|the|its|their)[ ])?(?:[\w\-]+[ ]){{0,3}}?(?:{_TITLES}|who[ ](?:heads|leads|runs|founded|chairs))(?!\w)"
)
_NAME_AT_END = re.compile(rf"(?<![\w’'])(?P<name>{_NAME})$")
_ROLE_THEN_NAME = re.compile(
    r"(?<!\w)(?:automaker|carmaker|car maker|automobile maker|vehicle maker|EV maker|"
    r"EV start-?up|start-?up|firm|supplier|battery maker|cell maker|chipmaker|chip maker|"
    r"manufacturer|company|conglomerate|miner|refiner|developer|operator)[ ]"
    rf"(?P<name>{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,2}})"
)
_SUFFIX = re.compile(
    r"(?<=[ ])(?:Motor Corporation|Motor Company|Motor Co\.|Motors|Motor|Automotive|Group|"
    r"Holdings|Corporation|Corp\.|Co\.|Inc\.|Ltd\.?|Limited|Technologies|Industries|Mobility|"
    r"Batteries|Materials|Minerals|Mining|Lithium|AG|SE|GmbH|LLC|plc)(?![\w.])"
)
_HEAD_AT_END = re.compile(rf"(?<![\w’'.])(?P<head>{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,2}})[ ]$")
_THE_COMPANY = re.compile(
    r",[ ]the[ ](?:company|firm|group|start-?up|automaker|carmaker|supplier)[ ](?:that|which|behind)(?!\w)"
)
_HEAD_BEFORE_COMMA = re.compile(rf"(?<![\w’'.])(?P<head>{_ORG_WORD}(?:[ ]{_ORG_WORD}){{0,2}})$")
_ABBR_AFTER = re.compile(r"[ ]?\(([A-Z]{2,6})\)")
_STOPWORDS = frozenset(
    "The A An This That These Those Its It He She They We Our Their His Her In On At For "
    "With From By As And But Or Of To If When While After Before Since Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Chinese Japanese Korean American European "
    "German Global North South East West Both Some Many Most Other Such Startup Start-up "
    "Automaker Carmaker Firm Supplier Company Maker Manufacturer Rival Partner".split()
)
_ORG_WORDS = frozenset(
    "New Group Motor Motors Company Corporation Inc Ltd Co Electric Auto Energy Technology "
    "Technologies Holdings Research Institute University Network News Team Editorial Staff "
    "Desk Reporters Government Ministry Minister Officer Executive Bank Capital".split()
)


_NOT_NAME_WORDS = _STOPWORDS | _ORG_WORDS


def _valid_person(name: str) -> bool:
    return _NOT_NAME_WORDS.isdisjoint(name.split())


_NAME_RUN = re.compile(rf"{_W}(?:[ ](?:{_PARTICLE})?{_W})+")  # a look-behind here costs 10x
_TITLE_WORDS = frozenset(
    "ceo cfo cto coo chairman chairwoman chairperson president founder co-founder analyst "
    "economist director head minister secretary spokesperson spokesman spokeswoman professor "
    "researcher governor senator boss chief executive officer strategist".split()
)
_TITLE_PHRASES = frozenset({
    "chief executive", "chief executive officer", "vice president", "vice-president",
    "managing director", "prime minister", "senior analyst", "lead analyst", "chief economist",
    "chief analyst", "chief financial officer", "chief technology officer",
    "chief operating officer",
})


# Every title and title phrase ends in one of these, so a name with none of them
# just before it cannot be introduced by a title.
_TITLE_ENDS = _TITLE_WORDS | {"vice-president"}


def _is_title(words: list[str]) -> bool:
    """Whether the words just before a name end in a job title ("Tesla CEO", "analyst")."""
    if not words or words[-1].lower().strip(",") not in _TITLE_ENDS:
        return False  # every title and title phrase ends in one of these
    low = [w.lower().strip(",") for w in words[-3:]]
    if low[-1] in _TITLE_WORDS and low[-1] not in _NOT_FINAL:
        return True
    return " ".join(low[-2:]) in _TITLE_PHRASES or " ".join(low) in _TITLE_PHRASES


def find_people(text: str, cues: list[tuple[int, int]] | None = None
                ) -> list[tuple[int, int, str]]:
    """(start, end, full name) for people introduced with a title or appositive,
    then every later surname-only mention of them (see `_find_people_py`)."""
    return PEOPLE(text, cues)


def _find_people_py(text: str, cues: list[tuple[int, int]] | None = None
                    ) -> list[tuple[int, int, str]]:
    """The people rule in Python; `_people.c` is its compiled twin."""
    return list(_people_iter(text, cues))


def _people_iter(text: str, cues: list[tuple[int, int]] | None
                 ) -> Iterator[tuple[int, int, str]]:
    """The people found, in order: named runs first, then surname-only mentions.

    `cues` are the word scanner's (offset, code) for `CUES`; with them a name run
    is read only when a TITLE word stands within 40 characters before it or inside
    it, or an appositive follows it. Without them every run is read (same result).
    """
    titles = None if cues is None else [p for p, c in cues if c & TITLE]
    found: dict[str, int] = {}
    for run_start, run_end in NAME_RUNS(text, titles):
        if run_start and (text[run_start - 1].isalnum() or text[run_start - 1] in "’'"):
            continue
        comma = text.startswith(", ", run_end)
        appositive = comma and (titles is None or _may_be_appositive(text, titles, run_end)) \
            and _APPOSITIVE.match(text, run_end) is not None
        if titles is not None and not appositive and not _any_within(
                titles, run_start - 40, run_end):
            continue  # no title can be near, and no appositive follows
        words = text[run_start:run_end].split(" ")
        before = _words_before(text, run_start)
        # Most runs are company or place names: a name needs a title word just before
        # it (or before one of its later words) or an appositive after it.
        if not comma and not any(
                w.lower().strip(",") in _TITLE_ENDS for w in (*before[-1:], *words[:-2])):
            continue
        # A run may begin with a title ("Chief Executive Mary Barra"): try each start.
        for k in range(len(words) - 1):
            name_words = words[k:k + 3]
            if not _is_title(before + words[:k]):
                if k == 0 and len(name_words) >= 2 and appositive and len(words) <= 3:
                    name_words = words
                else:
                    continue
            name = " ".join(name_words)
            if not _valid_person(name):
                continue
            start = run_start + len(" ".join(words[:k])) + (1 if k else 0)
            found.setdefault(name, start)
            yield start, start + len(name), name
            break
    for full, first in found.items():
        surname = full.rsplit(" ", 1)[-1]
        if len(surname) < 4:
            continue
        for start, end in _word_occurrences(text, surname):
            if start > first and text[max(0, end - len(full)):end] != full:
                yield start, end, full


_APPOSITIVE_CHARS = re.compile(r"[\w\- ]*")
_READ_AS_I_OR_S = re.compile("[\u0130\u0131\u017f]")


def _may_be_appositive(text: str, titles: list[int], at: int) -> bool:
    """Whether `_APPOSITIVE` could match at `at`, where ", " stands; it is slow (its
    title alternatives are tried after each of up to four words). Everything it
    reads after ", " is word characters, hyphens and spaces, and it ends in a title,
    which holds a TITLE cue word, or reads "who ". İ, ı and ſ match i and s under
    re.I but do not fold to them, so their presence says maybe."""
    reach = _APPOSITIVE_CHARS.match(text, at + 2)  # never None: the pattern may be empty
    end = reach.end() if reach is not None else at + 2
    return (_any_within(titles, at + 2, end) or "who " in text[at + 2:end]
            or _READ_AS_I_OR_S.search(text, at + 2, end) is not None)


def _words_before(text: str, start: int) -> list[str]:
    """The whole words in the 40 characters before `start` (a word cut by the window
    is left out: its tail is not a word of the text)."""
    lo = max(0, start - 40)
    words = text[lo:start].split()
    if lo and words and not text[lo - 1].isspace() and not text[lo].isspace():
        words = words[1:]
    return words


def _any_within(positions: list[int], lo: int, hi: int) -> bool:
    """Whether a sorted list has a value in [lo, hi)."""
    i = bisect.bisect_left(positions, lo)
    return i < len(positions) and positions[i] < hi


def _name_runs_py(text: str, titles: list[int] | None) -> list[tuple[int, int]]:
    """Spans of `_NAME_RUN` matches; with sorted title positions, only those with a
    title within 40 characters before or inside them, or followed by ", "."""
    return [m.span() for m in _NAME_RUN.finditer(text)
            if titles is None or _any_within(titles, m.start() - 40, m.end())
            or text.startswith(", ", m.end())]


def _pick_name_runs() -> Callable[[str, list[int] | None], list[tuple[int, int]]]:
    try:
        from evreader.extract._scan import name_runs
    except ImportError:  # no C compiler at install time: same results, slower
        return _name_runs_py
    return name_runs


NAME_RUNS = _pick_name_runs()
_NOT_FINAL = frozenset(("head", "officer", "executive"))  # title words that need a phrase


# Cue words, case-folded, as bit flags: the first word of each role and suffix
# alternative above, and every word a title can end in. The word scanner reports
# where they occur, so the regexes run only there.
ROLE, SUFFIX, TITLE = 1, 2, 4
_ROLE_CUES = ("automaker carmaker car automobile vehicle ev start startup firm supplier battery "
              "cell chipmaker chip manufacturer company conglomerate miner refiner developer "
              "operator").split()
_SUFFIX_CUES = ("motor motors automotive group holdings corporation corp co inc ltd limited "
                "technologies industries mobility batteries materials minerals mining lithium "
                "ag se gmbh llc plc").split()
_TITLE_CUES = sorted({w for t in _TITLE_ENDS for w in t.split("-")})
CUES: dict[str, int] = {
    w: (ROLE if w in _ROLE_CUES else 0) | (SUFFIX if w in _SUFFIX_CUES else 0)
    | (TITLE if w in _TITLE_CUES else 0)
    for w in {*_ROLE_CUES, *_SUFFIX_CUES, *_TITLE_CUES}
}


def _at_cues(pattern: re.Pattern[str], text: str, where: list[int] | None
             ) -> Iterator[re.Match[str]]:
    """`pattern.finditer(text)`, trying only the given word starts when known."""
    if where is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for pos in where:
        if pos < end:
            continue
        m = pattern.match(text, pos)
        if m is not None:
            end = max(m.end(), pos + 1)
            yield m


def _word_occurrences(text: str, word: str) -> Iterator[tuple[int, int]]:
    """Where `word` stands as a whole word, like finditer of (?<!\\w)word(?!\\w), but
    with str.find: a look-behind first defeats the regex engine's literal search."""
    pos = text.find(word)
    while pos != -1:
        end = pos + len(word)
        if ((pos == 0 or not _is_word_char(text[pos - 1]))
                and (end == len(text) or not _is_word_char(text[end]))):
            yield pos, end
            pos = text.find(word, end)
        else:
            pos = text.find(word, pos + 1)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def find_companies(text: str, cues: list[tuple[int, int]] | None = None
                   ) -> list[tuple[int, int, str]]:
    """(start, end, name) for likely company names not drawn from the gazetteer.

    `cues` are (offset, ROLE or SUFFIX) of cue words, as the word scanner gives
    them for `CUES`; without them the whole text is searched (same result).
    """
    found = (COMPANIES(text, cues) if cues is not None and COMPANIES is not None
             else list(_by_role_and_suffix(text, cues)))
    found.extend(_before_the_company(text))
    return found


def _find_companies_py(text: str, cues: list[tuple[int, int]] | None = None
                       ) -> list[tuple[int, int, str]]:
    """find_companies without the compiled rules (`_companies.c` is their twin)."""
    return [*_by_role_and_suffix(text, cues), *_before_the_company(text)]


def _by_role_and_suffix(text: str, cues: list[tuple[int, int]] | None
                        ) -> Iterator[tuple[int, int, str]]:
    """"automaker X", then "X Motor Corporation (XMC)" and later "XMC"."""
    roles = None if cues is None else [p for p, c in cues if c & ROLE]
    suffixes = None if cues is None else [p for p, c in cues if c & SUFFIX]
    for m in _at_cues(_ROLE_THEN_NAME, text, roles):
        name = _trim(m.group("name"))
        if name:
            yield m.start("name"), m.start("name") + len(name), name
    for m in _at_cues(_SUFFIX, text, suffixes):
        head = _HEAD_AT_END.search(text, max(0, m.start() - 60), m.start())
        if head is None:
            continue
        words = head.group("head").split(" ")
        while words and words[0] in _STOPWORDS:
            words = words[1:]
        if not words or any(w in _STOPWORDS for w in words):
            continue
        start = m.start() - 1 - len(" ".join(words))
        end = m.end()
        while (nxt := _SUFFIX.match(text, end + 1)) is not None and text[end:end + 1] == " ":
            end = nxt.end()  # "Quillon Motor Corporation": take the whole suffix chain
        name = text[start:end]
        yield start, end, name
        abbr = _ABBR_AFTER.match(text, end)
        if abbr:  # "X Motor Corporation (XMC)": later "XMC" means the same company
            for later, later_end in _word_occurrences(text[abbr.end():], abbr.group(1)):
                yield abbr.end() + later, abbr.end() + later_end, name


def _before_the_company(text: str) -> Iterator[tuple[int, int, str]]:
    """"X, the company that …"."""
    if ", the " not in text:  # the pattern starts so: a plain substring test is ~10× faster
        return
    for m in _THE_COMPANY.finditer(text):
        head = _HEAD_BEFORE_COMMA.search(text, max(0, m.start() - 60), m.start())
        if head:
            name = _trim(head.group("head"))
            if name:
                yield head.start("head"), head.start("head") + len(name), name


def _trim(name: str) -> str:
    """Drop possessives and words that cannot be part of a company name."""
    words: list[str] = []
    for w in name.split(" "):
        base = w[:-2] if w.endswith(("’s", "'s")) else w
        if not base or base in _STOPWORDS:
            break
        words.append(base)
        if base != w:
            break  # a possessive ends the name
    return " ".join(words)


def _pick_people() -> Callable[[str, list[tuple[int, int]] | None], list[tuple[int, int, str]]]:
    try:
        from evreader.extract._people import people
    except ImportError:  # no C compiler at install time: same results, slower
        return _find_people_py
    rules = (_APPOSITIVE.match, frozenset(_TITLE_ENDS), _TITLE_WORDS, _TITLE_PHRASES,
             _NOT_FINAL, _NOT_NAME_WORDS, TITLE)

    def compiled(text: str, cues: list[tuple[int, int]] | None) -> list[tuple[int, int, str]]:
        return people(text, cues, rules, NAME_RUNS)  # NAME_RUNS as set now (tests swap it)
    return compiled


PEOPLE = _pick_people()


def _pick_companies() -> Callable[[str, list[tuple[int, int]]], list[tuple[int, int, str]]] | None:
    try:
        from evreader.extract._companies import companies
    except ImportError:  # no C compiler at install time: same results, slower
        return None
    rules = (_ROLE_THEN_NAME.match, _SUFFIX.match, _ABBR_AFTER.match, _STOPWORDS, ROLE, SUFFIX)

    def compiled(text: str, cues: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
        return companies(text, cues, rules)
    return compiled


COMPANIES = _pick_companies()
