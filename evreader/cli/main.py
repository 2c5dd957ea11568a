"""The `evreader` command: the TUI by default, subcommands for pipes and scripts.

Every subcommand builds the same Library the TUI uses and prints text (a Rich
table on a terminal, tab-separated lines in a pipe) or JSON. User errors print
one line on stderr and exit with a documented code; no traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from evreader import __version__
from evreader.config import Config, SourceSpec, load_config
from evreader.errors import EXIT_ERROR, EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE, EvreaderError

# The fields of an article in JSON (index.rows.ARTICLE_FIELDS; spelled here so that
# parsing the command line imports no numpy; a test holds the two equal).
ARTICLE_FIELDS = ("id", "source", "publisher", "title", "published", "authors", "url",
                  "byline", "text", "entities", "discovered")

def _filter_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters (fuzzy-matched; repeat for OR, kinds combine with AND)")
    g.add_argument("--company", action="append", default=[], metavar="NAME")
    g.add_argument("--country", action="append", default=[], metavar="NAME")
    g.add_argument("--theme", action="append", default=[], metavar="NAME")
    g.add_argument("--person", action="append", default=[], metavar="NAME")
    g.add_argument("--source", action="append", default=[], metavar="NAME",
                   help="publisher (a feed's title, a stated source, or the URL's site)")
    g.add_argument("--query", "-q", default="", metavar="Q",
                   help='query language: words, "phrase", company:X -country:Y since:2024 '
                        "is:unread is:starred")
    g.add_argument("--starred", action="store_true", help="starred articles only")
    g.add_argument("--unread", action="store_true", help="unread articles only")
    g.add_argument("--since", metavar="DATE", help="published on or after (YYYY-MM-DD or YYYY-MM)")
    g.add_argument("--until", metavar="DATE", help="published on or before")


def _sort(p: argparse.ArgumentParser) -> None:
    from evreader.models import SORTS
    p.add_argument("--sort", choices=list(SORTS), default=None,
                   help="order: relevance (best match first when there is a query, else "
                        "newest; the default), newest, oldest, source, title "
                        "(default: sort: in the config)")


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH",
                   help="files or folders to read instead of the configured sources")


def _format(p: argparse.ArgumentParser, choices: Sequence[str] = ("text", "json"),
            default: str | None = "text") -> None:
    p.add_argument("--format", "-f", choices=list(choices), default=default)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every subcommand, or of `command` only: argparse asks gettext
    for ~60 strings per subcommand, and building all fifteen took ~15 ms of a
    start that answers `list` in a few hundred."""
    common = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand must not reset a --config given before it.
    common.add_argument("--config", "-c", metavar="PATH", default=argparse.SUPPRESS,
                        help="config file (default: lookup order)")
    common.add_argument("--no-cache", action="store_true", default=argparse.SUPPRESS,
                        help="neither read nor write the on-disk index cache")
    parser = argparse.ArgumentParser(
        prog="evreader",
        description="Terminal reader for EV and auto supply-chain news. "
                    "With no command, opens the reader.")
    parser.add_argument("--config", "-c", metavar="PATH", default=None,
                        help="config file (default: lookup order)")
    parser.add_argument("--no-cache", action="store_true", default=False,
                        help="neither read nor write the on-disk index cache")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (summary, add) in _SUBCOMMANDS.items():
        if command is None or name == command:
            add(sub.add_parser(name, parents=[common], help=summary))
    return parser


def _list(p: argparse.ArgumentParser) -> None:
    _paths(p)
    _filter_options(p)
    _sort(p)
    p.add_argument("--limit", type=int, default=None)
    _format(p)
    _fields(p)


def _search(p: argparse.ArgumentParser) -> None:
    p.add_argument("search_query", metavar="QUERY")
    _list(p)


def _entities(p: argparse.ArgumentParser) -> None:
    _paths(p)
    _filter_options(p)
    p.add_argument("--kind", choices=["company", "country", "theme", "person"])
    p.add_argument("--discovered", action="store_true", help="companies found by pattern only")
    p.add_argument("--limit", type=int, default=None)
    _format(p)


