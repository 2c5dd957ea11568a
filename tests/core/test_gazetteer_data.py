"""Integrity checks for the built-in gazetteer YAML files.

These tests read the data with `yaml.safe_load` directly, so they catch data mistakes
(collisions, dangling country names, YAML type surprises such as `NO` -> False) without
depending on the loader or the matcher.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "evreader" / "gazetteer" / "data"
FILES = ("companies", "countries", "places", "themes", "people", "blockers")
COMPANY_KEYS = {"name", "country", "type", "aliases"}
COMPANY_OPTIONAL_KEYS = {"context_aliases", "context", "units"}
COMPANY_TYPES = {
    "automaker", "ev_startup", "battery", "supplier", "mining", "charging", "autonomy",
    "chips", "software", "energy", "research", "media", "conglomerate", "other",
}
THEMES = (
    "Batteries", "Charging", "Autonomous Driving", "Manufacturing", "Supply Chain",
    "Trade & Tariffs", "Sales & Markets", "Investment & Finance", "Partnerships",
    "Raw Materials", "Policy & Regulation", "Software & Electronics", "Sustainability",
    "Energy",
)


@cache
def load(name: str) -> Any:
    return yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def companies() -> list[dict[str, Any]]:
    return cast("list[dict[str, Any]]", load("companies"))


def countries() -> list[dict[str, Any]]:
    return cast("list[dict[str, Any]]", load("countries"))


def themes() -> list[dict[str, Any]]:
    return cast("list[dict[str, Any]]", load("themes"))


def people() -> list[dict[str, Any]]:
    return cast("list[dict[str, Any]]", load("people"))


def blockers() -> list[str]:
    return cast("list[str]", load("blockers"))


def places() -> dict[str, Any]:
    return cast("dict[str, Any]", load("places"))


def plain_places() -> list[tuple[str, str]]:
    """(country, place) for every unambiguous place."""
    return [(c, p) for c, names in places().items() if c != "ambiguous" for p in names]


def country_names() -> set[str]:
    return {c["name"] for c in countries()}


def company_by_name(name: str) -> dict[str, Any]:
    return next(c for c in companies() if c["name"] == name)


def country_by_name(name: str) -> dict[str, Any]:
    return next(c for c in countries() if c["name"] == name)


def company_forms(rec: dict[str, Any]) -> list[str]:
    return [rec["name"], *rec["aliases"]]


def context_forms(rec: dict[str, Any]) -> list[str]:
    """A company's weak forms: they count only in an article naming one of `context`."""
    return list(rec.get("context_aliases") or ())


def canonical_names() -> set[str]:
    """Every name a `context` list may refer to: companies, countries, themes, people."""
    return ({c["name"] for c in companies()} | country_names()
            | {t["name"] for t in themes()} | {p["name"] for p in people()})


def country_forms(rec: dict[str, Any]) -> list[str]:
    return [rec["name"], *rec["aliases"], *rec["demonyms"]]


def person_forms(rec: dict[str, Any]) -> list[str]:
    return [rec["name"], *rec["aliases"]]


def all_surfaces() -> list[tuple[str, str, str]]:
    """(kind, owner, text) for every matchable form except ambiguous places and blockers."""
    out: list[tuple[str, str, str]] = []
    out += [("country", c["name"], f) for c in countries() for f in country_forms(c)]
    out += [("company", c["name"], f) for c in companies() for f in company_forms(c)]
    out += [("company", c["name"], f) for c in companies() for f in context_forms(c)]
    out += [("theme", t["name"], k) for t in themes() for k in t["keywords"]]
    out += [("person", p["name"], f) for p in people() for f in person_forms(p)]
    out += [("place", c, p) for c, p in plain_places()]
    return out


def key(text: str) -> str:
    """The form the matcher compares: case-folded, punctuation as spaces, spaces collapsed."""
    return " ".join(re.sub(r"[\W_]", " ", text.lower()).split())


def tail(text: str) -> str:
    """Trailing non-word characters: the matcher keeps them as an optional tail, so
    "US$" is a different surface from "US" (it wins only where the "$" follows)."""
    match = re.search(r"[\W_]*\Z", text)
    return match.group().strip() if match else ""


