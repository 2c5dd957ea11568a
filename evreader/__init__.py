"""evreader: a terminal reader for EV and auto supply-chain news.

The package root is UI-free: importing `evreader` or any core module must never
import textual (a test enforces this), so the CLI and other tools stay light.
"""

__version__ = "0.1.0"