def _lookup(p: argparse.ArgumentParser) -> None:
    p.add_argument("fragment", metavar="FRAGMENT")
    _paths(p)
    p.add_argument("--kind", choices=["company", "country", "theme", "person"], default=None)
    p.add_argument("--limit", type=int, default=10)
    _format(p)


def _show(p: argparse.ArgumentParser) -> None:
    p.add_argument("article_id", metavar="ID")
    _paths(p)
    _format(p)


def _export(p: argparse.ArgumentParser) -> None:
    _paths(p)
    _filter_options(p)
    p.add_argument("--output", "-o", metavar="NOTE", help="note file (default: export.path)")
    p.add_argument("--ids", nargs="+", metavar="ID", help="export these article ids only")
    _sort(p)
    p.add_argument("--body", choices=["excerpt", "full", "none"], default=None)
    p.add_argument("--limit", type=int, default=None)
    _format(p, ("md", "txt"), default=None)


def _cache(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["info", "clear"])
    _paths(p)


def _profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")
    _paths(p)
    p.add_argument("--kind", choices=["company", "country", "theme", "person"], default=None)
    _format(p)


def _related(p: argparse.ArgumentParser) -> None:
    p.add_argument("article_id", metavar="ID")
    _paths(p)
    p.add_argument("--limit", type=int, default=10)
    _format(p)
    _fields(p)


