"""`make fuzz`, whole-pipeline part: `evreader list <dir> --format json --no-cache`
over the adversarial corpus, in this process, with the sanitizer builds.

    python -m tests.fuzz.pipeline FOLDER [--quick]

Each corpus file is loaded alone; then the small files are built together in
parallel (force_parallel: spawned workers, which import this module again and so
the sanitizer builds too). Any memory error or undefined behaviour in the native
code aborts the process; a non-zero exit or unreadable output is a failure.
`--quick` loads only the issue's three files and three other small ones, one at
a time (`make fuzz-quick`, part of `make test`). HOME and the XDG folders point
into FOLDER, so no user's config, cache or feed library is read or written.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import time
from pathlib import Path

from tests.data.adversarial.make_corpus import ISSUE_FILES, write
from tests.fuzz import sanitized  # before anything imports evreader._native (the corpus does not)

QUICK = (*ISSUE_FILES, "bylines", "entities-10k", "motor-nesting")


def load(folder: Path) -> tuple[int, int, float]:
    """(exit code, articles, seconds) of `evreader list folder --format json --no-cache`."""
    from evreader.cli.main import main

    out = io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out):
        code = main(["--no-cache", "list", str(folder), "--format", "json"])
    seconds = time.monotonic() - start
    articles = len(json.loads(out.getvalue())) if code == 0 else 0
    return code, articles, seconds


def parallel(folders: list[Path]) -> int:
    """Build the files of `folders` in two spawned workers; the articles it lists."""
    from evreader.config import Config, SourceSpec
    from evreader.library import build_library

    config = Config(sources=tuple(SourceSpec(f) for f in folders))
    index = build_library(config, use_cache=False, workers=2, force_parallel=True).index
    return len([index.as_dict(i) for i in range(len(index))])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--quick", action="store_true", help="only six small files")
    args = parser.parse_args(argv)
    home = (args.folder / "home").resolve()
    os.environ.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                      XDG_CACHE_HOME=str(home / ".cache"), XDG_DATA_HOME=str(home / ".local/share"))
    os.environ.pop("EVREADER_CONFIG", None)
    sanitized.check()
    print(f"native helpers: {'sanitizer builds' if sanitized.SANITIZED else 'normal builds'}")
    folders = write(args.folder / "files", small=args.quick)
    failed = []
    for name, where in sorted(folders.items()):
        if args.quick and name not in QUICK:
            continue
        size = sum(p.stat().st_size for p in where.iterdir())
        code, articles, seconds = load(where)
        print(f"  {name:16} {size / 1e6:6.2f} MB  exit {code}  {articles:6} articles  "
              f"{seconds:6.1f} s", flush=True)
        if code != 0 or articles == 0:
            failed.append(name)
    if not args.quick:
        start = time.monotonic()
        articles = parallel([folders[name] for name in QUICK])
        print(f"  {'(in parallel)':16} {articles} articles  {time.monotonic() - start:.1f} s")
        if articles < len(QUICK):
            failed.append("in parallel")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
