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


# ---- layout: the per-line passes of ingest.segment -------------------------------

def _layout_twin(text: str) -> tuple[list[str], bool, int]:
    """What `layout` must give, from the Python passes it replaces."""
    from evreader.ingest.segment import _blocks, _stripped_lines
    stripped = _stripped_lines(text)
    content = [ln for ln in stripped if ln]
    first = next((k for k, ln in enumerate(stripped) if ln), 0)
    last = max((k for k, ln in enumerate(stripped) if ln), default=-1)
    blanks = stripped[first:last + 1].count("")
    blocks = _blocks(stripped)
    plain_from = len(blocks)
    while plain_from and len(blocks[plain_from - 1]) > 200 and "\n" not in blocks[plain_from - 1]:
        plain_from -= 1
    return blocks, blanks > max(1, len(content) // 10), plain_from


def test_layout_blocks_equal_the_python_passes_on_every_code_point() -> None:
    # Each code point leads a line after a long one and a short one, and ends one:
    # stripping (str.isspace), list markers, numbering (str.isdigit) and wrapping.
    points = [chr(c) for c in range(0x110000) if c != 0x0A]
    for chunk in range(0, len(points), 0x10000):
        text = "".join(f"{'w' * 45}\n{p}{p}. tail {p}\nab\n{p}1) x\n\n"
                       for p in points[chunk:chunk + 0x10000])
        blocks, paragraphs, plain_from, _ = chars.layout(text)
        assert (blocks, paragraphs, plain_from) == _layout_twin(text)


def test_only_four_other_characters_match_a_letter_ignoring_case() -> None:
    """layout's image test reads İ, ı, ſ and K as letters, and nothing else above ASCII."""
    import re
    found = {(ch, letter) for letter in "abcdefghijklmnopqrstuvwxyz"
             for ch in re.findall(letter, EVERY, re.I) if ord(ch) >= 128}
    assert found == {("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k")}


@pytest.mark.parametrize("name", ["a.png", "b.JPG", "c.jpeg", "d.Gif", "e.webp", "f.\u017fvg",
                                  "g.bmp", "h.t\u0131f", "i.TIFF", "j.avif"])
def test_layout_sees_every_image_extension(name: str) -> None:
    from evreader.ingest import meta
    assert meta._IMAGE_HINT.search(name) and chars.layout(f"x {name} y")[3]


LAYOUT_TEXT = st.lists(st.sampled_from(
    ["\n", "\n\n", " ", "\t", "\r", "\u2028", "\x85", "\u3000", "\x1c", "-", "•", "#", "1", "12",
     "\u0661", "²", ".", ")", "x", "word ", "w" * 45, "v" * 210, ".png", ".PnG", ".\u017fvg",
     ".t\u0130ff", ". “", ".pn", "é", "\U0001f600"]), max_size=40).map("".join)


@given(LAYOUT_TEXT)
@example("\n\n x \n\n\n y\n")
@example("a.pn")
@example(f"{'a' * 39}\nb")  # a line under 40 characters keeps the next on its own line
@example(f"{'a' * 45}\n{'c' * 38}\nd")  # counted with the space that joined it: 39
@example(f"{'a' * 45}\n{'c' * 39}\nd")
def test_layout_equals_its_twin(text: str) -> None:
    from evreader.ingest import meta
    blocks, paragraphs, plain_from, maybe_images = chars.layout(text)
    assert (blocks, paragraphs, plain_from) == _layout_twin(text)
    assert maybe_images or not meta._IMAGE_HINT.search(text)  # False only when it cannot match
