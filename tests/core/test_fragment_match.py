"""The per-keystroke form matching gives what the plain loop and rapidfuzz's extract give."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from evreader.config import Config
from evreader.fragment_match import SEP, FormIndex, _word_prefix_hits_loop
from evreader.library import build_library
from evreader.search import SHORT, EntityMatch, SearchEngine

PIECES = ["nis", "san", " ", "hon", "hai", "n", "a", "motor", "ni", "toyota", "ssan", "x",
          "\u00e9", "-"]
FORM = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
FRAGMENT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map(
    lambda parts: " ".join("".join(parts).split())).filter(bool)


@given(st.lists(FORM, max_size=30), FRAGMENT)
@example(["", "nissan", "", "hon hai"], "nis")
@example(["a nissan", "nissan"], "ni")
@example([f"bad{SEP}nissan", "nissan"], "nissan")  # a separator in a form: the loop runs
def test_word_prefix_hits_are_the_loops(keys: list[str], q: str) -> None:
    assert FormIndex(keys).word_prefix_hits(q) == _word_prefix_hits_loop(keys, q)


@settings(max_examples=60)
@given(st.lists(FORM, max_size=30), FRAGMENT)
@example(["nissan", "nissan", "nisan", "nissan motor"], "nissan")  # ties keep form order
def test_fuzzy_scores_come_in_extracts_order_with_its_values(keys: list[str], q: str) -> None:
    forms = FormIndex(keys)
    for scorer, cutoff in ((fuzz.ratio, 75), (fuzz.partial_ratio, 85)):
        want = [(i, float(score)) for _, score, i in
                process.extract(q, keys, scorer=scorer, limit=None, score_cutoff=cutoff)]
        assert forms.scores(q, scorer, cutoff) == want


def _lookup_plain(engine: SearchEngine, q: str, kinds: list[str] | None) -> list[EntityMatch]:
    """The lookup as first written: every form scored, other kinds skipped after."""
    rows = engine._surfaces
    keys = [r[0] for r in rows]
    scores: dict[int, float] = {}
    for i, key in enumerate(keys):
        if key.startswith(q):
            scores[i] = 100.0 - min(10.0, 0.25 * (len(key) - len(q)))
        elif len(q) >= 2 and f" {q}" in key:
            scores[i] = 90.0 - min(10.0, 0.25 * (len(key) - len(q)))
    if len(q) > SHORT:
        for _, score, i in process.extract(q, keys, scorer=fuzz.ratio, limit=None,
                                           score_cutoff=75):
            scores[i] = max(scores.get(i, 0.0), float(score))
        for _, score, i in process.extract(q, keys, scorer=fuzz.partial_ratio, limit=None,
                                           score_cutoff=85):
            if len(keys[i]) >= len(q):
                scores[i] = max(scores.get(i, 0.0), float(score) * 0.9)
    best: dict[tuple[str, str], EntityMatch] = {}
    for idx, score in scores.items():
        _, form, kind, name, disc = rows[idx]
        if kinds is not None and kind not in kinds:
            continue
        count = engine.index.article_count(kind, name)
        if count == 0:
            continue
        prev = best.get((kind, name))
        if prev is None or score > prev.score:
            best[(kind, name)] = EntityMatch(kind, name, score, count, form, disc)
    return sorted(best.values(), key=lambda m: (-m.score, -m.count, m.name.lower()))[:50]


def test_lookup_by_kind_equals_scoring_every_form(seeds_config: Config) -> None:
    engine = build_library(seeds_config, use_cache=False).engine
    rows = engine._surfaces
    fragments = {r[0][:k] for r in rows[::7] for k in (1, 2, 3, 4, 6, 9)} | {
        "nisan", "hon hai", "vietnam", "batery", "georgia"}
    for kinds in (["company"], None, ["country", "person"], ["theme"]):
        for q in sorted(fragments):
            q = " ".join(q.split())
            if q:
                assert engine.lookup(q, kinds, limit=50) == _lookup_plain(engine, q, kinds), q


def test_a_minimum_score_keeps_the_matches_that_reach_it(seeds_config: Config) -> None:
    """Search names entities by lookup(min_score=88); the raised fuzzy cutoffs lose none.

    Which of an entity's forms is reported as `matched` may differ where two of its
    forms score the same (forms below the cutoffs are not looked at): not compared."""
    engine = build_library(seeds_config, use_cache=False).engine
    rows = engine._surfaces
    fragments = {r[0][:k] for r in rows[::5] for k in (4, 5, 7, 10, 40)} | {
        "nisan motor", "hon hai", "foxcon", "vietnam", "solid state"}
    for q in sorted(fragments):
        q = " ".join(q.split())
        if len(q) > SHORT:
            for limit in (5, 50):
                want = [(m.kind, m.name, m.score, m.count)
                        for m in engine.lookup(q, limit=limit) if m.score >= 88]
                got = engine.lookup(q, limit=limit, min_score=88)
                assert [(m.kind, m.name, m.score, m.count) for m in got] == want, q