def is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) and x.strip() == x and x
                                           for x in value)


# ---------------------------------------------------------------- files and shapes


@pytest.mark.parametrize("name", FILES)
def test_file_starts_with_comment_and_parses(name: str) -> None:
    text = (DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8")
    assert text.startswith("#"), f"{name}.yaml must start with a comment"
    assert load(name), f"{name}.yaml is empty"


def test_company_entries_have_the_schema() -> None:
    for rec in companies():
        assert COMPANY_KEYS <= set(rec) <= COMPANY_KEYS | COMPANY_OPTIONAL_KEYS, rec
        assert isinstance(rec["name"], str) and rec["name"].strip() == rec["name"], rec
        assert isinstance(rec["country"], str), rec
        assert rec["type"] in COMPANY_TYPES, rec
        assert is_str_list(rec["aliases"]), rec
        for opt in COMPANY_OPTIONAL_KEYS & set(rec):
            assert is_str_list(rec[opt]) and rec[opt], (opt, rec["name"])
            assert len(set(rec[opt])) == len(rec[opt]), (opt, rec["name"])


def test_context_aliases_come_with_a_context() -> None:
    """The loader drops weak forms that have no context, and a context without weak
    forms does nothing: the two fields go together."""
    for rec in companies():
        assert ("context_aliases" in rec) == ("context" in rec), rec["name"]
        assert rec["name"] not in rec.get("context", ()), rec["name"]


def test_country_entries_have_the_schema() -> None:
    for rec in countries():
        assert set(rec) == {"name", "code", "aliases", "demonyms"}, rec
        assert isinstance(rec["name"], str), rec
        assert isinstance(rec["code"], str) and re.fullmatch(r"[A-Z]{2}", rec["code"]), rec
        assert is_str_list(rec["aliases"]), rec
        assert is_str_list(rec["demonyms"]), rec


def test_theme_entries_have_the_schema() -> None:
    for rec in themes():
        assert set(rec) == {"name", "keywords"}, rec
        assert isinstance(rec["name"], str), rec
        assert is_str_list(rec["keywords"]), rec


def test_people_entries_have_the_schema() -> None:
    for rec in people():
        assert set(rec) == {"name", "aliases", "role"}, rec
        assert isinstance(rec["name"], str), rec
        assert isinstance(rec["role"], str) and rec["role"], rec
        assert is_str_list(rec["aliases"]), rec


def test_blockers_are_a_list_of_unique_strings() -> None:
    assert is_str_list(blockers())
    dupes = [b for b, n in Counter(b.lower() for b in blockers()).items() if n > 1]
    assert not dupes


def test_places_shape() -> None:
    data = places()
    assert isinstance(data, dict)
    for key, value in data.items():
        if key == "ambiguous":
            assert isinstance(value, dict)
            for place, candidates in value.items():
                assert isinstance(place, str)
                assert is_str_list(candidates) and len(candidates) >= 2, place
        else:
            assert is_str_list(value), key


# ---------------------------------------------------------------- sizes


def test_counts() -> None:
    assert len(companies()) >= 2300
    assert sum("context_aliases" in c for c in companies()) >= 30
    assert sum("units" in c for c in companies()) >= 14
    assert len(countries()) >= 240
    assert len(people()) >= 80
    assert len(blockers()) >= 40
    assert len(plain_places()) >= 500


def test_all_themes_present_with_enough_keywords() -> None:
    by_name = {t["name"]: t for t in themes()}
    for name in THEMES:
        assert name in by_name, name
        assert 20 <= len(by_name[name]["keywords"]) <= 70, name


# ---------------------------------------------------------------- references


def test_context_and_unit_names_exist() -> None:
    names = canonical_names()
    company_names = {c["name"] for c in companies()}
    missing = [(c["name"], n) for c in companies() for n in c.get("context", ())
               if n not in names]
    assert not missing
    missing = [(c["name"], u) for c in companies() for u in c.get("units", ())
               if u not in company_names]
    assert not missing


def test_units_are_flat_and_have_one_group() -> None:
    groups = {c["name"]: c["units"] for c in companies() if "units" in c}
    owners = Counter(u for units in groups.values() for u in units)
    assert not [u for u, n in owners.items() if n > 1], "a unit belongs to one group"
    for group, units in groups.items():
        assert group not in units, group
        assert not set(units) & set(groups), f"{group}: a unit is itself a group"


def test_groups_with_units_have_a_bare_form() -> None:
    """Units only re-point the group's shorter forms ("Samsung" for Samsung Electronics,
    "SK" for SK Group, a one-word name such as "POSCO" itself), so a group needs one."""
    for rec in companies():
        if "units" not in rec:
            continue
        words = len(rec["name"].split())
        bare = [f for f in company_forms(rec)
                if len(f.split()) < words + (0 if " " in rec["name"] else 1)]
        assert bare, rec["name"]


def test_company_countries_exist() -> None:
    names = country_names()
    assert not [c["name"] for c in companies() if c["country"] not in names]


def test_place_keys_and_candidates_are_countries() -> None:
    names = country_names()
    for key, value in places().items():
        if key == "ambiguous":
            for place, candidates in value.items():
                assert set(candidates) <= names, place
        else:
            assert key in names, key


def test_country_codes_unique() -> None:
    dupes = [c for c, n in Counter(c["code"] for c in countries()).items() if n > 1]
    assert not dupes


# ---------------------------------------------------------------- collisions


def test_no_company_form_shared_between_companies() -> None:
    counts = Counter(f for c in companies() for f in {x.lower() for x in company_forms(c)})
    assert not [f for f, n in counts.items() if n > 1]


def test_no_country_form_shared() -> None:
    counts = Counter(f.lower() for c in countries() for f in country_forms(c))
    assert not [f for f, n in counts.items() if n > 1]


def test_company_forms_are_not_country_forms_or_places() -> None:
    geo = {key(f) for c in countries() for f in country_forms(c)}
    geo |= {key(p) for _, p in plain_places()}
    geo |= {key(p) for p in places()["ambiguous"]}
    clashes = [f for c in companies() for f in [*company_forms(c), *context_forms(c)]
               if key(f) in geo]
    assert not clashes


def test_context_aliases_are_not_plain_forms() -> None:
    """A weak form must not also be a plain form (of its own company or any other entity,
    blockers and ambiguous places included): the loader keeps one surface per
    case-insensitive text, so one of the two would silently be lost."""
    weak = [(c["name"], f) for c in companies() for f in context_forms(c)]
    # A company may be named by its weak form ("Mini"): the loader then reads its name
    # under the context rule too (see gazetteer._add_data).
    plain = {key(f) for c in companies() for f in company_forms(c)
             if key(f) not in {key(w) for w in context_forms(c)}}
    plain |= {key(text) for kind, _, text in all_surfaces() if kind != "company"}
    plain |= {key(p) for p in places()["ambiguous"]} | {key(b) for b in blockers()}
    assert not [(n, f) for n, f in weak if key(f) in plain]
    counts = Counter(key(f) for _, f in weak)
    assert not [f for f, n in counts.items() if n > 1]


def test_no_theme_keyword_in_two_themes() -> None:
    counts = Counter(k.lower() for t in themes() for k in t["keywords"])
    assert not [k for k, n in counts.items() if n > 1]


def test_every_surface_means_one_thing() -> None:
    """The loader keeps the first definition of a surface and the matcher compares
    punctuation-insensitive keys, so a clash between two entities would be silent."""
    # One text twice for one entity is fine: "NIO" and "Nio", the looser case reads both.
    counts = Counter(text.lower() for _, _, text in set(all_surfaces()))
    owners_of: dict[str, set[str]] = {}
    for _, owner, text in all_surfaces():
        owners_of.setdefault(text.lower(), set()).add(owner)
    assert not sorted(t for t, n in counts.items() if n > 1 and len(owners_of[t]) > 1)
    owners: dict[str, set[tuple[str, str]]] = {}
    for kind, owner, text in all_surfaces():
        owners.setdefault(key(text), set()).add((kind, owner))
    assert not {k: v for k, v in owners.items() if len(v) > 1}


def test_ambiguous_places_only_shadow_their_own_country() -> None:
    surfaces = {text.lower(): kind for kind, _, text in all_surfaces()}
    for place, candidates in places()["ambiguous"].items():
        kind = surfaces.get(place.lower())
        if kind is not None:
            # e.g. Georgia: the country name itself, listed among the candidates
            assert kind == "country" and place in candidates, place


def test_blockers_do_not_erase_real_forms_and_cover_one() -> None:
    surfaces = [text for _, _, text in all_surfaces()] + list(places()["ambiguous"])
    keys = {key(s) for s in surfaces}
    tails = {key(s): tail(s) for s in surfaces}
    for phrase in blockers():
        erases = key(phrase) in keys and len(tail(phrase)) <= len(tails[key(phrase)])
        assert not erases, f"blocker {phrase!r} equals a gazetteer form"
        low = phrase.lower()
        inner = [s for s in surfaces if s.lower() in low and re.search(
            rf"(?<![^\W_]){re.escape(s)}(?![^\W_])", phrase, re.IGNORECASE)]
        assert inner, f"blocker {phrase!r} contains no gazetteer form"


def test_all_caps_aliases_are_short_or_dotted() -> None:
    forms = [a for c in companies() for a in [*c["aliases"], *context_forms(c)]]
    forms += [a for c in countries() for a in c["aliases"]]
    forms += [a for p in people() for a in p["aliases"]]
    bad = [a for a in forms
           if not any(ch.islower() for ch in a) and len(a) > 6 and not {" ", "."} & set(a)]
    assert not bad


def test_aliases_do_not_repeat_their_name() -> None:
    """An alias may repeat the name in another case only to loosen it ("NIO" → "Nio")."""
    for rec in [*companies(), *countries(), *people()]:
        assert rec["name"] not in rec["aliases"], rec["name"]
        for alias in rec["aliases"]:
            if alias.lower() == rec["name"].lower():
                assert rec["name"].isupper() and not alias.isupper(), rec["name"]


def test_surname_only_person_aliases_are_few() -> None:
    single = [p["name"] for p in people() if any(" " not in a for a in p["aliases"])]
    assert len(single) <= 16, single


# ---------------------------------------------------------------- must-haves


@pytest.mark.parametrize(("company", "alias"), [
    ("Foxconn", "Hon Hai"),
    ("Volkswagen", "VW"),
    ("CATL", "Contemporary Amperex Technology"),
    ("General Motors", "GM"),
    ("Nissan", "Nissan Motor Co."),
    ("Volvo Cars", "Volvo"),
    ("AB Volvo", "Volvo Group"),
    ("Mitsubishi Motors", "Mitsubishi"),
    ("LG Energy Solution", "LGES"),
    ("China Motor Corporation", "CMC"),
    ("Financial Times", "FT"),
    ("BloombergNEF", "BNEF"),
    ("Associated Press", "AP"),
    ("Public Investment Fund", "PIF"),
    ("Tata Group", "Tata"),
    ("Sumitomo Group", "Sumitomo"),
    ("Samsung Electronics", "Samsung"),
    ("Navistar", "International Motors"),
    ("IBM", "International Business Machines"),
    ("FedEx", "Federal Express"),
    ("UPS", "United Parcel Service"),
    ("Walmart", "Wal-Mart"),
    ("PepsiCo", "Pepsi"),
    ("Pilot Flying J", "Pilot Company"),
    ("Oaktree Capital Management", "Oaktree"),
    ("Hillhouse Investment", "Hillhouse Capital"),
    ("ČEZ", "CEZ"),
    ("S&P Global", "Platts"),
    ("S&P Global", "S&P Global Platts"),
    ("CADA", "China Automobile Dealers Association"),
    ("BNDES", "Brazilian Development Bank"),
    ("Chevron", "Chevron Corporation"),
    ("Japan Automobile Manufacturers Association", "JAMA"),
    ("Maersk", "A.P. Moller-Maersk"),
    ("General Electric", "GE"),
    ("Kotak Mahindra Bank", "Kotak"),
    ("Tata Consultancy Services", "TCS"),
    ("Toyota Motor North America", "TMNA"),
    ("Toyota Kirloskar Motor", "Toyota Kirloskar"),
    ("Toyota Battery Manufacturing North Carolina", "TBMNC"),
    ("Honda Development & Manufacturing of America", "Honda of America"),
    ("Renault Korea", "Renault Samsung Motors"),
    ("FAW-Volkswagen", "FAW-VW"),
    ("Stellantis North America", "FCA US"),
    ("LG Energy Solution Vertech", "NEC Energy Solutions"),
    ("Hyundai", "Hyundai Motor Group Metaplant America"),
    ("Hyundai", "HMGMA"),
    ("Northvolt", "Northvolt Ett"),
    ("Tesla India Motors and Energy", "Tesla India"),
])
def test_company_must_haves(company: str, alias: str) -> None:
    assert alias in company_by_name(company)["aliases"]


@pytest.mark.parametrize(("company", "alias", "context"), [
    ("Genesis Motor", "Genesis", "Hyundai"),
    ("GM Cruise", "Cruise", "General Motors"),
    ("GM Cruise", "Cruise", "Autonomous Driving"),
    ("Smart Automobile", "Smart", "Geely"),
    ("Mini", "Mini", "BMW"),
    ("Ram Trucks", "Ram", "Stellantis"),
    ("Lincoln Motor Company", "Lincoln", "Ford"),
    ("Alpine Cars", "Alpine", "Renault"),
    ("Firefly", "Firefly", "NIO"),
    ("Aurora Innovation", "Aurora", "Autonomous Driving"),
    ("Target Corporation", "Target", "Walmart"),
    ("Pilot Flying J", "Pilot", "General Motors"),
    ("Oracle", "Oracle", "Microsoft"),
    ("UPS", "UPS", "FedEx"),
    ("Visa", "Visa", "Mastercard"),
    ("Best Buy", "Best Buy", "Walmart"),
    ("Bolt", "Bolt", "Estonia"),
    ("Sharp", "Sharp", "Foxconn"),
    ("Ebro EV Motors", "Ebro", "Chery"),
    ("3M", "3M", "Honeywell"),
    ("NEC Corporation", "NEC", "Japan"),
    ("AES Corporation", "AES", "Energy"),
    ("European Metals", "European Metals", "ČEZ"),
    ("Ryder System", "Ryder", "Supply Chain"),
])
def test_context_alias_must_haves(company: str, alias: str, context: str) -> None:
    rec = company_by_name(company)
    assert alias in rec["context_aliases"] and context in rec["context"]


@pytest.mark.parametrize(("group", "units"), [
    ("Samsung Electronics", {"Samsung SDI", "Samsung C&T", "Samsung Electro-Mechanics"}),
    ("LG Group", {"LG Energy Solution", "LG Chem", "LG Electronics", "LG Display",
                  "LG Innotek"}),
    ("SK Group", {"SK On", "SK Innovation", "SK ie technology", "SK Nexilis", "SK Enmove",
                  "SK Hynix"}),
    ("POSCO", {"POSCO Future M", "POSCO International"}),
    ("Tata Group", {"Tata Motors", "Tata AutoComp", "Agratas"}),
    ("Sumitomo Group", {"Sumitomo Metal Mining", "Sumitomo Corporation"}),
    ("Tata Group", {"Tata Consultancy Services", "Tata Elxsi"}),
    ("General Electric", {"GE Vernova", "GE HealthCare"}),
    ("Penske Corporation", {"Penske Truck Leasing", "Penske Automotive Group"}),
    ("Lotte Group", {"Lotte Chemical", "Lotte Energy Materials"}),
    ("Adani Group", {"Adani Green Energy", "Adani Enterprises"}),
    ("JSW Group", {"JSW Energy", "JSW Steel", "JSW MG Motor India"}),
    ("Doosan", {"Doosan Enerbility", "Doosan Bobcat"}),
])
def test_unit_must_haves(group: str, units: set[str]) -> None:
    assert units <= set(company_by_name(group)["units"])


def test_bare_names_that_stay_with_one_company() -> None:
    """Bare brand names decided once (see the notes in companies.yaml)."""
    assert "Volvo" in company_by_name("Volvo Cars")["aliases"]
    assert "Hyundai Motor Group" in company_by_name("Hyundai")["aliases"]
    assert "Tata" not in company_by_name("Tata Motors")["aliases"]
    assert "units" not in company_by_name("Toyota")


@pytest.mark.parametrize("name", [
    "Nissan", "Foxconn", "Aeon Motor", "Tesla", "Omdia", "Waymo", "BYD", "Denza", "ZF",
    "Hitachi Energy", "Nvidia", "Jefferies", "V-GREEN", "VinFast", "Samsung Electronics",
    "Toray", "OpenAI", "Apple", "Polestar", "Geely", "Chery", "SSAB", "Atlas Copco", "NHK",
    "Honda", "Toyota", "Renault", "Ampere", "Sony Group", "Tokai Tokyo Research Institute",
    "Nikkei", "Investing.com", "Onvo", "Xiaomi EV", "Aito", "Luxeed",
    "Lenovo", "Dell", "Reuters", "Associated Press", "Bernama", "Temasek", "Mubadala", "GIC",
    "SMMT", "KAMA", "Nexperia", "Aumovio", "Lithium Argentina", "Danantara", "Milence",
])
def test_seed_companies_present(name: str) -> None:
    assert any(c["name"] == name for c in companies())


@pytest.mark.parametrize("name", [
    # buyers, fleets, site hosts, investors and partners from outside the auto trade
    "Walmart", "Amazon", "IBM", "FedEx", "UPS", "DHL", "PepsiCo", "Corning", "Clarios",
    "Sheetz", "Pilot Flying J", "Hertz", "IKEA", "Maersk", "Caterpillar", "Honeywell",
    "Oaktree Capital Management", "Khosla Ventures", "Resource Capital Funds",
    "Hillhouse Investment", "Excelsior Energy Capital", "Blackstone", "CPP Investments",
    "Chevron", "National Grid", "Great River Energy", "ČEZ", "Dominion Energy", "Petrobras",
    "ADNOC", "CNPC", "China Three Gorges", "Power Grid Corporation of India", "Enbridge",
    "Infosys", "Tata Consultancy Services", "Reliance Jio", "Larsen & Toubro", "SABIC",
    "Ma'aden", "Woodside Energy", "Newmont", "KGHM", "Komatsu", "Yamato Holdings",
    "HD Hyundai", "Mirae Asset", "ICBC", "Banco Santander", "BNDES", "CORFO",
    # EV, battery and materials long tail
    "Powin", "Cuberg", "iM3NY", "ElectraMeccanica", "Ebro EV Motors", "Talga Group",
    "European Metals", "Smackover Lithium", "Mobil Lithium", "Redwood Energy", "L-H Battery",
    "NextStar Energy", "HL-GA Battery", "Plug Power", "Wärtsilä",
    # associations, research and media
    "CADA", "CCCME", "Sky News", "The Economist", "Forbes", "Utility Dive", "Motor1",
])
def test_large_and_long_tail_companies_present(name: str) -> None:
    assert any(c["name"] == name for c in companies())


@pytest.mark.parametrize(("unit", "parent"), [
    ("Toyota Motor North America", "Toyota"),
    ("Toyota Kirloskar Motor", "Toyota"),
    ("Toyota Battery Manufacturing North Carolina", "Toyota"),
    ("GAC Toyota", "Toyota"),
    ("Honda Development & Manufacturing of America", "Honda"),
    ("L-H Battery", "Honda"),
    ("Suzuki Motor Gujarat", "Suzuki"),
    ("Hyundai Motor India", "Hyundai"),
    ("Tesla India Motors and Energy", "Tesla"),
    ("Rio Tinto Lithium", "Rio Tinto"),
    ("LG Energy Solution Vertech", "LG Energy Solution"),
    ("BlueOval SK", "Ford"),
    ("Ford Otosan", "Ford"),
    ("Changan Ford", "Ford"),
    ("Ultium Cells", "General Motors"),
    ("SAIC-GM-Wuling", "General Motors"),
    ("StarPlus Energy", "Stellantis"),
    ("Stellantis North America", "Stellantis"),
    ("FAW-Volkswagen", "Volkswagen"),
    ("SAIC Volkswagen", "Volkswagen"),
    ("Volkswagen Group of America", "Volkswagen"),
    ("Dongfeng Nissan", "Nissan"),
    ("BMW Brilliance", "BMW"),
    ("Beijing Benz", "Mercedes-Benz"),
    ("Mercedes-Benz Vans", "Mercedes-Benz"),
])
def test_units_and_joint_ventures_are_their_own_entities(unit: str, parent: str) -> None:
    """A regional unit or joint venture is an entity of its own: its name is never folded
    into the parent's aliases, so the longer name wins the span. (A plant is not a
    company: "Metaplant America" and "Northvolt Ett" are aliases of their owners.)"""
    rec, owner = company_by_name(unit), company_by_name(parent)
    assert key(unit) not in {key(f) for f in company_forms(owner)}
    assert rec is not owner


@pytest.mark.parametrize("word", [
    "Target", "Pilot", "Oracle", "Visa", "Best Buy", "Sharp", "Bolt", "Arrival", "Ebro",
    "Ryder", "3M", "UPS", "NEC", "AES", "European Metals", "State Street",
])
def test_ordinary_words_are_only_weak_forms(word: str) -> None:
    """A company form that is also an ordinary word, amount or abbreviation counts only
    beside its context: no company has it as a plain form."""
    weak = {key(f) for c in companies() for f in context_forms(c)}
    plain = {key(f) for c in companies() for f in company_forms(c)
             if key(f) not in {key(w) for w in context_forms(c)}}
    assert key(word) in weak
    assert key(word) not in plain


@pytest.mark.parametrize("phrase", [
    "Dow", "RTX", "ITC", "Sequoia", "Apollo", "Vanguard", "Stem", "Coherent", "GoTo", "Koch",
    "Hyundai Electric", "Critical Elements", "Gulf Energy", "Saudi Electricity",
    "Qatar Energy", "American Clean Power", "EV Volumes", "China Steel", "Cobalt Blue",
    "BMW Manufacturing", "Toyota Battery Manufacturing", "Mercedes-Benz Cars", "ANZ", "PGE",
    "Excelsior", "Rhodium", "Heatmap", "BOE", "SSE", "EQT", "RCF",
])
def test_plain_phrases_are_no_company_form(phrase: str) -> None:
    """Short or generic forms that read as a plain phrase, an index or another company
    ("the Dow", "Hyundai electric cars", "critical elements") are left out on purpose."""
    forms = {key(f) for c in companies() for f in [*company_forms(c), *context_forms(c)]}
    assert key(phrase) not in forms


def test_country_must_haves() -> None:
    us = country_by_name("United States")
    assert {"US", "U.S."} <= set(us["aliases"])
    assert "UK" in country_by_name("United Kingdom")["aliases"]
    assert "Japanese" in country_by_name("Japan")["demonyms"]
    assert "Taiwanese" in country_by_name("Taiwan")["demonyms"]
    assert "Korea" in country_by_name("South Korea")["aliases"]
    assert "Czechia" in country_by_name("Czech Republic")["aliases"]
    names = country_names()
    assert {"Taiwan", "Hong Kong", "Macau", "Kosovo", "Palestine", "Puerto Rico"} <= names
    assert country_by_name("Norway")["code"] == "NO"


@pytest.mark.parametrize(("place", "country"), [
    ("Yokosuka", "Japan"),
    ("Oppama", "Japan"),
    ("Kanagawa Prefecture", "Japan"),
    ("Nevada", "United States"),
    ("Sparks", "United States"),
    ("Ridgeville", "United States"),
    ("Austin", "United States"),
    ("Wolfsburg", "Germany"),
    ("Debrecen", "Hungary"),
    ("Ningde", "China"),
    ("Ulsan", "South Korea"),
])
def test_place_must_haves(place: str, country: str) -> None:
    assert place in places()[country]


def test_georgia_is_ambiguous() -> None:
    assert set(places()["ambiguous"]["Georgia"]) == {"United States", "Georgia"}


def test_people_must_haves() -> None:
    names = {p["name"] for p in people()}
    assert {"Elon Musk", "Mary Barra", "Andreas Schierenbeck", "Seiji Sugiura"} <= names
