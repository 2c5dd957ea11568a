"""Fetch rows of the benchmark: filling a feed store from a loopback server.

    python -m benchmarks.run --feeds 10000,100000 [--runs 3]   (from benchmarks.run)

100 generated WordPress-shaped RSS feeds (`feedgen`: 100 items each for 10k,
1,000 each for 100k) are served by `feedserver` in a process of its own, on 20
loopback addresses with ETag / Last-Modified. Measured, each in a fresh process
timed from outside (wall clock around the whole process; CPU and peak RSS from
wait4, the process and the workers it waited for):

* fill from empty: `evreader fetch` into an empty library; `newsboat -x reload`
  into an empty cache (newsboat's defaults, a temporary HOME), when installed;
* unchanged re-fetch: the same again on the filled store / cache;
* disk: the store's files (database, WAL); newsboat's cache.db; and evreader's
  index cache once `evreader list` has built it (what "feeds plus index" costs).

Runs alternate evreader / newsboat so both meet the same machine; min and median
of `runs` are printed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.feedgen import default_dir, generate_feeds

REPO_ROOT = Path(__file__).resolve().parents[1]
FEEDS = 100


def timed_process(argv: Sequence[str], env: dict[str, str] | None = None,
                  cwd: Path | None = None) -> dict[str, float]:
    """Run a whole process; its wall time, CPU (user + sys, waited children too),
    peak RSS of its largest process, and exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(argv), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, cwd=cwd)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{argv[0]} exited {proc.returncode}: {err[-400:]!r}")
    return {"wall_s": wall, "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_bytes": usage.ru_maxrss * 1024, "exit": proc.returncode}


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def file_bytes(path: Path) -> dict[str, int]:
    """Bytes per file name under `path`, largest first: where a folder's bytes go."""
    sizes: dict[str, int] = {}
    for p in path.rglob("*"):
        if p.is_file():
            sizes[p.name] = sizes.get(p.name, 0) + p.stat().st_size
    return dict(sorted(sizes.items(), key=lambda kv: -kv[1]))


def _evreader_config(folder: Path, urls: Sequence[str]) -> Path:
    cfg = folder / "config.yaml"
    cfg.write_text("sources: []\nfeeds:\n  library: lib\n  file: feeds.yaml\n  urls:\n"
                   + "".join(f"    - {u}\n" for u in urls)
                   + "data_dir: data\ncache_dir: cache\n", encoding="utf-8")
    return cfg


def bench_feeds(total: int, runs: int, log: Callable[[str], None]) -> dict[str, Any]:
    """The fetch rows for `total` entries in 100 feeds."""
    items = max(1, total // FEEDS)
    folder = default_dir(FEEDS, items)
    made = generate_feeds(folder, FEEDS, items)
    log(f"feeds: {FEEDS} × {items} items, {made['bytes'] / 1e6:.0f} MB in {folder}")
    work = Path(tempfile.mkdtemp(prefix="evreader-feedbench-"))
    urls_file = work / "urls"
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.feedserver", str(folder),
                               "--urls", str(urls_file)], cwd=REPO_ROOT)
    try:
        deadline = time.monotonic() + 120
        while not urls_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        urls = urls_file.read_text(encoding="utf-8").split()
        newsboat = shutil.which("newsboat")
        ev: list[dict[str, Any]] = []
        nb: list[dict[str, Any]] = []
        for run in range(runs):  # alternating, so both meet the same machine
            ev.append(_evreader(work / "evr", urls, index=run == runs - 1))
            if newsboat:
                nb.append(_newsboat(newsboat, work / "nb", urls))
            walls = [f"{r['fill']['wall_s']:.1f}" for r in (ev[-1], *nb[-1:])]
            log(f"  run {run + 1}: fill {' / '.join(walls)} s (evreader / newsboat)")
        if "index_files" in ev[-1]:
            log("  index cache by file (MB): " + ", ".join(
                f"{name} {size / 1e6:.2f}" for name, size in ev[-1]["index_files"].items()
                if size >= 100_000))
        return {"feeds": FEEDS, "items": items, "feed_bytes": made["bytes"],
                "evreader": _summary(ev),
                "newsboat": _summary(nb) if nb else {
                    "error": "newsboat is not installed (apt-get install newsboat)"}}
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def _summary(got: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"runs": got}
    for phase in ("fill", "refetch"):
        for key in ("wall_s", "cpu_s", "rss_bytes"):
            values = [g[phase][key] for g in got]
            out[f"{phase}_{key}"] = {"min": min(values), "median": statistics.median(values)}
    for key in ("disk_bytes", "index_bytes", "index_build", "index_files"):
        if key in got[-1]:
            out[key] = got[-1][key]
    return out


