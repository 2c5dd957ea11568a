"""The command line as scripts and pipes use it: whole processes, warm cache.

Each command runs as a fresh process with its output read from a pipe (what a
script sees), in turn with `rg -il` on the same corpus, so that a drift in the
machine's speed moves both: the ratio is taken run by run, and medians are
printed. Every run's CPU and peak RSS come from the kernel's accounting of that
child (os.wait4). The printing cost and the freshness check are also timed in
this process, to show how they grow with the number of rows and files.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple

from benchmarks.launcher import launcher

LIGHT_FIELDS = "id,published,title,source,publisher"  # JSON without bodies or entities


class Command(NamedTuple):
    """A warm whole-process command: `evreader ARGS... CORPUS`."""

    key: str
    label: str
    args: tuple[str, ...]


NISSAN = ("list", "--company", "nissan")
WIDE = ("list", "--country", "united states", "--country", "china")
WARM_COMMANDS = (
    Command("list", "list --company nissan", NISSAN),
    Command("list_json", f"  the same, --format json --fields {LIGHT_FIELDS}",
            (*NISSAN, "--format", "json", "--fields", LIGHT_FIELDS)),
    Command("list_limit1", "  the same, --limit 1", (*NISSAN, "--limit", "1")),
    Command("list_wide", "list --country 'united states' --country china", WIDE),
    Command("json_entities", "  the same, --format json --fields id,published,title,entities",
            (*WIDE, "--format", "json", "--fields", "id,published,title,entities")),
)
PRINT_ROWS = (1_000, 10_000, 26_794, 100_000, 300_000)  # in-process printing, when there


class Run(NamedTuple):
    """One process: wall and CPU seconds, peak RSS, bytes it wrote, exit code."""

    wall_s: float
    cpu_s: float
    peak_bytes: int
    out_bytes: int
    code: int


def run_once(cmd: Sequence[str], env: dict[str, str], cwd: Path,
             stdin: Path | None = None) -> Run:
    """One whole process, its standard output read from a pipe and thrown away; run
    by benchmarks.launcher, so that its peak RSS is its own."""
    r = launcher().run([shutil.which(cmd[0]) or cmd[0], *cmd[1:]], env, cwd, stdin)
    return Run(r.wall_s, r.cpu_s, r.peak_bytes, r.out_bytes, r.code)


def cli_env(home: Path) -> dict[str, str]:
    """The environment of a user's shell: evreader's own config, cache and data dirs
    under `home` (so the bench's cache is the one used), bytecode written as pip
    writes it, nothing forced unbuffered."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "EVREADER_CONFIG",
                        "EVREADER_DEBUG")}
    env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
               XDG_DATA_HOME=str(home / "data"))
    return env


def cache_dir_of(home: Path) -> Path:
    """The cache_dir `cli_env(home)` gives evreader (platformdirs' XDG rule)."""
    return home / "cache" / "evreader"


def warm_cli(corpus: Path, home: Path, runs: int, log: Callable[[str], None],
             titles: Path | None = None) -> dict[str, Any]:
    """WARM_COMMANDS, `rg -il nissan CORPUS` and `fzf --filter nissan < titles`,
    alternated, `runs` rounds; each command's ratio to rg is taken against the rg
    run of its own round (a drift in the machine's speed moves both)."""
    env = cli_env(home)
    evreader = [sys.executable, "-m", "evreader"]
    rg, fzf = shutil.which("rg"), shutil.which("fzf")
    rg_cmd = [rg, "-il", "nissan", str(corpus)] if rg else None
    fzf_cmd = [fzf, "--filter", "nissan"] if fzf and titles is not None else None
    for command in WARM_COMMANDS:  # warm-up: bytecode, page cache, the cache itself
        first = run_once([*evreader, *command.args, str(corpus)], env, home)
        if first.code != 0:
            return {"error": f"evreader {' '.join(command.args)} exited {first.code}"}
    if rg_cmd:
        run_once(rg_cmd, env, home)
    samples: dict[str, list[Run]] = {c.key: [] for c in WARM_COMMANDS}
    ratios: dict[str, list[float]] = {c.key: [] for c in WARM_COMMANDS}
    rg_runs: list[Run] = []
    fzf_runs: list[Run] = []
    log(f"warm command line: {runs} rounds of {len(WARM_COMMANDS)} commands"
        + (", rg" if rg_cmd else " (rg not installed)")
        + (", fzf" if fzf_cmd else " (no fzf)"))
    for _ in range(runs):
        if rg_cmd:
            rg_runs.append(run_once(rg_cmd, env, home))
        for command in WARM_COMMANDS:
            run = run_once([*evreader, *command.args, str(corpus)], env, home)
            samples[command.key].append(run)
            if rg_runs:
                ratios[command.key].append(run.wall_s / rg_runs[-1].wall_s)
        if fzf_cmd and titles is not None:
            fzf_runs.append(run_once(fzf_cmd, env, home, stdin=titles))
    out: dict[str, Any] = {"runs": runs, "rg": _summary(rg_runs) if rg_runs else None,
                           "fzf": _summary(fzf_runs) if fzf_runs else None}
    for command in WARM_COMMANDS:
        out[command.key] = {"label": command.label, **_summary(samples[command.key])}
        if ratios[command.key]:
            out[command.key]["rg_ratio"] = statistics.median(ratios[command.key])
        if command.args in (NISSAN, WIDE):
            out[command.key]["rows"] = _count_lines(
                [*evreader, *command.args, str(corpus)], env, home)
    if rg_cmd:
        out["rg"]["files"] = _count_lines(rg_cmd, env, home)
    return out


