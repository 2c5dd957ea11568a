"""A line-API ScrollView with an LRU cache of rendered Strips (the Toolong pattern).

Only visible rows are ever rendered; a Strip is cached under a key of everything that
changes how its row looks, and the cache is dropped when size, styles or focus change.
"""

from __future__ import annotations

from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CachedLines(ScrollView):
    def __init__(self, *, id: str | None = None, cache_size: int = 1024) -> None:
        super().__init__(id=id)
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(cache_size)

    @property
    def line_count(self) -> int:
        raise NotImplementedError

    def reset_lines(self) -> None:
        """The rows changed: new virtual size, no stale strips."""
        self._cache.clear()
        self.virtual_size = Size(self.size.width, self.line_count)
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, self.line_count)
        self._cache.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()
