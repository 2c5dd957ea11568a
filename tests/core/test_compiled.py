"""The compiled helpers against their pure-Python twins: same inputs, same outputs.

The C scanner and counting sort exist only for speed; `scan_py` and numpy define
what they must return, and these properties hold them to it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evreader.extract import matcher, scan_py
from evreader.extract.matcher import fold
from evreader.extract.patterns import CUES, find_companies
from evreader.gazetteer import load_gazetteer
from evreader.index import corpus

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
compiled_scan = pytest.mark.skipif(not matcher.COMPILED, reason="C scanner not built")
compiled_csr = pytest.mark.skipif(corpus._CSR is None, reason="C postings helper not built")


def test_compiled_helpers_are_built_in_ci() -> None:
    """`make test` installs with a C compiler; a silent fallback would hide a 3x slowdown."""
    if not os.environ.get("CI"):
        pytest.skip("only required where CI is set")
    assert matcher.COMPILED and corpus._CSR is not None


WORDS = ["ford", "Ford", "U.S.", "us", "Hon Hai", "hon-hai", "Level 2+", "Level 2", "São Paulo",
         "Co.", "Motor Co.", "Σίσυφος", "İstanbul", "x_y", "Nissan", "NIO", "a  b", "2025"]
CHARS = st.sampled_from([*"abcxyzABCXYZ019 .,-+’'_()\n\tßéİΣσς", "Ford", "U.S.", "Hon", "Hai",
                         " Co.", "Level 2"])
TEXT = st.lists(CHARS, max_size=80).map("".join)
SURFACES = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["any", "cap", "exact"]),
                              st.booleans()), max_size=8)


def _trie(surfaces: list[tuple[str, str, bool]]) -> dict[str, Any]:
    return scan_py.build_trie([(fold(t), t, case, None if block else (("company", t),))
                               for t, case, block in surfaces])


@compiled_scan
@given(TEXT, SURFACES, st.booleans())
def test_scanner_equals_its_python_twin(text: str, surfaces: list[tuple[str, str, bool]],
                                        with_vocab: bool) -> None:
    trie = _trie(surfaces)
    cues = {"ford": 1, "co": 2, "level": 1}
    vocab_c: dict[str, int] | None = {"seen": 0} if with_vocab else None
    vocab_py: dict[str, int] | None = {"seen": 0} if with_vocab else None
    got = matcher.scan(text, fold(text), trie, vocab_c, cues)
    want = scan_py.scan(text, fold(text), trie, vocab_py, cues)
    assert got == want
    assert vocab_c == vocab_py


@compiled_scan
def test_scanner_equals_its_python_twin_on_the_seeds() -> None:
    trie = matcher.Matcher(load_gazetteer()).trie
    vocab_c: dict[str, int] = {}
    vocab_py: dict[str, int] = {}
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        got = matcher.scan(text, fold(text), trie, vocab_c, CUES)
        assert got == scan_py.scan(text, fold(text), trie, vocab_py, CUES)
        assert got[1], f"no gazetteer hit in {path.name}: the comparison would prove nothing"
    assert vocab_c == vocab_py


@compiled_scan
def test_scanner_refuses_bad_input_with_exceptions() -> None:
    with pytest.raises(ValueError):
        matcher.scan("abc", "ab", {}, None, None)
    with pytest.raises(TypeError):
        matcher.scan("ford", "ford", {"ford": ("not", "a node")}, None, None)
    with pytest.raises(TypeError):
        matcher.scan("ford", "ford", {"ford": (((0, "Ford"),), None, None)}, None, None)


def test_trailing_punctuation_joins_a_hit_only_when_present() -> None:
    trie = _trie([("U.S.", "exact", False)])
    assert matcher.scan("the U.S. and", "the u.s. and", trie, None, None)[1] == \
        [(4, 8, (("company", "U.S."),))]
    assert matcher.scan("the U.S and", "the u.s and", trie, None, None)[1] == \
        [(4, 7, (("company", "U.S."),))]


PROSE = st.lists(st.sampled_from([
    "automaker", "Quillon", "Motor", "Corporation", "(QMC)", "QMC", "firm", "Zentra", "Co.",
    "the", "EV", "maker", "start-up", "startup", "Volt", "Group", ",", "said", "Ltd", "AG",
    "company", "Company", "supplier", "Brightcell", "Batteries", "car", "chip", "maker's",
]), max_size=40).map(" ".join)


@given(PROSE)
def test_company_cues_find_what_a_full_regex_scan_finds(text: str) -> None:
    cues = scan_py.scan(text, fold(text), {}, None, CUES)[2]
    assert list(find_companies(text, cues)) == list(find_companies(text))


KEYS = st.lists(st.integers(0, 40), max_size=300)


@compiled_csr
@given(KEYS)
def test_counting_sort_equals_a_stable_argsort(keys: list[int]) -> None:
    arr = np.asarray(keys, dtype=np.int32)
    assert corpus.stable_order(arr, 41).tolist() == np.argsort(arr, kind="stable").tolist()


@given(st.lists(st.lists(st.integers(0, 30), max_size=12), max_size=40))
def test_postings_and_pairs_match_a_brute_force(rows: list[list[int]]) -> None:
    ptr = np.zeros(len(rows) + 1, dtype=np.int32)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    cols = np.asarray([c for r in rows for c in r], dtype=np.int32)
    col_ptr, col_rows = corpus._transpose(ptr, cols, 31)
    for c in range(31):
        want = [i for i, r in enumerate(rows) for x in r if x == c]
        assert col_rows[col_ptr[c]:col_ptr[c + 1]].tolist() == want
    pair_art, pair_ent = corpus._unique_pairs(ptr, cols, 31, block=7)
    want_pairs = sorted({(i, x) for i, r in enumerate(rows) for x in r})
    assert list(zip(pair_art.tolist(), pair_ent.tolist(), strict=True)) == want_pairs


@compiled_csr
def test_counting_sort_refuses_out_of_range_keys() -> None:
    with pytest.raises(ValueError):
        corpus.stable_order(np.asarray([0, 5], dtype=np.int32), 3)
    with pytest.raises(TypeError):
        corpus._CSR.counting_order(np.zeros(3, dtype=np.int64), 3, np.zeros(3, np.int32))


def test_a_build_without_the_compiled_helpers_gives_the_same_index(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from evreader.config import Config, SourceSpec
    from evreader.library import build_library

    config = Config(sources=(SourceSpec(SEEDS),))
    fast = build_library(config, use_cache=False).index
    monkeypatch.setattr(matcher, "scan", scan_py.scan)
    monkeypatch.setattr(corpus, "_CSR", None)
    slow = build_library(config, use_cache=False).index
    assert len(fast) == len(slow) > 0
    assert [(e.kind, e.name) for e in fast.entities] == [(e.kind, e.name) for e in slow.entities]
    assert fast.vocab == slow.vocab
    for name in ("m_ptr", "m_ent", "m_start", "m_end", "e_ptr", "e_art", "t_ptr", "t_art",
                 "h_ptr", "h_art", "pair_art", "pair_ent"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
