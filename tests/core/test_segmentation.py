"""Segmentation and metadata on the seed files, and the general rules behind them."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from evreader.config import SourceSpec
from evreader.ingest import load_sources
from evreader.ingest.files import SourceFile
from evreader.ingest.load import read_source_file
from evreader.ingest.segment import choose_mode, segment
from evreader.ingest.sentences import TITLE_LIMIT
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
        assert len(a.title) <= TITLE_LIMIT + 1
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


def test_digest_dated_headlines() -> None:
    text = (
        "• Panasonic Energy starts mass production at De Soto, Kansas (Nov 14, 2024): The 32 GWh "
        "plant will make 2170 cells for Tesla and Lucid; Panasonic plans a third US plant.\n"
        "• Ampcera and Solid Power sign electrolyte deal (Nov 13, 2024): Colorado's Solid Power "
        "will source sulfide electrolyte precursor from Ampcera of Arizona for its lines.\n"
        "• Vulcan Energy wins EU strategic project status (Nov 11, 2024): The Australian-German "
        "developer supplies Stellantis, Renault and LG Energy Solution from the Rhine.\n")
    drafts = segment(text)
    assert [(d.title, d.published) for d in drafts] == [
        ("Panasonic Energy starts mass production at De Soto, Kansas", date(2024, 11, 14)),
        ("Ampcera and Solid Power sign electrolyte deal", date(2024, 11, 13)),
        ("Vulcan Energy wins EU strategic project status", date(2024, 11, 11)),
    ]
    assert drafts[0].body.startswith("The 32 GWh plant")


def test_digest_headline_ends_before_a_name_with_a_particle() -> None:
    lines = [
        "Watch: Inside Renault's Ampere ElectriCity hub in northern France Luca de Meo and "
        "Ampere's engineers explain how three plants in the Douai, Maubeuge and Ruitz area "
        "became a single EV production hub. Nick Holt",
        "Robotics on the line: Stellantis tests humanoid robots at Mirafiori Stellantis is "
        "trialling humanoid robots from Chinese start-up UBTech at its Turin plant, as "
        "carmakers look for new ways to automate final assembly. Peter Murphy",
        "BMW's Neue Klasse and the new Debrecen plant BMW's first Neue Klasse model, the "
        "iX3, will be built in Debrecen, Hungary, with cylindrical cells from CATL and EVE "
        "Energy. Martin Kahl",
    ]
    drafts = segment("\n".join(lines) + "\n")
    assert drafts[0].title == ("Watch: Inside Renault's Ampere ElectriCity hub in northern "
                               "France")
    assert drafts[0].body.startswith("Luca de Meo and Ampere's engineers explain")