def _summary(runs: Sequence[Run]) -> dict[str, Any]:
    return {"wall_s": statistics.median(r.wall_s for r in runs),
            "wall_min_s": min(r.wall_s for r in runs),
            "cpu_s": statistics.median(r.cpu_s for r in runs),
            "peak_bytes": max(r.peak_bytes for r in runs),
            "out_bytes": runs[0].out_bytes, "codes": sorted({r.code for r in runs})}


def _count_lines(cmd: Sequence[str], env: dict[str, str], cwd: Path) -> int:
    done = subprocess.run(list(cmd), capture_output=True, env=env, cwd=cwd, check=False)
    return done.stdout.count(b"\n")


def printing(library: Any, sizes: Sequence[int] = PRINT_ROWS) -> dict[str, float]:
    """Seconds to print N rows (text, as to a pipe) in this process, per N."""
    from evreader.cli import output
    from evreader.models import Filters
    rows = library.select(Filters())
    real = sys.stdout
    out: dict[str, float] = {}
    try:
        with open(os.devnull, "w", encoding="utf-8") as sink:
            sys.stdout = sink
            output.articles(library.index, rows[:1000], "text")  # warm-up
            for n in sizes:
                if n > len(rows):
                    continue
                best = float("inf")
                for _ in range(3):
                    start = time.perf_counter()
                    output.articles(library.index, rows[:n], "text")
                    best = min(best, time.perf_counter() - start)
                out[str(n)] = best
    finally:
        sys.stdout = real
    return out


def freshness(corpus: Path, cache_dir: Path) -> dict[str, float]:
    """The warm check (folder stamps, then every file's stat) against the walk it
    replaced, alternated, median of 5 each, in this process (CPU: this process's,
    kernel time included)."""
    from evreader.cache import CorpusCache
    from evreader.config import SourceSpec
    from evreader.index import fresh
    from evreader.index.build import list_files
    specs = [SourceSpec(corpus)]
    opened = CorpusCache(cache_dir, specs).open()
    if opened is None:
        return {}
    checks, cpus, walks = [], [], []
    for _ in range(5):
        start, cpu = time.perf_counter(), time.process_time()
        verdict = fresh.check(opened.table, specs)
        checks.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
        start = time.perf_counter()
        list_files(specs, [])
        walks.append(time.perf_counter() - start)
    return {"check_s": statistics.median(checks), "check_cpu_s": statistics.median(cpus),
            "walk_s": statistics.median(walks),
            "fresh": float(verdict.fresh), "files": float(len(opened.table)),
            "folders": float(len(opened.table.folders))}


# ---------------------------------------------------------------- report

Row = Callable[..., None]  # row(label, value, key="") as run.size_rows makes them


def targets_of(res: dict[str, Any]) -> None:
    """Copy the figures the targets judge to the top of a size's results."""
    warm = res.get("cli") or {}
    if "list" in warm:
        res["cli_list_s"] = warm["list"]["wall_s"]
        res["cli_json_s"] = warm["list_json"]["wall_s"]
        res["cli_peak_mib"] = max(warm[c.key]["peak_bytes"] for c in WARM_COMMANDS) / 2**20
        if "rg_ratio" in warm["list"]:
            res["cli_rg_ratio"] = warm["list"]["rg_ratio"]
            res["cli_json_rg_ratio"] = warm["list_json"]["rg_ratio"]
    printed = res.get("printing") or {}
    if "26794" in printed:
        res["print_26k_s"] = printed["26794"]


