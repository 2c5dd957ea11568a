"""The CLI as a user and a script see it: JSON contract, text output, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from evreader import __version__
from tests.conftest import SEEDS

KEYS = {"id", "source", "title", "published", "authors", "url", "text", "entities"}


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("EVREADER_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "evreader", *args], capture_output=True,
                          text=True, cwd=cwd, env=full_env, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def seeds_json() -> list[dict[str, object]]:
    out = run("list", str(SEEDS), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert isinstance(data, list)
    return data


def test_list_json_contract(seeds_json: list[dict[str, object]]) -> None:
    assert len(seeds_json) == 22
    for rec in seeds_json:
        assert set(rec) >= KEYS
        assert isinstance(rec["authors"], list)
        assert rec["published"] is None or (isinstance(rec["published"], str)
                                            and len(rec["published"]) == 10)
        ents = rec["entities"]
        assert isinstance(ents, dict)
        assert set(ents) == {"company", "country", "theme", "person"}
        assert all(isinstance(v, list) for v in ents.values())
        assert Path(str(rec["source"])).exists()


def test_list_text_in_a_pipe_is_tab_separated() -> None:
    out = run("list", str(SEEDS))
    assert out.returncode == 0
    lines = out.stdout.splitlines()
    assert len(lines) == 22
    assert all(len(line.split("\t")) == 7 for line in lines)  # ..., file, publisher
    assert "\x1b" not in out.stdout


def test_search_and_lookup_json() -> None:
    out = run("search", "nisan", str(SEEDS), "--format", "json")
    hits = json.loads(out.stdout)
    assert hits and all("score" in h for h in hits)
    assert "Nissan" in hits[0]["text"]
    out = run("lookup", "hon hai", str(SEEDS), "--format", "json", "--kind", "company")
    assert json.loads(out.stdout)[0]["name"] == "Foxconn"


def test_filters_are_fuzzy_resolved() -> None:
    out = run("list", str(SEEDS), "--company", "nisan", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data and all("Nissan" in d["entities"]["company"] for d in data)


def test_unknown_filter_value_is_a_clear_error() -> None:
    out = run("list", str(SEEDS), "--company", "zzqqxx")
    assert out.returncode == 2
    assert "no company in these articles matches 'zzqqxx'" in out.stderr
    assert "Traceback" not in out.stderr


def test_entities_counts() -> None:
    out = run("entities", str(SEEDS), "--kind", "company", "--format", "json")
    rows = json.loads(out.stdout)
    assert rows and all(r["kind"] == "company" and r["count"] >= 1 for r in rows)
    counts = [r["count"] for r in rows]
    assert counts == sorted(counts, reverse=True)


def test_show_article(seeds_json: list[dict[str, object]]) -> None:
    first = seeds_json[0]
    out = run("show", str(first["id"]), str(SEEDS), "--format", "json")
    rec = json.loads(out.stdout)
    assert rec["id"] == first["id"]
    for m in rec["mentions"]:
        field = {"title": rec["title"], "text": rec["text"]}.get(m["field"])
        if field is not None:
            assert field[m["start"]:m["end"]]


def test_export_appends(tmp_path: Path) -> None:
    note = tmp_path / "notes" / "n.md"
    for _ in range(2):
        out = run("export", str(SEEDS), "--company", "nisan", "-o", str(note))
        assert out.returncode == 0, out.stderr
        assert str(note) in out.stderr
    text = note.read_text()
    assert text.count("## evreader export") == 2


def test_export_to_unwritable_path_fails_cleanly(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    out = run("export", str(SEEDS), "-o", str(blocker / "n.md"))
    assert out.returncode == 1
    assert "cannot create folder" in out.stderr and "Traceback" not in out.stderr


def test_bad_config_exit_2_with_line(tmp_path: Path) -> None:
    cfg = tmp_path / "config.yaml"
    cfg.write_text("sources:\n  - seeds\nbogus: 1\n")
    out = run("--config", str(cfg), "list")
    assert out.returncode == 2
    assert f"{cfg}:3: unknown key 'bogus'" in out.stderr
    assert "Traceback" not in out.stderr


def test_bad_files_are_warnings(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "ok.txt").write_text("Headline\n\nNissan said something useful today.")
    out = run("list", str(tmp_path), "--format", "json")
    assert out.returncode == 0
    assert len(json.loads(out.stdout)) == 1
    assert "bin.txt" in out.stderr and "warning" in out.stderr


def test_no_readable_source_exit_3(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00" * 10)
    out = run("list", str(tmp_path))
    assert out.returncode == 3


def test_tui_refuses_without_a_terminal() -> None:
    out = run(str(SEEDS))
    assert out.returncode == 2
    assert "needs a terminal" in out.stderr


def test_relative_sources_from_config(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "clips").mkdir()
    (tmp_path / "c" / "clips" / "a.txt").write_text("Headline\n\nHonda builds cars in Ohio.")
    (tmp_path / "c" / "config.yaml").write_text("sources:\n  - clips\n")
    out = run("list", "--format", "json", cwd=tmp_path / "c")
    assert [d["title"] for d in json.loads(out.stdout)] == ["Headline"]


def test_version_says_which_native_helpers_run() -> None:
    from evreader import _native
    out = run("--version")
    assert out.returncode == 0
    assert out.stdout.strip() == f"evreader {__version__} ({_native.describe()})"


LOOP = Path(__file__).resolve().parents[1] / "loop_corpus"


def test_mark_takes_the_same_paths_as_list() -> None:
    listed = json.loads(run("list", str(LOOP), "--format", "json").stdout)
    target = listed[0]["id"]
    out = run("mark", str(target), str(LOOP), "--as", "starred")
    assert out.returncode == 0, out.stderr
    starred = json.loads(run("list", str(LOOP), "--starred", "--format", "json").stdout)
    assert [a["id"] for a in starred] == [target]
    out = run("mark", "0123456789abcdef", str(LOOP), "--as", "read")
    assert out.returncode == 2 and f"in {LOOP}" in out.stderr


def test_sort_and_source_flags() -> None:
    oldest = json.loads(run("list", str(LOOP), "--sort", "oldest", "--format", "json").stdout)
    dates = [a["published"] for a in oldest]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[len(dated):] == [None, None]  # undated last
    assert {a["publisher"] for a in oldest} >= {"Reuters", "CnEVPost", "bloomberg.com", None}
    reuters = json.loads(run("list", str(LOOP), "--source", "reuters", "--format", "json").stdout)
    assert [a["title"] for a in reuters] == [
        "Nissan in talks to let Foxconn build EVs at its Oppama plant"]


def test_terminal_table_cuts_titles_instead_of_wrapping() -> None:
    import io

    from rich.console import Console

    from evreader.cli.output import article_table
    from evreader.library import build_library
    from evreader.models import Filters
    from tests.core.test_reading_loop import loop_config

    with __import__("tempfile").TemporaryDirectory() as tmp:
        lib = build_library(loop_config(Path(tmp)))
    rows = lib.select(Filters())
    for width in (80, 120):
        sink = io.StringIO()
        Console(file=sink, width=width, markup=False, color_system=None).print(
            article_table(lib.index, rows, width))
        lines = sink.getvalue().splitlines()
        assert len(lines) == len(rows) + 1  # a header and one line per article
        assert max(len(line) for line in lines) <= width
        assert "loop_corpus" not in sink.getvalue()  # no file paths broken mid-word
        assert all(line[17:27] in {"date      ", "undated   "} or line[17:19] == "20"
                   for line in lines)  # every width shows the date
        assert "undated" in sink.getvalue() and "Reuters" in sink.getvalue()
        assert any(line.rstrip().endswith("…") for line in lines)  # cut, not wrapped
