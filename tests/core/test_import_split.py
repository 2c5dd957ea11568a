"""The core must not import the UI toolkit (Harlequin-style split check)."""

from __future__ import annotations

import subprocess
import sys


def _core_modules() -> list[str]:
    """Every module of the package outside the two faces (tui/, cli/)."""
    import pkgutil

    import evreader
    names = ["evreader"]
    for info in pkgutil.walk_packages(evreader.__path__, "evreader."):
        if info.name.split(".")[1] not in ("tui", "cli", "__main__"):
            names.append(info.name)
    return names


CORE_MODULES = _core_modules()


def test_the_core_list_is_the_whole_core() -> None:
    assert {"evreader.library", "evreader.index.build", "evreader.extract.people",
            "evreader.feeds.fetch", "evreader._native"} <= set(CORE_MODULES)


def test_core_does_not_import_textual_or_rich() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE_MODULES)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        + "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in UI modules: {out.stdout.strip()}"


def test_cli_subcommands_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from evreader.cli import main, commands, output\n"
        "print('textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_importing_evreader_leaves_the_blas_settings_alone() -> None:
    """A program that imports evreader keeps its own numpy threads; evreader's own
    program and its index workers ask OpenBLAS for one (see index/tuning.py)."""
    import os
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    code = ("import os, evreader, evreader.library\n"
            "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
            "from evreader.cli.main import main\n"
            "main(['--version'])\n"
            "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.split("\n")
    assert out[0] == "None" and out[-2] == "1"
    env["OPENBLAS_NUM_THREADS"] = "3"  # a user's own setting wins
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env).stdout.split("\n")
    assert out[0] == "3" and out[-2] == "3"


def _blas_threads() -> str | None:
    import os
    return os.environ.get("OPENBLAS_NUM_THREADS")


def test_index_workers_get_one_blas_thread_and_the_parent_keeps_its_setting() -> None:
    import os

    from evreader.gazetteer import load_gazetteer
    from evreader.index.workers import _new_pool
    had = os.environ.pop("OPENBLAS_NUM_THREADS", None)
    try:
        pool = _new_pool(load_gazetteer(), 1)
        try:
            assert pool.submit(_blas_threads).result() == "1"
        finally:
            pool.shutdown()
        assert _blas_threads() is None
    finally:
        if had is not None:
            os.environ["OPENBLAS_NUM_THREADS"] = had
