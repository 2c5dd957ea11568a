"""Entities on real-shaped sentences: people after titles, companies by context,
groups and their units, job-title abbreviations, datelines, currencies, places
in search. Each rule is general; the gazetteer here is small and made up for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evreader.config import Config, GazetteerSettings, SourceSpec
from evreader.extract.companies import find_companies
from evreader.extract.extractor import Extractor
from evreader.extract.people import find_people
from evreader.gazetteer import load_gazetteer
from evreader.library import build_library
from evreader.models import Article

GAZETTEER = GazetteerSettings(
    builtin=False,
    companies=(
        {"name": "Hyundai", "country": "South Korea", "aliases": ["Hyundai Motor"]},
        {"name": "Genesis Motor", "country": "South Korea", "context_aliases": ["Genesis"],
         "context": ["Hyundai"]},
        {"name": "General Motors", "country": "United States", "aliases": ["GM"]},
        {"name": "Samsung Electronics", "country": "South Korea", "aliases": ["Samsung"],
         "units": ["Samsung SDI"]},
        {"name": "Samsung SDI", "country": "South Korea"},
        {"name": "Stellantis", "country": "Netherlands"},
        {"name": "Umicore", "country": "Belgium"},
        {"name": "Reuters", "country": "United Kingdom", "type": "media"},
        {"name": "CATL", "country": "China"},
    ),
    countries=({"name": "United States", "aliases": ["US", "U.S."]},
               {"name": "Indonesia"}, {"name": "Japan"}),
    places={"United States": ("Nevada", "Kokomo")},
)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_gazetteer(GAZETTEER))


def _names(extractor: Extractor, text: str, title: str = "Headline") -> set[tuple[str, str]]:
    article = Article("x", "x", title, text)
    return {(m.kind, m.name) for m in extractor.extract(article)}


@pytest.mark.parametrize(("text", "name"), [
    ("said Gov. Roy Cooper on Tuesday.", "Roy Cooper"),
    ("Governor Eric Holcomb attended the ceremony.", "Eric Holcomb"),
    ("President Andrés Manuel López Obrador signed a decree.", "Andrés Manuel López Obrador"),
    ("President Luiz Inácio Lula da Silva met executives.", "Luiz Inácio Lula da Silva"),
    ("Prime Minister Anwar Ibrahim opened the plant.", "Anwar Ibrahim"),
    ("said Minister of Industry Agus Gumiwang Kartasasmita.", "Agus Gumiwang Kartasasmita"),
])
def test_people_after_titles(text: str, name: str) -> None:
    assert [found[2] for found in find_people(text)] == [name]


def test_outlets_are_not_people() -> None:
    for text in ("The Associated Press reported on Monday.", "By RTTNews Staff Writer"):
        assert find_people(text) == []


def test_a_common_word_brand_counts_only_beside_its_context(extractor: Extractor) -> None:
    assert ("company", "Genesis Motor") in _names(
        extractor, "Hyundai said Genesis will build the GV70 in Alabama.")
    assert ("company", "Genesis Motor") not in _names(
        extractor, "The Genesis of the idea was a 2019 study.")
    # context named in the title counts for the body too
    assert ("company", "Genesis Motor") in _names(
        extractor, "Genesis will build it in Alabama.", title="Hyundai's luxury push")


def test_a_groups_bare_name_stands_for_the_unit_the_article_names(
        extractor: Extractor) -> None:
    names = _names(extractor, "Samsung SDI and Stellantis broke ground, putting the "
                              "Stellantis-Samsung venture on track.")
    assert ("company", "Samsung SDI") in names
    assert ("company", "Samsung Electronics") not in names
    assert ("company", "Samsung Electronics") in _names(
        extractor, "Samsung said phone sales rose.")


def test_gm_as_a_job_title_is_not_general_motors(extractor: Extractor) -> None:
    names = _names(extractor, "said Umicore's Asia Pacific GM Liu Wei at a conference.")
    assert ("company", "General Motors") not in names
    assert ("person", "Liu Wei") in names
    assert ("company", "General Motors") in _names(extractor, "GM said sales rose.")


def test_the_agency_of_a_wire_dateline_is_not_a_mention(extractor: Extractor) -> None:
    assert ("company", "Reuters") not in _names(
        extractor, "TOKYO, July 6 (Reuters) - Nissan is in talks with Foxconn.")
    assert ("company", "Reuters") in _names(extractor, "CATL told Reuters it would expand.")


def test_an_outlet_is_not_a_company_of_its_own_pages(extractor: Extractor) -> None:
    text = "CATL told Reuters it would expand. Get the latest news with Reuters Pro."
    for publisher in ("Reuters", "reuters.com", "www.reuters.com"):
        article = Article("x", "x", "Headline", text, publisher=publisher)
        assert ("company", "Reuters") not in {(m.kind, m.name)
                                              for m in extractor.extract(article)}
    other = Article("x", "x", "Headline", text, publisher="electrek.co")
    assert ("company", "Reuters") in {(m.kind, m.name) for m in extractor.extract(other)}


def test_dollar_amounts_are_not_the_country(extractor: Extractor) -> None:
    assert ("country", "United States") not in _names(
        extractor, "CATL started a US$5.9 billion project in Indonesia.")
    assert ("country", "United States") in _names(extractor, "CATL sells cells in the US.")


def test_a_discovered_company_covers_a_place_in_its_name(extractor: Extractor) -> None:
    names = _names(extractor, "Indonesia Battery Corporation (IBC) will own 30%. IBC said so.")
    assert ("company", "Indonesia Battery Corporation") in {
        (k, n) for k, n in names}


@pytest.mark.parametrize(("text", "name"), [
    ("Voltara, a California battery maker backed by investors, agreed to merge.", "Voltara"),
    ("Cirba Solutions, a battery materials processing company, will expand.", "Cirba Solutions"),
    ("eVAC Magnetics, a subsidiary of Germany's Vacuumschmelze, builds magnets.",
     "Vacuumschmelze"),
    ("It will merge with Harbor Point Acquisition Co. next year.", "Harbor Point Acquisition Co."),
    ("PT Vale Indonesia Tbk said it would expand.", "PT Vale Indonesia Tbk"),
    ("Swedish truckmaker Nordvik is weighing a sale of the unit.", "Nordvik"),
    ("Chinese bus maker Yutong delivered 300 buses.", "Yutong"),
    # Chinese, Korean and Japanese "Co., Ltd.": a long name, the whole legal form
    ("Sunwoda Electric Vehicle Battery Co., Ltd. (Sunwoda EVB) plans a plant in Hungary.",
     "Sunwoda Electric Vehicle Battery Co., Ltd."),
    ("according to HiNa Battery Technology Co., Ltd., the amount of lithium is small",
     "HiNa Battery Technology Co., Ltd."),
    # what stands before the name is not part of it
    ("the battery subsidiary of Shenzhen-based Sunwoda Electronic Co., Ltd., plans",
     "Sunwoda Electronic Co., Ltd."),
    ("South Korea's L&F Co., a battery materials maker, signed the deal.", "L&F Co."),
    # Indonesian "PT" before the name; Thai "Plc" after it
    ("renewable energy firm PT Sumber Energi Surya Nusantara (SESNA) will build it",
     "PT Sumber Energi Surya Nusantara"),
    ("with strategic partner PT Gotion Indonesia Materials, an arm of Gotion",
     "PT Gotion Indonesia Materials"),
    ("Arun Plus, a subsidiary of PTT Plc, and Foxconn", "PTT Plc"),
    # a stock listing or a Reuters code right after a name
    ("Liontown Resources (ASX: LTR) has signed a binding offtake agreement.",
     "Liontown Resources"),
    ("The project is a partnership between Sayona Mining (ASX: SYA; US-OTC: SYAXF) and",
     "Sayona Mining"),
    ("Aug 9 (Reuters) - Australia's Syrah Resources SYR.AX said on Wednesday",
     "Syrah Resources"),
    ("with South Korea's Samsung SDI 006400.KS to evaluate supplies", "Samsung SDI"),
    # the trade's other role words before a name
    ("Westborough, Massachusetts-based black mass recycler Nordcyc said", "Nordcyc"),
    ("Chinese lithium producer Yongqing raised output", "Yongqing"),
    ("charging provider Voltpark will install 300 chargers", "Voltpark"),
    ("cathode maker Lumora signed a supply deal", "Lumora"),
    ("Chinese battery giant Zhenlong cut prices", "Zhenlong"),
    # what only a company has
    ("Shares of Voltaris jumped 12% in Hong Kong.", "Voltaris"),
    ("said Jane Lee, chief executive of Qorvix, on Monday", "Qorvix"),
    ("said Duncan McIntyre, CEO of Highland Electric Fleets.", "Highland Electric Fleets"),
])
def test_discovered_company_patterns(text: str, name: str) -> None:
    assert name in [found[2] for found in find_companies(text)]


@pytest.mark.parametrize(("text", "names"), [
    ("said the Society of the Irish Motor Industry on Monday.",
     ["Society of the Irish Motor Industry"]),
    ("the Federation of Thai Industries said sales fell.", ["Federation of Thai Industries"]),
    ("data from the National Association of Automobile Manufacturers of South Africa showed",
     ["National Association of Automobile Manufacturers of South Africa"]),
    ("the Truck Manufacturers Association said", ["Truck Manufacturers Association"]),
    # bodies of government and groups of countries are not companies
    ("the proposal of the Ministry of Heavy Industries for promoting", []),
    ("Mahendra Nath Pandey, Union Minister for Heavy Industries, said", []),
    # "PT" before a single word is a model or an abbreviation
    ("the PT Cruiser was built in Toluca until 2010", []),
    # a site after a role word
    ("China Molybdenum owns the giant Tenke Fungurume mine.", []),
    # a stake may be in a project, a spokesperson may speak for an agency
    ("Ford took a 20% stake in Kathleen Valley last year.", []),
    ("a spokesperson for Transport Canada said on Friday", []),
    ("Heavy Industries Minister HD Kumaraswamy said", []),
    ("leaders of the Association of Southeast Asian Nations met", []),
    ("the Chamber of Commerce of the city said", []),
    # a suffix inside another kind of name; a name carried on past its suffix
    ("the Brussels Motor Show opens", []),
    ("the Federal Motor Carrier Safety Administration said", []),
    ("said Matthias Schmidt of Schmidt Automotive Research.", ["Schmidt Automotive Research"]),
])
def test_trade_bodies_are_companies_ministries_are_not(text: str, names: list[str]) -> None:
    assert [found[2] for found in find_companies(text)] == names


def test_a_spokesman_for_the_company_is_not_a_company() -> None:
    assert find_companies("John Smith, a spokesman for the company, said.") == []


def test_searching_a_place_does_not_bring_every_article_of_its_country(tmp_path: Path) -> None:
    for name, text in (("a", "A plant in Nevada will make cells for CATL."),
                       ("b", "CATL opened an office in the US, in Detroit."),
                       ("c", "CATL sells more cells in Japan.")):
        (tmp_path / f"{name}.txt").write_text(f"Headline {name}\n\n{text}\n")
    lib = build_library(Config(sources=(SourceSpec(tmp_path),), gazetteer=GAZETTEER,
                               cache=False), use_cache=False)
    titles = {lib.article(h.article).title for h in lib.engine.search("Nevada")}
    assert titles == {"Headline a"}
    assert {lib.article(h.article).title for h in lib.engine.search("Japan")} == {"Headline c"}
