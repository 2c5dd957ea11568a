"""Entities the gazetteer does not list, found by the way news names them.

People: a title before a name ("CEO Elon Musk", "analyst Seiji Sugiura") or an
appositive after it ("Seiji Sugiura, a senior analyst at …"); once a full name is
known, later surname-only mentions in the same article count too.
Companies: "automaker X", "firm X", "X Motor Corporation (XMC)", "X Co.", "X, the
company that …". These are marked discovered: likely, not certain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_CAP = r"[A-Z][a-zà-öø-ÿ'’\-]+"
_PERSON = rf"(?P<name>{_CAP}(?:\s+(?:de|van|von|da|del|bin|al)\s+|\s+)(?:[A-Z]\.\s+)?{_CAP}(?:\s+{_CAP})?)"
_TITLES = (
    r"CEO|CFO|CTO|COO|chief executive(?: officer)?|chief (?:financial|technology|operating|"
    r"executive|economist|analyst|strategist)(?: officer)?|chairman|chairwoman|chairperson|"
    r"president|vice[- ]president|founder|co-founder|analyst|senior analyst|economist|director|"
    r"managing director|head|minister|prime minister|secretary|spokesperson|spokesman|"
    r"spokeswoman|executive|professor|researcher|engineer|governor|senator|chief|boss"
)
_TITLE_BEFORE = re.compile(rf"\b(?i:{_TITLES})\s+{_PERSON}\b")
_APPOSITIVE = re.compile(
    rf"{_PERSON},\s+(?:(?:a|an|the|its|their)\s+)?(?:[\w\-]+\s+){{0,3}}"
    rf"(?i:{_TITLES}|who\s+(?:heads|leads|runs|founded|chairs))\b"
)
_STOPWORDS = frozenset(
    ["The", "A", "An", "This", "That", "These", "Those", "Its", "It", "He", "She", "They", "We", "Our", "Their", "His", "Her", "In", "On", "At", "For", "With", "From", "By", "As", "And", "But", "Or", "Of", "To", "If", "When", "While", "After", "Before", "Since", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December", "Chinese", "Japanese", "Korean", "American", "European", "German", "Global", "North", "South", "East", "West", "Both", "Some", "Many", "Most", "Other", "Such"]
)
_ORG_WORDS = frozenset(
    ["New", "Group", "Motor", "Motors", "Company", "Corporation", "Inc", "Ltd", "Co", "Electric", "Auto", "Energy", "Technology", "Technologies", "Holdings", "Research", "Institute", "University", "Network", "News", "Team", "Editorial", "Staff", "Desk", "Reporters", "Government", "Ministry", "Minister", "Officer", "Executive", "Bank", "Capital"]
)
_NOT_NAMES = _STOPWORDS | _ORG_WORDS
_ROLE_WORDS = frozenset(
    ["startup", "start-up", "automaker", "carmaker", "firm", "supplier", "company", "maker", "manufacturer", "conglomerate", "miner", "refiner", "developer", "operator", "rival", "partner"]
)
_COMPANY_SUFFIX = (
    r"Motor Corporation|Motor Company|Motor Co\.|Motors|Motor|Automotive|Auto|Group|Holdings|"
    r"Corporation|Corp\.|Co\.|Inc\.|Ltd\.?|Limited|Technologies|Technology|Industries|"
    r"Electric|Energy|Mobility|Batteries|Battery|Materials|Minerals|Mining|Lithium|AG|SE|SA|GmbH|LLC|plc"
)
_ROLE_BEFORE = re.compile(
    r"\b(?:automaker|carmaker|car maker|automobile maker|vehicle maker|EV maker|EV start-?up|"
    r"start-?up|firm|supplier|battery maker|cell maker|chipmaker|chip maker|manufacturer|"
    r"company|conglomerate|miner|refiner|developer|operator)\s+"
    r"(?P<name>(?:[A-Z][\w\-’'&.]*[A-Za-z0-9])(?:\s+[A-Z][\w\-’'&.]*[A-Za-z0-9]){0,2})"
)
_WITH_SUFFIX = re.compile(
    rf"\b(?P<name>(?:[A-Z][\w\-&]*\s+){{1,3}}(?:{_COMPANY_SUFFIX}))(?=[\s,;:)’']|$)"
    r"(?:\s*\((?P<abbr>[A-Z]{2,6})\))?"
)
_THE_COMPANY = re.compile(
    r"\b(?P<name>[A-Z][\w\-&]*(?:\s+[A-Z][\w\-&]*){0,2}),\s+the\s+(?:company|firm|group|"
    r"start-?up|automaker|carmaker|supplier)\s+(?:that|which|behind)\b"
)


def find_people(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, full name) for people introduced with a title or appositive,
    then every later surname-only mention of them."""
    found: dict[str, tuple[int, int]] = {}
    spans: list[tuple[int, int, str]] = []
    for pattern in (_TITLE_BEFORE, _APPOSITIVE):
        for m in pattern.finditer(text):
            name = " ".join(m.group("name").split())
            words = name.split()
            if any(w in _NOT_NAMES for w in words) or len(name) > 40:
                continue
            start, end = m.start("name"), m.end("name")
            spans.append((start, end, name))
            found.setdefault(name, (start, end))
    yield from spans
    for name, (first_start, _) in found.items():
        surname = name.split()[-1]
        if len(surname) < 4:
            continue
        for m in re.finditer(rf"\b{re.escape(surname)}\b", text):
            if m.start() > first_start:
                yield m.start(), m.end(), name


def find_companies(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, name) for likely company names not drawn from the gazetteer."""
    for m in _ROLE_BEFORE.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            yield m.start("name"), m.start("name") + len(name), name
    for m in _WITH_SUFFIX.finditer(text):
        name = m.group("name")
        start = m.start("name")
        words = name.split()
        while len(words) > 2 and words[0].lower().rstrip("s") in _ROLE_WORDS:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if words[0] in _STOPWORDS or words[0].lower() in _ROLE_WORDS:
            continue
        name = text[start:m.end("name")]
        yield start, m.end("name"), name
        abbr = m.group("abbr")
        if abbr:  # "X Motor Corporation (XMC)": later "XMC" means the same company
            for later in re.finditer(rf"\b{abbr}\b", text[m.end():]):
                yield m.end() + later.start(), m.end() + later.end(), name
    for m in _THE_COMPANY.finditer(text):
        name = _trim_name(m.group("name"))
        if name:
            yield m.start("name"), m.start("name") + len(name), name


def _trim_name(name: str) -> str:
    """Drop possessives and words that cannot be part of a company name."""
    words = []
    for w in name.split():
        w = re.sub(r"[’']s$", "", w).rstrip(".,")
        if not w or w in _STOPWORDS:
            break
        words.append(w)
        if w != name.split()[len(words) - 1]:
            break  # a possessive ends the name
    return " ".join(words)
