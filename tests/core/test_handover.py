"""Unit results handed over through files: read once, never left behind."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from evreader.config import Config, GazetteerSettings, SourceSpec
from evreader.extract.extractor import Extractor
from evreader.gazetteer import load_gazetteer
from evreader.index import handover
from evreader.index.workers import FileJob, _received, process_files, process_unit
from evreader.ingest.files import walk_source
from evreader.library import build_library
from tests.conftest import SEEDS


def _jobs(root: Path) -> list[FileJob]:
    return [FileJob(s, "auto", s.size) for s in walk_source(root, [])]


def _corpus(root: Path, n: int) -> Path:
    root.mkdir(parents=True)
    for i in range(n):
        (root / f"f{i:02d}.txt").write_text(
            f"Headline {i}\n\nNissan and Foxconn met in Vietnam on day {i}.\n")
    return root


def test_a_result_goes_through_a_file_and_the_file_is_gone_after(tmp_path: Path) -> None:
    jobs = _jobs(SEEDS)
    result = process_unit(jobs, Extractor(load_gazetteer()))
    got = handover.send(result, str(tmp_path))
    assert isinstance(got, str) and Path(got).parent == tmp_path
    back = handover.receive(got)
    assert back.counts == result.counts and back.columns.texts == result.columns.texts
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written_sends_the_result_itself(tmp_path: Path) -> None:
    marker = object()
    assert handover.send(marker, str(tmp_path / "missing")) is marker
    assert handover.send(marker, None) is marker
    assert handover.receive(marker) is marker


def test_a_result_file_that_vanished_is_read_again_in_the_parent(tmp_path: Path) -> None:
    jobs = _jobs(SEEDS)
    gazetteer = load_gazetteer()
    want = process_unit(jobs, Extractor(gazetteer))
    for damage in ("gone", "empty", "garbage"):
        path = tmp_path / f"{damage}.unit"
        if damage == "empty":
            path.write_bytes(b"")
        elif damage == "garbage":
            path.write_bytes(b"\x80\x05not a pickle")
        got = _received(str(path), jobs, gazetteer)
        assert got.counts == want.counts and got.columns.ids == want.columns.ids
        assert not path.exists()


def test_parallel_builds_leave_no_result_files(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "src", 24)
    cfg = Config(sources=(SourceSpec(src),), gazetteer=GazetteerSettings(),
                 cache_dir=tmp_path / "cache")
    build_library(cfg, use_cache=False, workers=2, force_parallel=True)
    folder = handover.folder()
    assert folder is not None and os.listdir(folder) == []


def test_a_build_stopped_midway_leaves_no_result_files(tmp_path: Path) -> None:
    src = _corpus(tmp_path / "src", 24)
    results = process_files(_jobs(src), load_gazetteer(), workers=2, force_parallel=True)
    next(results)  # one unit taken; the others finish in the workers, unread
    results.close()
    folder = handover.folder()
    assert folder is not None and os.listdir(folder) == []


def test_folders_of_processes_that_died_are_swept(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = tmp_path / f"{handover.PREFIX}{dead}-abc"
    live = tmp_path / f"{handover.PREFIX}{os.getpid()}-def"
    other = tmp_path / "unrelated"
    for folder in (stale, live, other):
        folder.mkdir()
        (folder / "x.unit").write_bytes(b"x")
    handover.sweep(str(tmp_path))
    assert not stale.exists() and live.exists() and other.exists()


@pytest.mark.parametrize("name", [f"{handover.PREFIX}notapid-x", f"{handover.PREFIX}"])
def test_a_folder_named_oddly_is_left_alone(tmp_path: Path, name: str) -> None:
    (tmp_path / name).mkdir()
    handover.sweep(str(tmp_path))
    assert (tmp_path / name).exists()


def test_a_parallel_build_works_where_stderr_has_no_descriptor(tmp_path: Path) -> None:
    """Textual replaces sys.stderr by an object whose fileno() is -1; multiprocessing's
    resource tracker passed that on and the reader's first parallel build failed."""
    src = _corpus(tmp_path / "src", 12)
    code = f"""
import sys
class NoFd:
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1
sys.stderr = NoFd()
from evreader.config import Config, GazetteerSettings, SourceSpec
from evreader.library import build_library
from pathlib import Path
cfg = Config(sources=(SourceSpec(Path({str(src)!r})),), gazetteer=GazetteerSettings(),
             cache_dir=Path({str(tmp_path / "cache")!r}))
try:
    lib = build_library(cfg, use_cache=False, workers=2, force_parallel=True)
except BaseException:
    import traceback
    traceback.print_exc(file=sys.stdout)
    raise SystemExit(1)
print(len(lib.index))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=False)
    assert out.returncode == 0, out.stdout[-2000:]
    assert out.stdout.strip() == "12"
