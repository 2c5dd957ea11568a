"""Postings, filters, facet counts, fuzzy search and entity lookup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from evreader.config import Config, SourceSpec
from evreader.library import Library, build_library
from evreader.models import Filters
from tests.conftest import SMALL_GAZETTEER


def _write_corpus(root: Path) -> None:
    docs = {
        "a.jsonl": [
            ("Nissan and Honda in Japan", "Nissan and Honda talk batteries in Japan.",
             "2024-01-10"),
            ("Nissan in China", "Nissan sells cars in China. Charging grows.", "2024-06-01"),
            ("Honda in the US", "Honda builds a battery plant in the US.", "2023-03-05"),
            ("Foxconn and Nissan", "Hon Hai, known as Foxconn, courts Nissan in Japan.",
             "2025-02-02"),
            ("Tesla chargers", "Tesla opens chargers in China and the US.", None),
        ]
    }
    import json
    for name, rows in docs.items():
        lines = [json.dumps({"title": t, "text": x, "published": d}) for t, x, d in rows]
        (root / name).write_text("\n".join(lines) + "\n")


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    _write_corpus(tmp_path)
    return build_library(Config(sources=(SourceSpec(tmp_path),), gazetteer=SMALL_GAZETTEER))


def titles(lib: Library, idx: list[int]) -> list[str]:
    return [lib.article(i).title for i in idx]


def test_default_order_newest_first_undated_last(lib: Library) -> None:
    assert titles(lib, lib.select(Filters())) == [
        "Foxconn and Nissan", "Nissan in China", "Nissan and Honda in Japan", "Honda in the US",
        "Tesla chargers"]


def test_or_within_kind_and_across_kinds(lib: Library) -> None:
    f = Filters(entities=(("company", "Nissan"), ("company", "Honda")))
    assert len(lib.select(f)) == 4
    f = f.with_entity("country", "Japan")
    assert sorted(titles(lib, lib.select(f))) == ["Foxconn and Nissan", "Nissan and Honda in Japan"]
    f = f.with_entity("country", "China")  # Japan OR China
    assert len(lib.select(f)) == 3
    assert lib.select(Filters(entities=(("company", "Tesla"), ("company", "Foxconn"),
                                        ("theme", "Charging")))) != []


def test_exclusions_and_dates(lib: Library) -> None:
    f = Filters(entities=(("company", "Nissan"),), exclude=(("country", "China"),))
    assert "Nissan in China" not in titles(lib, lib.select(f))
    f = Filters(since=date(2024, 1, 1), until=date(2024, 12, 31))
    assert sorted(titles(lib, lib.select(f))) == ["Nissan and Honda in Japan", "Nissan in China"]


def test_facet_counts_follow_filters(lib: Library) -> None:
    idx = lib.index
    all_counts = idx.facet_counts(lib.mask(Filters()))
    assert all_counts[idx.entity_ids("company", "Nissan")[0]] == 3
    japan = Filters(entities=(("country", "Japan"),))
    counts = idx.facet_counts(lib.mask(japan))
    assert counts[idx.entity_ids("company", "Nissan")[0]] == 2
    assert counts[idx.entity_ids("company", "Tesla")[0]] == 0
    # Counts equal a brute-force recount from the articles' own entity lists.
    sel = lib.select(japan)
    for info, n in idx.top_entities(counts, "company"):
        assert n == sum(1 for i in sel if info.name in idx.entity_names(i)["company"])


def test_toggle_and_describe() -> None:
    f = Filters().toggled("company", "Nissan").toggled("country", "Japan")
    assert f.describe() == "company:Nissan country:Japan"
    assert f.toggled("company", "Nissan").entities == (("country", "Japan"),)
    assert not Filters().active and f.active


@pytest.mark.parametrize(("query", "expected"), [
    ("nisan", {"Nissan and Honda in Japan", "Nissan in China", "Foxconn and Nissan"}),
    ("foxcon", {"Foxconn and Nissan"}),
    ("hon hai", {"Foxconn and Nissan"}),
    ("chargers", {"Tesla chargers"}),
    ("batery plant", {"Honda in the US"}),
])
def test_fuzzy_search(lib: Library, query: str, expected: set[str]) -> None:
    got = titles(lib, [h.article for h in lib.engine.search(query)])
    assert expected <= set(got)
    assert set(got[: len(expected)]) == expected  # the expected ones rank first


def test_search_is_and_across_words(lib: Library) -> None:
    got = titles(lib, [h.article for h in lib.engine.search("nissan china")])
    assert got[0] == "Nissan in China"
    assert "Honda in the US" not in got


def test_short_query_uses_prefix(lib: Library) -> None:
    got = set(titles(lib, [h.article for h in lib.engine.search("tes")]))
    assert got == {"Tesla chargers"}


def test_search_respects_candidates(lib: Library) -> None:
    mask = lib.index.mask_for(Filters(entities=(("country", "China"),)))
    got = titles(lib, [h.article for h in lib.engine.search("nissan", candidates=mask)])
    assert got == ["Nissan in China"]


def test_no_match_and_odd_queries(lib: Library) -> None:
    for q in ["", "   ", "zzzzqqq", "[/]", "\x1b[2J", "a" * 5000, "🚗", "((("]:
        assert isinstance(lib.engine.search(q), list)
        assert isinstance(lib.engine.lookup(q), list)


@pytest.mark.parametrize(("fragment", "name"), [
    ("nisan", "Nissan"), ("hon hai", "Foxconn"), ("foxc", "Foxconn"), ("n", "Nissan"),
    ("NISSAN", "Nissan"), ("hond", "Honda"), ("tesal", "Tesla"),
])
def test_company_lookup(lib: Library, fragment: str, name: str) -> None:
    matches = lib.engine.lookup(fragment, ["company"], limit=5)
    assert matches and matches[0].name == name
    assert matches[0].count == lib.index.article_count("company", name)


def test_lookup_letter_by_letter_keeps_target_on_top(lib: Library) -> None:
    for n in range(1, len("nissan") + 1):
        top = lib.engine.lookup("nissan"[:n], ["company"], limit=3)
        assert top[0].name == "Nissan", "nissan"[:n]


def test_lookup_kinds(lib: Library) -> None:
    assert lib.engine.lookup("japn", ["country"])[0].name == "Japan"
    assert lib.engine.lookup("chargng", ["theme"])[0].name == "Charging"


def test_postings_match_mentions(lib: Library) -> None:
    idx = lib.index
    for info in idx.entities:
        arts = set(idx.postings(info.id).tolist())
        brute = {i for i in range(len(idx)) if any(
            m.kind == info.kind and m.name == info.name and m.discovered == info.discovered
            for m in idx.mentions(i))}
        assert arts == brute
    assert np.all(np.diff(idx.e_ptr) >= 0)


def test_unfiltered_facet_counts_are_every_pair_counted(seeds_config: Config) -> None:
    """With nothing filtered out the counts come from the postings; they must equal
    counting every (article, entity) pair, as a filtered view does."""
    idx = build_library(seeds_config, use_cache=False).index
    everything = np.ones(len(idx), dtype=bool)
    pairs = np.bincount(np.asarray(idx.pair_ent), minlength=len(idx.entities))
    assert idx.facet_counts(everything).tolist() == pairs.tolist()
    one_less = everything.copy()
    one_less[0] = False  # the pairs path, for comparison
    assert idx.facet_counts(one_less).tolist() == np.bincount(
        np.asarray(idx.pair_ent)[one_less[np.asarray(idx.pair_art)]],
        minlength=len(idx.entities)).tolist()


def test_best_is_the_first_lookup(tmp_path: Path) -> None:
    """`best` answers exact forms without the fuzzy scorers; it must give what
    `lookup(…, limit=1)` gives, for every form of every entity and for fragments."""
    from tests.conftest import SEEDS
    seeds = build_library(Config(sources=(SourceSpec(SEEDS),), cache_dir=tmp_path / "c",
                                 data_dir=tmp_path / "d"))
    engine = seeds.engine
    forms = {(form, kind) for _, form, kind, _, _ in engine._surfaces}
    fragments = {(f, k) for f in ("nisan", "hon hai", "NISSAN", " nissan ", "japan", "zzz",
                                  "ev", "Seiji") for k in ("company", "country", "person")}
    for fragment, kind in sorted(forms | fragments):
        first = engine.lookup(fragment, [kind], limit=1)
        assert engine.best(fragment, [kind]) == (first[0] if first else None), fragment
    assert engine.best("nissan") == engine.lookup("nissan", limit=1)[0]
