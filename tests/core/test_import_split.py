"""The core must not import the UI toolkit (Harlequin-style split check)."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "evreader", "evreader.config", "evreader.errors", "evreader.models", "evreader.textsafe",
    "evreader.ingest", "evreader.gazetteer", "evreader.extract", "evreader.index.corpus",
    "evreader.search", "evreader.export", "evreader.library",
]


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


def test_the_package_asks_openblas_for_one_thread_unless_told_otherwise() -> None:
    """numpy's BLAS threads spin at start-up in every index worker; evreader uses no BLAS."""
    import os
    code = "import os, evreader; print(os.environ.get('OPENBLAS_NUM_THREADS'))"
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env)
    assert out.stdout.strip() == "1"
    env["OPENBLAS_NUM_THREADS"] = "3"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env=env)
    assert out.stdout.strip() == "3"
