"""index.fresh: a cached index is used only while every file and folder is as recorded.

Stamps newer than filetable.RACY_NS are not trusted alone (a second write within
the file system's clock tick leaves them as they were): those files are checked
by content and those folders listed again. The tests below make both kinds of
stamp and change the files under each.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from evreader.cache import CorpusCache
from evreader.config import Config, SourceSpec
from evreader.index import filetable, fresh
from evreader.library import build_library
from tests.conftest import SMALL_GAZETTEER


def _corpus(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    for i in range(4):
        folder = root if i % 2 else root / "sub"
        (folder / f"f{i}.txt").write_text(f"Headline {i} alpha\n\nNissan met Honda in Japan.\n")
    return root


@pytest.fixture
def cfg(tmp_path: Path) -> Config:
    return Config(sources=(SourceSpec(_corpus(tmp_path / "src")),), gazetteer=SMALL_GAZETTEER,
                  cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")


@pytest.fixture
def trusted(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every stamp old enough to trust, as on a corpus not touched for seconds."""
    monkeypatch.setattr(filetable, "RACY_NS", 0)
    yield


def _table(cfg: Config) -> filetable.FileTable:
    snapshot = CorpusCache(cfg.cache_dir, cfg.sources).load()
    assert snapshot is not None
    return snapshot.table


def _edit_in_place(path: Path, old: str, new: str) -> None:
    """Same inode, same size, the mtime put back: only ctime and content change."""
    before = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def test_trusted_stamps_are_checked_by_stat_alone(
        cfg: Config, trusted: None, monkeypatch: pytest.MonkeyPatch) -> None:
    build_library(cfg)
    table = _table(cfg)
    assert table.digests == {}  # nothing racy: no content kept, none read
    read: list[str] = []
    monkeypatch.setattr(fresh, "read_bytes", lambda p: read.append(p) or b"")
    assert fresh.check(table, cfg.sources).fresh and read == []
    assert build_library(cfg).from_cache
    victim = cfg.sources[0].path / "f1.txt"
    _edit_in_place(victim, "alpha", "omega")
    verdict = fresh.check(table, cfg.sources)
    assert not verdict.fresh and "f1.txt" in verdict.reason and read == []
    lib = build_library(cfg)
    assert not lib.from_cache and "Headline 1 omega" in lib.index.articles.titles


def test_a_racy_file_is_checked_by_content(cfg: Config) -> None:
    """A write within the clock tick of the one the build saw: the stamp cannot
    tell (here its columns are set to the new stat, as such a write leaves them),
    the digest of the bytes the build read does."""
    build_library(cfg)
    victim = cfg.sources[0].path / "sub" / "f0.txt"
    row = _table(cfg).paths.index(str(victim))
    assert row in _table(cfg).digests  # just written: racy
    assert build_library(cfg).from_cache  # ... and its content is as read
    _edit_in_place(victim, "alpha", "omega")
    snapshot = CorpusCache(cfg.cache_dir, cfg.sources).load()
    assert snapshot is not None
    table = replace(snapshot.table, files=snapshot.table.files.copy())
    st = victim.stat()
    table.files["mtime"][row], table.files["ctime"][row] = st.st_mtime_ns, st.st_ctime_ns
    assert CorpusCache(cfg.cache_dir, cfg.sources).update_table(snapshot, table)
    verdict = fresh.check(_table(cfg), cfg.sources)
    assert not verdict.fresh and "f0.txt" in verdict.reason
    lib = build_library(cfg)
    assert not lib.from_cache and "Headline 0 omega" in lib.index.articles.titles


def test_a_racy_folder_is_listed_again(cfg: Config) -> None:
    """A file added within the folder's clock tick: its stamp is as recorded (set
    so here), its listing is not."""
    build_library(cfg)
    folder = cfg.sources[0].path / "sub"
    (folder / "new.txt").write_text("Added in the same tick\n\nFoxconn.\n")
    snapshot = CorpusCache(cfg.cache_dir, cfg.sources).load()
    assert snapshot is not None
    table = replace(snapshot.table, folders=snapshot.table.folders.copy())
    i = table.folder_paths.index(str(folder))
    st = folder.stat()
    table.folders["mtime"][i], table.folders["ctime"][i] = st.st_mtime_ns, st.st_ctime_ns
    assert CorpusCache(cfg.cache_dir, cfg.sources).update_table(snapshot, table)
    verdict = fresh.check(_table(cfg), cfg.sources)
    assert not verdict.fresh and "sub" in verdict.reason
    assert "Added in the same tick" in build_library(cfg).index.articles.titles


def test_the_same_changes_under_trusted_folder_stamps(cfg: Config, trusted: None) -> None:
    src = cfg.sources[0].path
    build_library(cfg)
    (src / "sub" / "f0.txt").unlink()
    (src / "f1.txt").rename(src / "sub" / "f1.txt")
    (src / "x").mkdir()
    (src / "x" / "y.md").write_text("# Brand new\n\nTesla.\n")
    assert not fresh.check(_table(cfg), cfg.sources).fresh
    lib = build_library(cfg)
    titles = sorted(lib.index.articles.titles)
    assert titles == sorted(["Headline 1 alpha", "Headline 2 alpha", "Headline 3 alpha",
                             "Brand new"])
    assert lib.index.articles.sources.count(str(src / "sub" / "f1.txt")) == 1
    assert build_library(cfg).from_cache  # and the rebuilt cache is current


