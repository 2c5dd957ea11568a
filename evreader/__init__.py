"""evreader: a terminal reader for EV and auto supply-chain news.

The package root is UI-free: the core modules never load the Textual toolkit (a
test checks this in a fresh interpreter), so the CLI and other tools stay light.
"""

__version__ = "0.1.0"
