"""Builds the two native helpers and puts the sample articles in the package;
everything else is in pyproject.toml.

`optional=True`: a machine without a C compiler still installs evreader and runs
the Python word scanner and numpy's postings (same results, slower;
`evreader --version` says which). See evreader/_native.py.

The sample corpus lives once, in seeds/ at the top of the repository; a build
copies it to evreader/samples, so an installed evreader opens it as `make run`
does (config.bundled_seeds).
"""

import os
import shutil
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_py import build_py

# -O3 whatever the interpreter was built with (Debian's builds extensions with -O2; the
# scanner's loops vectorise at -O3 only). The last -O on the command line wins.
FLAGS = ["-O3"] if os.name == "posix" else []


def helper(name: str, source: str) -> Extension:
    return Extension(name, [source], optional=True, extra_compile_args=FLAGS)


class BuildWithSamples(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "evreader" / "samples"
        target.mkdir(parents=True, exist_ok=True)
        for seed in sorted(Path("seeds").glob("*.txt")):
            shutil.copy2(seed, target / seed.name)


setup(
    cmdclass={"build_py": BuildWithSamples},
    ext_modules=[
        helper("evreader.extract._scan", "evreader/extract/_scan.c"),
        helper("evreader.index._csr", "evreader/index/_csr.c"),
    ],
)