def test_a_source_that_appears_is_seen(tmp_path: Path, cfg: Config) -> None:
    later = tmp_path / "later"
    cfg = replace(cfg, sources=(*cfg.sources, SourceSpec(later)))
    assert len(build_library(cfg).index) == 4
    _corpus(later)
    assert not fresh.check(_table(cfg), cfg.sources).fresh
    assert len(build_library(cfg).index) == 8


def test_a_walk_that_finds_the_same_files_refreshes_the_table(
        cfg: Config, trusted: None) -> None:
    """A folder touched without a source file changing (a note saved beside the
    clippings): the files are reused, and the table is brought up to date so that
    the next check does not walk again."""
    build_library(cfg)
    (cfg.sources[0].path / "notes.docx").write_bytes(b"not a source")
    assert not fresh.check(_table(cfg), cfg.sources).fresh
    assert build_library(cfg).from_cache
    assert fresh.check(_table(cfg), cfg.sources).fresh


def test_a_table_of_another_write_is_not_used(cfg: Config) -> None:
    """The table names the write of the index it describes: a table left from
    another one (two processes) makes the cache a miss, never a wrong reuse."""
    build_library(cfg)
    folder = next(p for p in (cfg.cache_dir / "corpora").iterdir() if p.is_dir())
    table_file = folder / "files.npz"
    kept = table_file.read_bytes()
    (cfg.sources[0].path / "f3.txt").write_text("Changed\n\nFord.\n")
    build_library(cfg)  # rewrites the cache: a new write
    table_file.write_bytes(kept)
    assert CorpusCache(cfg.cache_dir, cfg.sources).load() is not None
    lib = build_library(cfg)
    assert not lib.from_cache and "Changed" in lib.index.articles.titles


def test_the_stat_pass_covers_every_file_in_slices(
        tmp_path: Path, trusted: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Threads check slices of the table: a change in any slice is found."""
    monkeypatch.setattr(fresh, "STAT_SLICE", 3)
    src = tmp_path / "many"
    src.mkdir()
    for i in range(20):
        (src / f"n{i:02d}.txt").write_text(f"Title {i}\n\nHonda {i}.\n")
    cfg = Config(sources=(SourceSpec(src),), gazetteer=SMALL_GAZETTEER,
                 cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    build_library(cfg)
    table = _table(cfg)
    assert fresh.check(table, cfg.sources).fresh
    for i in (0, 10, 19):
        victim = src / f"n{i:02d}.txt"
        old = victim.stat()
        os.utime(victim, ns=(old.st_atime_ns, old.st_mtime_ns + 1))
        assert fresh.check(table, cfg.sources).reason == f"{victim} changed"
        os.utime(victim, ns=(old.st_atime_ns, old.st_mtime_ns))
        row = table.paths.index(str(victim))
        table.files["ctime"][row] = victim.stat().st_ctime_ns  # as if it had been so
    assert fresh.check(table, cfg.sources).fresh
    assert np.all(table.files["ctime"] > 0)


def test_racy_stamps_settle_once_old_enough(
        cfg: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    """A check that finds racy files unchanged once they are old enough records
    so: later checks trust their stamps and read nothing."""
    import time
    monkeypatch.setattr(filetable, "RACY_NS", 200_000_000)
    build_library(cfg)
    assert len(_table(cfg).digests) == 4
    time.sleep(0.3)
    assert build_library(cfg).from_cache  # reads the four, finds them as they were
    table = _table(cfg)
    assert table.digests == {}
    read: list[str] = []
    monkeypatch.setattr(fresh, "read_bytes", lambda p: read.append(p) or b"")
    assert fresh.check(table, cfg.sources).fresh and read == []
    _edit_in_place(cfg.sources[0].path / "sub" / "f2.txt", "alpha", "omega")
    assert "Headline 2 omega" in build_library(cfg).index.articles.titles


def test_files_named_as_sources_and_files_in_folders_are_both_checked(
        tmp_path: Path, trusted: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files in folders are stat-ed by name in their open folder, a source named as
    a file by its path: an in-place edit is found either way, in a folder split
    into slices too, and a folder replaced under the same name is not trusted."""
    monkeypatch.setattr(fresh, "STAT_SLICE", 2)
    folder, single = tmp_path / "many", tmp_path / "single.txt"
    folder.mkdir()
    for i in range(5):
        (folder / f"n{i}.txt").write_text(f"Title {i} alpha\n\nHonda {i}.\n")
    single.write_text("Lone alpha\n\nNissan.\n")
    cfg = Config(sources=(SourceSpec(folder), SourceSpec(single)), gazetteer=SMALL_GAZETTEER,
                 cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    build_library(cfg)
    table = _table(cfg)
    assert fresh.check(table, cfg.sources).fresh
    for victim in (single, folder / "n4.txt"):
        _edit_in_place(victim, "alpha", "omega")
        assert fresh.check(table, cfg.sources).reason == f"{victim} changed"
        row = table.paths.index(str(victim))
        table.files["ctime"][row] = victim.stat().st_ctime_ns  # as if it had been so
    assert fresh.check(table, cfg.sources).fresh
    # A table whose folder row no longer opens: its files are not as read.
    gone = replace(table, folder_paths=[str(tmp_path / "nowhere")] * len(table.folder_paths))
    assert fresh._files_changed(gone) == f"{table.paths[0]} changed"
