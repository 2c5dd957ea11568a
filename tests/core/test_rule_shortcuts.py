"""Rules that take a shortcut for speed find exactly what the plain rule finds, on
any text: `people._NAME_RUN` takes the first word's letters possessively, and
`companies._trade_body_matches` searches only from near each trade noun, and a
`NoCase` pattern searches the lower-cased line case-sensitively where it can."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evreader.extract import companies, people
from evreader.ingest import dates
from evreader.ingest.nocase import NoCase

_PLAIN = re.compile(rf"{people._W}(?:[ ](?:{people._PARTICLE})?{people._W})+")

# Letters of both cases, the particles' letters, the joiners a name may hold and
# the signs that end a run: the alphabet where the two forms could differ.
_TEXT = st.text(alphabet="AaBbDdEeLlSsVvYyÀàöø’'- ,.\n1", max_size=80)
_WORDS = st.lists(st.sampled_from(["Ann", "Lee", "de", "van", "la", "y", "CEO", "O'Neil",
                                   "Jean-Luc", "x", " ", ",", "’s", "Émile", "Ma"]),
                  max_size=12).map(" ".join)


@settings(max_examples=400)
@given(st.one_of(_TEXT, _WORDS))
def test_possessive_name_run_finds_what_the_plain_pattern_finds(text: str) -> None:
    assert [m.span() for m in people._NAME_RUN.finditer(text)] == \
        [m.span() for m in _PLAIN.finditer(text)]


def test_a_run_keeps_its_particles_and_needs_two_capitalised_words() -> None:
    text = "said Luiz Inácio Lula da Silva and Ann de la Cruz, an analyst at Van Der Berg"
    assert [m.group() for m in people._NAME_RUN.finditer(text)] == [
        "Luiz Inácio Lula da Silva", "Van Der Berg"]


_TRADE_WORDS = st.lists(st.sampled_from(
    ["Association", "Society", "Chamber", "of", "the", "Indian", "Motor", "Automobile",
     "Manufacturers", "Thai", "Industries", "Commerce", "eBay", "and", "X-Y", " ", ",", ".",
     "\n", "of the", "Federation of", "Society of"]), max_size=30).map(" ".join)


@settings(max_examples=400)
@given(st.one_of(_TRADE_WORDS, st.text(alphabet="ASa of\n,.", max_size=60)))
def test_trade_bodies_searched_near_their_nouns_are_the_plain_search(text: str) -> None:
    assert [m.span() for m in companies._trade_body_matches(text)] == \
        [m.span() for m in companies._TRADE_BODY.finditer(text)]


def test_a_trade_body_after_two_words_and_a_second_one_later() -> None:
    text = ("data from the Society of Indian Automobile Manufacturers showed, and "
            "the Federation of Thai Industries said")
    assert [m.group() for m in companies._trade_body_matches(text)] == [
        m.group() for m in companies._TRADE_BODY.finditer(text)] == [
        "Society of Indian Automobile Manufacturers", "Federation of Thai Industries"]


# Date-line words in any case, and the letters whose case folding is unusual: "İ"
# lower-cases to two characters, "ı" and "ſ" match i and s only case-insensitively,
# the Kelvin sign lower-cases to k.
_DATE_WORDS = st.lists(st.sampled_from(
    ["Published", "UPDATED", "posted", "on", "At", "PST", "Utc", "gmt+8", "Mon", "TUESDAY",
     "Mar", "MARCH", "sept.", "1", "05", "2024", "3:05", "PM", "a.m.", "|", "·", "—", ",",
     "By", "Ann", "İst", "ıst", "ſat", "\u212aST", "Straße", "Ünïcode", " ", "  "]),
    max_size=14).map(" ".join)
_NO_CASE = [dates._FURNITURE, dates._CLOCK, dates._LABELS,
            *(p for p in dates._PATTERNS if isinstance(p, NoCase))]


@settings(max_examples=300)
@given(_DATE_WORDS, st.integers(0, 5))
def test_no_case_patterns_find_what_ignorecase_finds(line: str, pos: int) -> None:
    for pattern in _NO_CASE:
        assert [m.span() for m in pattern.finditer(line, pos)] == \
            [m.span() for m in pattern.pattern.finditer(line, pos)]
        assert pattern.sub(" ", line) == pattern.pattern.sub(" ", line)


def test_no_case_refuses_a_pattern_with_capitals() -> None:
    with pytest.raises(ValueError):
        NoCase(r"[A-Z]\w+")
    assert NoCase(r"(?P<y>\d\d)\S").pattern.flags & re.I
