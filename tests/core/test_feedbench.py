"""The fetch rows of the benchmark report the disk they measure: the store, and the
index cache file by file."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from benchmarks import feedbench


def test_disk_row_adds_the_store_and_the_index() -> None:
    ev = {"fill_wall_s": {"min": 1.0, "median": 1.0}, "refetch_wall_s": {"min": 1, "median": 1},
          "disk_bytes": 21_000_000, "index_bytes": 30_000_000,
          "index_build": {"wall_s": 5.0}}
    nb = {"fill_wall_s": {"min": 2.0, "median": 2.0}, "refetch_wall_s": {"min": 2, "median": 2},
          "disk_bytes": 42_000_000}
    rows = feedbench.feed_rows({"10000": {"evreader": ev, "newsboat": nb}})
    (disk,) = [r for r in rows if r.startswith("| disk, 10k")]
    assert disk == "| disk, 10k: feeds (+ index) | 42 MB | 21 MB + 30 MB = 51 MB | 1.21 |"


def test_a_small_fetch_reports_every_cache_file(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """100 feeds of one item through the loopback server, evreader alone."""
    monkeypatch.setattr(feedbench, "default_dir", lambda feeds, items: tmp_path / "feeds")
    real_which = shutil.which
    monkeypatch.setattr(shutil, "which",
                        lambda name, *a, **k: None if name == "newsboat" else real_which(name))
    logged: list[str] = []
    got: dict[str, Any] = feedbench.bench_feeds(100, 1, logged.append)
    ev = got["evreader"]
    assert "error" in got["newsboat"]
    files = ev["index_files"]
    assert sum(files.values()) == ev["index_bytes"] > 0
    assert {"texts.bin", "blocks.npy", "t_art.npy", "manifest.json"} <= set(files)
    assert not {"ft_ids.npy", "fh_ids.npy"} & set(files)  # made from the postings instead
    assert ev["disk_bytes"] > 0
    assert any(line.strip().startswith("index cache by file") for line in logged)
    (disk,) = [r for r in feedbench.feed_rows({"100": got}) if r.startswith("| disk")]
    assert f"= {(ev['disk_bytes'] + ev['index_bytes']) / 1e6:.0f} MB" in disk
