"""The compiled character passes (`evreader/_chars.c`) against their Python twins,
on every code point and on generated text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from evreader import textsafe
from evreader.extract import matcher

chars = pytest.importorskip("evreader._chars")
EVERY = "".join(map(chr, range(0x110000)))


def test_fold_equals_its_twin_on_every_code_point() -> None:
    assert matcher.fold(EVERY) == matcher.fold_py(EVERY)  # has İ: the per-character path
    no_dotted = EVERY.replace("\u0130", "")
    assert matcher.fold(no_dotted) == matcher.fold_py(no_dotted) == no_dotted.lower()
    assert chars.fold(EVERY) is None  # Σ is in it: Python decides
    assert chars.fold(EVERY.replace("\u03a3", "")) == matcher.fold_py(EVERY.replace("\u03a3", ""))


def test_fold_equals_its_twin_in_1_and_2_byte_text() -> None:
    """Blocks of ASCII are lowered in the string's own width: text of each width."""
    ascii_ = "".join(map(chr, range(128))) * 3
    bmp = "".join(chr(c) for c in range(0x100, 0x10000) if c not in (0x130, 0x3A3))
    for text in (ascii_, ascii_ + "ÀÉÎõÿ" * 40, ascii_ + bmp + ascii_, "Ÿ" + ascii_):
        assert chars.fold(text) == matcher.fold_py(text)


@given(st.lists(st.sampled_from([*"aZ \n’", "İ", "Σ", "ΟΔΟΣ", "Ÿ", "ÿ", "Ā", "µ", "ẞ", "\U00010400",
                                 "K", "ǅ"]), max_size=30).map("".join))
@example("ΟΔΟΣ ΣΑΣ")  # final sigma: ς at a word end, σ inside
@example("Ÿ")  # lowers into Latin-1: the result must be stored as such
def test_fold_equals_its_twin(text: str) -> None:
    folded = matcher.fold(text)
    assert folded == matcher.fold_py(text) and len(folded) == len(text)


def test_invisible_at_equals_the_regex_on_every_code_point() -> None:
    regex = [i for i in range(0x110000) if textsafe._INVISIBLE.match(chr(i))]
    assert len(regex) > 100
    assert [i for i in range(0x110000) if chars.invisible_at(chr(i)) == 0] == regex
    # After "Ā" every character sits in a 2- or 4-byte string: the other loops.
    assert [i for i in range(0x110000) if chars.invisible_at("Ā" + chr(i)) == 1] == regex
    # Inside a long text each character is first seen by the block pretest.
    pad = "a" * 70
    assert [i for i in range(0x110000) if chars.invisible_at(pad + chr(i) + pad) == 70] == regex


@given(st.lists(st.sampled_from([*"ab \n\t’é", "\x00", "\x1b", "\u200b", "\u202e", "\xa0",
                                 "\ufeff", "\x9b", "\ud800", "\U0001f600"]), max_size=30)
       .map("".join))
def test_invisible_at_finds_the_first_one(text: str) -> None:
    assert chars.invisible_at(text) == textsafe._invisible_at_py(text)


def test_utf8_equals_the_codec_on_every_code_point() -> None:
    """Every width, every byte length, lone surrogates passed through, and each code
    point both inside a run of ASCII and after one (the 64-character blocks)."""
    assert chars.utf8(EVERY) == EVERY.encode("utf-8", "surrogatepass")
    for text in ("", "plain ascii", "Ÿ" * 65, "x" * 64 + "é", "é" + "x" * 200,
                 "".join(map(chr, range(256))) * 3):
        assert chars.utf8(text) == textsafe._utf8_py(text)
    for c in range(0, 0x110000, 97):
        text = "a" * 63 + chr(c) + "b" * 70
        assert chars.utf8(text) == text.encode("utf-8", "surrogatepass")


@given(st.lists(st.sampled_from(["a", "é", "ÿ", "’", "\ud800", "\udfff", "\U0001f600", "\x00",
                                 "\x7f", "\x80", "\u07ff", "\u0800", "\uffff", "x" * 64]),
                max_size=40).map("".join))
def test_utf8_equals_the_codec(text: str) -> None:
    assert chars.utf8(text) == textsafe._utf8_py(text)
