"""Builds the optional compiled helpers; everything else is in pyproject.toml.

`optional=True`: a machine without a C compiler still installs evreader and runs
the pure-Python twins (same results, slower; `evreader --version` says which).
"""

import os

from setuptools import Extension, setup

# -O3 whatever the interpreter was built with (Debian's builds extensions with -O2; its
# loops vectorise at -O3 only). The last -O on the command line wins.
FLAGS = ["-O3"] if os.name == "posix" else []


def helper(name: str, source: str, *depends: str) -> Extension:
    return Extension(name, [source], depends=list(depends), optional=True,
                     extra_compile_args=FLAGS)


setup(ext_modules=[
    helper("evreader.extract._scan", "evreader/extract/_scan.c"),
    helper("evreader.extract._people", "evreader/extract/_people.c", "evreader/extract/_text.h"),
    helper("evreader.extract._companies", "evreader/extract/_companies.c",
           "evreader/extract/_text.h"),
    helper("evreader._chars", "evreader/_chars.c"),
    helper("evreader.ingest._layout", "evreader/ingest/_layout.c"),
    helper("evreader.ingest._byline", "evreader/ingest/_byline.c", "evreader/ingest/_dates.h"),
    helper("evreader.index._csr", "evreader/index/_csr.c"),
])
