"""The `watchlists:` section (and the saved-watchlists file, of the same shape),
read entry by entry: an entry of the wrong shape comes back with its problem, so
one bad watchlist is a warning later (evreader.watchlists), never a stopped config.

Split from config.py, which stops at the first error of any other section.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml  # imported where a config file is read: not on a warm start



@dataclass(frozen=True, slots=True)
class WatchlistSpec:
    """A `watchlists:` entry as written. Its query is checked by evreader.watchlists,
    where a bad entry is a warning naming the file, line and watchlist while the
    others still load: one bad watchlist must not stop the reader or a cron job."""

    name: str
    query: str
    line: int
    problem: str = ""  # why the entry cannot be used, when its shape is wrong



def watchlist_specs(node: yaml.Node) -> tuple[WatchlistSpec, ...]:
    """The watchlists a YAML mapping or list holds, in either form:

        CATL in Indonesia: company:catl company:gotion country:indonesia
        - {name: Tesla recalls, query: theme:recalls company:tesla}

    An entry of the wrong shape comes back with its `problem` rather than raising
    (see WatchlistSpec). Also reads the saved-watchlists file, which has the same
    shape."""
    import yaml
    if isinstance(node, yaml.MappingNode):
        return tuple(_watchlist(k, v, k.start_mark.line + 1) for k, v in node.value)
    out: list[WatchlistSpec] = []
    for item in node.value if isinstance(node, yaml.SequenceNode) else ():
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            out.append(WatchlistSpec("", "", line, "a list entry must be {name: …, query: …}"))
            continue
        fields: dict[str, yaml.Node] = {}
        for k, v in item.value:
            key = _safe(k)
            fields[key if isinstance(key, str) else repr(key)] = v
        unknown = [str(k) for k in fields if k not in ("name", "query")]
        name_node, query_node = fields.get("name"), fields.get("query")
        if unknown or name_node is None or query_node is None:
            spec = _watchlist(name_node, query_node, line) if name_node is not None else \
                WatchlistSpec("", "", line)
            why = f"unknown key {unknown[0]!r} (known: name, query)" if unknown else \
                "a list entry needs both name and query"
            out.append(WatchlistSpec(spec.name, spec.query, line, why))
            continue
        out.append(_watchlist(name_node, query_node, line))
    return tuple(out)


def _watchlist(name_node: yaml.Node | None, query_node: yaml.Node | None,
               line: int) -> WatchlistSpec:
    name, query = _safe(name_node), _safe(query_node)
    if not isinstance(name, str) or not name.strip():
        return WatchlistSpec(str(name or ""), "", line, "a watchlist needs a name (text)")
    if not isinstance(query, str):
        return WatchlistSpec(name, "", line, "its query must be text, e.g. company:catl "
                             "country:indonesia (quote it if it starts with a quote or -)")
    return WatchlistSpec(name, query, line)


def _safe(node: yaml.Node | None) -> object:
    """A node's value, or None when it has none or cannot be constructed safely."""
    import yaml
    if node is None:
        return None
    try:
        value: object = construct(node)
    except yaml.YAMLError:
        return None
    return value


def construct(node: yaml.Node) -> Any:
    """The Python value of a node, using the safe loader's constructors."""
    import yaml
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()
