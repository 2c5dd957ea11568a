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
from hypothesis import example, given
from hypothesis import strategies as st

from evreader.extract import matcher, patterns, scan_py
from evreader.extract.matcher import fold
from evreader.extract.patterns import CUES, find_companies, find_people
from evreader.gazetteer import load_gazetteer
from evreader.index import postings

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
compiled_scan = pytest.mark.skipif(not matcher.COMPILED, reason="C scanner not built")
compiled_csr = pytest.mark.skipif(postings.CSR is None, reason="C postings helper not built")


def test_compiled_helpers_are_built_in_ci() -> None:
    """`make test` installs with a C compiler; a silent fallback would hide a 3x slowdown."""
    if not os.environ.get("CI"):
        pytest.skip("only required where CI is set")
    from evreader.cli.main import compiled_helpers
    assert matcher.COMPILED and postings.CSR is not None
    assert all(compiled_helpers().values()), compiled_helpers()


WORDS = ["ford", "Ford", "U.S.", "us", "Hon Hai", "hon-hai", "Level 2+", "Level 2", "São Paulo",
         "Co.", "Motor Co.", "Σίσυφος", "İstanbul", "x_y", "Nissan", "NIO", "a  b", "2025"]
CHARS = st.sampled_from([*"abcxyzABCXYZ019 .,-+’'_()\n\tßéİΣσς", "Ford", "U.S.", "Hon", "Hai",
                         " Co.", "Level 2"])
TEXT = st.lists(CHARS, max_size=80).map("".join)
SURFACES = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(["any", "cap", "exact"]),
                              st.sampled_from(["plain", "block", "ambiguous"])), max_size=8)


PAYLOADS: dict[str, Any] = {"plain": lambda t: (("company", t),), "block": lambda t: None,
                            "ambiguous": lambda t: (("country", t), ("company", t))}


def _trie(surfaces: list[tuple[str, str, str]]) -> dict[str, Any]:
    return scan_py.build_trie([(fold(t), t, case, PAYLOADS[how](t)) for t, case, how in surfaces])


def _run(make: Any, trie: dict[str, Any], fields: list[tuple[str, int]], cues: Any,
         ) -> tuple[list[Any], list[str], tuple[bytes, bytes, bytes, bytes]]:
    """Scan (text, mark) fields with a fresh scanner; -1 as mark closes an article."""
    scanner = make(trie, cues)
    out: list[Any] = []
    for text, mark in fields:
        if mark < 0:
            scanner.next_article()
        else:
            out.append(scanner.scan(text, fold(text), mark, len(out)))
    scanner.next_article()
    return out, scanner.words(), scanner.arrays()


FIELDS = st.lists(st.tuples(TEXT, st.sampled_from([-1, 0, 1, 2])), max_size=8)


@compiled_scan
@given(FIELDS, SURFACES)
@example([("x a  b, Hon Hai and hon-hai", 2)],  # a wide gap and one-space children
         [("a  b", "any", "plain"), ("Hon Hai", "cap", "plain"), ("hon-hai", "any", "block")])
def test_scanner_equals_its_python_twin(fields: list[tuple[str, int]],
                                        surfaces: list[tuple[str, str, str]]) -> None:
    trie = _trie(surfaces)
    cues = {"ford": 1, "co": 2, "level": 5}
    assert _run(matcher.SCANNER, trie, fields, cues) == _run(scan_py.Scanner, trie, fields, cues)


@compiled_scan
def test_scanner_equals_its_python_twin_on_the_seeds() -> None:
    trie = matcher.Matcher(load_gazetteer()).trie
    fields: list[tuple[str, int]] = []
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        fields += [(text[:200], 1), (text, 2), ("", -1)]
    got = _run(matcher.SCANNER, trie, fields, CUES)
    assert got == _run(scan_py.Scanner, trie, fields, CUES)
    assert all(rows for rows, _, _ in got[0][1::2]), "a seed without gazetteer hits proves nothing"


def test_word_lists_are_distinct_per_article_in_first_seen_order() -> None:
    for make in {matcher.SCANNER, scan_py.Scanner}:
        _, words, arrays = _run(make, {}, [("B a b", 1), ("c a", 2), ("", -1), ("a", 2),
                                           ("", 0)], None)
        t_ptr, t_ids, h_ptr, h_ids = (np.frombuffer(b, dtype=np.int32).tolist() for b in arrays)
        assert words == ["b", "a", "c"]
        assert (t_ptr, t_ids, h_ptr, h_ids) == ([0, 3, 4], [0, 1, 2, 1], [0, 2, 2], [0, 1])


