"""Errors the user can act on. The CLI turns these into a message and an exit code."""

from __future__ import annotations

# Documented exit codes (README "Exit codes").
EXIT_OK = 0
EXIT_ERROR = 1  # an operation failed (e.g. a note could not be written)
EXIT_USAGE = 2  # bad config or bad command-line usage
EXIT_NO_INPUT = 3  # no source could be read at all
# `evreader watch` answers a question, as grep does: 1 there means "nothing new", so
# what is 1 elsewhere (the operation failed) is 4 there.
EXIT_NOTHING_NEW = 1
EXIT_WATCH_FAILED = 4


class EvreaderError(Exception):
    """An error with a message meant for the user, not a traceback."""

    exit_code = EXIT_ERROR


class ConfigError(EvreaderError):
    """config.yaml (or a file it names) is invalid; says where and what."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path or "config"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")


class ExportError(EvreaderError):
    """A note could not be written; nothing was changed."""


class UsageError(EvreaderError):
    """The command line asks for something that cannot be done."""

    exit_code = EXIT_USAGE
