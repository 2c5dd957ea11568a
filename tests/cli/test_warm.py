"""The warm command line: never served stale, and `cache info` names the cache it uses.

Each test writes a corpus, lets one command build the cache, changes the files
the way an editor, a script or a feed fetch would, and checks that the next
command sees the change — through the real CLI, in a fresh process each time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.test_cli import run

CONFIG = """\
gazetteer:
  builtin: false
  companies:
    - {name: Nissan, aliases: [Nissan Motor]}
    - {name: Honda}
    - {name: Foxconn, aliases: [Hon Hai]}
  countries:
    - {name: Japan, demonyms: [Japanese]}
cache_dir: cache
data_dir: data
"""


def _corpus(root: Path) -> Path:
    src = root / "src"
    (src / "sub").mkdir(parents=True)
    for i in range(6):
        folder = src if i % 2 else src / "sub"
        (folder / f"a{i}.txt").write_text(
            f"Headline {i} alpha\n\nNissan and Honda met in Japan on day {i}.\n")
    (root / "config.yaml").write_text(CONFIG)
    return src


def _titles(root: Path, src: Path, *extra: str) -> list[str]:
    out = run("--config", str(root / "config.yaml"), "list", str(src), "--format", "json",
              "--fields", "title,source", *extra)
    assert out.returncode == 0, out.stderr
    return sorted(str(r["title"]) for r in json.loads(out.stdout))


def test_an_in_place_edit_is_never_served_stale(tmp_path: Path) -> None:
    """Same size, the mtime put back to the nanosecond: only the ctime and the
    content differ, and the next command must still show the new text."""
    src = _corpus(tmp_path)
    assert "Headline 3 alpha" in _titles(tmp_path, src)
    assert "Headline 3 alpha" in _titles(tmp_path, src)  # from the cache
    victim = src / "a3.txt"
    before = victim.stat()
    text = victim.read_text()
    victim.write_text(text.replace("alpha", "omega"))  # in place: same inode, same size
    os.utime(victim, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = victim.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)
    titles = _titles(tmp_path, src)
    assert "Headline 3 omega" in titles and "Headline 3 alpha" not in titles


@pytest.mark.parametrize("change", ["add", "remove", "rename", "new folder", "replace"])
def test_files_added_removed_or_renamed_are_seen(tmp_path: Path, change: str) -> None:
    src = _corpus(tmp_path)
    first = _titles(tmp_path, src)
    assert len(first) == 6
    if change == "add":
        (src / "sub" / "z.txt").write_text("Added later\n\nFoxconn met Nissan.\n")
        expected = sorted([*first, "Added later"])
    elif change == "remove":
        (src / "sub" / "a0.txt").unlink()
        expected = [t for t in first if t != "Headline 0 alpha"]
    elif change == "rename":
        (src / "a1.txt").rename(src / "sub" / "moved.txt")
        out = run("--config", str(tmp_path / "config.yaml"), "list", str(src), "--format",
                  "json", "--fields", "source")
        assert any(r["source"].endswith("moved.txt") for r in json.loads(out.stdout))
        expected = first
    elif change == "new folder":
        (src / "deep" / "er").mkdir(parents=True)
        (src / "deep" / "er" / "n.md").write_text("# Deep note\n\nHonda in Japan.\n")
        expected = sorted([*first, "Deep note"])
    else:  # an editor's save: a new file renamed over the old one
        tmp = src / "sub" / ".a2.txt.swp"
        tmp.write_text("Rewritten headline\n\nHonda.\n")
        tmp.replace(src / "sub" / "a2.txt")
        expected = sorted([*[t for t in first if t != "Headline 2 alpha"], "Rewritten headline"])
    assert _titles(tmp_path, src) == expected


def test_cache_info_names_the_cache_a_feed_only_config_uses(tmp_path: Path) -> None:
    """With no `sources:` but a feed store, builds read the store: `cache info` must
    name that cache (it said "not built yet" while the one in use existed), and a
    fetch that adds an entry is seen by the next warm command."""
    from evreader.config import FeedSettings, FeedSpec
    from evreader.feeds.fetch import FetchResult
    from evreader.feeds.refresh import refresh_feeds

    library = tmp_path / "feeds"
    settings = FeedSettings(urls=(FeedSpec("http://feeds.example/rss"),), library=library,
                            file=tmp_path / "feeds.yaml", delay=0.0)

    def feed(titles: list[str]) -> bytes:
        items = "".join(f"<item><title>{t}</title><guid>{t}</guid><description>Nissan in "
                        f"Japan.</description></item>" for t in titles)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}'
                "</channel></rss>").encode()

    refresh_feeds(settings, fetcher=lambda url, **_: FetchResult(
        url, "fetched", feed(["Fetched entry"])))
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG + f"sources: []\nfeeds:\n  library: {library}\n"
                      "  urls: [http://feeds.example/rss]\n")
    listed = run("--config", str(config), "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    assert [r["title"] for r in json.loads(listed.stdout)] == ["Fetched entry"]
    info = run("--config", str(config), "cache", "info")
    assert info.returncode == 0, info.stderr
    assert "(present)" in info.stdout and str(library) in info.stdout
    corpora = [p for p in (tmp_path / "cache" / "corpora").iterdir() if p.is_dir()]
    assert len(corpora) == 1 and str(corpora[0]) in info.stdout
    # The cache is known current from the store's stamps, without a walk or a read.
    from evreader.cache import CorpusCache
    from evreader.config import load_config, source_specs
    from evreader.index import fresh
    specs = source_specs(load_config(config))
    opened = CorpusCache(tmp_path / "cache", specs).open()
    assert opened is not None and fresh.check(opened.table, specs).fresh
    refresh_feeds(settings, fetcher=lambda url, **_: FetchResult(
        url, "fetched", feed(["Fetched entry", "A second entry"])))
    listed = run("--config", str(config), "list", "--format", "json")
    assert sorted(r["title"] for r in json.loads(listed.stdout)) == [
        "A second entry", "Fetched entry"]


def test_cache_info_for_paths_names_their_cache(tmp_path: Path) -> None:
    src = _corpus(tmp_path)
    config = str(tmp_path / "config.yaml")
    assert "(not built yet)" in run("--config", config, "cache", "info", str(src)).stdout
    _titles(tmp_path, src)
    info = run("--config", config, "cache", "info", str(src)).stdout
    assert "(present)" in info and str(src) in info


# Loaded by a cold build, --version, a watchlist or the TUI; a warm list needs none.
NOT_WARM = ("evreader._native", "evreader.extract._scan", "evreader.index._csr",
            "evreader.index.build", "evreader.watchlists", "evreader.query", "rapidfuzz",
            "textual", "rich")


def test_a_warm_list_probes_no_native_code_and_loads_no_building_side(tmp_path: Path) -> None:
    """Start-up cost is what a warm command pays on every run: it must not probe the
    native helpers (what --version reports) or import the building side, the
    watchlists or the query language; and it still answers from the cache."""
    src = _corpus(tmp_path)
    assert "Headline 0 alpha" in _titles(tmp_path, src)  # builds the cache
    code = ("import sys, io, contextlib\n"
            "from evreader.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    code = main(['--config', {str(tmp_path / 'config.yaml')!r}, 'list', "
            f"{str(src)!r}, '--company', 'nissan'])\n"
            "print(code, out.getvalue().count('\\n'))\n"
            f"print(','.join(m for m in {NOT_WARM!r} if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    status, loaded = done.stdout.split("\n")[:2]
    assert status == "0 6"
    assert loaded == "", f"a warm list imported {loaded}"
