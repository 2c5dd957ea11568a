"""The benchmark corpus generator: deterministic, exact article counts, sane sizes,
broad company coverage; and a smoke run of the benchmark runner. No timing asserts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.generate import (
    MANIFEST,
    MAX_BYTES,
    MIN_BYTES,
    generate,
    load_vocabulary,
)
from evreader.config import SourceSpec
from evreader.ingest import load_sources

ROOT = Path(__file__).resolve().parents[2]

# Tests of `make bench`'s own tooling, not of evreader: `-m "not bench_tooling"` skips them.
pytestmark = pytest.mark.bench_tooling


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*.txt"))}


@pytest.fixture(scope="module")
def corpus_2000(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "2000"
    generate(2000, out, seed=7, jobs=1)
    return out


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    generate(600, tmp_path / "a", seed=3, jobs=1)
    generate(600, tmp_path / "b", seed=3, jobs=1)
    a, b = files_of(tmp_path / "a"), files_of(tmp_path / "b")
    assert a and a == b
    generate(600, tmp_path / "c", seed=4, jobs=1)
    assert files_of(tmp_path / "c") != a


def test_output_does_not_depend_on_worker_count(tmp_path: Path) -> None:
    generate(2500, tmp_path / "serial", seed=5, jobs=1)
    generate(2500, tmp_path / "parallel", seed=5, jobs=2)
    assert files_of(tmp_path / "serial") == files_of(tmp_path / "parallel")


@pytest.mark.parametrize("n", [1, 2, 19, 20, 137, 1000])
def test_exact_article_count_small(tmp_path: Path, n: int) -> None:
    generate(n, tmp_path, seed=11, jobs=1)
    loaded = load_sources([SourceSpec(tmp_path)])
    assert len(loaded.articles) == n
    assert not loaded.warnings


def test_exact_article_count_and_both_layouts(corpus_2000: Path) -> None:
    loaded = load_sources([SourceSpec(corpus_2000)])
    assert len(loaded.articles) == 2000
    digests = [a for a in loaded.articles if a.source.endswith("-digest.txt")]
    singles = [a for a in loaded.articles if not a.source.endswith("-digest.txt")]
    assert 100 <= len(digests) <= 400  # ~10 % of the articles are digest briefs
    # Single-article files: headline and byline were read as metadata.
    dated = [a for a in singles if a.published is not None]
    assert len(dated) >= 0.95 * len(singles)
    assert all(2018 <= a.published.year <= 2026 for a in dated if a.published)
    assert sum(1 for a in singles if a.authors) >= 0.95 * len(singles)
    manifest = json.loads((corpus_2000 / MANIFEST).read_text())
    assert manifest["articles"] == 2000 and manifest["complete"] is True


def test_file_sizes_and_layout(corpus_2000: Path) -> None:
    files = sorted(corpus_2000.rglob("*.txt"))
    per_folder: dict[Path, int] = {}
    for path in files:
        per_folder[path.parent] = per_folder.get(path.parent, 0) + 1
        data = path.read_bytes()
        text = data.decode("utf-8")
        if path.name.endswith("-digest.txt"):
            lines = text.rstrip("\n").split("\n")
            assert all(len(line) >= 100 for line in lines)
            assert "" not in lines
        else:
            assert MIN_BYTES <= len(data) <= MAX_BYTES, path
            head, blank, byline, blank2, *rest = text.split("\n")
            assert head and not blank and byline.startswith("By ") and not blank2
            paragraphs = "\n".join(rest).strip().split("\n\n")
            assert 4 <= len(paragraphs) <= 8
    assert max(per_folder.values()) <= 250
    assert all(len(p.relative_to(corpus_2000).parts) == 4 for p in files)  # YYYY/MM/NN/file


def test_uses_at_least_300_companies(corpus_2000: Path) -> None:
    vocab = load_vocabulary()
    if len(vocab.companies) < 300:
        pytest.skip(f"companies.yaml lists only {len(vocab.companies)} companies")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(corpus_2000.rglob("*.txt")))
    used = {c.name for c in vocab.companies if c.name in text}
    assert len(used) >= 300
    # Aliases and possessives appear too.
    assert any(alias in text for c in vocab.companies for alias in c.aliases)
    assert "’s " in text


def test_matching_manifest_skips_generation(tmp_path: Path) -> None:
    generate(50, tmp_path, seed=1, jobs=1)
    first = sorted(tmp_path.rglob("*.txt"))
    stamps = [p.stat().st_mtime_ns for p in first]
    generate(50, tmp_path, seed=1, jobs=1)
    assert [p.stat().st_mtime_ns for p in first] == stamps
    generate(60, tmp_path, seed=1, jobs=1)  # a different N regenerates in place
    assert len(load_sources([SourceSpec(tmp_path)]).articles) == 60


def test_refuses_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit):
        generate(10, tmp_path, seed=1, jobs=1)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_benchmark_quick_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--corpus-root", str(tmp_path),
         "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("machine: ")
    assert "speed probe: " in proc.stdout
    for label in ("== 2,000 articles", "cold index", "corpus read just before", "warm start",
                  "company lookup", "article search", "filter toggle", "peak RSS"):
        assert label in proc.stdout
    data = json.loads(out.read_text())
    result = data["sizes"]["2000"]
    assert result["indexed_articles"] == 2000
    assert result["warm_from_cache"] is True
    assert result["corpus_read_s"] > 0 and result["probe_before_cold_s"] > 0
    assert "CPU during it" in proc.stdout
    cold = result["cold"]
    assert cold["cpu_parent_s"] > 0 and cold["cpu_workers_s"] >= 0
    if Path("/proc/stat").exists():
        assert cold["host_steal_s"] is not None and cold["host_steal_s"] >= 0
