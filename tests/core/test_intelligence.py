"""Profiles, related articles, the query language, reading state, promote/ignore."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from evreader.config import Config, SourceSpec
from evreader.library import Library, build_library
from evreader.models import Filters
from evreader.profile import entity_profile, related_articles
from evreader.query import parse_query, resolve_query
from evreader.state import ReadingState
from evreader.userentities import ignore, promote
from tests.conftest import SMALL_GAZETTEER

ROWS = [
    ("N1", "Nissan and Honda talk batteries in Japan.", "2024-01-10"),
    ("N2", "Nissan sells cars in China with Foxconn.", "2024-03-01"),
    ("N3", "Nissan and Foxconn meet in Japan again.", "2024-03-20"),
    ("H1", "Honda builds a battery plant in the US, not in Japan.", "2023-11-05"),
    ("T1", "Tesla opens chargers in China and the US.", None),
    ("Q1", "Startup Quillon Motor Corporation (QMC) said QMC will expand.", "2024-02-02"),
]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.jsonl").write_text("\n".join(
        json.dumps({"title": t, "text": x, "published": d}) for t, x, d in ROWS) + "\n")
    return build_library(Config(sources=(SourceSpec(src),), gazetteer=SMALL_GAZETTEER,
                                data_dir=tmp_path / "data", cache_dir=tmp_path / "cache",
                                user_entities=tmp_path / "entities.yaml"))


def _titles(lib: Library, idx: list[int]) -> list[str]:
    return [lib.index.articles.titles[i] for i in idx]


def test_profile_figures(lib: Library) -> None:
    p = entity_profile(lib.index, "company", "Nissan", lib.gazetteer)
    assert p is not None
    assert p.count == 3
    assert (p.first, p.last) == (date(2024, 1, 10), date(2024, 3, 20))
    assert p.months == [("2024-01", 1), ("2024-02", 0), ("2024-03", 2)]
    assert p.sparkline() == "▄ █"
    assert dict(p.co_mentions["company"]) == {"Foxconn": 2, "Honda": 1}
    assert dict(p.co_mentions["country"]) == {"Japan": 2, "China": 1}
    assert _titles(lib, p.articles) == ["N3", "N2", "N1"]
    assert p.country == "Japan" and "Nissan Motor" in p.aliases
    assert "Nissan" not in dict(p.co_mentions["company"])
    assert entity_profile(lib.index, "company", "Nobody") is None


def test_related_ranks_by_rare_shared_entities(lib: Library) -> None:
    n3 = _titles(lib, list(range(len(lib.index)))).index("N3")
    ranked = _titles(lib, [i for i, _ in related_articles(lib.index, n3)])
    # N2 shares Nissan and Foxconn (in 2 articles); N1 shares Nissan and Japan (in 3).
    assert ranked[0] == "N2"
    assert set(ranked[:2]) == {"N1", "N2"}
    assert "N3" not in ranked
    scores = [s for _, s in related_articles(lib.index, n3)]
    assert scores == sorted(scores, reverse=True)


def test_query_parsing() -> None:
    q = parse_query('company:nisan country:japan theme:batteries -company:tesla '
                    '"exact phrase" since:2024-01 until:2025-06 free words -noise is:starred')
    assert q.entities == [("company", "nisan"), ("country", "japan"), ("theme", "batteries")]
    assert q.exclude == [("company", "tesla")]
    assert q.phrases == ["exact phrase"]
    assert q.words == ["free", "words"] and q.not_words == ["noise"]
    assert (q.since, q.until) == (date(2024, 1, 1), date(2025, 6, 30))
    assert q.flags == {"starred"} and q.errors == []
    assert parse_query('company:"hon hai"').entities == [("company", "hon hai")]


@pytest.mark.parametrize(("text", "error"), [
    ("since:2024-13", "since:2024-13: use a date"),
    ("since:2025 until:2024", "since: is after until:"),
    ('"unclosed', "the quote is not closed"),
    ("is:maybe", "use is:unread, is:read or is:starred"),
    ("colour:red", "colour: is not a filter"),
    ("compnay:tesla", "did you mean company:?"),
    ("company: nissan", "company: needs a value"),
])
def test_query_errors_are_explained(text: str, error: str) -> None:
    assert any(error in e for e in parse_query(text).errors), parse_query(text).errors


def test_resolved_query_selects(lib: Library) -> None:
    r = resolve_query("company:nisan -country:china", lib.engine)
    assert r.errors == () and r.notes == ("company:nisan → Nissan",)
    assert sorted(_titles(lib, lib.select(r.filters))) == ["N1", "N3"]
    r = resolve_query('"meet in japan"', lib.engine)
    assert _titles(lib, lib.select(r.filters)) == ["N3"]
    r = resolve_query("nissan -foxconn", lib.engine)
    assert _titles(lib, lib.select(r.filters)) == ["N1"]
    r = resolve_query("since:2024-02 until:2024-03", lib.engine)
    assert sorted(_titles(lib, lib.select(r.filters))) == ["N2", "N3", "Q1"]
    r = resolve_query("company:zzzzqq nissan", lib.engine)
    assert r.errors == ("no company matches 'zzzzqq'",)
    assert len(lib.select(r.filters)) == 3  # the rest of the query still applies


def test_reading_state_persists(lib: Library, tmp_path: Path) -> None:
    state = lib.state
    assert state is not None
    ids = lib.index.articles.ids
    state.toggle_read(ids[0])
    state.toggle_star(ids[1])
    again = ReadingState(tmp_path / "data" / "state.json")
    assert again.is_read(ids[0]) and again.is_starred(ids[1]) and not again.is_read(ids[1])
    unread = lib.select(Filters(flags=frozenset({"unread"})))
    assert 0 not in unread and len(unread) == len(ids) - 1
    assert lib.select(Filters(flags=frozenset({"starred"}))) == [1]
    assert lib.select(resolve_query("is:starred", lib.engine).filters) == [1]


def test_damaged_state_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text("{not json")
    state = ReadingState(path)
    assert state.problem and "unreadable" in state.problem
    state.toggle_star("x")
    assert ReadingState(path).is_starred("x")


def test_promote_and_ignore_persist(lib: Library, tmp_path: Path) -> None:
    disc = [i.name for i, _ in lib.index.top_entities(
        lib.index.facet_counts(lib.mask(Filters())), "company", discovered=True)]
    assert "Quillon Motor Corporation" in disc
    path = tmp_path / "entities.yaml"
    promote(path, "Quillon Motor Corporation", country="Japan")
    cfg = lib.config
    promoted = build_library(cfg)
    assert promoted.index.article_count("company", "Quillon Motor Corporation") == 1
    info = [e for e in promoted.index.entities if e.name == "Quillon Motor Corporation"]
    assert info and not any(e.discovered for e in info)
    ignore(path, "Quillon Motor Corporation")
    ignored = build_library(cfg)
    assert not any(e.name == "Quillon Motor Corporation" for e in ignored.index.entities)
    text = path.read_text()
    assert text.startswith("# Entities you added") and "blockers" in text
    promote(path, "Quillon Motor Corporation")  # changing one's mind works both ways
    assert "\nblockers:" not in path.read_text()
