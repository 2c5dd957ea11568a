"""The on-disk cache: hits, exact invalidation, damage, concurrency; parallel == serial."""

from __future__ import annotations

import multiprocessing as mp
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from evreader.config import Config, GazetteerSettings, SourceSpec
from evreader.library import Library, build_library
from tests.conftest import SEEDS, SMALL_GAZETTEER


def _corpus(root: Path, n: int = 12) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (root / f"f{i:02d}.txt").write_text(
            f"Headline number {i}\n\nNissan and Honda met in Japan on day {i}. "
            f"Batteries were discussed with Foxconn in the US; chargers too.\n")
    return root


def _config(tmp_path: Path, src: Path) -> Config:
    return Config(sources=(SourceSpec(src),), gazetteer=SMALL_GAZETTEER,
                  cache_dir=tmp_path / "cache")


def _snapshot(lib: Library) -> dict[str, object]:
    idx = lib.index
    return {
        "ids": list(idx.articles.ids),
        "texts": [a.text for a in idx.articles],
        "titles": list(idx.articles.titles),
        "entities": [(e.kind, e.name, e.discovered) for e in idx.entities],
        "vocab": list(idx.vocab),
        **{f: np.asarray(getattr(idx, f)).tolist() for f in (
            "m_ptr", "m_ent", "m_start", "m_end", "e_ptr", "e_art", "t_ptr", "t_art",
            "h_ptr", "h_art", "order", "pair_art", "pair_ent")},
    }


def test_hit_equals_cold_build(tmp_path: Path) -> None:
    cfg = _config(tmp_path, _corpus(tmp_path / "src"))
    cold = build_library(cfg)
    warm = build_library(cfg)
    assert not cold.from_cache and warm.from_cache
    assert _snapshot(cold) == _snapshot(warm)
    nocache = build_library(cfg, use_cache=False)
    assert _snapshot(nocache) == _snapshot(cold)


def test_changed_added_removed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _corpus(tmp_path / "src")
    cfg = _config(tmp_path, src)
    build_library(cfg)
    (src / "f03.txt").write_text("Changed headline\n\nTesla opened chargers in China.\n")
    os.utime(src / "f03.txt", ns=(1, 1))
    (src / "f05.txt").unlink()
    (src / "zz-new.txt").write_text("Brand new\n\nFoxconn courts Nissan.\n")

    read: list[str] = []
    import evreader.index.workers as build_mod
    real = build_mod.read_source_file

    def spy(source, split="auto", bodies=None, digests=None):  # type: ignore[no-untyped-def]
        read.append(Path(source.path).name)
        return real(source, split, bodies, digests)

    monkeypatch.setattr(build_mod, "read_source_file", spy)
    inc = build_library(cfg)
    assert sorted(read) == ["f03.txt", "zz-new.txt"]  # only what changed is re-read
    monkeypatch.setattr(build_mod, "read_source_file", real)
    fresh = build_library(cfg, use_cache=False)
    assert _snapshot(inc) == _snapshot(fresh)
    titles = set(inc.index.articles.titles)
    assert "Changed headline" in titles and "Brand new" in titles
    assert "Headline number 5" not in titles


def test_gazetteer_change_invalidates(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "src")
    cfg = _config(tmp_path, src)
    first = build_library(cfg)
    assert first.index.article_count("company", "Acme") == 0
    companies = (*SMALL_GAZETTEER.companies, {"name": "Acme", "aliases": ["Headline"]})
    cfg2 = replace(cfg, gazetteer=replace(SMALL_GAZETTEER, companies=companies))
    second = build_library(cfg2)
    assert not second.from_cache
    assert second.index.article_count("company", "Acme") == 12


def test_source_set_is_part_of_the_key(tmp_path: Path) -> None:
    a = _corpus(tmp_path / "a", 3)
    b = _corpus(tmp_path / "b", 5)
    assert len(build_library(_config(tmp_path, a)).index) == 3
    assert len(build_library(_config(tmp_path, b)).index) == 5
    assert len(build_library(_config(tmp_path, a)).index) == 3