ROWS = st.lists(st.tuples(  # equal strings as distinct objects too: keys are equal by value
                          st.sampled_from(["company", "person", None]).map(
                              lambda k: k if k is None else "".join(k)),
                          st.sampled_from(["Ford", "Lee", "Ford "]).map(lambda n: "".join(n)),
                          st.integers(0, 2**31 - 1), st.integers(0, 9), st.integers(0, 2),
                          st.booleans()), max_size=30)


@compiled_scan
@given(ROWS)
def test_columns_equal_their_python_twin(rows: list[tuple[Any, Any, int, int, int, bool]]
                                         ) -> None:
    assert matcher.COLUMNS(rows) == scan_py.columns(rows)


@compiled_scan
def test_columns_refuse_bad_rows() -> None:
    with pytest.raises(TypeError):
        matcher.COLUMNS([("company", "Ford", 1, 2)])
    with pytest.raises(OverflowError):
        matcher.COLUMNS([("company", "Ford", 2**31, 2, 1, False)])


@compiled_scan
def test_scanner_refuses_bad_input_with_exceptions() -> None:
    with pytest.raises(ValueError):
        matcher.SCANNER({}, None).scan("abc", "ab", 0, 1)
    with pytest.raises(ValueError):
        matcher.SCANNER({}, None).scan("abc", "abc", 3, 1)
    with pytest.raises(TypeError):
        matcher.SCANNER({"ford": ("not", "a node")}, None).scan("ford", "ford", 0, 1)
    with pytest.raises(TypeError):
        matcher.SCANNER({"ford": (((0, "Ford"),), None, None)}, None).scan("ford", "ford", 0, 1)
    with pytest.raises(TypeError):
        matcher.SCANNER({}, ["not", "a dict"])
    with pytest.raises(TypeError):  # a child table that is not a dict, found when made
        matcher.SCANNER({"ford": ((), "not a dict", None)}, None)
    with pytest.raises(TypeError):  # a wide key that is not (gap, word)
        matcher.SCANNER({"ford": ((), None, {"x": ((), None, None)})}, None)
    loop: dict[str, Any] = {}
    loop["ford"] = ((), loop, None)
    with pytest.raises(ValueError):  # a cycle is refused, not followed forever
        matcher.SCANNER(loop, None)


@compiled_scan
@pytest.mark.parametrize("bad", [
    ("not", "a node"),                                   # not (surfaces, children, wide)
    (((0, "Motor", (("company", "Ford Motor"),)),), None, None),   # a surface of 3
    (((0, 7, (("company", "Ford Motor"),), ""),), None, None),      # text not a str
    (((0, "Motor", (("company", "Ford Motor"),), None),), None, None),  # tail not a str
])
def test_scanner_checks_a_child_node_put_in_after_it_was_made(bad: Any) -> None:
    """The trie is checked whole when a Scanner is made; a child table changed after
    gives a TypeError when its node is reached, never a crash."""
    children: dict[str, Any] = {"motor": (((0, "Ford Motor", (("company", "Ford Motor"),),
                                            ""),), None, None)}
    scanner = matcher.SCANNER({"ford": ((), children, None)}, None)
    assert scanner.scan("Ford Motor", "ford motor", 0, 1)[0] == \
        [("company", "Ford Motor", 0, 10, 1, False)]
    children["motor"] = bad
    with pytest.raises(TypeError):
        scanner.scan("Ford Motor", "ford motor", 0, 1)


def test_trailing_punctuation_joins_a_hit_only_when_present() -> None:
    trie = _trie([("U.S.", "exact", "plain")])
    for make in {matcher.SCANNER, scan_py.Scanner}:
        scanner = make(trie, None)
        assert scanner.scan("the U.S. and", "the u.s. and", 0, 1)[0] == \
            [("company", "U.S.", 4, 8, 1, False)]
        assert scanner.scan("the U.S and", "the u.s and", 0, 1)[0] == \
            [("company", "U.S.", 4, 7, 1, False)]


PROSE = st.lists(st.sampled_from([
    "automaker", "Quillon", "Motor", "Corporation", "(QMC)", "QMC", "firm", "Zentra", "Co.",
    "the", "EV", "maker", "start-up", "startup", "Volt", "Group", ",", "said", "Ltd", "AG",
    "company", "Company", "supplier", "Brightcell", "Batteries", "car", "chip", "maker's",
]), max_size=40).map(" ".join)


