"""Builds the optional compiled helpers; everything else is in pyproject.toml.

`optional=True`: a machine without a C compiler still installs evreader and runs
the pure-Python twins (same results, slower; `evreader --version` says which).
"""

from setuptools import Extension, setup

setup(ext_modules=[
    Extension("evreader.extract._scan", ["evreader/extract/_scan.c"], optional=True),
    Extension("evreader.extract._people", ["evreader/extract/_people.c"],
              depends=["evreader/extract/_text.h"], optional=True),
    Extension("evreader.extract._companies", ["evreader/extract/_companies.c"],
              depends=["evreader/extract/_text.h"], optional=True),
    Extension("evreader._chars", ["evreader/_chars.c"], optional=True),
    Extension("evreader.ingest._layout", ["evreader/ingest/_layout.c"], optional=True),
    Extension("evreader.index._csr", ["evreader/index/_csr.c"], optional=True),
])
