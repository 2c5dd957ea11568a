"""Real-shaped pages, notes, digests and feeds: headline, date, byline and body.

Each case is a shape a news site or a note-taking habit gives, written here in a
few lines (the real-news corpus in tests/realnews holds whole pages). The rules
under test never know a site: every case could come from another publisher.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from evreader.ingest.bylines import author_names, byline_names, is_person_name
from evreader.ingest.dates import date_line, date_of_value, dates_in
from evreader.ingest.files import SourceFile
from evreader.ingest.load import read_source_file
from evreader.ingest.segment import segment

BODY = ("The automaker said on Tuesday it would spend $2 billion to retool the plant, "
        "which employs about 3,000 people, for a new family of electric pickups.")
BODY2 = ("Analysts said the move reflects a wider shift as carmakers cut costs and delay "
         "launches while demand for battery-electric models slows in several markets.")


def _one(text: str) -> tuple[str | None, date | None, list[str], str]:
    (draft,) = segment(text)
    return draft.title, draft.published, draft.authors, draft.body


@pytest.mark.parametrize(("line", "expected"), [
    ("Published: Aug. 8, 2022 at 5:41 AM CDT|Updated: 2 hours ago", date(2022, 8, 8)),
    ("Posted on 24 April 2023 by Sofia Hernández", date(2023, 4, 24)),
    ("Updated 11:05 AM EST, March 5, 2024", date(2024, 3, 5)),
    ("Updated 20 Oct 2023", date(2023, 10, 20)),
    ("10:02 AM PDT · May 23, 2024", date(2024, 5, 23)),
    ("Published : Mar. 5, 2024 - 10:02", date(2024, 3, 5)),
    ("Published: 05 Mar. 2024, 16:55 Updated: 05 Mar. 2024, 18:00", date(2024, 3, 5)),
    ("Issued on: 24/10/2023 - 14:20", date(2023, 10, 24)),
    ("Posted : 2023-09-28 10:02 | Updated : 2023-09-28 16:55", date(2023, 9, 28)),
    ("Mon 4 Mar 2024 06.00 GMT", date(2024, 3, 4)),
    ("3/25/2024 11:05 AM ET", date(2024, 3, 25)),
    ("Tuesday 01 April 2025 10:02 GMT", date(2025, 4, 1)),
    ("Fred Lambert | Feb 27 2023 - 10:02 am PT", date(2023, 2, 27)),
    ("By Carter Williams, KSL.com | Posted - March 5, 2024 at 10:02 a.m.", date(2024, 3, 5)),
])
def test_date_lines_in_their_many_forms(line: str, expected: date) -> None:
    found = date_line(line)
    assert found is not None and found.published == expected


@pytest.mark.parametrize("line", [
    "A Nissan logo is pictured at the Oppama plant in Yokosuka, Japan, June 4, 2025. "
    "REUTERS/Kim Kyung-Hoon/File Photo",
    "The plant opened on March 5, 2024 and now employs about 2,000 people in the area.",
    "Brazil's president meets executives in Brasília on July 4, 2023.",
])
def test_a_sentence_that_mentions_a_date_is_not_a_date_line(line: str) -> None:
    assert date_line(line) is None


def test_only_an_update_date_is_used_when_no_publication_date_is_given() -> None:
    found = date_line("Modified: 24/10/2023 - 16:45")
    assert found is not None and found.updated_only
    page = ("Autocar\nNews\nReviews\n\nZeekr confirms UK launch for 001 and X models\n"
            "Updated 20 Oct 2023\nFelix Page\nNews editor\n\n" + BODY)
    assert _one(page)[1] == date(2023, 10, 20)


def test_numeric_dates_are_day_first_unless_the_page_says_otherwise() -> None:
    assert dates_in("05/03/2024")[0].when == date(2024, 3, 5)
    assert dates_in("23/02/2024")[0].when == date(2024, 2, 23)  # only one reading
    assert dates_in("3/25/2024")[0].when == date(2024, 3, 25)
    month_first = ("Business\nFoxconn to supply EVs to Mitsubishi Motors for Australia\n"
                   "05/12/2025 04:12 PM\nShare\n\nTaipei, May 12 (CNA) Hon Hai said on Monday "
                   "it would build an electric model for Mitsubishi Motors to sell in Oceania.")
    assert _one(month_first)[1] == date(2025, 5, 12)


def test_metadata_dates_keep_the_publishers_day() -> None:
    assert date_of_value("2024-07-04T05:12:00+07:00").when == date(2024, 7, 4)
    assert date_of_value("Thu, 04 Jul 2024 05:12:00 +0700").when == date(2024, 7, 4)
    assert date_of_value("2024-07-03T23:30:00-05:00").when == date(2024, 7, 3)
    bad = date_of_value("2024-02-30")
    assert bad.when is None and bad.problem and "2024-02-30" in bad.problem
    assert date_of_value(20240101).when is None
    assert date_of_value(["2024-01-01"]).problem == "not a date (list)"


@pytest.mark.parametrize(("line", "names"), [
    ("By Daniel Leussink and Maki Shiraki", ["Daniel Leussink", "Maki Shiraki"]),
    ("BY TOM KRISHER", ["TOM KRISHER"]),
    ("By: Kevin Williams", ["Kevin Williams"]),
    ("by Andrew J. Hawkins", ["Andrew J. Hawkins"]),
    ("By Chris Isidore, CNN", ["Chris Isidore"]),
    ("By Li Fusheng | chinadaily.com.cn | Updated: 2024-03-05 14:20", ["Li Fusheng"]),
    ("By The Associated Press", []),
    ("By Byun Hye-jin", ["Byun Hye-jin"]),
])
def test_bylines(line: str, names: list[str]) -> None:
    assert byline_names(line) == names


def test_a_sentence_starting_with_by_is_not_a_byline() -> None:
    assert byline_names("By the end of 2025, Tesla expects to double its output in Texas.") \
        is None


@pytest.mark.parametrize(("text", "person"), [
    ("Ann Lee", True), ("Luiz Inácio Lula da Silva", True), ("O'Neil Smith", True),
    ("The Associated Press", False), ("RTTNews", False), ("KSL.com", False),
    ("LISTEN TO ARTICLE", False), ("TOI Business Desk", False), ("Font Size", False),
    ("Battery Metals Latin America Lithium", False), ("Idemitsu Kosan's Chiba Complex", False),
    ("Eastern Daylight Time", False), ("Loan Programs Office", False),
])
def test_person_names(text: str, person: bool) -> None:
    assert is_person_name(text) is person


def test_author_fields_drop_outlets_and_split_lists() -> None:
    assert author_names("Nick Carey, Kevin Krolicki") == ["Nick Carey", "Kevin Krolicki"]
    assert author_names("Reuters") == []
    assert author_names("vnexpress.net") == []
    assert author_names("HT Auto Desk") == []
    assert author_names("A. Writer") == ["A. Writer"]


NAV = "Skip to main content\nHome\nWorld\nBusiness\nMarkets\nSign In\nRegister\n\n"


def test_page_chrome_is_not_the_title_and_the_header_gives_date_and_authors() -> None:
    page = (NAV + "Autos & Transportation\nNissan in talks to let Foxconn build EVs at its "
            "plant\nBy Daniel Leussink and Maki Shiraki\nJuly 7, 2025 5:10 AM GMT+9 "
            "Updated 3 hours ago\n\nItem 1 of 2 A Nissan logo is pictured at the plant, "
            "June 4, 2025. REUTERS/Kim Kyung-Hoon/File Photo\n\nTOKYO, July 6 (Reuters) - "
            + BODY + "\n\n" + BODY2 + "\n\nRelated articles\nXiaomi cuts prices\nBYD expands"
            "\n\n© 2025 Reuters. All rights reserved.\n")
    title, published, authors, body = _one(page)
    assert title == "Nissan in talks to let Foxconn build EVs at its plant"
    assert published == date(2025, 7, 7)
    assert authors == ["Daniel Leussink", "Maki Shiraki"]
    assert body.startswith("TOKYO, July 6 (Reuters) - The automaker")
    for debris in ("Item 1 of 2", "REUTERS/", "Related articles", "Xiaomi cuts", "©",
                   "Sign In", "Autos & Transportation"):
        assert debris not in body, debris


def test_a_research_notes_analysts_over_their_role_lines_are_its_authors() -> None:
    # A broker's note copied from its PDF: names (one with a credential) each over
    # an "Analyst" line, between the title block and the first section.
    page = ("Global Research\n12 March 2024\nAutos & Mobility\n"
            "Battery costs: the cell price war reaches Europe\nEquities\n"
            "Ann Lindqvist, CFA\nAnalyst\nKenji Mori\nSenior Analyst\nWhat we found\n"
            + BODY + "\n" + BODY2)
    title, published, authors, _ = _one(page)
    assert title == "Battery costs: the cell price war reaches Europe"
    assert (published, authors) == (date(2024, 3, 12), ["Ann Lindqvist", "Kenji Mori"])


def test_a_social_posts_header_names_its_author() -> None:
    page = ("Skip to main content\nSign in\nTomás Herrera’s Post\nTomás Herrera\n"
            "Charging infrastructure | ex-utility | grid planning\n3d\n" + BODY + "\n" + BODY2)
    assert _one(page)[2] == ["Tomás Herrera"]


def test_a_headline_about_a_post_is_not_a_byline() -> None:
    page = ("Tesla’s Post\n\nBy Ann Lee\nMay 2, 2024\n\n" + BODY)
    assert _one(page)[2] == ["Ann Lee"]


def test_a_sites_tagline_followed_by_its_menu_is_not_the_headline() -> None:
    page = ("Exclusive news, data and analytics for financial market professionals\n"
            + NAV + "Ford to build a low-cost electric pickup in Louisville\n"
            "March 5, 2024\n\n" + BODY)
    assert _one(page)[0] == "Ford to build a low-cost electric pickup in Louisville"


def test_standfirst_kept_captions_share_bars_and_credits_dropped() -> None:
    page = ("BACK TO ALL NEWS\n\nRivian will build the R2 in Illinois instead of Georgia\n\n"
            "Pausing construction on its Georgia factory lets the company start sooner.\n\n"
            "by Andrew J. Hawkins\nMar 7, 2024, 5:42 PM EST\n| 32 Comments / 32 New\n"
            "Share this: Facebook X Reddit WhatsApp Email\n\nRivian R2 on stage.\nImage: Rivian\n"
            "\n" + BODY + "\n\n" + BODY2)
    title, published, authors, body = _one(page)
    assert title == "Rivian will build the R2 in Illinois instead of Georgia"
    assert (published, authors) == (date(2024, 3, 7), ["Andrew J. Hawkins"])
    assert body.startswith("Pausing construction")
    for debris in ("Comments", "Share this", "Image: Rivian", "Rivian R2 on stage"):
        assert debris not in body, debris


def test_a_date_after_a_section_label_and_a_name_alone_next_to_it() -> None:
    page = ("electrive.com\nNewsletter\nCharging\nDE | EN\n\nApr 24, 2023 - 02:01 pm\n"
            "Northvolt puts its Heide gigafactory under review\nSebastian Schaal\n" + BODY)
    title, published, authors, _ = _one(page)
    assert title == "Northvolt puts its Heide gigafactory under review"
    assert (published, authors) == (date(2023, 4, 24), ["Sebastian Schaal"])


def test_a_caption_glued_into_a_paragraph_loses_its_credit() -> None:
    page = ("Companies\nHyundai and Kia recall 3.37 million vehicles over fire risk\n"
            "Posted : 2023-09-28 10:02\n• Share • Read Later\nicon to expand image\n"
            "Owners are told to park outside, the companies said on Wednesday. Image: Hyundai "
            "Motor Hyundai Motor Co. and its affiliate Kia Corp. are recalling vehicles.\n"
            + BODY2)
    _, published, _, body = _one(page)
    assert published == date(2023, 9, 28)
    assert "Image:" not in body and "Read Later" not in body and "expand image" not in body
    assert "Wednesday. Hyundai Motor Co. and its affiliate" in body


def test_bylines_at_the_end_of_the_article() -> None:
    page = ("Industry\nSamsung SDI and Stellantis break ground on a second plant\n"
            "Published: 05 Mar. 2024, 16:55\n\n" + BODY + "\n\n" + BODY2 +
            "\n\nBY LEE TAE-HEE [lee.taehee2@joongang.co.kr]\n")
    _, published, authors, body = _one(page)
    assert (published, authors) == (date(2024, 3, 5), ["LEE TAE-HEE"])
    assert "BY LEE" not in body
    other = ("Business\nFoxconn to supply EVs to Mitsubishi Motors for Oceania\n"
             "May 12, 2025\n\n" + BODY + "\n\n(By Chang Chien-chung and Frances Huang)\n"
             "Enditem/ls\n")
    assert _one(other)[2] == ["Chang Chien-chung", "Frances Huang"]


@pytest.mark.parametrize(("header", "authors"), [
    # agencies credited after "with"
    ("Mara Olsen with Reuters, dpa, AFP\n12/20/2024\nDecember 20, 2024\n", ["Mara Olsen"]),
    # a role line and a relative time between the name and the date
    ("Jonah Reyes\nSenior Journalist\n4 Hours Ago\n1 Jul 2025\n", ["Jonah Reyes"]),
    ("Tess Marlow\nBusiness correspondent @tmarlow\nPublished 2 hours ago\n"
     "Friday 24 November 2023 09:25, UK\n", ["Tess Marlow"]),
    # where each reporter is
    ("Anna Berg in Frankfurt and Piet Vos in London\nPublished November 20 2024\n",
     ["Anna Berg", "Piet Vos"]),
    ("Lee Su-min and Park Ji-ho\n2025-07-30 17:52:11\n", ["Lee Su-min", "Park Ji-ho"]),
    ("WRITER: Niran Chaiyasit\nPublished: 5 Mar 2025 at 04:00\n", ["Niran Chaiyasit"]),
    # a blog platform's name over its Follow button, no date at all
    ("Ida Kessler\nFollow\nPublished in\nCell Notes\n6 min read\n·\n3 days ago\n",
     ["Ida Kessler"]),
])
def test_bylines_beside_dates_roles_and_buttons(header: str, authors: list[str]) -> None:
    page = (NAV + "Business\nCarmaker agrees deal to cut 35,000 jobs by 2030\n\n" + header + "\n"
            + BODY + "\n\n" + BODY2)
    title, _, got, body = _one(page)
    assert title == "Carmaker agrees deal to cut 35,000 jobs by 2030"
    assert got == authors
    assert body.startswith(BODY[:30])


def test_credit_sentences_and_press_contacts_at_the_end() -> None:
    credit = ("Tech\nA maker of electric cars turns a profit\nPublished on 19 Jul 2025\n\n"
              + BODY + "\n\nThis article was adapted from a partner. It was written by "
              "Li Anqi and edited by Qiao Ming for the partner.\nComments\n")
    _, _, authors, body = _one(credit)
    assert authors == ["Li Anqi"]
    assert "It was written by Li Anqi" in body  # a sentence of the article stays
    contact = ("Ridgeway Motors Unveils a New EV Platform\nAug 11, 2025 | DETROIT\n\n"
               + BODY + "\n\n# # #\n\nAbout Ridgeway Motors\n" + BODY2 +
               "\n\nContact:\nSam Vale\nsvale@ridgeway.example\n")
    assert _one(contact)[2] == []
    reporter = ("Autos\nBYD cuts prices again\nMar 5, 2025\n\n" + BODY + "\n\n"
                "Contact reporter Wang Lin (wanglin@example.com) and editor Bao Yun "
                "(baoyun@example.com)\n")
    assert _one(reporter)[2] == ["Wang Lin"]


def test_a_masthead_names_the_publisher(tmp_path: Path) -> None:
    """A copied page's first line naming a known outlet is its publisher; a first
    line that is no outlet states none (the file then stands for it)."""
    page = "POLITICO\nMenu\nEurope\nEU agrees tariffs on Chinese EVs\nMay 5, 2025\n\n" + BODY
    (tmp_path / "a.txt").write_text(page, encoding="utf-8")
    (tmp_path / "b.txt").write_text(page.replace("POLITICO", "Home"), encoding="utf-8")
    a, _ = read_source_file(SourceFile(str(tmp_path / "a.txt"), "a.txt"))
    b, _ = read_source_file(SourceFile(str(tmp_path / "b.txt"), "b.txt"))
    assert [x.publisher for x in a] == ["Politico"]
    assert [x.publisher for x in b] == [""]


def test_no_date_is_invented_from_the_body() -> None:
    page = ("EV Battery Watch\nHome\nBatteries\nDeals\n\nBattery maker Voltara to go public "
            "through a merger with Harbor Point Acquisition Co.\n\nVoltara said on March 5, "
            "2024 that the deal values it at $1.2 billion. " + BODY)
    title, published, authors, _ = _one(page)
    assert title is not None and title.endswith("Harbor Point Acquisition Co.")
    assert published is None and authors == []


def test_a_plain_clipping_keeps_its_short_headings() -> None:
    text = "Big News Today\n\nIntro\n\n" + BODY + "\n\nA Move to Kyushu\n\n" + BODY2
    title, _, _, body = _one(text)
    assert title == "Big News Today"
    assert "Intro" in body and "A Move to Kyushu" in body


LISTING = [
    "Polestar starts US production of the Polestar 3 Polestar has started production of its "
    "Polestar 3 SUV at the Volvo plant in Ridgeville, South Carolina. Nick Holt",
    "Korea: the switch to EV production accelerates Korean vehicle makers invest in flexible "
    "production and add more EVs. Foreign OEMs continue to invest in production. Ian Henry",
    "Lexus to build EVs in Shanghai from 2027 Toyota's luxury brand Lexus will set up a wholly "
    "owned EV and battery plant in Shanghai's Jinshan district, Toyota said.",
    "Ford to build low-cost EV pickup in Louisville Ford will spend $2 billion to retool its "
    "Louisville Assembly Plant in Kentucky for a mid-size electric pickup due in 2027.",
    "Governor signs EV charging bill California Governor Gavin Newsom signed a law requiring "
    "charging companies to report station uptime to the state. Dan Whitcomb",
]


def test_a_headline_listing_splits_headline_from_standfirst(tmp_path: Path) -> None:
    f = tmp_path / "listing.txt"
    f.write_text("\n".join(LISTING) + "\n", encoding="utf-8")
    articles, _ = read_source_file(SourceFile(str(f), "listing.txt"))
    assert [a.title for a in articles] == [
        "Polestar starts US production of the Polestar 3",
        "Korea: the switch to EV production accelerates",
        "Lexus to build EVs in Shanghai from 2027",
        "Ford to build low-cost EV pickup in Louisville",
        "Governor signs EV charging bill"]
    assert articles[0].text.startswith("Polestar has started production")
    assert [a.authors for a in articles] == [("Nick Holt",), ("Ian Henry",), (), (),
                                             ("Dan Whitcomb",)]


SECOND_LISTING = [
    # the subject again, after a description of it
    "Ganfeng starts output at Mariana lithium project in Argentina Chinese lithium miner "
    "Ganfeng Lithium says the plant will produce 20,000 tonnes a year.",
    "Li-Cycle files for bankruptcy protection Battery recycler Li-Cycle, backed by Glencore, "
    "filed for creditor protection in Canada and the US.",
    # a subject that is a list of names, then its verb
    "Thailand's EV subsidy scheme strains Chinese makers Changan, GAC Aion and Great Wall "
    "Motor face local production quotas",
    # a determiner's phrase, then its verb, after a place
    "Albemarle to idle Kemerton lithium unit in Western Australia The US company will cut "
    "about 300 jobs as lithium prices stay low.",
    # a place the gazetteer knows ends the headline's last phrase
    "Analysis: Why CATL builds in Europe but licenses in the US Contemporary Amperex lets "
    "Ford and Tesla use its LFP know-how instead of owning plants",
    # a subject with an apposition before its verb
    "Posco Future M and GM start up Bécancour cathode plant Ultium CAM, a joint venture of "
    "the two companies, will supply cathode material to Ultium Cells in Ohio.",
    # a subject of two people joined by "and", each with a possessive
    "Interview: scaling up cell production at speed Northvolt’s Peter Carlsson and "
    "Johnson Matthey’s Liam Condon explain why cathode supply sets the pace.",
]


def test_headlines_run_into_their_standfirst(tmp_path: Path) -> None:
    f = tmp_path / "digest.txt"
    f.write_text("\n".join(SECOND_LISTING) + "\n", encoding="utf-8")
    articles, _ = read_source_file(SourceFile(str(f), "digest.txt"))
    assert [a.title for a in articles] == [
        "Ganfeng starts output at Mariana lithium project in Argentina",
        "Li-Cycle files for bankruptcy protection",
        "Thailand's EV subsidy scheme strains Chinese makers",
        "Albemarle to idle Kemerton lithium unit in Western Australia",
        "Analysis: Why CATL builds in Europe but licenses in the US",
        "Posco Future M and GM start up Bécancour cathode plant",
        "Interview: scaling up cell production at speed"]
    assert articles[0].text.startswith("Chinese lithium miner Ganfeng")


def test_plain_briefs_keep_their_lines_whole_and_each_line_decides_its_credit() -> None:
    briefs = [
        "Taiwanese electric vehicle maker Aeon Motor has officially begun mass production at "
        "its new Vietnam facility, with the first batch of US-bound products shipped in May.",
        "China Motor Corporation (CMC) unveiled a new special edition of its popular J Space "
        "model on July 2, 2025, and raised its full-year sales target for the vehicle.",
        "Polestar will build the Polestar 7 in Europe, exiting China in a regionalisation move "
        "that the carmaker says enhances supply chain resilience in the global auto sector "
        "Ilkhan Ozsevim",
        "Hyundai is adding hybrid models to its Georgia EV plant, a shift that shows how "
        "carmakers are hedging as US tax credits end, with output moving to South Carolina",
    ]
    drafts = segment("\n".join(briefs))
    assert [d.title for d in drafts] == [None, None, None, None]
    assert [d.authors for d in drafts] == [[], [], ["Ilkhan Ozsevim"], []]


def _load(tmp_path: Path, name: str, text: str) -> tuple[list, list[str]]:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    articles, warnings = read_source_file(SourceFile(str(f), name))
    return articles, [w.message for w in warnings]


def test_a_bad_front_matter_date_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    (a,), warnings = _load(tmp_path, "n.md", "---\ntitle: Gotion in Michigan\n"
                           "date: 2024-02-30\nauthor: Ann Lee\n---\n\n" + BODY + "\n")
    assert (a.title, a.published, a.authors) == ("Gotion in Michigan", None, ("Ann Lee",))
    assert warnings == ["field 'date': no such date: 2024-02-30"]


def test_a_list_where_a_title_belongs_and_front_matter_that_is_not_yaml(tmp_path: Path) -> None:
    (a,), warnings = _load(tmp_path, "a.md", "---\ntitle: [Chile, lithium]\ndate: 2024-05-02\n"
                           "---\n\n# Chile opens lithium to private firms\n\n" + BODY)
    assert a.title == "Chile opens lithium to private firms" and a.published == date(2024, 5, 2)
    assert warnings == ["field 'title': a list where text belongs"]
    (b,), warnings = _load(tmp_path, "b.md", "---\ntitle: Tesla: robotaxi: plans\n"
                           "date: [2024\n---\n\nTesla robotaxi plans slip again\n\n" + BODY)
    assert b.title == "Tesla robotaxi plans slip again" and b.title != "---"
    assert len(warnings) == 1 and warnings[0].startswith("front matter")


def test_front_matter_means_one_article(tmp_path: Path) -> None:
    long = BODY + " " + BODY2
    (a,), _ = _load(tmp_path, "two.md", "---\ntitle: Rare earth magnets\ndate: 2025-01-09\n"
                    "url: https://example.com/x\n---\n" + long + "\n" + long + "\n")
    assert a.title == "Rare earth magnets" and a.url == "https://example.com/x"


def test_json_lines_with_bad_fields_keep_their_articles(tmp_path: Path) -> None:
    rows = [{"title": "One", "text": BODY, "published": "2024-13-45", "authors": "Ann Lee"},
            {"title": "Two", "text": BODY, "published": 1709640000, "authors": ["Bo Chen"]},
            {"title": "Three", "text": BODY, "published": "2024-03-05T01:30:00+09:00"}]
    articles, warnings = _load(tmp_path, "x.jsonl", "\n".join(json.dumps(r) for r in rows))
    assert [(a.title, a.published) for a in articles] == [
        ("One", None), ("Two", None), ("Three", date(2024, 3, 5))]
    assert warnings == ["line 1: field 'date': no such date: 2024-13-45",
                        "line 2: field 'date': not a date: 1709640000"]


def test_atom_dates_are_the_publishers_local_day(tmp_path: Path) -> None:
    feed = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            "<title>Business</title><id>urn:x</id><updated>2024-07-04T05:12:00+07:00</updated>"
            "<entry><title>VinFast opens a plant</title><id>urn:1</id>"
            "<published>2024-07-04T05:12:00+07:00</published>"
            "<updated>2024-07-04T05:12:00+07:00</updated>"
            f"<summary>{BODY}</summary></entry></feed>")
    (a,), _ = _load(tmp_path, "f.atom", feed)
    assert a.published == date(2024, 7, 4)


def test_digest_lines_lose_their_frame_numbers_labels_dates_and_outlets(tmp_path: Path) -> None:
    text = ("1. Gotion breaks ground in Illinois — The battery maker started work on its "
            "$2 billion plant near Manteno, officials said on Friday. (Reuters)\n"
            "2) [Batteries] 2024-03-05 · Northvolt delays its German plant — The Swedish "
            "company pushed back the Heide factory as demand for electric cars slowed.\n")
    articles, _ = _load(tmp_path, "briefs.txt", text)
    assert [(a.title, a.published, a.publisher or None) for a in articles] == [
        ("Gotion breaks ground in Illinois", None, "Reuters"),
        ("Northvolt delays its German plant", date(2024, 3, 5), None)]
    assert articles[0].text.startswith("The battery maker") and "(Reuters)" not in articles[0].text


def test_a_table_row_copied_as_text_gives_headline_outlet_date_and_summary(
        tmp_path: Path) -> None:
    rows = ("Ford idles its Kentucky battery line | Detroit Free Press | Feb 6, 2023 | "
            + BODY + "\n"
            "Toyota picks North Carolina for cells | Automotive News | Mar 1, 2023 | "
            + BODY2 + "\n")
    articles, _ = _load(tmp_path, "table.txt", rows)
    assert [(a.title, a.published, a.publisher) for a in articles] == [
        ("Ford idles its Kentucky battery line", date(2023, 2, 6), "Detroit Free Press"),
        ("Toyota picks North Carolina for cells", date(2023, 3, 1), "Automotive News")]
    assert articles[1].text == BODY2


def test_hugo_toml_front_matter(tmp_path: Path) -> None:
    (a,), warnings = _load(tmp_path, "post.md", '+++\ntitle = "BYD in Szeged"\n'
                           'date = 2024-02-18\nauthors = ["Ann Lee"]\n+++\n\n' + BODY + "\n")
    assert (a.title, a.published, a.authors, warnings) == (
        "BYD in Szeged", date(2024, 2, 18), ("Ann Lee",), [])
    (b,), warnings = _load(tmp_path, "bad.md", '+++\ntitle = "unclosed\n+++\n\n'
                           "VinFast delays its plant\n\n" + BODY + "\n")
    assert b.title == "VinFast delays its plant"
    assert len(warnings) == 1 and warnings[0].startswith("front matter: not TOML")


def test_an_aggregators_entry_credits_its_outlet(tmp_path: Path) -> None:
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Google News</title>'
            "<item><title>Hyundai to build EVs in Georgia - The Associated Press</title>"
            "<link>https://news.example/1</link><guid>g1</guid>"
            '<source url="https://apnews.com">The Associated Press</source>'
            f"<description>{BODY}</description></item></channel></rss>")
    (a,), _ = _load(tmp_path, "news.rss", feed)
    assert (a.title, a.publisher) == ("Hyundai to build EVs in Georgia",
                                      "The Associated Press")


def test_a_papers_date_of_today_is_not_the_articles_date() -> None:
    title, published, _, _ = _one("Today's Paper | August 18, 2024\n\n"
                                  "Hyundai opens its Georgia plant\n\n" + BODY + "\n\n" + BODY2)
    assert title == "Hyundai opens its Georgia plant" and published is None


def test_a_reporter_credit_at_the_end_and_an_outlet_beside_an_author() -> None:
    _, _, authors, body = _one("Hyundai opens its Georgia plant\n\n" + BODY + "\n\n" + BODY2
                               + "\n\nReporter: Kim Min-ji")
    assert authors == ["Kim Min-ji"] and "Reporter" not in body
    assert author_names("Chen Lu (Bloomberg)") == ["Chen Lu"]
    assert byline_names("**By** Ann Lee and Bo Chen") == ["Ann Lee", "Bo Chen"]
    assert byline_names("**Authors:** Aditi Shah; Sarita Chaganti Singh") == [
        "Aditi Shah", "Sarita Chaganti Singh"]
    assert byline_names("By Ann Lee; Reuters") == ["Ann Lee"]


def test_korean_dotted_dates_and_date_keys_of_many_generators() -> None:
    found = date_line("Published 2025. 02. 18. 14:20")
    assert found is not None and found.published == date(2025, 2, 18)


def test_a_masthead_and_menu_above_a_breadcrumb_are_not_the_headline() -> None:
    page = ("An official website of the United States government\nHere's how you know\n"
            "U.S. Department of Energy\nOffice of Manufacturing and Energy Supply Chains\n"
            "About Us\nFunding\nNewsroom\nHome / Newsroom / Press Releases\n\n"
            "Energy Department Awards $3 Billion for Battery Materials Processing Plants\n\n"
            "Tuesday, March 5, 2024\n\n" + BODY + "\n\n" + BODY2)
    title, published, _, _ = _one(page)
    assert title == ("Energy Department Awards $3 Billion for Battery Materials "
                     "Processing Plants")
    assert published == date(2024, 3, 5)

