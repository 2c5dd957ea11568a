"""The compiled per-line passes of segmenting (`evreader/ingest/_layout.c`) against
their Python twins, on every code point and on generated text."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

layout = pytest.importorskip("evreader.ingest._layout")
EVERY = "".join(map(chr, range(0x110000)))


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
        blocks, paragraphs, plain_from, _ = layout.layout(text)
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
    assert meta._IMAGE_HINT.search(name) and layout.layout(f"x {name} y")[3]


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
    blocks, paragraphs, plain_from, maybe_images = layout.layout(text)
    assert (blocks, paragraphs, plain_from) == _layout_twin(text)
    assert maybe_images or not meta._IMAGE_HINT.search(text)  # False only when it cannot match