@pytest.mark.parametrize("damage", ["truncate", "garbage", "delete", "foreign"])
def test_damaged_cache_is_rebuilt(tmp_path: Path, damage: str) -> None:
    cfg = _config(tmp_path, _corpus(tmp_path / "src"))
    good = _snapshot(build_library(cfg))
    (folder,) = [p for p in (tmp_path / "cache" / "corpora").iterdir() if p.is_dir()]
    for victim in ("m_ent.npy", "titles.txt", "manifest.json", "texts.bin", "t_art.npy",
                   "files.npz", "bylines.txt", "vocab.txt", "blocks.npy", "m_field.npy",
                   "offsets.npy"):
        path = folder / victim
        if damage == "truncate":
            path.write_bytes(path.read_bytes()[: max(0, path.stat().st_size // 2)])
        elif damage == "garbage":
            path.write_bytes(os.urandom(64))
        elif damage == "delete":
            path.unlink()
        else:
            path.write_bytes(b"\x80\x04\x95 not ours \x00" * 3)
        again = build_library(cfg)
        assert not again.from_cache
        assert _snapshot(again) == good
        assert build_library(cfg).from_cache  # and the rebuilt cache is usable


def _build_in_process(args: tuple[str, str]) -> int:
    src, cache = args
    cfg = Config(sources=(SourceSpec(Path(src)),), gazetteer=SMALL_GAZETTEER,
                 cache_dir=Path(cache))
    return len(build_library(cfg).index)


def test_concurrent_writers(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "src", 30)
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.map(_build_in_process, [(str(src), str(tmp_path / "cache"))] * 6)
    assert counts == [30] * 6
    cfg = _config(tmp_path, src)
    hit = build_library(cfg)
    assert hit.from_cache and len(hit.index) == 30
    leftovers = [p.name for p in (tmp_path / "cache" / "corpora").iterdir()
                 if ".tmp-" in p.name or ".old-" in p.name]
    assert leftovers == []


def test_parallel_equals_serial(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "src", 40)
    (src / "zz_binary.txt").write_bytes(b"\x00\x01 not text")  # a warning, from a worker
    (src / "zz_latin.txt").write_bytes("Caf\u00e9 news\n\nA body.".encode("latin-1"))
    cfg = Config(sources=(SourceSpec(SEEDS), SourceSpec(src)),
                 gazetteer=GazetteerSettings(), cache_dir=tmp_path / "cache")
    serial = build_library(cfg, use_cache=False, workers=1)
    parallel = build_library(cfg, use_cache=False, workers=2, force_parallel=True)
    assert _snapshot(serial) == _snapshot(parallel)
    assert [str(w) for w in serial.warnings] == [str(w) for w in parallel.warnings]
    assert len(serial.warnings) == 2 and [a.source for a in serial.index.articles] == [
        a.source for a in parallel.index.articles]


def test_workers_started_while_listing_give_the_serial_result(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold build starts its workers as soon as the listed bytes call for them."""
    from evreader.index import workers as build

    cfg = Config(sources=(SourceSpec(SEEDS), SourceSpec(_corpus(tmp_path / "src", 40))),
                 gazetteer=GazetteerSettings(), cache_dir=tmp_path / "cache")
    serial = build_library(cfg, use_cache=False, workers=1)
    taken: list[object] = []
    real_take = build.EarlyPool.take

    def spy(self: build.EarlyPool) -> object:
        pool, prefetched = real_take(self)
        taken.append(pool)
        return pool, prefetched

    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(build.EarlyPool, "take", spy)
    early = build_library(cfg, use_cache=False, workers=2)
    assert taken and taken[0] is not None, "the early pool was not used"
    assert _snapshot(serial) == _snapshot(early)


def test_units_sent_while_listing_come_back_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Units the early pool submits during the listing, then the rest: file order."""
    from evreader.gazetteer import load_gazetteer
    from evreader.index import workers as build
    from evreader.index.build import list_files as scan

    monkeypatch.setattr(build, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(build, "UNIT_BYTES", 2000)
    jobs = scan([SourceSpec(_corpus(tmp_path / "src", 40))], [])
    gazetteer = load_gazetteer(GazetteerSettings())
    serial = [(r.counts, r.columns.ids) for r in build.process_files(jobs, gazetteer, workers=1)]
    early = build.EarlyPool(gazetteer, 2)
    try:
        early.seen(jobs[:0], 1)  # starts the workers
        assert early._thread is not None
        early._thread.join()
        half = len(jobs) // 2
        early.seen(jobs[:half], 1)
        pool, prefetched = early.take()
        assert pool is not None and prefetched, "nothing was sent while listing"
        assert sum(len(unit) for unit, _ in prefetched) <= half
        got = [(r.counts, r.columns.ids) for r in build.process_files(
            jobs, gazetteer, workers=2, pool=pool, prefetched=prefetched)]
    finally:
        early.close()
    assert [n for counts, _ in got for n in counts] == [n for counts, _ in serial for n in counts]
    assert [i for _, ids in got for i in ids] == [i for _, ids in serial for i in ids]


def test_unwritable_cache_dir_is_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    cfg = replace(_config(tmp_path, _corpus(tmp_path / "src", 2)), cache_dir=blocker / "c")
    assert len(build_library(cfg).index) == 2


def test_warnings_survive_a_cache_hit(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "src", 2)
    (src / "bin.txt").write_bytes(b"\x00\x01" * 20)
    cfg = _config(tmp_path, src)
    cold = build_library(cfg)
    warm = build_library(cfg)
    assert warm.from_cache
    assert [str(w) for w in warm.warnings] == [str(w) for w in cold.warnings]
    assert any("bin.txt" in str(w) for w in warm.warnings)


def test_open_cached_then_verify(tmp_path: Path) -> None:
    from evreader.library import open_cached
    src = _corpus(tmp_path / "src", 5)
    cfg = _config(tmp_path, src)
    assert open_cached(cfg) is None  # nothing cached yet
    cold = build_library(cfg)
    quick = open_cached(cfg)
    assert quick is not None and quick.from_cache
    assert _snapshot(quick) == _snapshot(cold)
    (src / "f01.txt").write_text("Changed\n\nTesla in China.\n")
    os.utime(src / "f01.txt", ns=(5, 5))
    stale = open_cached(cfg)  # still the old view: no files were looked at
    assert stale is not None and "Changed" not in stale.index.articles.titles
    fresh = build_library(cfg, snapshot=stale.snapshot)
    assert not fresh.from_cache and "Changed" in fresh.index.articles.titles
    assert open_cached(replace(cfg, cache=False)) is None


@pytest.mark.parametrize("was_on", [True, False])
def test_a_build_pauses_the_cycle_collector_and_leaves_it_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, was_on: bool) -> None:
    import gc

    from evreader.index import tuning
    seen: list[bool] = []
    real = tuning.return_freed_memory

    def spy() -> bool:
        seen.append(gc.isenabled())
        return real()

    monkeypatch.setattr(tuning, "return_freed_memory", spy)
    (gc.enable if was_on else gc.disable)()
    try:
        build_library(Config(sources=(SourceSpec(SEEDS),), cache_dir=tmp_path), use_cache=False)
        assert seen == [False]  # off during the build
        assert gc.isenabled() is was_on
    finally:
        gc.enable()


@pytest.mark.parametrize("was_on", [True, False])
def test_a_build_turns_numpy_huge_pages_off_and_back_as_they_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, was_on: bool) -> None:
    from evreader.index import tuning
    from evreader.index.tuning import _hugepage_switch
    switch = _hugepage_switch()
    if switch is None:
        pytest.skip("this numpy has no huge-page switch")
    seen: list[bool] = []
    real = tuning.return_freed_memory

    def spy() -> bool:
        now = switch(True)  # reads the setting (and sets it back at once)
        switch(now)
        seen.append(now)
        return real()

    monkeypatch.setattr(tuning, "return_freed_memory", spy)
    before = switch(was_on)
    try:
        build_library(Config(sources=(SourceSpec(SEEDS),), cache_dir=tmp_path), use_cache=False)
        assert seen == [False]  # off during the build
        now = switch(before)
        assert now is was_on
    finally:
        switch(before)


_KEEPS_FREED = """
import ctypes, sys
from evreader.index.tuning import keep_freed_memory
tuned = sys.argv[1] == "1" and keep_freed_memory()
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096
blocks = [ctypes.create_string_buffer(1 << 20) for _ in range(64)]  # 64 MB, touched
del blocks
print(int(tuned), rss())
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux's /proc")
def test_a_worker_keeps_the_memory_it_frees() -> None:
    """With the worker's settings, 64 MB freed stays in the process for the next unit;
    without them glibc hands it back at once (1 MB blocks are mapped on their own)."""
    import subprocess
    import sys

    def freed_rss(tuned: bool) -> tuple[bool, int]:
        out = subprocess.run([sys.executable, "-c", _KEEPS_FREED, "1" if tuned else "0"],
                             capture_output=True, text=True, check=True).stdout.split()
        return out[0] == "1", int(out[1])

    applied, kept = freed_rss(True)
    if not applied:
        pytest.skip("no glibc mallopt here")
    _, returned = freed_rss(False)
    assert kept - returned > 40 << 20


def test_a_library_opened_from_the_cache_parses_its_gazetteer_only_when_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first screen needs the gazetteer's fingerprint, not the parsed YAML."""
    import evreader.gazetteer as gazetteer_module
    from evreader.gazetteer import DeferredGazetteer
    from evreader.library import open_cached
    cfg = replace(_config(tmp_path, SEEDS), gazetteer=GazetteerSettings())
    cold = build_library(cfg)
    parsed: list[int] = []
    real = gazetteer_module.load_gazetteer

    def counting(*args: object, **kwargs: object) -> object:
        parsed.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gazetteer_module, "load_gazetteer", counting)
    quick = open_cached(cfg)
    assert quick is not None and isinstance(quick.source, DeferredGazetteer)
    assert parsed == []  # nothing parsed for the first screen
    assert quick.engine.lookup("hon hai", ["company"]) == cold.engine.lookup("hon hai", ["company"])
    assert parsed == []  # a lookup reads the forms the cache kept
    assert quick.gazetteer.fingerprint == cold.gazetteer.fingerprint
    assert parsed == [1]
    assert quick.gazetteer.get("company", "Nissan") == cold.gazetteer.get("company", "Nissan")
    assert parsed == [1]  # once


def test_a_deferred_gazetteer_takes_the_one_a_build_loaded(tmp_path: Path) -> None:
    from evreader.library import open_cached
    cfg = _config(tmp_path, _corpus(tmp_path / "src", 3))
    build_library(cfg)
    quick = open_cached(cfg)
    assert quick is not None
    verified = build_library(cfg, snapshot=quick.snapshot)
    quick.adopt_gazetteer(verified.gazetteer)
    assert quick.gazetteer is verified.gazetteer


@pytest.mark.parametrize("builtin", [True, False])
def test_the_cheap_fingerprint_is_the_gazetteers(tmp_path: Path, builtin: bool) -> None:
    """Built-in files, user files (missing ones add nothing) and settings all count."""
    from evreader.gazetteer import gazetteer_fingerprint, load_gazetteer
    extra = tmp_path / "extra.yaml"
    extra.write_text("companies:\n  - name: Acme Motors\n")
    user = tmp_path / "entities.yaml"
    settings = replace(SMALL_GAZETTEER, builtin=builtin, files=(extra,))
    fingerprints = set()
    for user_text in (None, "companies:\n  - name: Zeta Cells\n", "companies: []\n"):
        if user_text is not None:
            user.write_text(user_text)
        cheap = gazetteer_fingerprint(settings, user)
        assert cheap == load_gazetteer(settings, user).fingerprint
        fingerprints.add(cheap)
    assert len(fingerprints) == 3  # each change of the user file shows
    assert gazetteer_fingerprint(replace(settings, disable=("Tesla",)), user) not in fingerprints


def test_a_deferred_gazetteer_that_no_longer_loads_reads_as_empty(tmp_path: Path) -> None:
    """A lookup in a worker must not raise; the checking build reports the error."""
    from evreader.errors import ConfigError
    from evreader.gazetteer import DeferredGazetteer, load_gazetteer
    broken = tmp_path / "entities.yaml"
    broken.write_text("companies: [unclosed\n")
    deferred = DeferredGazetteer(SMALL_GAZETTEER, broken)
    assert not deferred.loaded
    assert deferred.get().entities == {} and deferred.loaded
    with pytest.raises(ConfigError):
        load_gazetteer(SMALL_GAZETTEER, broken)


def test_units_keep_every_job_in_order_and_cut_the_tail_finer() -> None:
    from evreader.index import workers as build
    from evreader.ingest.files import SourceFile
    jobs = [build.FileJob(SourceFile(f"/x/{i}", f"x/{i}"), "auto", 100) for i in range(100)]
    units = build.units_of(jobs, 1000, workers=2)
    assert [j for u in units for j in u] == jobs and all(units)
    sizes = [sum(j.size for j in u) for u in units]
    assert sizes[:8] == [1000] * 8  # the body: whole units
    assert sizes[8:] == [300] * 6 + [200]  # the last two units' worth, four times finer
    assert build.units_of(jobs, 1000) == build.units_of(jobs, 1000, workers=1)
    assert [sum(j.size for j in u) for u in build.units_of(jobs, 1000)] == [1000] * 10


def test_a_script_without_a_main_guard_can_build_in_parallel(tmp_path: Path) -> None:
    """Spawned workers do not run the calling script again (see workers._main_left_out),
    so the usual `if __name__ == "__main__"` guard is not needed."""
    import subprocess
    import sys
    script = tmp_path / "plain.py"
    script.write_text(
        "from pathlib import Path\n"
        "from evreader.config import Config, SourceSpec\n"
        "from evreader.library import build_library\n"
        f"config = Config(sources=(SourceSpec(Path({str(SEEDS)!r})),), cache=False)\n"
        "library = build_library(config, use_cache=False, workers=2, force_parallel=True)\n"
        "print(len(library.index))\n")
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                         timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["22"]
