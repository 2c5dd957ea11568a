"""People named in articles, found by the way news introduces them.

A job title before a name ("CEO Elon Musk", "analyst Seiji Sugiura") or an
appositive after it ("Seiji Sugiura, a senior analyst at …"); once a full name
is known, later surname-only mentions in the same article count too.

A name is a run of capitalised words (`_NAME_RUN`, one linear regex pass over
the field); a run is read further only when the scanner saw a title cue near
it or an appositive may follow it. Later surname mentions are found in one
pass for all names (`cues.whole_words`), so an article that introduces
thousands of people costs its length, not names × mentions.
"""

from __future__ import annotations

import re

from evreader.extract.cues import TITLE, CueHits, any_within, positions, whole_words
from evreader.extract.words import NOT_NAME_WORDS

_W = r"[A-Z][a-zà-öø-ÿ’'\-]+"  # a capitalised name word
_PARTICLE = r"(?:de|van|von|da|das|do|dos|del|della|der|den|di|du|bin|binti|al|el|la|le|y)[ ]"
_PARTICLES = frozenset("de van von da das do dos del della der den di du bin binti al el la le y"
                       .split())
_MAX_NAME_WORDS = 4  # not counting particles: "Andrés Manuel López Obrador"
# The first word's letters are possessive (`++`): what follows them must be a space,
# so giving letters back never helps a match, and not trying saves a quarter of
# this scan, which runs over every field (tests/core/test_people_run.py checks the
# two forms match alike). A look-behind here costs 10x.
_NAME_RUN = re.compile(rf"[A-Z][a-zà-öø-ÿ’'\-]++(?:[ ](?:{_PARTICLE})?{_W})+")
_TITLES = (
    r"CEO|CFO|CTO|COO|(?i:chief executive(?: officer)?|chief (?:financial|technology|operating|"
    r"executive|economist|analyst|strategist)(?: officer)?|chairman|chairwoman|chairperson|"
    r"president|vice[- ]president|founder|co-founder|(?:senior |chief |lead )?analyst|economist|"
    r"(?:managing )?director|head|minister|secretary|spokesperson|spokesman|spokeswoman|"
    r"professor|researcher|governor|senator|boss)"
)
_APPOSITIVE = re.compile(
    rf",[ ](?:(?:a|an|the|its|their)[ ])?(?:[\w\-]+[ ]){{0,3}}?(?:{_TITLES}|who[ ](?:heads|leads|runs|founded|chairs))(?!\w)"
)
_TITLE_WORDS = frozenset(
    "ceo cfo cto coo gm gov sen chairman chairwoman chairperson president founder co-founder analyst "
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
_NOT_FINAL = frozenset(("head", "officer", "executive"))  # title words that need a phrase
TITLE_CUES = sorted({w for t in _TITLE_ENDS for w in t.split("-")})
_READ_AS_I_OR_S = re.compile("[\u0130\u0131\u017f]")
_WINDOW = 40  # characters before a name in which its title must stand
_SURNAME_MIN = 4  # shorter surnames ("Li", "Ma") are too often other words


def find_people(text: str, cues: CueHits | None = None) -> list[tuple[int, int, str]]:
    """(start, end, full name) for people introduced with a title or appositive,
    then every later surname-only mention of them.

    `cues` are the word scanner's (offset, code) for the cue table; without them
    every run of the text is read (the same result, slower).
    """
    titles = positions(cues, TITLE)
    if titles == [] and "who " not in text and not _may_read_as_i_or_s(text):
        return []  # no title, no appositive: nobody is introduced
    found: dict[str, int] = {}  # full name -> where it was first introduced
    out: list[tuple[int, int, str]] = []
    near = 0  # runs come in order: the first title not too far before the run
    for m in _NAME_RUN.finditer(text):
        run_start, run_end = m.span()
        if titles is not None:
            while near < len(titles) and titles[near] < run_start - _WINDOW:
                near += 1
            if not (near < len(titles) and titles[near] < run_end) \
                    and not text.startswith(", ", run_end):
                continue  # no title near, no appositive after: most runs are names of things
        person = _introduced(text, run_start, run_end, titles)
        if person is not None:
            start, name = person
            found.setdefault(name, start)
            out.append((start, start + len(name), name))
    out.extend(_later_surnames(text, found))
    return out


def _introduced(text: str, run_start: int, run_end: int, titles: list[int] | None
                ) -> tuple[int, str] | None:
    """The person a name run introduces, as (start, name), if a title or an
    appositive does introduce one."""
    if run_start and (text[run_start - 1].isalnum() or text[run_start - 1] in "’'"):
        return None
    comma = text.startswith(", ", run_end)
    appositive = comma and (titles is None or _may_be_appositive(text, titles, run_end)) \
        and _APPOSITIVE.match(text, run_end) is not None
    if titles is not None and not appositive and not any_within(
            titles, run_start - _WINDOW, run_end):
        return None  # no title can be near, and no appositive follows
    words = text[run_start:run_end].split(" ")
    before = _words_before(text, run_start)
    # Most runs are company or place names: a name needs a title word just before
    # it (or before one of its later words) or an appositive after it.
    near = [*before[-1:], *words[:-2]]
    if before[-1:] in (["of"], ["for"]):
        near += before[-2:-1]  # "Minister of | Industry Agus Gumiwang Kartasasmita"
    if not comma and not any(w.lower().strip(",.") in _TITLE_ENDS for w in near):
        return None
    # A run may begin with a title ("Chief Executive Mary Barra"): try each start.
    offset = run_start
    for k in range(len(words) - 1):
        if k:
            offset += len(words[k - 1]) + 1
        name_words = _name_from(words, k)
        if not _is_title(_last_three(before, words, k)):
            if k == 0 and len(name_words) >= 2 and appositive and len(words) <= 3:
                name_words = words
            else:
                continue
        name = " ".join(name_words)
        if NOT_NAME_WORDS.isdisjoint(name_words):
            return offset, name
    return None


def _name_from(words: list[str], k: int) -> list[str]:
    """The name that starts at words[k]: up to four words, particles aside
    ("Luiz Inácio Lula da Silva"), never ending on a particle."""
    out: list[str] = []
    count = 0
    for word in words[k:]:
        if word not in _PARTICLES:
            if count == _MAX_NAME_WORDS:
                break
            count += 1
        out.append(word)
    while out and out[-1] in _PARTICLES:
        out.pop()
    return out


def _last_three(before: list[str], words: list[str], k: int) -> list[str]:
    """The last three of `before + words[:k]`, without building the whole list."""
    tail = words[max(0, k - 3):k]
    need = 3 - len(tail)
    return (before[-need:] if need else []) + tail


def _is_title(words: list[str]) -> bool:
    """Whether the words just before a name end in a job title ("Tesla CEO", "analyst",
    "Gov.", "Minister of Industry")."""
    if len(words) >= 3 and words[-1][:1].isupper() and words[-2] in ("of", "for"):
        words = words[:-2]  # "Minister of Industry", "Secretary for Trade"
    if not words or words[-1].lower().strip(",.") not in _TITLE_ENDS:
        return False  # every title and title phrase ends in one of these
    low = [w.lower().strip(",.") for w in words[-3:]]
    if low[-1] in _TITLE_WORDS and low[-1] not in _NOT_FINAL:
        return True
    return " ".join(low[-2:]) in _TITLE_PHRASES or " ".join(low) in _TITLE_PHRASES


def _later_surnames(text: str, found: dict[str, int]) -> list[tuple[int, int, str]]:
    """Each later whole-word mention of a found person's surname, credited to the
    first person introduced before it with that surname (unless the mention is
    that person's full name again)."""
    by_surname: dict[str, list[tuple[int, str]]] = {}
    for full, first in found.items():  # in order of introduction
        surname = full.rsplit(" ", 1)[-1]
        if len(surname) >= _SURNAME_MIN:
            by_surname.setdefault(surname, []).append((first, full))
    out: list[tuple[int, int, str]] = []
    for surname, spans in whole_words(text, by_surname).items():
        for start, end in spans:
            for first, full in by_surname[surname]:
                if first >= start:
                    break  # introduced later: so are the rest
                if text[max(0, end - len(full)):end] != full:
                    out.append((start, end, full))
                    break
    return out


_APPOSITIVE_CHARS = re.compile(r"[\w\- ]*")


def _may_read_as_i_or_s(text: str) -> bool:
    return not text.isascii() and any(c in text for c in "\u0130\u0131\u017f")


def _may_be_appositive(text: str, titles: list[int], at: int) -> bool:
    """Whether `_APPOSITIVE` could match at `at`, where ", " stands; it is slow (its
    title alternatives are tried after each of up to four words). Everything it
    reads after ", " is word characters, hyphens and spaces, and it ends in a title,
    which holds a TITLE cue word, or reads "who ". İ, ı and ſ match i and s under
    re.I but do not fold to them, so their presence in that reach says maybe (looked
    for there only: a test of the whole text per comma made this quadratic)."""
    reach = _APPOSITIVE_CHARS.match(text, at + 2)  # never None: the pattern may be empty
    end = reach.end() if reach is not None else at + 2
    return (any_within(titles, at + 2, end) or "who " in text[at + 2:end]
            or _READ_AS_I_OR_S.search(text, at + 2, end) is not None)


def _words_before(text: str, start: int) -> list[str]:
    """The whole words in the 40 characters before `start` (a word cut by the window
    is left out: its tail is not a word of the text)."""
    lo = max(0, start - _WINDOW)
    words = text[lo:start].split()
    if lo and words and not text[lo - 1].isspace() and not text[lo].isspace():
        words = words[1:]
    return words
