"""Fuzz harness for the compiled word scanner (`_scan.c`): every entry point
(Scanner(), scan, next_article, words, arrays) on hostile inputs.

Well-formed inputs must give exactly what `scan_py` gives; malformed ones may
only raise TypeError, ValueError or OverflowError; hostile callbacks may only
meet the refusal of re-entry. Under `make fuzz` this runs against the builds
with AddressSanitizer and UndefinedBehaviorSanitizer, which turn any bad read or
write, or undefined arithmetic, into a failure.
"""

from __future__ import annotations

import gc
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evreader import _native
from evreader.extract import scan_py
from evreader.extract.matcher import fold
from evreader.models import MentionRow
from tests.fuzz import budget
from tests.fuzz.hostile import ODD_CHARS, WIDE_TEXT, eq_hook, gc_chaos

SCANNER: Any = _native.SCANNER
pytestmark = pytest.mark.skipif(not _native.active().scanner, reason="C scanner not built")
REFUSALS = (TypeError, ValueError, OverflowError)

# Name words of every width, joined by gaps of one or more separators.
WORD = st.one_of(st.sampled_from(["Ford", "U", "S", "Hon", "Hai", "Level", "2", "Co", "İ", "ß",
                                  "Σίσυφος", "丁", "𠀁", "𝐀", "x", "ǅ", "Ⅷ", "٣"]),
                 st.text(st.characters(categories=["Lu", "Ll", "Lt", "Lo", "Nd", "Nl"]),
                         min_size=1, max_size=5))
GAP = st.sampled_from([" ", " ", "  ", "-", ". ", "\u00a0", "\n", "_", "’"])
NAME = st.tuples(WORD, st.lists(st.tuples(GAP, WORD), max_size=3),
                 st.sampled_from(["", ".", "+", ".)"])).map(
    lambda t: t[0] + "".join(g + w for g, w in t[1]) + t[2])
KIND = st.sampled_from(["company", "country", "theme", "person"])
PAYLOAD = st.one_of(st.none(), st.tuples(st.tuples(KIND, NAME)),
                    st.lists(st.tuples(KIND, NAME), min_size=2, max_size=3).map(tuple))
ENTRIES = st.lists(st.tuples(NAME, st.sampled_from(["any", "cap", "exact"]), PAYLOAD),
                   max_size=10)


def _trie(entries: list[tuple[str, str, Any]]) -> scan_py.Trie:
    return scan_py.build_trie([(fold(n), n, case, p) for n, case, p in entries])


@st.composite
def fields(draw: st.DrawFn, names: list[str]) -> list[tuple[str, str, int, int]]:
    """(text, low, mark, field) to scan, mark -1 closing an article. Texts mix the
    trie's names (in several cases) with hostile characters; low is mostly the
    folded text, sometimes any text of the same length."""
    pieces = st.one_of(WIDE_TEXT, ODD_CHARS, st.sampled_from(names or ["x"]).flatmap(
        lambda n: st.sampled_from([n, n.upper(), n.lower(), n.title(), " " + n + " "])))
    out = []
    for _ in range(draw(st.integers(0, 6))):
        text = "".join(draw(st.lists(pieces, max_size=12)))
        low = fold(text)
        how = draw(st.integers(0, 9))
        if how == 0:
            low = text
        elif how == 1:
            low = "".join(draw(st.lists(ODD_CHARS, min_size=len(text), max_size=len(text))))
        out.append((text, low, draw(st.sampled_from([-1, 0, 1, 2])), draw(st.integers(0, 3))))
    return out


def _run(make: Any, trie: Any, cues: Any, steps: list[tuple[str, str, int, int]]) -> Any:
    scanner = make(trie, cues, MentionRow)
    out = []
    for text, low, mark, field in steps:
        if mark < 0:
            scanner.next_article()
        else:
            out.append(scanner.scan(text, low, mark, field))
    scanner.next_article()
    return out, scanner.words(), scanner.arrays()


@given(ENTRIES.flatmap(lambda e: st.tuples(st.just(e), fields([n for n, _, _ in e]))),
       st.one_of(st.none(), st.dictionaries(WORD.map(fold), st.integers(0, 7), max_size=5)))
@budget.fuzz_settings(budget.examples(40, 15))
def _scanner_equals_twin(case: Any, cues: Any) -> None:
    entries, steps = case
    trie = _trie(entries)
    assert _run(SCANNER, trie, cues, steps) == _run(scan_py.PyScanner, trie, cues, steps)


def test_fuzz_scanner_equals_its_twin_on_hostile_text() -> None:
    budget.run(_scanner_equals_twin, weight=2)


# Anything at all where a trie, a node, a surface or a cue table is expected.
JUNK = st.recursive(
    st.one_of(st.none(), st.integers(-2**70, 2**70), st.booleans(), WIDE_TEXT, st.just(b"x"),
              st.just(1.5)),
    lambda inner: st.one_of(st.lists(inner, max_size=4).map(tuple), st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(WIDE_TEXT, st.tuples(st.integers(-1, 3),
                                                                           WIDE_TEXT)),
                                            inner, max_size=3)),
    max_leaves=12)