def _cues(text: str) -> list[tuple[int, int]]:
    cue_hits: list[tuple[int, int]] = scan_py.Scanner({}, CUES).scan(text, fold(text), 0, 1)[1]
    return cue_hits


@given(PROSE)
def test_company_cues_find_what_a_full_regex_scan_finds(text: str) -> None:
    assert list(find_companies(text, _cues(text))) == list(find_companies(text))


compiled_companies = pytest.mark.skipif(patterns.COMPANIES is None,
                                        reason="C company rules not built")
ODD_COMPANY_WORDS = st.sampled_from([
    "AT&T", "e-Tron", "U.S.", "Nissan’s", "Volt's", "The", "Its", "New", "(ABC)", "(XMC)", "XMC",
    "XMCx", "_XMC", ".", "’", "-", "Motor", "Co.", "Corp.", "Inc.", "Motors", "Holdings", "Group",
    "automaker", "firm", "supplier", "Quillon", "Zentra", "Volt", "Ōta", "x" * 30, "ev", "maker",
    "A", "Chinese", "Rival", "GmbH", "plc", "Ltd.", "Ltd..", "Mining", "Lithium", "Batteries",
])
ODD_COMPANY_PROSE = st.lists(st.tuples(ODD_COMPANY_WORDS, st.sampled_from([" ", " ", "", "  ",
                                                                           "\n", ", "])),
                             max_size=40).map(lambda pairs: "".join(w + sep for w, sep in pairs))


@compiled_companies
@given(ODD_COMPANY_PROSE | PROSE)
@example("automaker Nissan’s Quillon Motor Co. (XMC) said XMC and _XMC XMCx")
@example("AT&T Motors e-Tron Group U.S. Steel Corp. The New Quillon Holdings")
def test_the_compiled_company_rules_equal_their_python_twin(text: str) -> None:
    cues = _cues(text)
    assert patterns.find_companies(text, cues) == patterns._find_companies_py(text, cues)
    assert patterns.find_companies(text, cues) == patterns._find_companies_py(text, None)


@compiled_companies
def test_the_compiled_company_rules_refuse_bad_cues() -> None:
    with pytest.raises(TypeError):
        patterns.find_companies("automaker Zentra", [(0, "x")])  # type: ignore[list-item]


PEOPLE_PROSE = st.lists(st.sampled_from([
    "CEO", "Chief", "Executive", "chief", "executive", "officer", "Mary", "Barra", "Seiji",
    "Sugiura", "de", "Vries", "Tesla", "said", ",", ", a", "senior", "analyst", "at", "the",
    "co-founder", "vice-president", "Vice", "President", "who", "heads", "Nissan", "Prime",
    "Minister", "Anna", "Lee", "Lee,", "Sugiura,", "Barra,", "spokeswoman", "(CEO", "Xceo",
    "proceo", "Barra's", "Müller", "O'Neil", "Jean-Luc", "and", "its", "former", "said.",
    "2024", "Inc.", "\n", "Ōta", "—", "van", "Dyke",
]), max_size=40).map(" ".join)


@given(PEOPLE_PROSE)
@example("Tesla CEO Mary Barra said Barra , a senior analyst")
@example("Seiji Sugiura, a senior analyst at Nissan and Anna Lee, who heads Tesla")
@example("the former Prime Minister Anna Lee and co-founder Jean-Luc Müller")
def test_title_cues_find_the_people_a_full_scan_finds(text: str) -> None:
    assert list(find_people(text, _cues(text))) == list(find_people(text))


@given(st.lists(st.sampled_from([
    "Anna Lee,", "Bo Chen,", "a", "the", "its", "senior", "analyst", "who", "heads", "leads",
    "former", "co-founder", "Chief", "chief", "financial", "Vice", "president", "vice-president",
    "ſenior", "İ", "analyſt", "CEO", "ceo", "x_y", "(", ".", "—", "Tesla", "\u212aEO", "whom",
    "well-known", "long-time",
]), max_size=14).map(" ".join))
@example("Anna Lee, a senior analyst")
@example("Anna Lee, who heads Tesla")
@example("Anna Lee, a senior analyſt")  # re.I reads ſ as s; folding keeps it
@example("Anna Lee, the former chief financial")
@example("Anna Lee, a well-known analyst")  # a hyphenated word before the title
def test_the_appositive_pretest_keeps_every_appositive(text: str) -> None:
    """With cues, an appositive is looked for only where a title cue or "who " follows."""
    assert list(find_people(text, _cues(text))) == list(find_people(text))
    assert patterns._find_people_py(text, _cues(text)) == patterns._find_people_py(text, None)


