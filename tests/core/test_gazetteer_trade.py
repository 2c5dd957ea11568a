"""The built-in gazetteer on real-shaped sentences from the trade's long tail: battery
materials, miners and refiners, recyclers, charging networks, autonomy firms and Asian
suppliers that the news names without a suffix or a role word, and the weak forms that
count only beside their context ("TES", "Moto", "Syrah", "Mineral Resources")."""

from __future__ import annotations

import pytest

from evreader.extract.extractor import Extractor
from evreader.gazetteer import load_gazetteer
from evreader.models import Article


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor(load_gazetteer())


def _companies(extractor: Extractor, text: str) -> set[str]:
    article = Article("x", "x", "Headline", text)
    return {m.name for m in extractor.extract(article) if m.kind == "company" and not m.discovered}


@pytest.mark.parametrize(("text", "names"), [
    ("Korea Zinc affiliate KEMCO, which refines nickel sulfate in Ulsan, will supply part of "
     "the metal.", {"Korea Zinc", "KEMCO"}),
    ("Materials makers Enchem and Dongwha Electrolyte supply electrolytes, while SK IE "
     "Technology and W-Scope make separators.", {"Enchem", "Dongwha Electrolyte",
                                                 "SK ie technology", "W-Scope"}),
    ("Toyota Tsusho owns a stake in Arcadium Lithium through a previous deal with Orocobre.",
     {"Toyota Tsusho", "Arcadium Lithium", "Orocobre"}),
    ("IMIP already hosts HPAL plants run by PT Huayue Nickel Cobalt and PT QMB New Energy "
     "Materials.", {"Indonesia Morowali Industrial Park", "Huayue Nickel Cobalt",
                    "QMB New Energy Materials"}),
    ("The agreement was signed by PT Anugrah Neo Energy Materials with PT Gotion Indonesia "
     "Materials.", {"Anugrah Neo Energy Materials", "Gotion Indonesia Materials"}),
    ("Its Nysa plant supplies Automotive Cells Company, and the venture with PowerCo, IONWAY, "
     "will scale back.", {"Automotive Cells Company", "PowerCo", "IONWAY"}),
    ("Hitachi Astemo, formed from the merger of Hitachi Automotive Systems with Keihin, Showa "
     "and Nissin Kogyo, has cut unprofitable lines.", {"Hitachi Astemo", "Keihin",
                                                       "Showa Corporation", "Nissin Kogyo"}),
    ("Aurora is hauling loads for Uber Freight and Hirschbach Motor Lines; Volvo Autonomous "
     "Solutions trucks follow.", {"Aurora Innovation", "Uber Freight",
                                  "Hirschbach Motor Lines", "AB Volvo"}),
    ("Gridserve bought the Electric Highway charging network from Ecotricity and will add "
     "chargers at Moto, Roadchef and Welcome Break sites.",
     {"Gridserve", "Ecotricity", "Moto Hospitality", "Roadchef", "Welcome Break"}),
    ("Ascend Elements announced a joint venture with TES, a subsidiary of South Korea's "
     "SK ecoplant.",
     {"Ascend Elements", "TES", "SK ecoplant"}),
    ("Syrah's Vidalia plant makes graphite anode material for lithium-ion batteries.",
     {"Syrah Resources"}),
    ("Mineral Resources and Pilbara Minerals have expanded spodumene output for Albemarle.",
     {"MinRes", "Pilbara Minerals", "Albemarle"}),
    ("Other US lithium projects include ioneer's Rhyolite Ridge.", {"ioneer"}),
    ("CNGR Advanced Material is building a precursor plant with Al Mada, and Managem produces "
     "cobalt, while Prayon works with OCP.", {"CNGR", "Al Mada", "Managem", "Prayon", "OCP Group"}),
    ("Horizon Plus, the venture of Arun Plus and Foxconn, and Nuovo Plus with Global Power "
     "Synergy (GPSC).", {"Horizon Plus", "Arun Plus", "Foxconn", "Nuovo Plus",
                         "Global Power Synergy"}),
    ("Lucid will sell shares to Ayar Third Investment Co., an affiliate of the Public "
     "Investment Fund.", {"Lucid", "Ayar Third Investment", "Public Investment Fund"}),
    ("Natron Energy, backed by Chevron and United Airlines Ventures, partnered with Clarios.",
     {"Natron Energy", "Chevron", "United Airlines", "Clarios"}),
    ("Sodium-ion makers include Zoolnasm and Faradion; JAC's Yiwei brand uses HiNa cells.",
     {"Zoolnasm", "Faradion", "Yiwei", "HiNa Battery"}),
    ("Older brands such as Trumpchi, Venucia, Bestune, Haima and Zotye are fading, said "
     "an analyst at Meritz Securities.", {"Trumpchi", "Venucia", "Bestune", "Haima", "Zotye",
                                          "Meritz Securities"}),
    ("Daimler Truck sells Western Star and Mercedes-Benz Trucks models; Fuso builds the "
     "eCanter.", {"Daimler Truck", "Western Star", "Mercedes-Benz Trucks", "Mitsubishi Fuso"}),
    ("Suppliers Hyundai Kefico, Sungwoo Hitech and Seoyon E-Hwa followed Toyoda Gosei, "
     "Akebono Brake and ElringKlinger in cutting forecasts.",
     {"Hyundai Kefico", "Sungwoo Hitech", "Seoyon E-Hwa", "Toyoda Gosei", "Akebono Brake",
      "ElringKlinger"}),
    ("Electrolyte makers Guotai Huarong and Smoothway and separator maker Cangzhou Mingzhu "
     "supply Ampace and JEVE.", {"Guotai Huarong", "Smoothway", "Cangzhou Mingzhu", "Ampace",
                                 "JEVE"}),
    ("Ultium CAM in Bécancour and EcoPro Innovation supply cathode precursors, while "
     "Lithium Nevada builds Thacker Pass.", {"Ultium CAM", "EcoPro Innovation",
                                              "Lithium Nevada"}),
    ("Drive Electric chair Kirsten Corson said New Zealand buyers were waiting.",
     {"Drive Electric"}),
    ("Humanoid makers Unitree, UBTech, Apptronik and Agility Robotics showed robots, and "
     "Oliver Wyman and Berylls expect pilots at Shougang and Ansteel plants.",
     {"Unitree", "UBTech", "Apptronik", "Agility Robotics", "Oliver Wyman", "Berylls",
      "Shougang", "Ansteel"}),
    ("Dealer groups Inchcape, Emil Frey Group and Zhongsheng sell BYD cars, financed by "
     "Mobilize Financial Services and shipped by EUKOR and Grimaldi Group.",
     {"Inchcape", "Emil Frey Group", "Zhongsheng", "BYD", "Mobilize Financial Services",
      "EUKOR", "Grimaldi Group"}),
    ("Fleet buyers include Lufthansa, Deutsche Bahn, Aldi and Lidl; Maybank, DBS and "
     "Rabobank lend to the charging venture.", {"Lufthansa", "Deutsche Bahn", "Aldi", "Lidl",
                                               "Maybank", "DBS", "Rabobank"}),
    ("Charger makers Infypower, UUGreenPower and Sinexcel and storage firms Pylontech, "
     "Hydrostor and Highview Power expanded.", {"Infypower", "UUGreenPower", "Sinexcel",
                                                 "Pylontech", "Hydrostor", "Highview Power"}),
    ("In Kenya, BasiGo runs electric buses and Spiro swaps batteries; in Brazil, Raízen and "
     "Vibra Energia add chargers, and Chile's Copec runs Voltex.",
     {"BasiGo", "Spiro", "Raízen", "Vibra Energia", "Copec", "Voltex"}),
])
def test_trade_companies_are_known(extractor: Extractor, text: str, names: set[str]) -> None:
    assert names <= _companies(extractor, text)