NODEISH = st.recursive(
    st.tuples(st.lists(st.tuples(st.one_of(st.integers(-1, 3), JUNK), st.one_of(NAME, JUNK),
                                 st.one_of(PAYLOAD, JUNK), st.one_of(st.sampled_from(["", "."]),
                                                                     JUNK)).map(tuple)
                       | JUNK, max_size=3).map(tuple), st.none(), st.none()),
    lambda inner: st.tuples(st.lists(JUNK, max_size=2).map(tuple),
                            st.one_of(st.none(), st.dictionaries(WORD.map(fold), inner,
                                                                 max_size=3), JUNK),
                            st.one_of(st.none(), st.dictionaries(
                                st.tuples(st.integers(0, 3), WORD.map(fold)), inner, max_size=2),
                                JUNK)),
    max_leaves=8)


@given(st.one_of(st.dictionaries(WORD.map(fold), st.one_of(NODEISH, JUNK), max_size=4), JUNK),
       st.one_of(st.none(), JUNK, st.dictionaries(WORD.map(fold), st.one_of(st.integers(), JUNK),
                                                  max_size=3)),
       st.lists(st.tuples(st.one_of(WIDE_TEXT, JUNK), st.one_of(WIDE_TEXT, JUNK),
                          st.one_of(st.integers(-1, 3), JUNK), st.one_of(st.integers(), JUNK)),
                max_size=4))
@budget.fuzz_settings(budget.examples(40, 30))
def _malformed_inputs_are_refused(trie: Any, cues: Any, calls: list[Any]) -> None:
    try:
        scanner = SCANNER(trie, cues, MentionRow)
    except REFUSALS:
        return
    for text, low, mark, field in calls:
        try:
            native = scanner.scan(text, low, mark, field)
        except REFUSALS:
            continue
        # accepted: the twin, on the same input, must agree
        assert native == scan_py.PyScanner(trie, cues, MentionRow).scan(text, low, mark, field)
    scanner.next_article()
    scanner.words()
    scanner.arrays()


def test_fuzz_malformed_tries_cues_and_arguments_are_refused() -> None:
    budget.run(_malformed_inputs_are_refused)


ACTIONS = st.lists(st.sampled_from(["reenter", "words", "clear_children", "add_children",
                                    "drop_root", "cues", "collect", "next"]),
                   min_size=1, max_size=4)


@given(ENTRIES, ACTIONS, st.booleans(), st.lists(WIDE_TEXT, min_size=1, max_size=3))
@budget.fuzz_settings(budget.examples(10, 8))
def _hostile_callbacks_meet_only_refusals(entries: Any, actions: list[str], chaos: bool,
                                          texts: list[str]) -> None:
    """Keys whose __eq__ runs Python, put into the trie and cues after the Scanner
    was made, and finalizers run by the collector at every allocation, do what the
    actions say: call the scanner again, change its tables, collect garbage."""
    trie: dict[str, Any] = dict(_trie(entries))
    cues: dict[str, int] = {}
    scanner = SCANNER(trie, cues, MentionRow)
    allowed_inside: list[bool] = []

    def act() -> None:
        for action in actions:
            if action in ("reenter", "words", "next"):
                try:
                    if action == "reenter":
                        scanner.scan("ford motor", "ford motor", 1, 1)
                    elif action == "words":
                        scanner.words()
                    else:
                        scanner.next_article()
                    allowed_inside.append(False)  # only while no scan runs
                except RuntimeError:
                    pass
            elif action == "clear_children":
                for node in list(trie.values()):
                    if isinstance(node[1], dict):
                        node[1].clear()
            elif action == "add_children":
                for node in list(trie.values()):
                    if isinstance(node[1], dict):
                        node[1][eq_hook("x", act_once)] = (((0, "X", (("company", "X"),), ""),),
                                                           None, None)
            elif action == "drop_root":
                trie.clear()
            elif action == "cues":
                cues.clear()
                cues[eq_hook("ford", act_once)] = 1
            else:
                gc.collect()

    runs = [0]

    def act_once() -> None:
        if runs[0] < 40:  # hooks add hooks: bounded, or an example never ends
            runs[0] += 1
            act()

    # keys that run `act` when looked up: the cue table, and every child table
    cues[eq_hook("ford", act_once)] = 1
    for word in list(trie):
        cues[eq_hook(word, act_once)] = 2
    for node in list(trie.values()):
        if isinstance(node[1], dict):
            for key in list(node[1]):
                node[1][eq_hook(key, act_once)] = node[1].pop(key)
    for text in texts:
        full = text + " " + " ".join(n for n, _, _ in entries) + " ford motor"
        try:
            if chaos:
                with gc_chaos(act_once):
                    scanner.scan(full, fold(full), 2, 1)
            else:
                scanner.scan(full, fold(full), 2, 1)
        except TypeError:
            pass  # a table changed into something the scanner refuses
        allowed_inside.clear()  # outside a scan every call is allowed
    assert not any(x is False for x in allowed_inside)
    scanner.next_article()
    scanner.arrays()


def test_fuzz_hostile_callbacks_only_meet_refusals() -> None:
    budget.run(_hostile_callbacks_meet_only_refusals)


@pytest.mark.parametrize("width", ["a", "é", "丁", "𠀁"])
def test_huge_inputs_equal_the_twin(width: str) -> None:
    """A 5M-character word, a million one-letter words, NULs and lone surrogates,
    in each width of str."""
    trie = _trie([("Ford", "cap", (("company", "Ford"),)), (width * 3, "any", None)])
    texts = [width * 5_000_000, (width + " ") * 200_000, "\x00" * 1_000_000 + width,
             ("Ford \ud800" + width) * 40_000]
    for text in texts:
        got = _run(SCANNER, trie, {"ford": 1}, [(text, fold(text), 2, 1)])
        assert got == _run(scan_py.PyScanner, trie, {"ford": 1}, [(text, fold(text), 2, 1)])
