"""Metadata a note or a JSON line states about itself: title, date, authors, url.

Front matter and JSON objects are written by hand and by scrapers, so any field
may be wrong: an impossible date (2024-02-30), a list where text belongs, a
number for a date, front matter that is not YAML at all. Each bad field gives a
warning that names the field, and the article is kept with that field empty;
nothing a field holds can stop a load.

Logseq page properties and Obsidian Dataview fields ("published:: 2025-08-04", also as
list items) at the top of a note, under its heading if it has one, are read as front
matter is.

YAML's own date reading is switched off (`_Loader`): it raises on 2024-02-30
and moves offset datetimes to UTC, while a note's date is the day its writer
wrote, checked here like any other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

from evreader.ingest import publisher
from evreader.ingest.bylines import author_names
from evreader.ingest.dates import date_of_value
from evreader.textsafe import clean_text, one_line

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.S)  # Hugo
# "published:: 2025-08-04", "- source:: [[Economic Times]]": Logseq and Dataview fields.
_PROPERTY = re.compile(r"(?:[-*][ \t]+)?([A-Za-z][\w-]{0,30})::[ \t]*(.*)")
_PROPERTY_LINES = 40  # lines read for properties at the top of a note, at most


class _Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay text, read by `dates`."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class Fields:
    """The fields read, and a warning per field that could not be."""

    title: str | None = None
    published: date | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    publisher: str | None = None  # a name the record states (see ingest.publisher)
    problems: list[str] = field(default_factory=list)
    present: bool = False  # the text had metadata at all (front matter, a JSON object)


def split_front_matter(text: str) -> tuple[Fields, str]:
    """A note's front matter read, and the text after it. Front matter that is not
    YAML, or not a mapping, is reported and dropped from the text."""
    m = _FRONT.match(text)
    if m is None:
        toml = _TOML_FRONT.match(text)
        if toml is not None:
            return _toml_front_matter(toml.group(1), text[toml.end():].lstrip("\n"))
        return _properties(text)
    rest = text[m.end():].lstrip("\n")
    try:
        loaded = yaml.load(m.group(1), Loader=_Loader)
    except ValueError as exc:  # a constructor's own check ("!!int 09x")
        return Fields(problems=[f"front matter: {exc}; read as text"], present=True), rest
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not YAML"
        return Fields(problems=[f"front matter{where}: {problem}; read as text"],
                      present=True), rest
    except RecursionError:
        return Fields(problems=["front matter: nested too deeply; read as text"],
                      present=True), rest
    if loaded is None:
        return Fields(present=True), rest
    if not isinstance(loaded, dict):
        return Fields(problems=[f"front matter: a {_kind(loaded)} where a mapping of fields "
                                "belongs; read as text"], present=True), rest
    fields = read_fields(loaded)
    fields.present = True
    return fields, rest


def _properties(text: str) -> tuple[Fields, str]:
    """"key:: value" lines at the top of a note (after blank lines and one heading),
    read as front matter and taken out of the text."""
    if "::" not in text[:4000]:  # a substring test first: most notes have none
        return Fields(), text
    lines = text.split("\n", _PROPERTY_LINES)
    k = 0
    while k < len(lines) - 1 and not lines[k].strip():
        k += 1
    if k < len(lines) - 1 and lines[k].startswith("#"):
        k += 1  # the note's heading stays
        while k < len(lines) - 1 and not lines[k].strip():
            k += 1
    start, found = k, {}
    while k < min(len(lines), _PROPERTY_LINES):
        m = _PROPERTY.fullmatch(lines[k].strip())
        if m is None:
            break
        found[m.group(1).lower()] = m.group(2).replace("[[", "").replace("]]", "").strip()
        k += 1
    if not found:
        return Fields(), text
    fields = read_fields(found)
    fields.present = True
    return fields, "\n".join(lines[:start] + lines[k:])


def _toml_front_matter(source: str, rest: str) -> tuple[Fields, str]:
    """Hugo's TOML front matter (between `+++` lines), read as YAML's is."""
    import tomllib
    try:
        loaded = tomllib.loads(source)
    except (tomllib.TOMLDecodeError, RecursionError) as exc:
        return Fields(problems=[f"front matter: not TOML ({exc}); read as text"],
                      present=True), rest
    fields = read_fields(loaded)
    fields.present = True
    return fields, rest


def read_fields(data: dict[Any, Any]) -> Fields:
    """title, date/published, author(s), url/link and the publisher from a mapping,
    each checked."""
    out = Fields(present=True)
    title = _first(data, "title", "headline")
    if title is not None:
        if isinstance(title, (str, int, float)) and not isinstance(title, bool):
            out.title = one_line(clean_text(str(title)), 300) or None
        else:
            out.problems.append(f"field 'title': a {_kind(title)} where text belongs")
    when = _first(data, "date", "published", "pubDate", "date_published", "published_date",
                  "published_at", "datePublished", "publishedAt", "created")
    if when is not None:
        parsed = date_of_value(when)
        out.published = parsed.when
        if parsed.problem:
            out.problems.append(f"field 'date': {parsed.problem}")
    people = _first(data, "authors", "author", "byline", "creator")
    if people is not None:
        out.authors, bad = _authors(people)
        if bad:
            out.problems.append(f"field 'authors': {bad}")
    url = _first(data, "url", "link", "source_url", "canonical")
    if url is not None:
        if isinstance(url, str) and url.strip():
            out.url = clean_text(url).strip()
        else:
            out.problems.append(f"field 'url': a {_kind(url)} where a link belongs")
    out.publisher = publisher.named(data)
    return out


def _first(data: dict[Any, Any], *keys: str) -> object:
    for key in keys:
        if key in data and data[key] is not None:
            return data[key]
    return None


def _authors(value: object) -> tuple[list[str], str | None]:
    """Names from a string ("Ann Lee, Bo Chen"), a list of strings, or a list of
    {name: …} mappings; outlets and desks are nobody (see bylines.author_names)."""
    if isinstance(value, str):
        return author_names(one_line(clean_text(value))), None
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return [], f"a {_kind(value)} where names belong"
    out: dict[str, None] = {}  # in order, each once
    skipped = 0
    for item in value:
        name = item.get("name") if isinstance(item, dict) else item
        if isinstance(name, str) and name.strip():
            out.update(dict.fromkeys(author_names(one_line(clean_text(name)))))
        else:
            skipped += 1
    return list(out), (f"{skipped} entry(ies) without a name" if skipped else None)


def _kind(value: object) -> str:
    return {"list": "list", "dict": "mapping", "int": "number", "float": "number",
            "bool": "true/false", "date": "date", "datetime": "date"}.get(
        type(value).__name__, type(value).__name__)