NAMES_TEXT = st.lists(st.sampled_from([*"aZ ,.’'-", "de ", "del ", "van", "Al ", "al ", "Anna",
                                       "Lee", "McLaren", "Ōta", "Émile", "é", "ÿ", "Ø", "\n",
                                       "  ", "Jean-Luc", "D'Arcy", "x"]), max_size=40).map("".join)


@compiled_scan
@given(NAMES_TEXT, st.lists(st.integers(0, 80), max_size=5))
@example("x" * 45 + " Anna Lee a", [5])  # the run is at 46..54: titles 6..53 are near
@example("x" * 45 + " Anna Lee a", [6])
@example("x" * 45 + " Anna Lee a", [53])
@example("x" * 45 + " Anna Lee a", [54])
@example("Anna al Lee, Bo bin Chen, Cy van Dyke, Di von Eck, Ed da Fo, Fy del Go, Gu de Ha", [])
@example("Anna LeeBo Chen and Al Go", [])  # a run starting where one ends
def test_name_runs_equal_their_python_twin(text: str, titles: list[int]) -> None:
    from evreader.extract import _scan
    assert _scan.name_runs(text, None) == patterns._name_runs_py(text, None)
    assert _scan.name_runs(text, sorted(titles)) == patterns._name_runs_py(text, sorted(titles))


compiled_people = pytest.mark.skipif(patterns.PEOPLE is patterns._find_people_py,
                                     reason="C people rule not built")
ODD_PROSE = st.lists(st.sampled_from([
    "CEO", "ceo,", ",CEO", "Chief", "Executive", "Officer", "Mary", "Barra", "Anna", "Lee",
    "Sugiura", "de", "Vries", ",", ", a", ", the", ", its", "senior", "analyst", "who", "heads",
    "Vice", "President", "vice", "president", "Prime", "Minister", "Managing", "Director",
    "\u212aEO", "spo\u212aesman", "İ", "ſenior", "Lee,", "Leeds", "Lee_", "xLee", "Barra's",
    "The", "Group", "Motor", "Said", "Jo", "Ōta", "\n", "\t", "\xa0", "x" * 30, "Ann Lee Bob Cox",
    "Head", "Officer", "chief executive officer", "Chen", "Chen.", "Wong",
    "Ab Cd Ef Gh Ij Kl Mn Op Qr St Uv Wx Yz",
]), max_size=50).map(lambda words: " ".join(words))


@compiled_people
@given(ODD_PROSE | PEOPLE_PROSE)
@example("Tesla CEO Mary Barra said Barra , a senior analyst")
@example("chief executive officer Anna Lee, who heads Lee and Lee_ Lee")
@example(" ".join(["Ab"] * 40) + " CEO Anna Lee")  # a run of more words than the stack holds
@example("x" * 39 + "CEO Anna Lee Barra")  # the window cuts a word in two
@example("CEO Anna Chen said Chen. Wong")  # a four-letter surname counts
def test_the_compiled_people_rule_equals_its_python_twin(text: str) -> None:
    for cues in (_cues(text), None):
        assert patterns.PEOPLE(text, cues) == patterns._find_people_py(text, cues)


@compiled_people
def test_the_compiled_people_rule_refuses_bad_arguments() -> None:
    with pytest.raises(TypeError):
        patterns.PEOPLE("CEO Anna Lee", [(0, "x")])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        patterns.PEOPLE("CEO Anna Lee", [0])  # type: ignore[list-item]


def test_the_people_examples_find_people() -> None:
    """The examples above are not vacuous: each finds somebody."""
    for text in ("Tesla CEO Mary Barra said Barra , a senior analyst",
                 "Seiji Sugiura, a senior analyst at Nissan and Anna Lee, who heads Tesla",
                 "the former Prime Minister Anna Lee and co-founder Jean-Luc Müller"):
        assert list(find_people(text, _cues(text)))


KEYS = st.lists(st.integers(0, 40), max_size=300)


@compiled_csr
@given(KEYS)
def test_counting_sort_equals_a_stable_argsort(keys: list[int]) -> None:
    arr = np.asarray(keys, dtype=np.int32)
    assert postings.stable_order(arr, 41).tolist() == np.argsort(arr, kind="stable").tolist()


