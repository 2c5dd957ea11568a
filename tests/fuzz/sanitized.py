"""Runs the native helpers as built for `make fuzz` (with AddressSanitizer and
UndefinedBehaviorSanitizer) in place of the normal build.

`make fuzz` compiles `_scan.c` and `_csr.c` into build/fuzz/lib/evreader/... and
names that folder in EVREADER_SANITIZED. Importing this module (pytest loads it
with `-p tests.fuzz.sanitized`; the pipeline runner imports it first) puts those
builds into `sys.modules` before `evreader._native` imports the helpers, so every
call in the process, and in the index's spawned workers (they import the runner
again), runs the instrumented code. Without EVREADER_SANITIZED it does nothing.
The normal build in the source tree is never touched.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import sysconfig
from pathlib import Path

HELPERS = ("evreader.extract._scan", "evreader.index._csr")


def load() -> Path | None:
    """Put the sanitizer builds of the helpers in sys.modules; their folder, or None."""
    folder = os.environ.get("EVREADER_SANITIZED")
    if not folder:
        return None
    if "evreader._native" in sys.modules:
        raise RuntimeError("evreader._native was imported before the sanitizer builds")
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for name in HELPERS:
        path = Path(folder, *name.split(".")).with_name(name.rsplit(".", 1)[1] + suffix)
        if not path.is_file():
            raise RuntimeError(f"no sanitizer build at {path}: run `make fuzz`")
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        sys.modules[name] = module
    return Path(folder)


def check() -> None:
    """Fail unless `_native` runs the sanitizer builds (a silent fallback would
    make a clean fuzz run mean nothing)."""
    from evreader import _native

    folder = os.environ.get("EVREADER_SANITIZED")
    if not folder:
        return
    if not all(_native.active()):
        raise RuntimeError(f"sanitizer builds not active: {_native.describe()}")
    for name in HELPERS:
        where = Path(str(sys.modules[name].__file__)).resolve()
        if not where.is_relative_to(Path(folder).resolve()):
            raise RuntimeError(f"{name} came from {where}, not the sanitizer build")


SANITIZED = load()


def pytest_report_header() -> str:
    return f"native helpers: sanitizer builds from {SANITIZED}" if SANITIZED else ""


def pytest_sessionstart() -> None:
    check()
