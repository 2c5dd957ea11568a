"""Facet counts gathered by article runs equal counting over every pair."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from evreader.index.facets import PairRuns


@st.composite
def pairs_and_mask(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    n = draw(st.integers(1, 40))
    n_ent = draw(st.integers(1, 12))
    pairs = sorted(set(draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n_ent - 1)),
                                     max_size=120))))
    if draw(st.booleans()):  # also pairs not in article order: the plain count is used
        pairs = draw(st.permutations(pairs))
    art = np.array([a for a, _ in pairs], dtype=np.int32)
    ent = np.array([e for _, e in pairs], dtype=np.int32)
    density = draw(st.sampled_from([0.0, 0.05, 0.2, 0.5, 1.0]))
    mask = np.array([draw(st.floats(0, 1)) < density for _ in range(n)], dtype=bool)
    return art, ent, mask, n_ent


@given(pairs_and_mask())
def test_counts_by_runs_equal_counting_every_pair(case: tuple) -> None:  # type: ignore[type-arg]
    art, ent, mask, n_ent = case
    runs = PairRuns.of(art, len(mask))
    want = np.bincount(ent[mask[art]], minlength=n_ent)
    got = runs.counts(mask, art, ent, n_ent)
    assert got.tolist() == want.tolist() and len(got) == n_ent