def report_rows(res: dict[str, Any], row: Row) -> None:
    warm = res.get("cli") or {}
    if "error" in warm:
        row("command line (warm)", f"n/a ({warm['error']})")
        return
    if "list" in warm:
        row(f"command line, warm, whole process (median of {warm['runs']}, to a pipe):", "")
        keys = {"list": ("cli_list_s", "cli_rg_ratio"),
                "list_json": ("cli_json_s", "cli_json_rg_ratio")}
        for command in WARM_COMMANDS:
            r = warm[command.key]
            rows = f" · {r['rows']:,} rows" if "rows" in r else ""
            time_key, ratio_key = keys.get(command.key, ("", ""))
            row(f"  {r['label']}", f"{r['wall_s']:.3f} s (min {r['wall_min_s']:.3f}) · "
                f"CPU {r['cpu_s']:.2f} s · peak {r['peak_bytes'] / 2**20:.0f} MiB · "
                f"{r['out_bytes'] / 1e6:.1f} MB out{rows}", time_key)
            if "rg_ratio" in r:
                row("    / rg, run by run", f"{r['rg_ratio']:.2f}", ratio_key)
        for tool, what in (("rg", "rg -il nissan CORPUS"),
                           ("fzf", "fzf --filter nissan < titles")):
            t = warm.get(tool)
            if t is None:
                row(f"  {what}", "not installed")
                continue
            files = f" · {t['files']:,} files" if "files" in t else ""
            row(f"  {what}", f"{t['wall_s']:.3f} s (min {t['wall_min_s']:.3f}) · "
                f"CPU {t['cpu_s']:.2f} s · peak {t['peak_bytes'] / 2**20:.0f} MiB{files}")
        row("  peak RSS, largest of the commands", f"{res['cli_peak_mib']:.0f} MiB",
            "cli_peak_mib")
    printed = res.get("printing") or {}
    if printed:
        row("printing N rows (text, in-process)",
            " · ".join(f"{int(n):,}: {s:.3f} s" for n, s in printed.items()), "print_26k_s")
    check = res.get("freshness") or {}
    if check:
        row("freshness check (in-process)",
            f"{check['check_s']:.3f} s (CPU {check['check_cpu_s']:.3f}) for "
            f"{int(check['files']):,} files and {int(check['folders']):,} folders · "
            f"the walk it replaced {check['walk_s']:.3f} s")


GROWTH = (  # (label, result key): how each grows from one size to the next
    ("cold index", "cold_index_s"), ("peak RSS (indexing)", "peak_rss_bytes"),
    ("first build + cache write", "first_build_with_cache_write_s"),
    ("TUI first paint", "first_paint_s"), ("lookup p95", "lookup_p95_ms"),
    ("search p95", "search_p95_ms"), ("filter p95", "filter_p95_ms"),
    ("CLI list --company nissan", "cli_list_s"), ("  its peak RSS (MiB)", "list_peak_mib"),
    ("CLI the same, JSON", "cli_json_s"), ("freshness check", "check_s"),
)
LINEAR = (  # 300k against 100k: at most 3x (linear in the articles) for these
    ("cold index", "cold_index_s"), ("peak RSS (indexing)", "peak_rss_bytes"),
    ("CLI list --company nissan", "cli_list_s"), ("  its peak RSS", "list_peak_mib"),
)


def growth_rows(results: dict[str, dict[str, Any]], cold_limit: float) -> list[str]:
    """Each metric at every default-sized corpus, and its growth against the
    articles' (1.00 = linear); where it runs ahead is where the cost stops being
    linear. The 300k cold build is held to `cold_limit` × the 100k one."""
    plain = sorted(((int(k), r) for k, r in results.items() if k.isdigit()),
                   key=lambda kr: kr[0])
    if len(plain) < 2:
        return []
    lines = ["== growth (value at each size; × per × articles from the previous size) =="]
    for label, key in GROWTH:
        values = [(n, _value(r, key)) for n, r in plain]
        cells = []
        for (n0, v0), (n1, v1) in pairwise(values):
            if v0 and v1:
                cells.append(f"{n1 // 1000}k/{n0 // 1000}k: {(v1 / v0) / (n1 / n0):.2f}")
        shown = " · ".join(f"{n // 1000}k {v:.4g}" for n, v in values if v is not None)
        lines.append(f"{label:<28} {shown}   {'  '.join(cells)}")
    by_n = dict(plain)
    if 100_000 in by_n and 300_000 in by_n:
        for label, key in LINEAR:
            v100, v300 = _value(by_n[100_000], key), _value(by_n[300_000], key)
            if v100 and v300:
                ratio = v300 / v100
                limit = cold_limit if key == "cold_index_s" else 3.0
                lines.append(f"300k / 100k, {label.strip()}: {ratio:.2f} (target ≤ {limit}, "
                             f"linear) {'PASS' if ratio <= limit else 'FAIL'}")
    return lines


def _value(res: dict[str, Any], key: str) -> float | None:
    if key == "check_s":
        return (res.get("freshness") or {}).get("check_s")
    if key == "list_peak_mib":
        listed = (res.get("cli") or {}).get("list") or {}
        return listed["peak_bytes"] / 2**20 if "peak_bytes" in listed else None
    value = res.get(key)
    return float(value) if isinstance(value, (int, float)) else None