@given(st.lists(st.lists(st.integers(0, 30), max_size=12), max_size=40))
def test_postings_and_pairs_match_a_brute_force(rows: list[list[int]]) -> None:
    ptr = np.zeros(len(rows) + 1, dtype=np.int32)
    ptr[1:] = np.cumsum([len(r) for r in rows])
    cols = np.asarray([c for r in rows for c in r], dtype=np.int32)
    col_ptr, col_rows = postings.transpose(ptr, cols, 31)
    for c in range(31):
        want = [i for i, r in enumerate(rows) for x in r if x == c]
        assert col_rows[col_ptr[c]:col_ptr[c + 1]].tolist() == want
    pair_art, pair_ent = postings.unique_pairs(ptr, cols, 31, block=7)
    want_pairs = sorted({(i, x) for i, r in enumerate(rows) for x in r})
    assert list(zip(pair_art.tolist(), pair_ent.tolist(), strict=True)) == want_pairs


@compiled_csr
@given(st.lists(st.integers(0, 9), max_size=60), st.lists(st.integers(-3, 12), max_size=60))
def test_gather_and_column_starts_equal_numpy(table: list[int], idx: list[int]) -> None:
    t = np.asarray(table, dtype=np.int32)
    i = np.asarray(idx, dtype=np.int32)
    out = np.empty(len(i), dtype=np.int32)
    if all(0 <= x < len(t) for x in idx):
        postings.CSR.gather(t, i, out)
        assert out.tolist() == np.take(t, i).tolist()
    else:
        with pytest.raises(IndexError):
            postings.CSR.gather(t, i, out)
    starts = np.empty(11, dtype=np.int64)
    postings.CSR.column_starts(t, starts)
    assert starts.tolist() == [0, *np.cumsum(np.bincount(t, minlength=10)).tolist()]
    with pytest.raises(ValueError):
        postings.CSR.column_starts(np.asarray([0, 10], dtype=np.int32), starts)


@compiled_csr
def test_invert_refuses_bad_columns_and_row_pointers() -> None:
    # Its loop runs without the GIL and reports a problem once the GIL is back.
    starts = np.asarray([0, 1, 2], dtype=np.int64)
    out = np.empty(2, dtype=np.int32)
    with pytest.raises(ValueError, match="column out of range"):
        postings.CSR.invert(np.asarray([0, 2], np.int32), np.asarray([0, 2], np.int32), starts,
                           out)
    with pytest.raises(ValueError, match="bad row pointers"):
        postings.CSR.invert(np.asarray([0, 3], np.int32), np.asarray([0, 1], np.int32),
                           starts.copy(), out)
    fine = np.asarray([0, 1, 2], dtype=np.int64)
    postings.CSR.invert(np.asarray([0, 1, 2], np.int32), np.asarray([1, 0], np.int32), fine, out)
    assert out.tolist() == [1, 0]


@compiled_csr
def test_counting_sort_refuses_out_of_range_keys() -> None:
    with pytest.raises(ValueError):
        postings.stable_order(np.asarray([0, 5], dtype=np.int32), 3)
    with pytest.raises(TypeError):
        postings.CSR.counting_order(np.zeros(3, dtype=np.int64), 3, np.zeros(3, np.int32))


def test_a_build_without_the_compiled_helpers_gives_the_same_index(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from evreader import textsafe
    from evreader.config import Config, SourceSpec
    from evreader.ingest import load, meta
    from evreader.library import build_library

    config = Config(sources=(SourceSpec(SEEDS),))
    fast = build_library(config, use_cache=False).index
    monkeypatch.setattr(matcher, "SCANNER", scan_py.Scanner)
    monkeypatch.setattr(matcher, "COLUMNS", scan_py.columns)
    monkeypatch.setattr(patterns, "NAME_RUNS", patterns._name_runs_py)
    monkeypatch.setattr(patterns, "PEOPLE", patterns._find_people_py)
    monkeypatch.setattr(patterns, "COMPANIES", None)
    monkeypatch.setattr(postings, "CSR", None)
    monkeypatch.setattr(meta, "BYLINE", None)
    monkeypatch.setattr(load, "UTF8", textsafe._utf8_py)
    slow = build_library(config, use_cache=False).index
    assert len(fast) == len(slow) > 0
    assert [(e.kind, e.name) for e in fast.entities] == [(e.kind, e.name) for e in slow.entities]
    assert fast.vocab == slow.vocab
    for name in ("m_ptr", "m_ent", "m_start", "m_end", "e_ptr", "e_art", "t_ptr", "t_art",
                 "h_ptr", "h_art", "pair_art", "pair_ent", "day", "order"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name
    assert [fast.as_dict(i) for i in range(len(fast))] == [slow.as_dict(i)
                                                           for i in range(len(slow))]
    assert any(fast.articles[i].authors for i in range(len(fast)))
