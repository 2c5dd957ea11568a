"""Builds the two native helpers; everything else is in pyproject.toml.

`optional=True`: a machine without a C compiler still installs evreader and runs
the Python word scanner and numpy's postings (same results, slower;
`evreader --version` says which). See evreader/_native.py.
"""

import os

from setuptools import Extension, setup

# -O3 whatever the interpreter was built with (Debian's builds extensions with -O2; the
# scanner's loops vectorise at -O3 only). The last -O on the command line wins.
FLAGS = ["-O3"] if os.name == "posix" else []


def helper(name: str, source: str) -> Extension:
    return Extension(name, [source], optional=True, extra_compile_args=FLAGS)


setup(ext_modules=[
    helper("evreader.extract._scan", "evreader/extract/_scan.c"),
    helper("evreader.index._csr", "evreader/index/_csr.c"),
])
