"""Segmentation and metadata on the seed files, and the general rules behind them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from evreader.config import SourceSpec
from evreader.ingest import load_sources
from evreader.ingest.files import SourceFile
from evreader.ingest.load import read_source_file
from evreader.ingest.segment import choose_mode, segment
from tests.conftest import SEEDS


def _articles(name: str, split: str = "auto") -> list:
    path = next(SEEDS.glob(f"{name}_*.txt"))
    arts, warnings = read_source_file(SourceFile(str(path), f"seeds/{path.name}"), split)
    assert warnings == []
    return arts


def test_seed_counts() -> None:
    result = load_sources([SourceSpec(SEEDS)])
    counts = Counter(Path(a.source).name[:3] for a in result.articles)
    assert counts == {"000": 7, "001": 1, "002": 12, "003": 1, "004": 1}
    assert result.warnings == []


def test_rules_not_file_names(tmp_path: Path) -> None:
    """The same content under another name segments the same way."""
    for seed in SEEDS.glob("*.txt"):
        (tmp_path / f"renamed-{seed.stem[-4:]}.txt").write_bytes(seed.read_bytes())
    renamed = load_sources([SourceSpec(tmp_path)]).articles
    original = load_sources([SourceSpec(SEEDS)]).articles
    assert sorted(a.title for a in renamed) == sorted(a.title for a in original)


def test_digest_titles_from_first_sentence() -> None:
    arts = _articles("000")
    assert arts[0].title.startswith("Nissan Motor Co. has initiated discussions with Foxconn")
    for a in arts:
        assert len(a.title) <= 101
        assert not a.title.endswith(" ")
        assert a.text.startswith(a.title.rstrip("…").rstrip(".")[:40])


def test_explicit_title_lines() -> None:
    (a001,) = _articles("001")
    assert a001.title == "Foxconn eyes Japan-made EVs and China’s AI evolves"
    (a003,) = _articles("003")
    assert a003.title.startswith("Forced Move! Japan's Two Major Automakers")


def test_dates_and_bylines() -> None:
    (a003,) = _articles("003")
    assert a003.published == date(2024, 3, 16)
    assert a003.authors == ("Zhou Zi Yi",)


def test_trailing_authors_in_digest() -> None:
    arts = _articles("002")
    authors = [a.authors for a in arts]
    assert ("Nick Holt",) in authors
    assert ("Ian Henry",) in authors
    assert all(len(x) == 1 for x in authors)
    for a in arts:
        assert not a.text.endswith(a.authors[0])


def test_debris_removed_headings_kept() -> None:
    (a001,) = _articles("001")
    (a003,) = _articles("003")
    (a004,) = _articles("004")
    for a in (a001, a003, a004):
        assert "Min Read" not in a.text
        assert "Share This Article" not in a.text
        assert ".png" not in a.text
        assert "Image Source" not in a.text
        assert "Home >" not in a.text and "Home\xa0>" not in a.text
    assert "Painful spikes" in a001.text
    assert "Collaborative Efforts" in a003.text
    assert "A Move to Kyushu" in a004.text
    assert a004.text.rstrip().endswith("strategic shift.")


def test_ids_are_stable_and_unique(tmp_path: Path) -> None:
    first = load_sources([SourceSpec(SEEDS)]).articles
    copy = tmp_path / "seeds"
    copy.mkdir()
    for seed in SEEDS.glob("*.txt"):
        (copy / seed.name).write_bytes(seed.read_bytes())
    second = load_sources([SourceSpec(copy)]).articles
    assert [a.id for a in first] == [a.id for a in second]
    assert len({a.id for a in first}) == len(first)


def test_ids_are_the_documented_digest_and_bodies_come_encoded(tmp_path: Path) -> None:
    """An id is blake2b-64 of "key NUL title NUL body" (reading state is kept by it),
    and the bodies handed back for the store are the texts in UTF-8."""
    import hashlib

    from evreader.index.store import Columns
    (tmp_path / "a.txt").write_text("Caf\u00e9 news\n\n" + "Body \u2014 text. " * 30,
                                    encoding="utf-8")
    source = SourceFile(str(tmp_path / "a.txt"), "src/a.txt")
    bodies: list[bytes] = []
    articles, _ = read_source_file(source, "auto", bodies)
    assert articles and bodies == [a.text.encode("utf-8") for a in articles]
    for a in articles:
        whole = f"src/a.txt\0{a.title}\0{a.text}".encode()
        assert a.id == hashlib.blake2b(whole, digest_size=8).hexdigest()
    assert Columns.of(articles, bodies) == Columns.of(articles)


def test_forced_split_modes() -> None:
    assert len(_articles("002", "file")) == 1
    assert len(_articles("004", "lines")) > 5


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("A" * 150 + "\n" + "B" * 150 + "\n" + "C" * 150 + "\n", "lines"),
        ("Title\n\n" + "Para one. " * 20 + "\n\nHeading\n\n" + "Para two. " * 20, "file"),
        ("short\nlines\nonly\n", "file"),
        ("", "file"),
    ],
)
def test_choose_mode(text: str, mode: str) -> None:
    assert choose_mode(text) == mode


def test_duplicate_lines_get_distinct_ids(tmp_path: Path) -> None:
    line = "Automaker X said sales rose sharply in the third quarter across all regions. " * 3
    f = tmp_path / "dup.txt"
    f.write_text(line + "\n" + line + "\n")
    arts, _ = read_source_file(SourceFile(str(f), "dup.txt"))
    assert len(arts) == 2 and arts[0].id != arts[1].id


def test_segment_keeps_all_words_of_a_plain_article() -> None:
    text = "Big News Today\n\nFirst paragraph says a thing.\n\nSecond paragraph says more."
    (draft,) = segment(text)
    assert draft.title == "Big News Today"
    assert "First paragraph" in draft.body and "Second paragraph" in draft.body


def test_a_long_spaced_out_byline_of_many_short_names_still_parses() -> None:
    """parse_byline drops a line of 81+ words unread; 61 words that fold to 151
    characters (from 209 as written) are a byline."""
    from evreader.ingest import meta

    names = [f"{chr(65 + i % 26)} {chr(66 + i % 25)}" for i in range(30)]
    line = "By " + ",   ".join(names)
    assert len(line) > 160 and len(line.split()) == 61
    parsed = meta.parse_byline(line)
    assert parsed is not None and parsed[0] == names
    assert meta.parse_byline(line + " x" * 40) is None  # folds to more than 160


@pytest.mark.parametrize("line", [
    "x" * 161, " " + "x" * 161, "x" * 161 + " ", "x " * 81, "a\u00a0b " * 41, "a\tb " * 41,
    "a  b " * 33, "By Anna Lee" + " " * 150 + "Mar 4 2024", "By Anna Lee\u2009" * 14 + "Mar 4 2024",
])
def test_the_long_byline_shortcut_agrees_with_folding_first(line: str) -> None:
    from evreader.ingest import meta
    from evreader.textsafe import one_line

    folded = one_line(line)
    assert meta.parse_byline(line) == (meta.parse_byline(folded) if len(folded) <= 160 else None)
    if meta._folded(line):
        assert folded == line


# The date patterns as written before any speed-up: no lookahead, no gating.
def _plain_date_patterns() -> list[re.Pattern[str]]:
    from evreader.ingest import meta
    year = r"(?P<y>(?:19|20)\d\d)"
    return [
        re.compile(r"\b" + year + r"-(?P<m>\d\d)-(?P<d>\d\d)(?!\d)"),
        re.compile(r"\b" + year + r"/(?P<m>\d{1,2})/(?P<d>\d{1,2})\b"),
        re.compile(meta._MONTH + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+" + year + r"\b", re.I),
        re.compile(r"\b(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + meta._MONTH + r",?\s+" + year + r"\b",
                   re.I),
    ]


def _to_date_plain(g: dict[str, str | None]) -> date | None:
    from evreader.ingest import meta
    try:
        month = (meta._MONTHS[(g["mon"] or "").lower().rstrip(".")] if g.get("mon")
                 else int(g["m"] or ""))
        return date(int(g["y"] or ""), month, int(g["d"] or ""))
    except (KeyError, ValueError):
        return None


def _find_date_ungated(text: str) -> object:
    best = None
    for pattern in _plain_date_patterns():
        for m in pattern.finditer(text):
            parsed = _to_date_plain(m.groupdict())
            if parsed is not None:
                if best is None or m.start() < best[1]:
                    best = (parsed, m.start(), m.end())
                break
    return best


DATE_TEXT = st.lists(st.sampled_from(["2024", "1999", "-", "/", "03", "4", "13", " ", ",", "Mar",
                                      "march", "4th", "Sat", "x", "20", "24", "\u0663", "\u017fep",
                                      "SEPT", "Nov.", "\u0130", "d", "12"]),
                     max_size=14).map("".join)


@given(DATE_TEXT)
@example("2024-03-04 and 2023/1/2 or Mar 4, 2022")
@example("4 March 2021, 2024/13/40, 2020-02-30")
@example("\u017fep 4, 2021")  # long s: re.I matches it as "s"
@example("4 Jan 2020 or 2019-02-03")
@example("x Nov 4, 2024 y Dec 5 2023 Oct 1st, 2022 Aug 3 2021")
def test_find_date_skips_only_patterns_that_cannot_match(text: str) -> None:
    from evreader.ingest import meta
    assert meta.find_date(text) == _find_date_ungated(text)


BYLINE_TAIL = st.lists(st.sampled_from(["Mon", "monday", "Wed.", "Wednesday", ",", " ", "x",
                                        "\u017fat", "Thurs", "tue", "By Ann Lee", "2024", "sun",
                                        "Fri,", "a" * 12]),
                       max_size=10).map("".join)


@given(BYLINE_TAIL)
@example("By Ann Lee, Wednesday., ")
@example("Ann Lee xMon")
def test_weekday_is_dropped_as_the_plain_pattern_does(text: str) -> None:
    from evreader.ingest import meta
    from evreader.textsafe import one_line
    plain = re.compile(r"(?:,\s*)?\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
                       r"(?:day|sday|nesday|rsday|urday)?\.?,?\s*$", re.I)
    folded = one_line(text)
    assert meta._without_weekday(folded) == plain.sub("", folded)


@given(st.lists(st.sampled_from(["Ann", " ", "Lee", ",", "and", "&", "|", "Sandra", "Bo", "x",
                                 "\t"]), max_size=10).map("".join))
@example("Ann Lee and Bo Chan")
@example("Sandra Ng")
def test_split_names_shortcut_agrees_with_splitting(text: str) -> None:
    from evreader.ingest import meta
    parts = meta._NAME_SEPARATOR.split(text.strip())
    names = [p for p in (x.strip() for x in parts) if p and meta.is_name(p)]
    assert meta.split_names(text) == names


def _blocks_plain(text: str) -> list[str]:
    from evreader.ingest.segment import _join
    blocks: list[str] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            if current:
                blocks.append(_join(current))
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(_join(current))
    return blocks


def _choose_mode_plain(text: str) -> str:
    import statistics

    from evreader.ingest import meta
    from evreader.ingest.segment import LONG_LINE
    lines = text.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    blanks = sum(1 for ln in lines if not ln.strip())
    if blanks > max(1, (len(lines) - blanks) // 10):
        return "file"
    content = [ln for ln in lines if ln.strip() and not meta.is_debris(ln)]
    if len(content) < 2 or blanks > max(1, len(content) // 10):
        return "file"
    long_share = sum(1 for ln in content if len(ln.strip()) >= LONG_LINE) / len(content)
    median = statistics.median(len(ln.strip()) for ln in content)
    return "lines" if long_share >= 0.7 and median >= LONG_LINE else "file"


PAGE = st.lists(st.sampled_from(["\n", "\n\n", "  \n", "Headline here", "By Ann Lee | May 2, 2024",
                                 "x" * 120 + ".", "Share", "- item", "8 Min Read", " ",
                                 "A short line.", "y " * 110, "img_1.png", "\u2003"]),
                max_size=16).map("".join)


@given(PAGE)
def test_blocks_and_mode_from_stripped_lines_agree_with_the_plain_reading(text: str) -> None:
    from evreader.ingest.segment import _blocks, _stripped_lines
    assert _blocks(_stripped_lines(text)) == _blocks_plain(text)
    assert choose_mode(text) == _choose_mode_plain(text)


def test_every_month_spelling_is_found_after_the_lookahead() -> None:
    from evreader.ingest import meta
    for name in meta._MONTHS:
        for spelled in (name, name.upper(), name.title()):
            text = f"x {spelled} 4, 2021"
            assert meta.find_date(text) == _find_date_ungated(text) is not None, text