def _promote(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")
    p.add_argument("--country", default=None, help="its HQ country")


def _ignore(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", metavar="NAME")


def _mark(p: argparse.ArgumentParser) -> None:
    p.description = ("Mark articles by id. Files or folders among the arguments are the "
                     "sources to find them in, as for list and show (default: the "
                     "configured sources).")
    p.add_argument("targets", nargs="+", metavar="ID|PATH")
    p.add_argument("--as", dest="mark", required=True,
                   choices=["read", "unread", "starred", "unstarred"])


def _fetch(p: argparse.ArgumentParser) -> None:
    p.add_argument("--full-text", action="store_true",
                   help="then fetch the full text of every entry that lacks it (not only "
                        "the new entries of feeds marked full_text)")
    p.add_argument("--retry", action="store_true",
                   help="with --full-text: also the entries whose download failed before")
    p.add_argument("--no-full-text", action="store_true",
                   help="fetch the feeds only, no article pages")
    _format(p)


def _full_text(p: argparse.ArgumentParser) -> None:
    p.add_argument("article_id", metavar="ID")
    _format(p)


def _import_opml(p: argparse.ArgumentParser) -> None:
    p.add_argument("opml", metavar="FILE")


def _export_opml(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", metavar="FILE", help="write here instead of stdout")


def _watch(p: argparse.ArgumentParser) -> None:
    from evreader.cli.watch import configure_parser
    configure_parser(p)


_SUBCOMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "list": ("list articles", _list),
    "search": ("fuzzy search articles, best first", _search),
    "entities": ("entities with article counts", _entities),
    "lookup": ("best entities for a typed fragment", _lookup),
    "show": ("one article with its entity mentions", _show),
    "export": ("append articles to a note", _export),
    "cache": ("show or clear the on-disk index cache", _cache),
    "profile": ("an entity's profile", _profile),
    "related": ("articles related to an article", _related),
    "promote": ("add a discovered company to your entities file", _promote),
    "ignore": ("never propose this discovered company again", _ignore),
    "mark": ("mark articles read/unread/starred", _mark),
    "fetch": ("download the configured feeds into the feed library", _fetch),
    "full-text": ("fetch one article's full text from its page", _full_text),
    "import-opml": ("add an OPML file's feeds", _import_opml),
    "export-opml": ("write your feeds as OPML", _export_opml),
    "watch": ("new articles per watchlist (exit 0: something new, 1: nothing new)", _watch),
}
COMMANDS = tuple(_SUBCOMMANDS)


def _fields(p: argparse.ArgumentParser) -> None:
    p.add_argument("--fields", type=_field_list, default=None, metavar="F,F,…",
                   help="with --format json: only these fields of each article, in this "
                        "order (" + ", ".join(ARTICLE_FIELDS) + "); e.g. "
                        "id,published,title,entities — without text, a list is much smaller "
                        "and faster to print")


def _field_list(text: str) -> list[str]:
    fields = [f.strip() for f in text.split(",") if f.strip()]
    unknown = [f for f in fields if f not in ARTICLE_FIELDS]
    if unknown or not fields:
        raise argparse.ArgumentTypeError(
            f"unknown field {', '.join(unknown) or repr(text)} "
            f"(fields: {', '.join(ARTICLE_FIELDS)})")
    return list(dict.fromkeys(fields))


class _Version(argparse.Action):
    """--version, with its text made only when asked for (it imports the native
    helpers, which no other start needs)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        print(version_text())
        parser.exit()


def version_text() -> str:
    """The version, and which native helpers run (see evreader/_native.py)."""
    from evreader import _native
    return f"evreader {__version__} ({_native.describe()})"


def build_tui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="evreader", description="Open the reader.")
    parser.add_argument("--config", "-c", metavar="PATH")
    parser.add_argument("--no-cache", action="store_true", default=False,
                        help="neither read nor write the on-disk index cache")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    _paths(parser)
    return parser


def _is_command(argv: Sequence[str]) -> bool:
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--config", "-c"):
            i += 2
            continue
        if arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return True
            i += 1
            continue
        return arg in COMMANDS
    return False


def _command_named(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` names before any help or version flag, else None."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("--config", "-c"):
            i += 2
        elif arg.startswith("-"):
            if arg in ("-h", "--help", "--version"):
                return None
            i += 1
        else:
            return arg if arg in COMMANDS else None
    return None


def main(argv: Sequence[str] | None = None) -> int:
    from evreader.index.tuning import one_blas_thread
    one_blas_thread()  # evreader's own program does no linear algebra (see tuning)
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        if _is_command(args_list):
            args = build_parser(_command_named(args_list)).parse_args(args_list)
            if args.command == "mark":
                _split_targets(args)
            if args.command is None:
                return _open_tui(args)
            from evreader.cli import commands
            return commands.run(args, _config(args))
        return _open_tui(build_tui_parser().parse_args(args_list))
    except EvreaderError as exc:
        _err(f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); not an error for the user.
        with _suppress_all():
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_USAGE if code else EXIT_OK)
    except Exception as exc:  # a bug: one line for the user, details on request
        if os.environ.get("EVREADER_DEBUG"):
            raise
        _err(f"internal error: {type(exc).__name__}: {exc} (set EVREADER_DEBUG=1 for details)")
        return EXIT_ERROR


def _split_targets(args: argparse.Namespace) -> None:
    """`mark ID… PATH…`: an argument naming an existing file or folder is a source,
    the others are article ids."""
    args.paths = [t for t in args.targets if os.path.exists(os.path.expanduser(t))]
    args.ids = [t for t in args.targets if t not in args.paths]
    if not args.ids:
        from evreader.errors import UsageError
        raise UsageError("mark: give at least one article id (evreader list shows them)")


def _config(args: argparse.Namespace) -> Config:
    config = load_config(args.config)
    paths = getattr(args, "paths", None)
    if paths:
        config = replace(config, sources=tuple(SourceSpec(Path(p).expanduser()) for p in paths),
                         read_feed_library=False)
    if getattr(args, "no_cache", False):
        config = replace(config, cache=False)
    return config


def _open_tui(args: argparse.Namespace) -> int:
    config = _config(args)
    if not sys.stdout.isatty() or not sys.stdin.isatty():
        _err("error: the reader needs a terminal; use a subcommand "
             "(evreader list --format json) in pipes and scripts")
        return EXIT_USAGE
    from evreader.tui.app import run_app  # imported here: the CLI must not pay for textual
    return run_app(config)


def _err(message: str) -> None:
    print(f"evreader: {message}", file=sys.stderr)


class _suppress_all:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return True


__all__ = ["EXIT_NO_INPUT", "main"]
