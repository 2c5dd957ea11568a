"""The query language of the search box and `--query`.

    company:nisan country:japan theme:batteries -company:tesla "exact phrase"
    source:reuters since:2024-01 until:2025-06 is:unread is:starred free words

Entity values are fuzzy-resolved to canonical names ('nisan' → Nissan), `source:`
values to publishers (see ingest.publisher); quote a value with spaces
(company:"hon hai"). Problems never raise: each becomes a short message naming the
part of the query it is about, and the rest of the query still applies.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date

from evreader.ingest.dates import parse_date
from evreader.models import Filters
from evreader.search import SearchEngine

KIND_ALIASES = {"company": "company", "co": "company", "country": "country", "c": "country",
                "theme": "theme", "t": "theme", "person": "person", "p": "person",
                "people": "person", "source": "source", "site": "source",
                "publisher": "source"}
FILTER_KEYS = ("company", "country", "theme", "person", "source", "since", "until", "is")
FLAGS = ("unread", "starred", "read")
_TOKEN = re.compile(r'(-?)(?:(\w+):)?(?:"([^"]*)"?|(\S+))')


@dataclass(slots=True)
class Query:
    """A parsed query, before entity names are resolved."""

    entities: list[tuple[str, str]] = field(default_factory=list)  # (kind, raw value)
    exclude: list[tuple[str, str]] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    not_words: list[str] = field(default_factory=list)
    since: date | None = None
    until: date | None = None
    flags: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


def parse_query(text: str) -> Query:
    q = Query()
    for m in _TOKEN.finditer(text):
        negate, key, quoted, bare = m.group(1), m.group(2), m.group(3), m.group(4)
        value = quoted if quoted is not None else (bare or "")
        token = m.group()
        if key is None:
            if quoted is not None:
                if value.strip():
                    q.phrases.append(value.strip())
                if not token.endswith('"') or len(token) < 2:
                    q.errors.append(f"{token}: the quote is not closed")
            elif value.endswith(":") and value[:-1].lower() in (*KIND_ALIASES, *FILTER_KEYS):
                q.errors.append(f"{value} needs a value, e.g. {_example(value[:-1])}")
            elif value and value != "-":
                (q.not_words if negate else q.words).append(value)
            continue
        key_l = key.lower()
        if not value:
            q.errors.append(f"{key}: needs a value, e.g. {_example(key_l)}")
        elif key_l in KIND_ALIASES:
            (q.exclude if negate else q.entities).append((KIND_ALIASES[key_l], value))
        elif key_l in ("since", "after", "from"):
            q.since = _date(value, start=True, errors=q.errors, key=key)
        elif key_l in ("until", "before", "to"):
            q.until = _date(value, start=False, errors=q.errors, key=key)
        elif key_l == "is":
            if value.lower() in FLAGS:
                q.flags.add(value.lower())
            else:
                q.errors.append(f"is:{value}: use is:unread, is:read or is:starred")
        else:
            # Not a filter we know ("http://x", "10:30"): keep it as words, but say so.
            q.words.append(token.lstrip("-"))
            if key_l not in ("http", "https") and not key_l.isdigit():
                q.errors.append(_unknown(key))
    if q.since and q.until and q.since > q.until:
        q.errors.append("since: is after until:")
    return q


def _unknown(key: str) -> str:
    """The message for `key:` that is no filter, with the filter it was likely meant to be."""
    close = difflib.get_close_matches(key.lower(), (*FILTER_KEYS, *KIND_ALIASES), n=1,
                                      cutoff=0.6)
    if close:
        return f"{key}: is not a filter (did you mean {close[0]}:?); searched as text"
    return (f"{key}: is not a filter; searched as text "
            f"(filters: {' '.join(k + ':' for k in FILTER_KEYS)})")


def _example(key: str) -> str:
    examples = {"company": "company:nissan", "country": "country:japan",
                "theme": "theme:batteries", "person": 'person:"mary barra"',
                "source": "source:reuters", "since": "since:2024-03", "until": "until:2025",
                "is": "is:unread"}
    return examples.get(KIND_ALIASES.get(key.lower(), key.lower()), "company:nissan")


def _date(value: str, *, start: bool, errors: list[str], key: str) -> date | None:
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return date(int(text), 1, 1) if start else date(int(text), 12, 31)
        if re.fullmatch(r"\d{4}-\d{1,2}", text):
            year, month = (int(x) for x in text.split("-"))
            if start:
                return date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date.fromordinal(nxt.toordinal() - 1)
    except ValueError:
        pass
    parsed = parse_date(text)
    if parsed is None:
        errors.append(f"{key}:{value}: use a date like 2024, 2024-03 or 2024-03-16")
    return parsed


def _resolve(engine: SearchEngine, kind: str, raw: str) -> list[str]:
    """Canonical names a filter value stands for: one entity, or the publishers."""
    if kind == "source":
        return engine.lookup_publishers(raw)
    matches = engine.lookup(raw, [kind], limit=1)
    return [matches[0].name] if matches and matches[0].score >= 75 else []


@dataclass(frozen=True, slots=True)
class Resolved:
    filters: Filters
    errors: tuple[str, ...]
    notes: tuple[str, ...]  # how values were read, e.g. "company:nisan → Nissan"


def resolve_query(text: str, engine: SearchEngine, base: Filters | None = None) -> Resolved:
    """Parse `text` and fuzzy-resolve its entity values onto `base` (the pane filters).

    Unknown values become errors; everything else still applies.
    """
    q = parse_query(text)
    errors = list(q.errors)
    notes: list[str] = []
    base = base or Filters()
    entities = list(base.entities)
    exclude = list(base.exclude)
    for target, items in ((entities, q.entities), (exclude, q.exclude)):
        for kind, raw in items:
            names = _resolve(engine, kind, raw)
            if not names:
                errors.append(f"no {kind} matches {raw!r}")
                continue
            if [n.lower() for n in names] != [raw.lower()]:
                notes.append(f"{kind}:{raw} → {' or '.join(names)}")
            target.extend(n for n in [(kind, name) for name in names] if n not in target)
    filters = replace(
        base, entities=tuple(entities), exclude=tuple(exclude), since=q.since or base.since,
        until=q.until or base.until, query=" ".join(q.words),
        phrases=(*base.phrases, *q.phrases), not_words=(*base.not_words, *q.not_words),
        flags=base.flags | frozenset(q.flags))
    return Resolved(filters, tuple(errors), tuple(notes))
