"""evreader: a terminal reader for EV and auto supply-chain news.

The package root is UI-free: the core modules never load the Textual toolkit (a
test checks this in a fresh interpreter), so the CLI and other tools stay light.
"""

import os

# evreader does no linear algebra, but numpy's OpenBLAS starts a thread per core
# that spins at start-up: ~0.1 s of CPU in each process (the parent and every
# index worker), taken from indexing. Set before anything imports numpy; spawned
# workers inherit it. A user's own setting wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
