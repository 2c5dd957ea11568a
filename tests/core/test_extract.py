"""Entity extraction pitfalls, on a small explicit gazetteer (independent of the data files)."""

from __future__ import annotations

import pytest

from evreader.config import GazetteerSettings
from evreader.extract.extractor import Extractor
from evreader.gazetteer import load_gazetteer
from evreader.models import Article, Mention
from tests.conftest import SMALL_GAZETTEER


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_gazetteer(SMALL_GAZETTEER))


def found(extractor: Extractor, text: str, kind: str | None = None) -> list[tuple[str, str, str]]:
    art = Article("x", "s", "", text)
    out = []
    for m in extractor.extract(art):
        if kind is None or m.kind == kind:
            assert text[m.start:m.end], m
            out.append((m.kind, m.name, text[m.start:m.end]))
    return out


def test_offsets_point_at_the_matched_text(extractor: Extractor) -> None:
    text = "Nissan’s deal with Foxconn, and the U.S. market."
    for m in extractor.extract(Article("x", "s", "", text)):
        assert isinstance(m, Mention)
        assert text[m.start:m.end] in ("Nissan", "Foxconn", "U.S.")


@pytest.mark.parametrize("text", ["Nissan's plan", "Nissan’s plan", "(Nissan)", "Nissan-Foxconn"])
def test_possessives_and_punctuation(extractor: Extractor, text: str) -> None:
    assert ("company", "Nissan", "Nissan") in found(extractor, text)


def test_longest_alias_wins_including_co(extractor: Extractor) -> None:
    assert found(extractor, "Nissan Motor Co. said", "company") == [
        ("company", "Nissan", "Nissan Motor Co.")]


def test_us_forms(extractor: Extractor) -> None:
    got = found(extractor, "In the U.S. and the US and the USA, let us go.", "country")
    assert [g[2] for g in got] == ["U.S.", "US", "USA"]


def test_company_name_containing_a_country(extractor: Extractor) -> None:
    got = found(extractor, "China Motor Corporation (CMC) unveiled a car.")
    assert ("company", "China Motor Corporation", "China Motor Corporation") in got
    assert ("company", "China Motor Corporation", "CMC") in got
    assert not any(k == "country" for k, _, _ in got)


def test_demonyms(extractor: Extractor) -> None:
    got = found(extractor, "Taiwanese and Japanese makers met Chinese rivals.", "country")
    assert [g[1] for g in got] == ["Taiwan", "Japan", "China"]


@pytest.mark.parametrize("text", ["us", "gm crops", "we ford the river", "evs"])
def test_case_sensitive_short_aliases(extractor: Extractor, text: str) -> None:
    assert found(extractor, text) == []


def test_acronyms_match_exactly(extractor: Extractor) -> None:
    assert found(extractor, "GM and CMC", "company") == [
        ("company", "General Motors", "GM"), ("company", "China Motor Corporation", "CMC")]


def test_blockers(extractor: Extractor) -> None:
    assert found(extractor, "Harrison Ford ate Apple pie.", "company") == []
    assert [g[1] for g in found(extractor, "Ford and Apple shares rose.", "company")] == [
        "Ford", "Apple"]


def test_word_boundaries(extractor: Extractor) -> None:
    assert found(extractor, "Fordham and Teslas and Japanesque", "company") == []
    assert found(extractor, "Japanesque", "country") == []


def test_themes_case_insensitive_and_acronyms(extractor: Extractor) -> None:
    got = found(extractor, "Battery makers and LFP cells; lfp is not an acronym here.", "theme")
    assert [g[2] for g in got] == ["Battery", "LFP"]


def test_people_patterns(extractor: Extractor) -> None:
    text = ("Tesla CEO Elon Musk spoke. Seiji Sugiura, a senior analyst at Tokai Tokyo Research "
            "Institute, agreed. Later Sugiura said more.")
    people = found(extractor, text, "person")
    assert ("person", "Elon Musk", "Elon Musk") in people
    assert ("person", "Seiji Sugiura", "Seiji Sugiura") in people
    assert ("person", "Seiji Sugiura", "Sugiura") in people


def test_byline_people(extractor: Extractor) -> None:
    art = Article("x", "s", "T", "Body.", authors=("Ian Henry", "Editorial Team"))
    people = [m for m in extractor.extract(art) if m.kind == "person"]
    assert [(m.name, m.field) for m in people] == [("Ian Henry", "byline")]


def test_discovered_companies_are_marked(extractor: Extractor) -> None:
    text = ("Taiwanese electric vehicle maker Aeon Motor began output. Startup Quillon Motor "
            "Corporation (QMC) and Brightwave Co. followed; automaker VinFast’s plan too.")
    art = Article("x", "s", "", text)
    disc = {m.name for m in extractor.extract(art) if m.discovered}
    assert {"Aeon Motor", "Quillon Motor Corporation", "Brightwave Co.", "VinFast"} <= disc
    assert all(m.kind == "company" for m in extractor.extract(art) if m.discovered)


def test_known_companies_are_not_rediscovered(extractor: Extractor) -> None:
    art = Article("x", "s", "", "The automaker Nissan Motor Corporation said so.")
    assert not any(m.discovered for m in extractor.extract(art))


def test_ambiguous_place_resolved_by_context() -> None:
    settings = GazetteerSettings(
        builtin=False,
        countries=SMALL_GAZETTEER.countries,
        places={"United States": ("Atlanta",)},
    )
    gz = load_gazetteer(settings)
    gz.add_surface("Georgia", (("country", "United States"), ("country", "Georgia")), replace=True)
    ex = Extractor(gz)
    us = found(ex, "A plant in Georgia, near Atlanta.", "country")
    assert ("country", "United States", "Georgia") in us
    assert found(ex, "A plant in Georgia.", "country") == []  # no context: no guess
    geo = found(ex, "Georgian officials said Georgia agreed.", "country")
    assert ("country", "Georgia", "Georgia") in geo


def test_config_additions_aliases_and_disable() -> None:
    settings = GazetteerSettings(
        builtin=False,
        companies=({"name": "Acme Batteries", "aliases": ["Acme"]},
                   *SMALL_GAZETTEER.companies),
        aliases={"Nissan": ("Nissan Group",)},
        disable=("Ford",),
    )
    ex = Extractor(load_gazetteer(settings))
    names = [g[1] for g in found(ex, "Acme, Nissan Group and Ford met.", "company")]
    assert names == ["Acme Batteries", "Nissan"]


def test_many_entities_in_one_article(extractor: Extractor) -> None:
    text = " ".join(["Nissan, Honda and Japan."] * 4000)
    mentions = extractor.extract(Article("x", "s", "", text))
    assert len(mentions) == 12000
