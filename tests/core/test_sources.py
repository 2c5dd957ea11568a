"""Reading sources: formats, encodings, and files that must be skipped, not crash."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from evreader.config import SourceSpec
from evreader.ingest import load_sources

BODY = ("Nissan and Honda agreed to share batteries and software platforms for electric "
        "vehicles, the companies said on Friday in Tokyo.")


def _load(*paths: Path) -> tuple[list, list[str]]:
    result = load_sources([SourceSpec(p) for p in paths])
    return result.articles, [str(w) for w in result.warnings]


def test_jsonl(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    rows = [
        {"title": "One", "text": BODY, "published": "2024-05-01T10:00:00Z",
         "url": "https://example.com/1", "authors": ["A. Writer"]},
        {"title": "Two", "text": BODY + " More.", "authors": "Solo Author"},
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n{not json}\n[1,2]\n")
    arts, warnings = _load(f)
    assert [a.title for a in arts] == ["One", "Two"]
    assert arts[0].published == date(2024, 5, 1)
    assert arts[0].url == "https://example.com/1"
    assert arts[0].authors == ("A. Writer",)
    assert arts[1].authors == ("Solo Author",)
    assert len(warnings) == 1 and "2 line(s) skipped" in warnings[0] and "line 3" in warnings[0]


def test_markdown_front_matter(tmp_path: Path) -> None:
    f = tmp_path / "note.md"
    f.write_text(f"---\ntitle: Front Title\ndate: 2023-02-03\nauthor: Jo Bloggs\n---\n{BODY}\n")
    (a,), _ = _load(f)
    assert a.title == "Front Title"
    assert a.published == date(2023, 2, 3)
    assert a.authors == ("Jo Bloggs",)
    assert a.text == BODY


def test_logseq_and_dataview_properties_are_front_matter(tmp_path: Path) -> None:
    (tmp_path / "logseq.md").write_text(
        "# VinFast opens Tamil Nadu plant\n\n- source:: [[Economic Times]]\n"
        "- published:: 2025-08-04\n- author:: Jo Bloggs\n\n" + BODY + "\n")
    (tmp_path / "dataview.md").write_text(
        "published:: 2024-03-05\nurl:: https://example.com/a\n\n" + BODY + "\n")
    (tmp_path / "prose.md").write_text(BODY + "\n\nThe ratio was 3:: 1, oddly.\n")
    arts = {a.source.rsplit("/", 1)[-1]: a for a in _load(tmp_path)[0]}
    logseq, dataview, prose = arts["logseq.md"], arts["dataview.md"], arts["prose.md"]
    assert logseq.title == "VinFast opens Tamil Nadu plant"
    assert logseq.published == date(2025, 8, 4) and logseq.authors == ("Jo Bloggs",)
    assert logseq.text == BODY  # the properties are not the article's text
    assert dataview.published == date(2024, 3, 5) and dataview.url == "https://example.com/a"
    assert dataview.text == BODY
    assert "3:: 1" in prose.text


def test_encodings(tmp_path: Path) -> None:
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + BODY.encode())
    (tmp_path / "u16le.txt").write_bytes(b"\xff\xfe" + BODY.encode("utf-16-le"))
    (tmp_path / "u16be.txt").write_bytes(b"\xfe\xff" + BODY.encode("utf-16-be"))
    (tmp_path / "cp1252.txt").write_bytes(("\u201cQuoted\u201d " + BODY).encode("cp1252"))
    (tmp_path / "crlf.txt").write_bytes(("Head Line\r\n\r\n" + BODY + "\r\n").encode())
    (tmp_path / "cr.txt").write_bytes(("Head Line\r\r" + BODY + "\r").encode())
    arts, warnings = _load(tmp_path)
    assert len(arts) == 6
    for a in arts:
        assert "\r" not in a.text and "\ufeff" not in a.text and BODY in a.text
    assert any("“Quoted”" in a.text for a in arts)
    assert any("cp1252.txt" in w and "cp1252" in w for w in warnings)


def test_binary_and_empty_files_are_skipped_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(64))
    (tmp_path / "rand.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"   \n\t\n  ")
    (tmp_path / "good.txt").write_text(BODY)
    arts, warnings = _load(tmp_path)
    assert [a.text for a in arts] == [BODY]
    assert any("img.txt" in w and "binary" in w for w in warnings)
    assert any("rand.txt" in w for w in warnings)


def test_unreadable_and_special_files(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(BODY)
    secret = tmp_path / "secret.txt"
    secret.write_text(BODY)
    secret.chmod(0)
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "dir.txt" / "inner.txt").write_text(BODY + " Inner.")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop").symlink_to(tmp_path)  # a symlink loop
    try:
        arts, warnings = _load(tmp_path)
    finally:
        secret.chmod(0o644)
    texts = sorted(a.text for a in arts)
    if os.geteuid() != 0:  # root can read anything
        assert any("secret.txt" in w and "permission" in w for w in warnings)
        assert len(texts) == 2
    assert BODY + " Inner." in texts
    assert any("pipe.txt" in w for w in warnings)


def test_missing_source_is_a_warning(tmp_path: Path) -> None:
    arts, warnings = _load(tmp_path / "nope")
    assert arts == [] and "does not exist" in warnings[0]


def test_nested_and_repeated_sources_do_not_duplicate(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.txt").write_text(BODY)
    arts, _ = _load(tmp_path, sub, sub / "a.txt", tmp_path)
    assert len(arts) == 1


def test_escape_sequences_are_stripped(tmp_path: Path) -> None:
    evil = ("Title\n\nBody \x1b[2J\x1b]52;c;ZXZpbA==\x07 text "
            "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\ end\u202e\u200b\x9b31m.")
    (tmp_path / "evil.txt").write_text(evil)
    (a,), _ = _load(tmp_path)
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u200b"):
        assert bad not in a.text
    assert "Body" in a.text and "link" in a.text and "end" in a.text


@given(st.text(alphabet="aZ.éxT_-", min_size=1, max_size=12).filter(lambda n: n[0] != "."))
def test_suffix_shortcut_equals_splitext(name: str) -> None:
    from evreader.ingest.files import _suffix
    assert _suffix(name) == os.path.splitext(name)[1].lower()
