"""Notes: appended, never truncated; whole or absent; clear errors."""

from __future__ import annotations

import multiprocessing as mp
import os
from datetime import datetime
from pathlib import Path

import pytest

from evreader.config import Config, SourceSpec
from evreader.errors import ExportError
from evreader.export import append_note, render_note
from evreader.library import Library, build_library
from evreader.models import Filters
from tests.conftest import SEEDS, SMALL_GAZETTEER


@pytest.fixture(scope="module")
def lib() -> Library:
    return build_library(Config(sources=(SourceSpec(SEEDS),), gazetteer=SMALL_GAZETTEER))


def test_markdown_entry(lib: Library) -> None:
    f = Filters(entities=(("company", "Nissan"),))
    sel = lib.select(f)
    text = render_note(lib.index, sel, filters=f, now=datetime(2025, 1, 2, 3, 4))
    assert text.startswith("## evreader export — 2025-01-02 03:04 — company:Nissan")
    assert f"({len(sel)} articles)" in text.splitlines()[0]
    for i in sel:
        a = lib.article(i)
        assert f". {a.title}" in text
        assert f"Source: {a.source}" in text
    assert "Companies: " in text and "Nissan" in text
    assert "\n> " in text  # excerpt quoted


def test_text_entry_and_body_modes(lib: Library) -> None:
    sel = lib.select(Filters())[:2]
    txt = render_note(lib.index, sel, fmt="txt", body="none")
    assert not txt.startswith("#") and "> " not in txt
    full = render_note(lib.index, sel, body="full")
    assert lib.article(sel[0]).text.split("\n")[0] in full
    short = render_note(lib.index, sel, body="excerpt", excerpt_chars=50)
    assert len(short) < len(full)


def test_append_preserves_existing_bytes(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    original = b"# My research\n\nhand-written \xe2\x80\x94 notes without final newline"
    note.write_bytes(original)
    append_note(note, "ENTRY ONE\n")
    append_note(note, "ENTRY TWO\n")
    data = note.read_bytes()
    assert data.startswith(original)
    assert data.index(b"ENTRY ONE") < data.index(b"ENTRY TWO")
    assert data.endswith(b"ENTRY TWO\n")


def test_missing_folders_are_created(tmp_path: Path) -> None:
    note = tmp_path / "a" / "b" / "note.md"
    assert append_note(note, "x\n") == note.resolve()
    assert note.read_text() == "x\n"


def test_symlinked_note_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    append_note(link, "new\n")
    assert link.is_symlink() and real.read_text() == "old\n\nnew\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    note = folder / "note.md"
    note.write_text("keep me\n")
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="permission denied"):
            append_note(note, "new\n")
    finally:
        folder.chmod(0o700)
    assert note.read_text() == "keep me\n"
    assert [p.name for p in folder.iterdir()] == ["note.md"]  # no temp file left behind


def test_failed_write_leaves_note_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    note = tmp_path / "note.md"
    note.write_text("keep me\n")
    real_write = os.write

    def failing_write(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", failing_write)
    with pytest.raises(ExportError, match="no space left"):
        append_note(note, "new\n" * 1000)
    monkeypatch.setattr(os, "write", real_write)
    assert note.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["note.md"]


def test_note_path_is_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        append_note(tmp_path, "x\n")


def test_unwritable_parent_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ExportError, match="cannot create folder"):
        append_note(blocker / "sub" / "note.md", "x\n")


def _export_many(args: tuple[str, str, int]) -> None:
    path, tag, count = args
    for n in range(count):
        append_note(Path(path), f"<{tag}{n}>" + tag * 2000 + f"</{tag}{n}>\n")


def test_concurrent_exports_are_whole_and_not_interleaved(tmp_path: Path) -> None:
    note = tmp_path / "shared.md"
    note.write_text("start\n")
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.map(_export_many, [(str(note), "A", 15), (str(note), "B", 15)])
    text = note.read_text()
    assert text.startswith("start\n")
    for tag in "AB":
        for n in range(15):
            assert f"<{tag}{n}>" + tag * 2000 + f"</{tag}{n}>" in text