def _evreader(folder: Path, urls: Sequence[str], *, index: bool) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cfg = _evreader_config(folder, urls)
    command = [sys.executable, "-m", "evreader", "--config", str(cfg), "fetch"]
    fill = timed_process(command, cwd=REPO_ROOT)
    refetch = timed_process(command, cwd=REPO_ROOT)
    out: dict[str, Any] = {"fill": fill, "refetch": refetch,
                           "disk_bytes": folder_bytes(folder / "lib")}
    if index:  # the index cache a first `list` writes: "feeds plus index"
        out["index_build"] = timed_process(
            [sys.executable, "-m", "evreader", "--config", str(cfg), "list", "--limit", "1"],
            cwd=REPO_ROOT)
        out["index_bytes"] = folder_bytes(folder / "cache")
        out["index_files"] = file_bytes(folder / "cache")
    return out


def _newsboat(newsboat: str, folder: Path, urls: Sequence[str]) -> dict[str, Any]:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / "urls").write_text("\n".join(urls) + "\n", encoding="utf-8")
    (folder / "config").write_text("", encoding="utf-8")
    command = [newsboat, "-x", "reload", "-u", str(folder / "urls"), "-c",
               str(folder / "cache.db"), "-C", str(folder / "config")]
    env = {**os.environ, "HOME": str(folder)}
    fill = timed_process(command, env=env)
    refetch = timed_process(command, env=env)
    return {"fill": fill, "refetch": refetch,
            "disk_bytes": sum(p.stat().st_size for p in folder.glob("cache.db*"))}


def feed_rows(results: dict[str, dict[str, Any]]) -> list[str]:
    """The fetch table: one row per measure and size, evreader beside newsboat."""
    lines = ["| fetch (100 feeds, loopback) | newsboat | evreader | evreader / newsboat |",
             "|---|---|---|---|"]
    for total, res in results.items():
        ev, nb = res["evreader"], res["newsboat"]
        n = f"{int(total) // 1000}k"

        def cell(side: dict[str, Any], key: str) -> str:
            if "error" in side or key not in side:
                return "n/a"
            v = side[key]
            return f"{v['min']:.2f} / {v['median']:.2f} s"

        def ratio(key: str, ev: dict[str, Any] = ev, nb: dict[str, Any] = nb) -> str:
            if "error" in nb or key not in nb:
                return ""
            return f"{ev[key]['median'] / nb[key]['median']:.2f}"
        lines.append(f"| fill from empty, {n} (min / median wall) | {cell(nb, 'fill_wall_s')} | "
                     f"{cell(ev, 'fill_wall_s')} | {ratio('fill_wall_s')} |")
        lines.append(f"|   CPU (median) | {_cpu(nb)} | {_cpu(ev)} | |")
        lines.append(f"|   peak RSS (median) | {_rss(nb)} | {_rss(ev)} | |")
        lines.append(f"| unchanged re-fetch, {n} | {cell(nb, 'refetch_wall_s')} | "
                     f"{cell(ev, 'refetch_wall_s')} | {ratio('refetch_wall_s')} |")
        nb_disk = nb.get("disk_bytes")
        ev_disk = ev["disk_bytes"] + ev.get("index_bytes", 0)
        if "index_build" in ev:
            lines.append(f"| first index of the fetched feeds, {n} (`evreader list`) | | "
                         f"{ev['index_build']['wall_s']:.2f} s | |")
        lines.append(
            f"| disk, {n}: feeds (+ index) | {_mb(nb_disk)} | {_mb(ev['disk_bytes'])} + "
            f"{_mb(ev.get('index_bytes'))} = {_mb(ev_disk)} | "
            f"{'' if not nb_disk else f'{ev_disk / nb_disk:.2f}'} |")
    return lines


def _cpu(side: dict[str, Any]) -> str:
    return "n/a" if "fill_cpu_s" not in side else f"{side['fill_cpu_s']['median']:.1f} s"


def _rss(side: dict[str, Any]) -> str:
    return "n/a" if "fill_rss_bytes" not in side else \
        f"{side['fill_rss_bytes']['median'] / 2**20:.0f} MiB"


def _mb(n: int | None) -> str:
    return "n/a" if n is None else f"{n / 1e6:.0f} MB"


__all__ = ["bench_feeds", "feed_rows"]
