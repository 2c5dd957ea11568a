"""Lists printed column by column (index.rows) say what the per-article code says.

The CLI prints a list from arrays (`lead_table`, `records`) instead of one
`entity_names` / `as_dict` call per row; these tests hold the fast forms equal to
the per-article definitions, on the seeds and the reading-loop corpus.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evreader.cli import main as cli_main
from evreader.cli import output
from evreader.config import Config, SourceSpec
from evreader.index.rows import ARTICLE_FIELDS, RowEntities, lead_names, lead_table, records
from evreader.library import Library, build_library
from evreader.models import Filters
from evreader.textsafe import clean_text, one_line
from tests.conftest import ROOT, SEEDS

LOOP = ROOT / "tests" / "loop_corpus"


@pytest.fixture(scope="module", params=[SEEDS, LOOP], ids=["seeds", "loop"])
def lib(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Library:
    cache = tmp_path_factory.mktemp("cache")
    return build_library(Config(sources=(SourceSpec(Path(request.param)),), cache_dir=cache,
                                data_dir=cache / "data"), use_cache=False)


def test_records_are_as_dict(lib: Library) -> None:
    index = lib.index
    rows = list(range(len(index)))[::-1]
    assert records(index, rows) == [index.as_dict(i) for i in rows]
    assert records(index, rows, ["title", "id"]) == \
        [{"title": index.as_dict(i)["title"], "id": index.as_dict(i)["id"]} for i in rows]
    assert records(index, []) == []


def test_lead_table_is_the_first_names(lib: Library) -> None:
    index = lib.index
    expected = [(", ".join(index.entity_names(i)["company"][:4]),
                 ", ".join(index.entity_names(i)["country"][:3])) for i in range(len(index))]
    assert lead_names(index, list(range(len(index)))) == expected
    assert lead_table(index).shape == (len(index), 7)


def test_row_entities_keep_first_mention_order(lib: Library) -> None:
    index = lib.index
    rows = [i for i in range(len(index)) if i % 3 != 1]
    found = RowEntities(index, rows)
    for kind in ("company", "country", "theme", "person"):
        assert found.names_by_row(kind) == [index.entity_names(i)[kind] for i in rows]
        assert found.names_by_row(kind, 2) == [index.entity_names(i)[kind][:2] for i in rows]
    discovered = RowEntities(index, rows, ["company"], discovered=True)
    assert discovered.names_by_row("company") == [index.discovered_names(i) for i in rows]


def _printed(lib: Library, rows: list[int], fmt: str, **kwargs: object) -> str:
    buffer = io.StringIO()
    real = output.sys.stdout
    output.sys.stdout = buffer
    try:
        output.articles(lib.index, rows, fmt, **kwargs)  # type: ignore[arg-type]
    finally:
        output.sys.stdout = real
    return buffer.getvalue()


def test_tab_separated_rows_are_the_per_article_cells(lib: Library) -> None:
    """id, date, title, 4 companies, 3 countries, file, publisher — each cleaned."""
    index, store = lib.index, lib.index.articles
    rows = lib.select(Filters())

    def cell(value: object) -> str:
        return "" if value is None else one_line(clean_text(str(value))).replace("\t", " ")

    expected = []
    for i in rows:
        names = index.entity_names(i)
        published = store.published(i)
        expected.append("\t".join(cell(v) for v in (
            store.ids[i], published.isoformat() if published else "", store.titles[i],
            ", ".join(names["company"][:4]), ", ".join(names["country"][:3]), store.source(i),
            store.publisher(i))))
    assert _printed(lib, rows, "text").splitlines() == expected


def test_json_is_one_article_a_line_and_the_contract(lib: Library) -> None:
    rows = lib.select(Filters())
    text = _printed(lib, rows, "json")
    assert json.loads(text) == [lib.index.as_dict(i) for i in rows]
    assert len(text.splitlines()) == len(rows) + 2
    light = json.loads(_printed(lib, rows, "json", fields=["id", "published", "entities"]))
    assert [list(r) for r in light] == [["id", "published", "entities"]] * len(rows)
    assert _printed(lib, [], "json") == "[]\n"


def test_the_cli_spells_the_fields_of_the_index() -> None:
    assert cli_main.ARTICLE_FIELDS == ARTICLE_FIELDS


def test_fields_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main.main(["list", str(SEEDS), "--format", "json", "--fields", "id,nope"]) == 2
    assert "unknown field nope" in capsys.readouterr().err


@given(st.text(alphabet="ab \t\n\r\x1b[]\x00\x9b\u200b\u202e\xa0\u2028é.,", max_size=30))
def test_the_quick_cell_equals_the_cleaning_one(text: str) -> None:
    assert output._cell(text) == one_line(clean_text(text)).replace("\t", " ")


def test_block_by_block_output_is_the_same(lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = lib.select(Filters())
    whole = {fmt: _printed(lib, rows, fmt) for fmt in ("text", "json")}
    monkeypatch.setattr(output, "BLOCK", 3)
    for fmt in ("text", "json"):
        assert _printed(lib, rows, fmt) == whole[fmt]
    scores = [i / 7 for i in range(len(rows))]
    monkeypatch.setattr(output, "BLOCK", 5)
    scored = json.loads(_printed(lib, rows, "json", scores=scores))
    assert [r["score"] for r in scored] == [round(s, 3) for s in scores]
