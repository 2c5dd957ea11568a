"""Issue 5 from the command line: odd and hostile input never crashes, hangs or escapes."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from evreader.errors import ExportError
from evreader.export import append_note
from tests.cli.test_cli import run

HOSTILE = ("Escapes \x1b[2J\x1b[31mred\x1b[0m, clipboard \x1b]52;c;ZXZpbA==\x07, link "
           "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\, C1 \x9b31m, bidi "
           "\u202eTXT\u202c, zero\u200bwidth, bell \x07 and Nissan in Japan.")
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\u202e", "\u200b")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "escapes.txt").write_text(f"Hostile [bold]headline[/]\n\n{HOSTILE}\n")
    (d / "binary.txt").write_bytes(b"GIF89a\x00\x01" + os.urandom(100))
    os.mkfifo(d / "fifo.txt")
    (d / "loop").symlink_to(d)
    (d / "d.txt").mkdir()
    return d


def test_text_and_json_output_never_carry_escapes(hostile: Path) -> None:
    for args in (["list"], ["search", "nissan"], ["entities"], ["list", "--format", "json"]):
        out = run(*args, str(hostile))
        assert out.returncode == 0, out.stderr
        for bad in FORBIDDEN:
            assert bad not in out.stdout and bad not in out.stderr, (args, repr(bad))
    (art,) = json.loads(run("list", str(hostile), "--format", "json").stdout)
    assert art["title"] == "Hostile [bold]headline[/]"
    shown = run("show", art["id"], str(hostile))
    assert "[bold]headline[/]" in shown.stdout and "\x1b" not in shown.stdout
    warnings = run("list", str(hostile)).stderr
    assert "binary.txt" in warnings and "fifo.txt" in warnings


def test_big_inputs_do_not_hang(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.mkdir()
    para = ("Nissan and Foxconn discussed batteries and chargers in Japan and the U.S. " * 40
            + "\n\n")
    with open(big / "fifty.txt", "w") as fh:
        for _ in range(50 * 1024 * 1024 // len(para) + 1):
            fh.write(para)
    (big / "oneline.txt").write_text(("CATL ships LFP cells to Tesla. " * 170_000)[:5_000_000])
    (big / "tiny.txt").write_text("\n".join(f"x{i}" for i in range(100_000)))
    out = run("--no-cache", "list", str(big), "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {Path(d["source"]).name for d in data} == {"fifty.txt", "oneline.txt", "tiny.txt"}
    assert sum(len(d["text"]) for d in data) > 50_000_000


def test_file_deleted_while_scanning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evreader.config import SourceSpec
    from evreader.ingest import files, load_sources
    (tmp_path / "a.txt").write_text("Keep me\n\nNissan text.")
    (tmp_path / "b.txt").write_text("Gone soon\n\nHonda text.")
    real = files.os.open

    def vanish(path: str, *args: object) -> int:
        if str(path).endswith("b.txt"):
            os.unlink(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "open", vanish)
    result = load_sources([SourceSpec(tmp_path)])
    assert [a.title for a in result.articles] == ["Keep me"]
    assert any("b.txt" in str(w) and "vanished" in str(w) for w in result.warnings)


@pytest.mark.parametrize(("code", "words"), [(errno.EACCES, "permission denied"),
                                             (errno.EROFS, "read-only file system")])
def test_unwritable_note_folder_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              code: int, words: str) -> None:
    """Root ignores chmod, so the refusal is simulated where the OS would raise it."""
    import tempfile
    note = tmp_path / "note.md"
    note.write_bytes(b"precious\n")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(ExportError, match=words):
        append_note(note, "new entry\n")
    assert note.read_bytes() == b"precious\n"