@pytest.mark.parametrize(("text", "name"), [
    ("Thermal energy storage (TES) keeps heat in molten salt for hours.", "TES"),
    ("The rain gave the farmers a Welcome Break this week.", "Welcome Break"),
    ("Moto unveiled a new folding phone on Tuesday.", "Moto Hospitality"),
    ("A bottle of Syrah from the Barossa Valley won the prize.", "Syrah Resources"),
    ("The Ministry of Energy and Mineral Resources issued new quotas.", "MinRes"),
    ("Robinson Crusoe was first published in 1719.", "Crusoe"),
    ("Drive Electric cars cost less to run, the ad says.", "Drive Electric"),
    ("The Aral Sea has shrunk to a tenth of its size.", "Aral"),
    ("Use an Ampersand between the two names.", "Ampersand"),
])
def test_weak_forms_need_their_context(extractor: Extractor, text: str, name: str) -> None:
    assert name not in _companies(extractor, text)


@pytest.mark.parametrize(("text", "names"), [
    ("Cirba Solutions Selects Lancaster, Ohio, for $200 Million Battery Materials Expansion",
     {"Cirba Solutions"}),
    ("It is a Welcome Break for buyers; Canadian solar installers and European lithium "
     "refiners agree.", set()),
])
def test_ordinary_phrases_name_no_company(extractor: Extractor, text: str,
                                          names: set[str]) -> None:
    assert _companies(extractor, text) == names
