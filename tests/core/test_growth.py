"""Every rule that scans text is linear: doubling its input at most doubles its
rows and its work (issue 20, part 1).

Each rule runs on an input of a hostile shape and on the same shape twice as
large; `growth.measure` counts rows, Python steps, what C methods ran over and
peak memory (no clock). Quadratic growth shows as ~4x. The rules are called
through their public functions only, so the tests keep guarding them when the
rules are rewritten.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from evreader import _native
from evreader.config import Config, SourceSpec
from evreader.extract import scan_py
from evreader.extract.companies import find_companies
from evreader.extract.extractor import CUES, Extractor
from evreader.extract.matcher import Matcher, fold
from evreader.extract.people import find_people
from evreader.feeds.parse import html_to_text, parse_feed
from evreader.gazetteer import load_gazetteer
from evreader.index.corpus import CorpusIndex
from evreader.ingest import bylines, dates, debris, digest, pagelines, sentences
from evreader.ingest.metadata import read_fields
from evreader.ingest.page import read_page
from evreader.ingest.segment import segment
from evreader.library import build_library
from evreader.models import Article, MentionRow
from evreader.textsafe import clean_text
from tests.core.growth import growth

LIMIT = 2.6  # linear: <= ~2.2 here; quadratic: ~4
PEAK_LIMIT = 3.0  # allocations come in power-of-two blocks


def _names() -> list[str]:
    vowels, consonants = "aeiou", "bdfgklmnprstvz"
    return [(a + b + c + d).capitalize() for a, b, c, d in itertools.product(
        consonants, vowels, consonants, vowels)]


NAMES = _names()


def _letters(k: int) -> str:
    return "".join(chr(65 + (k // 26 ** p) % 26) for p in range(3))


# Article text shapes: n is the size knob; each shape's text grows linearly in n.
TEXT: dict[str, Callable[[int], str]] = {
    "abbreviation": lambda n: "Acme Motor Corporation (AMC) said. " * n,
    "title-surname": lambda n: " ".join(f"CEO {NAMES[k]} Smith spoke." for k in range(n)),
    "both": lambda n: "Zeta Motor Corporation (ZMC) hired CEO Ann Lee. Lee said ZMC grows. " * n,
    "distinct-entities": lambda n: " ".join(
        f"{NAMES[k]}x Motor Corporation ({_letters(k)}) hired CEO {NAMES[k + 1]} "
        f"{NAMES[k + 2]}son. {_letters(k)} and {NAMES[k + 2]}son grew." for k in range(n)),
    "appositive": lambda n: " ".join(
        f"{NAMES[k]} Lee, a senior analyst at Nissan, said Lee and {NAMES[k]} Lee agreed."
        for k in range(n)),
    "who-heads": lambda n: "Ann Lee, who heads Zeta Group, said. " * n,
    "wide-appositive": lambda n: "Müller Lee, a friend of Ann — said. CEO Bo Chen. " * n,
    "trade-bodies": lambda n: ("the Federation of Thai Industries, the Ministry of Heavy "
                               "Industries and Association of Association of Motor ") * n,
    "the-company": lambda n: "Zeta Corp, the company that builds cars, and firm Quillon. " * n,
    "capital-run": lambda n: " ".join(
        "Chief Executive" if k % 37 == 0 else NAMES[k] for k in range(6 * n)) + ".",
    "motor-nesting": lambda n: "Zeta " + "Motor " * (6 * n) + "Corporation (ZMC) said. "
                               + "ZMC said. " * (3 * n),
    "long-word": lambda n: "CEO A" + "a" * (40 * n) + " Lee said Lee.",
    "cue-flood": lambda n: "Co Ltd automaker CEO Motor Group firm analyst chief " * n,
    "listings": lambda n: ("PT Acme Nickel Indonesia Tbk and Zeta Battery Co., Ltd. (ASX: ZB; "
                           "OTC: ZBX) with Quill Mining QM.AX and PT PT PT Co., Co., ") * n,
    "pt-run": lambda n: "PT " + "Acme " * (6 * n) + "(NYSE: A " * n + " AB.AX" * n,
    "gazetteer": lambda n: "Nissan and Tesla in Georgia, the U.S. and China; Hon Hai. " * n,
    "wide-words": lambda n: " ".join(map("".join, itertools.islice(itertools.product(
        *[(chr(0x4E00 + k), chr(0x24E00 + k)) for k in range(14)]), 8 * n))),
    "mixed-widths": lambda n: "Müller said, İstanbul 𝐀𝐁 \ud800 Σίσυφος CEO Ōta Lee. " * n,
}
SMALL = 100  # the small input's n: texts of ~3-10 KB (tracing every line costs ~30x)


def _cues(text: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = scan_py.PyScanner({}, CUES).scan(text, fold(text), 0, 1)[1]
    return found


@cache
def _extractor() -> Extractor:
    return Extractor(load_gazetteer())


@cache
def _trie() -> scan_py.Trie:
    return Matcher(load_gazetteer()).trie


def _article(text: str) -> Article:
    return Article(id="x", source="s", title=text[:120], text=text, authors=("Ann Lee",))


TEXT_RULES: dict[str, tuple[Callable[[Any], Any], Callable[[str], Any]]] = {
    # rule: (what is measured, on what it is given: prepared outside the count)
    "scanner": (lambda a: sum(map(len, a[0].scan(a[1], fold(a[1]), 2, 1))),
                lambda t: (_native.SCANNER(_trie(), CUES, MentionRow), t)),
    "scanner-twin": (lambda a: sum(map(len, a[0].scan(a[1], fold(a[1]), 2, 1))),
                     lambda t: (scan_py.PyScanner(_trie(), CUES, MentionRow), t)),
    "people": (lambda a: find_people(*a), lambda t: (t, _cues(t))),
    "people-no-cues": (find_people, lambda t: t),
    "companies": (lambda a: find_companies(*a), lambda t: (t, _cues(t))),
    "companies-no-cues": (find_companies, lambda t: t),
    "analyse": (lambda a: _extractor().analyse(a, _extractor().scanner()), _article),
}


def _count(result: Any) -> int:
    return result if isinstance(result, int) else len(result)


def _check(name: str, fn: Callable[[Any], Any], small: Any, large: Any,
           rows: Callable[[Any], int] = _count) -> None:
    ratios, a, b = growth(fn, small, large, rows)
    limits = {"rows": LIMIT, "lines": LIMIT, "touched": LIMIT, "peak": PEAK_LIMIT}
    over = {k: round(v, 2) for k, v in ratios.items() if v > limits[k]}
    assert not over, f"{name} grew {over} when its input doubled: {a} -> {b}"


@pytest.mark.parametrize("shape", sorted(TEXT))
@pytest.mark.parametrize("rule", sorted(TEXT_RULES))
def test_text_rules_are_linear(rule: str, shape: str) -> None:
    if rule == "scanner" and not _native.active().scanner:
        pytest.skip("C scanner not built")
    fn, prepare = TEXT_RULES[rule]
    make = TEXT[shape]
    _check(f"{rule} on {shape}", fn, prepare(make(SMALL)), prepare(make(2 * SMALL)))


def test_the_shapes_find_what_they_are_made_of() -> None:
    """The shapes are not vacuous: the rules find their mentions (and many)."""
    assert len(find_companies("Acme Motor Corporation (AMC) said. " * 50)) == 99  # + 49 AMC
    assert len(find_people(TEXT["title-surname"](50))) == 99  # + 49 later "Smith"
    rows = _extractor().extract(_article(TEXT["both"](50)))
    assert sum(m.name == "Ann Lee" for m in rows) >= 50  # "Lee" is too short a surname
    assert sum(m.name == "Zeta Motor Corporation" for m in rows) == 149  # 50, and 99 "ZMC"
    assert len(find_people(TEXT["distinct-entities"](50))) >= 100


# Files as the segmenter sees them.
FILES: dict[str, Callable[[int], str]] = {
    "paragraphs": lambda n: "Ford Recalls Trucks\n\nBy Ann Lee\nMarch 3, 2024\n\n" + "".join(
        f"Paragraph {k} says Ford recalled {k} trucks.\nIt is hard-wrapped here.\n\n"
        for k in range(n)),
    "byline-header": lambda n: "Battery News\n" + "".join(
        f"By {NAMES[k]} Lee and {NAMES[k + 1]} Chen\n" for k in range(n)) + "\nThe body.\n",
    "repeated-bylines": lambda n: "Battery News\n" + "By Ann Lee and Bo Chen\n" * n
                                  + "\nThe body.\n",
    "digest": lambda n: "".join(
        f"{NAMES[k]} Motors raised its forecast for 2025 as demand for batteries grew in "
        f"Europe. {NAMES[k + 1]} Smith\n" for k in range(n)),
    "debris": lambda n: "Title\n\n" + "Share this article\n8 min read\nHome > News > EVs\n"
                        "photo_1.png\nImage credit: Ann Lee\n\n" * n,
    "blank-lines": lambda n: "Title\n" + "\n" * (20 * n) + "Body.\n",
    "long-line": lambda n: "Title\n\n" + "word " * (60 * n) + "\n",
    "headings": lambda n: "".join(f"# Heading {k}\n- item {k}\n" for k in range(n)),
    "crlf-tabs": lambda n: "Title\r\n\r\n" + "A\tline\r\n" * (4 * n),
}


@pytest.mark.parametrize("mode", ["auto", "lines", "file"])
@pytest.mark.parametrize("shape", sorted(FILES))
def test_segmentation_is_linear(shape: str, mode: str) -> None:
    def run(text: str) -> Any:
        return segment(text, mode)

    def rows(drafts: Any) -> int:
        return len(drafts) + sum(len(d.authors) + len(d.body) // 80 for d in drafts)

    _check(f"segment({mode}) on {shape}", run, FILES[shape](SMALL), FILES[shape](2 * SMALL),
           rows)


# One line, as a byline parser sees it: up to 160 characters are read, so the
# input doubles up to that, and a long line must be turned away as cheaply.
LINES: dict[str, Callable[[int], str]] = {
    "names": lambda n: "By " + ", ".join(f"{NAMES[k]} Lee" for k in range(n)),
    "and-names": lambda n: "By " + " and ".join(NAMES[k] for k in range(n)),
    "dates": lambda n: "Ann Lee " + "March 3, 2024 " * n,
    "separators": lambda n: "By Ann Lee" + " | " * n + "Mon, March 3, 2024",
    "words": lambda n: "Ann " * n + "Lee",
}


@pytest.mark.parametrize("size", [(5, 10), (300, 600)])
@pytest.mark.parametrize("shape", sorted(LINES))
def test_byline_parsing_is_linear(shape: str, size: tuple[int, int]) -> None:
    def run(line: str) -> Any:
        found = dates.date_line(line)
        return (bylines.byline_names(line) or []) + ([found.published] if found else [])

    small, large = (LINES[shape](n) for n in size)
    _check(f"byline_names + date_line on {shape}", run, small, large)


META_TEXT: dict[str, Callable[[int], str]] = {
    "dates": lambda n: "On March 3, 2024 and 2024-03-03, 3rd March 2024, 2024/3/3. " * n,
    "not-dates": lambda n: "May 99, 1899 and 2024-13-45 and 12 Foo 2020. " * n,
    "images": lambda n: "see photo_123.png and s_225cf.jpeg, logo.svg here. " * n,
    "sentences": lambda n: "Co. Inc. U.S. e.g. Mr. Lee said. " * n,
    "long-word": lambda n: "x" * (50 * n) + ".png",
    "author-tail": lambda n: "The plant opens in South Carolina. " * n + "Nick Holt",
    "name-list": lambda n: ", ".join(f"{NAMES[k]} Lee" for k in range(n)),
}
META_RULES: dict[str, Callable[[str], Any]] = {
    "dates_in": dates.dates_in,
    "without_dates": lambda t: [dates.without_dates(t)],
    "strip_image_names": debris.strip_image_names,
    "strip_glued_credit": lambda t: [debris.strip_glued_credit(t)],
    "first_sentence": sentences.first_sentence,
    "derive_title": sentences.derive_title,
    "digest_line": lambda t: digest.read_digest([t]),
    "is_chrome": lambda t: [debris.is_chrome(t), debris.is_credit(t), debris.is_breadcrumb(t),
                            debris.has_credit_at_end(t)],
    "line_shape": lambda t: [pagelines.is_prose(t), pagelines.is_tag_list(t),
                             pagelines.headline_sentences(t)],
    "names_in": bylines.names_in,
    "author_field": lambda t: read_fields({"author": t, "authors": t.split(", ")}).authors,
    "read_page": lambda t: [read_page(t.split(". "))],
}


@pytest.mark.parametrize("shape", sorted(META_TEXT))
@pytest.mark.parametrize("rule", sorted(META_RULES))
def test_meta_rules_are_linear(rule: str, shape: str) -> None:
    _check(f"{rule} on {shape}", META_RULES[rule], META_TEXT[shape](SMALL),
           META_TEXT[shape](2 * SMALL))


UNSAFE: dict[str, Callable[[int], str]] = {
    "escapes": lambda n: "Nissan \x1b[31mred\x1b[0m \x1b]52;c;ZXZp\x07 \x9b31m ok " * n,
    "open-osc": lambda n: "text \x1b]8;;http://x" + " long" * (20 * n),
    "invisible": lambda n: "zero\u200bwidth\u202e bidi\ufeff\x7f\x00\ud800 " * n,
    "crlf": lambda n: "line\r\n\r\n\tTab\r" * n,
    "plain": lambda n: "Plain text without anything to remove. " * n,
}


@pytest.mark.parametrize("shape", sorted(UNSAFE))
def test_clean_text_is_linear(shape: str) -> None:
    _check(f"clean_text on {shape}", clean_text, UNSAFE[shape](SMALL), UNSAFE[shape](2 * SMALL))


HTML: dict[str, Callable[[int], str]] = {
    "paragraphs": lambda n: "<p>Nissan &amp; Tesla</p><div>x<br>y</div>" * n,
    "nested": lambda n: "<div><p><span>" * n + "text" + "</span></p></div>" * n,
    "unclosed": lambda n: "<p><b><i>word " * n,
    "scripts": lambda n: "<script>var x = '<p>';</script><style>p{}</style>text " * n,
    "entities": lambda n: "&lt;&gt;&#x41;&#65;&nbsp;&bogus;" * n,
    "lists": lambda n: "<ul>" + "<li>item</li>" * n + "</ul>",
}


@pytest.mark.parametrize("shape", sorted(HTML))
def test_html_to_text_is_linear(shape: str) -> None:
    _check(f"html_to_text on {shape}", html_to_text, HTML[shape](SMALL), HTML[shape](2 * SMALL))


def _rss(n: int) -> bytes:
    items = "".join(f"<item><title>Story {k}</title><link>https://x.example/{k}</link>"
                    f"<description>&lt;p&gt;Nissan story {k}&lt;/p&gt;</description>"
                    f"<author>Ann Lee</author></item>" for k in range(n))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}' \
           f"</channel></rss>".encode()


def test_feed_parsing_is_linear() -> None:
    _check("parse_feed", lambda data: parse_feed(data).entries, _rss(10), _rss(20))


def test_entity_names_of_an_article_are_linear(tmp_path: Path) -> None:
    """An article naming thousands of entities lists each once, in one pass."""
    def library(n: int) -> CorpusIndex:
        folder = tmp_path / str(n)
        folder.mkdir()
        (folder / "a.txt").write_text(FILES["byline-header"](n) + TEXT["distinct-entities"](n))
        return build_library(Config(sources=(SourceSpec(folder),)), use_cache=False).index

    def names(index: CorpusIndex) -> list[str]:
        listed = index.entity_names(0)
        return [*listed["person"], *listed["company"], *index.discovered_names(0)]

    _check("entity_names", names, library(2 * SMALL), library(4 * SMALL))
