"""The reading loop's core: publishers, sort orders, facet counts that keep the other
choices of a kind, undated and unread counts, search-hit spans, `source:`.

Oracles are the fixture files themselves (tests/loop_corpus): their titles, dates
and publishers are written there, not computed by the code under test.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from evreader.config import Config, SourceSpec, parse_config
from evreader.errors import ConfigError
from evreader.highlight import highlighter
from evreader.ingest import publisher
from evreader.library import Library, build_library, open_cached
from evreader.models import Filters
from evreader.query import resolve_query
from evreader.sorting import next_sort
from tests.conftest import SMALL_GAZETTEER

LOOP = Path(__file__).resolve().parents[1] / "loop_corpus"

# Written in the fixture files (front matter, JSON, the feed, the clipping).
PUBLISHED = {
    "Nissan in talks to let Foxconn build EVs at its Oppama plant": ("2025-07-07", "Reuters"),
    "Solid-state battery pilot line starts in China": ("2025-05-12", "CnEVPost"),
    "China EV exports to Japan rise as Nissan imports a Chinese-built model":
        ("2025-04-02", "CnEVPost"),
    "Honda recalls 300,000 SUVs over brake software": ("2025-03-18", "The Associated Press"),
    "Tesla opens its largest charging hub in Georgia": ("2025-01-20", "Electrek"),
    "Foxconn and China Motor Corporation plan an EV joint venture in Taiwan":
        ("2024-11-05", "Focus Taiwan"),
    "VinFast delays its North Carolina plant to 2028": ("2024-08-01", "VnExpress International"),
    "Apple's car team moves to AI after project ends": (None, "bloomberg.com"),
    "GM and Ford weigh cheaper batteries for US trucks": (None, ""),
}
DATED_NEWEST_FIRST = [t for t, (d, _) in sorted(
    ((t, v) for t, v in PUBLISHED.items() if v[0]), key=lambda kv: kv[1][0], reverse=True)]
UNDATED = {t for t, (d, _) in PUBLISHED.items() if d is None}


def loop_config(tmp_path: Path, **changes: object) -> Config:
    config = Config(sources=(SourceSpec(LOOP),), gazetteer=SMALL_GAZETTEER, cache=False,
                    cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    return replace(config, **changes)  # type: ignore[arg-type]


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    return build_library(loop_config(tmp_path))


def titles(lib: Library, rows: list[int]) -> list[str]:
    return [lib.index.articles.titles[i] for i in rows]


# ---------------------------------------------------------------- publisher


def test_publisher_rule() -> None:
    assert publisher.named({"source": {"id": "x", "name": "Reuters"}}) == "Reuters"
    assert publisher.named({"site": "https://www.ft.com/"}) == "ft.com"
    assert publisher.named({"title": "no publisher here"}) is None
    assert publisher.site("https://www.reuters.com/a/b") == "reuters.com"
    assert publisher.site("file:///etc/passwd") is None
    assert publisher.publisher(None, None) == ""
    assert publisher.publisher("Electrek", "https://electrek.co/x") == "Electrek"
    assert publisher.key("reuters.com") == publisher.key("Reuters") == "reuters"
    assert publisher.key("The Associated Press") == "associated press"


def test_publishers_come_from_what_the_files_state(lib: Library) -> None:
    store = lib.index.articles
    got = {store.titles[i]: (store[i].published_iso(), store.publisher(i))
           for i in range(len(store))}
    assert got == PUBLISHED
    record = lib.index.as_dict(0)
    assert "publisher" in record and "source" in record  # added, nothing removed


def test_the_cache_keeps_the_publisher(tmp_path: Path) -> None:
    config = loop_config(tmp_path, cache=True)
    built = build_library(config)
    cached = open_cached(config)
    assert cached is not None
    fresh = [built.index.articles.publisher(i) for i in range(len(built.index))]
    again = [cached.index.articles.publisher(i) for i in range(len(cached.index))]
    assert again == fresh and "Reuters" in again


# ---------------------------------------------------------------- sort


def test_sort_orders_put_undated_last(lib: Library) -> None:
    newest = titles(lib, lib.select(Filters(), "newest"))
    assert newest[:len(DATED_NEWEST_FIRST)] == DATED_NEWEST_FIRST
    assert set(newest[len(DATED_NEWEST_FIRST):]) == UNDATED
    assert titles(lib, lib.select(Filters())) == newest  # relevance without a query
    oldest = titles(lib, lib.select(Filters(), "oldest"))
    assert oldest[:len(DATED_NEWEST_FIRST)] == DATED_NEWEST_FIRST[::-1]
    assert set(oldest[len(DATED_NEWEST_FIRST):]) == UNDATED
    by_title = titles(lib, lib.select(Filters(), "title"))
    assert by_title == sorted(PUBLISHED, key=str.casefold)
    by_source = [PUBLISHED[t][1] for t in titles(lib, lib.select(Filters(), "source"))]
    known = [p for p in by_source if p]
    assert known == sorted(known, key=str.casefold) and by_source[-1] == ""


def test_sort_with_a_search(lib: Library) -> None:
    filters = resolve_query("battery", lib.engine).filters
    best = lib.select(filters)
    newest = lib.select(filters, "newest")
    assert sorted(best) == sorted(newest) and len(best) >= 2
    dated = [lib.index.articles[i].published for i in newest if lib.index.articles[i].published]
    assert dated == sorted(dated, reverse=True)


def test_sort_cycle() -> None:
    assert next_sort("relevance", searching=False) == "oldest"  # relevance is newest here
    assert next_sort("title", searching=False) == "newest"
    assert next_sort("title", searching=True) == "relevance"
    assert next_sort("relevance", searching=True) == "newest"


def test_config_sort_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    assert parse_config("sort: oldest\n", path).sort == "oldest"
    with pytest.raises(ConfigError, match=r"config.yaml:2: sort must be one of relevance"):
        parse_config("cache: true\nsort: shuffled\n", path)


# ---------------------------------------------------------------- facets, counts


def test_facets_keep_the_other_choices_of_a_kind(lib: Library) -> None:
    japan = Filters(entities=(("country", "Japan"),))
    facets = lib.facets(japan)
    counts = {(e.kind, e.name): int(facets.counts[e.id]) for e in lib.index.entities}
    # Counted by hand from the fixture: Taiwan is named in 2 articles, one of them
    # about Japan; under the Japan filter Taiwan still shows all 2 (picking it adds).
    assert counts[("country", "Taiwan")] == 2
    assert counts[("country", "Japan")] == 2
    # Another kind is counted under the filter: Nissan is in both Japan articles.
    assert counts[("company", "Nissan")] == 2
    assert counts[("company", "Tesla")] == 0
    both = lib.select(Filters(entities=(("country", "Japan"), ("country", "Taiwan"))))
    assert len(both) == 3  # OR within a kind


def test_summary_counts_undated_and_unread(lib: Library) -> None:
    rows = lib.select(Filters())
    summary = lib.summary(rows)
    assert (summary.shown, summary.undated, summary.unread) == (9, 2, 9)
    assert summary.describe() == "9 articles, 2 undated"
    assert lib.state is not None
    lib.state.set_read([lib.index.articles.ids[rows[0]]])
    assert lib.summary(rows).unread == 8


# ---------------------------------------------------------------- query, highlight


def test_source_filter_in_the_query(lib: Library) -> None:
    resolved = resolve_query("source:cnevpst", lib.engine)
    assert resolved.errors == () and resolved.filters.entities == (("source", "CnEVPost"),)
    got = titles(lib, lib.select(resolved.filters))
    assert sorted(got) == sorted(t for t, (_, p) in PUBLISHED.items() if p == "CnEVPost")
    assert resolve_query("source:nosuchpaper", lib.engine).errors == (
        "no source matches 'nosuchpaper'",)
    assert titles(lib, lib.select(resolve_query("source:bloomberg", lib.engine).filters)) == [
        "Apple's car team moves to AI after project ends"]


def test_search_hits_are_the_words_that_matched(lib: Library) -> None:
    marks = highlighter(lib.engine, resolve_query('recal "brake software"', lib.engine).filters)
    text = "Honda Recalls SUVs: a recall over brake  software."
    assert [text[a:b] for a, b in marks.spans(text)] == ["Recalls", "recall", "brake  software"]
    assert not highlighter(lib.engine, Filters(entities=(("company", "Honda"),)))


def test_notes_name_the_publisher(lib: Library) -> None:
    from evreader.export import render_note
    rows = lib.select(Filters(), "newest")
    note = render_note(lib.index, rows[:1] + rows[-1:])
    assert "- Publisher: Reuters" in note
    assert note.count("- Publisher:") == 1  # the clipping states none: no line, no guess
