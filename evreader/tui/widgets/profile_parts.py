"""The parts of the profile screen: one-line texts, the mentions sparkline, the
co-mentions columns and the article list (a line-API ScrollView, so nothing is
built per article). Names and titles are untrusted: only ever appended to Text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from evreader.index.corpus import CorpusIndex
from evreader.models import KINDS
from evreader.profile import Profile
from evreader.textsafe import one_line
from evreader.tui.render import KIND_LABELS

TOP = 8  # co-mentioned entities per kind
COLUMN_MIN = 16  # narrowest co-mention column (cells) before columns are stacked
SPARK_REPEAT = 4  # widest a single month's bar gets when there are few months


def _fit(value: str, width: int, style: Style | str = "") -> Text:
    """`value` as one line of exactly `width` cells (cut with … or padded)."""
    text = Text(value, style=style, end="", no_wrap=True)
    text.truncate(max(width, 0), overflow="ellipsis", pad=True)
    return text


class TextLine(Widget):
    """One line of `Text`, rebuilt at render time so it follows the theme's colours."""

    DEFAULT_CSS = """
    TextLine { height: 1; width: 1fr; }
    """

    def __init__(self, make: Callable[[], Text], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.make = make

    def render(self) -> Text:
        text = self.make()
        text.truncate(max(self.content_size.width, 1), overflow="ellipsis")
        return text


class ProfileSparkline(Widget):
    """Mentions per month as block characters, first/peak/last month labels below."""

    DEFAULT_CSS = """
    ProfileSparkline { height: 2; width: 1fr; }
    """

    def __init__(self, profile: Profile, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile = profile

    def _styles(self) -> tuple[Style, Style]:
        screen = self.screen
        return (screen.get_component_rich_style("profile--spark", partial=True),
                screen.get_component_rich_style("profile--meta", partial=True))

    def render(self) -> Text:
        width = max(self.content_size.width, 1)
        spark_style, meta = self._styles()
        months = self.profile.months
        spark = self.profile.sparkline(width)
        if spark and len(spark) * 2 <= width:
            repeat = min(SPARK_REPEAT, width // len(spark))
            spark = "".join(c * repeat for c in spark)
        out = Text(end="", no_wrap=True)
        if not months:
            out.append("No dated articles", style=meta)
            return out
        out.append(spark, style=spark_style)
        out.append("\n")
        first, last = months[0][0], months[-1][0]
        peak_month, peak = max(months, key=lambda m: m[1])
        span = max(len(spark), len(first) + len(last) + 2)
        labels = Text(end="", no_wrap=True, style=meta)
        if first == last:
            labels.append(f"{first} · {peak} dated {'article' if peak == 1 else 'articles'}")
        else:
            labels.append(first)
            middle = f"peak {peak_month}: {peak}"
            gap = span - len(first) - len(last)
            if gap >= len(middle) + 4:
                left = (gap - len(middle)) // 2
                labels.append(" " * left + middle + " " * (gap - len(middle) - left))
            else:
                labels.append(" " * gap)
            labels.append(last)
        out.append_text(labels)
        return out


class ProfileCoMentions(Widget):
    """Top co-mentioned entities per kind: four columns when wide, fewer, then stacked."""

    DEFAULT_CSS = """
    ProfileCoMentions { height: auto; width: 1fr; }
    """

    def __init__(self, profile: Profile, *, rows: int = TOP, id: str | None = None) -> None:
        super().__init__(id=id)
        self.profile = profile
        self.rows = rows

    def kinds(self) -> list[str]:
        return [k for k in KINDS if self.profile.co_mentions.get(k)]

    def columns_for(self, width: int) -> int:
        kinds = max(len(self.kinds()), 1)
        for n in (4, 2, 1):
            if (n <= kinds and (width - 2 * (n - 1)) // n >= COLUMN_MIN) or n == 1:
                return min(n, kinds)
        return 1

    def lines(self, width: int) -> list[Text]:
        screen = self.screen
        meta = screen.get_component_rich_style("profile--meta", partial=True)
        heading = screen.get_component_rich_style("profile--heading", partial=True)
        kinds = self.kinds()
        if not kinds:
            return [Text("Mentioned with no other entity", style=meta, end="")]
        cols = self.columns_for(width)
        col_width = (width - 2 * (cols - 1)) // cols
        lines: list[Text] = []
        for start in range(0, len(kinds), cols):
            group = kinds[start:start + cols]
            blocks = [self._block(k, col_width, heading, meta) for k in group]
            height = max(len(b) for b in blocks)
            if lines:
                lines.append(Text(end=""))
            for y in range(height):
                line = Text(end="", no_wrap=True)
                for x, block in enumerate(blocks):
                    if x:
                        line.append("  ")
                    line.append_text(block[y] if y < len(block) else _fit("", col_width))
                lines.append(line)
        return lines

    def _block(self, kind: str, width: int, heading: Style, meta: Style) -> list[Text]:
        kind_style = self.screen.get_component_rich_style(f"entity--{kind}", partial=True)
        rows = self.profile.co_mentions.get(kind, [])[:self.rows]
        block = [_fit(f"{KIND_LABELS.get(kind, kind)} with", width, heading)]
        for name, n in rows:
            count = str(n)
            line = Text(end="", no_wrap=True)
            line.append_text(_fit(name, width - len(count) - 1, kind_style))
            line.append(" ")
            line.append(count, style=meta)
            block.append(line)
        return block

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        return Text("\n", end="").join(self.lines(max(self.content_size.width, 1)))


class ProfileArticles(ScrollView, can_focus=False):
    """Date, title and source of each article, newest first; renders only visible rows."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"profile-articles--date"}
    DEFAULT_CSS = """
    ProfileArticles { height: 3; overflow-x: hidden; }
    ProfileArticles > .profile-articles--date { color: $quiet; }
    """

    def __init__(self, index: CorpusIndex, rows: Sequence[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.index = index
        self.rows = rows
        self._cache: LRUCache[tuple[int, int], Strip] = LRUCache(512)

    def on_mount(self) -> None:
        self.virtual_size = Size(0, len(self.rows))

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))
        self._cache.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def row_text(self, i: int, width: int) -> Text:
        store = self.index.articles  # by column: the row shows no body, so none is read
        day = store.published(i)
        dim = self.get_component_rich_style("profile-articles--date", partial=True)
        show_source = width >= 90
        text = Text(end="", no_wrap=True)
        text.append_text(_fit(day.isoformat() if day else "undated", 10, dim))
        text.append("  ")
        title_width = width - 12 - (14 if show_source else 0)
        text.append_text(_fit(one_line(store.titles[i]) or "(untitled)", title_width))
        if show_source:
            text.append("  ")
            text.append_text(_fit(store.publisher(i), 12, dim))
        return text

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if row >= len(self.rows):
            return Strip.blank(width, base)
        key = (row, width)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        text = self.row_text(self.rows[row], width)
        text.stylize_before(base)
        strip = Strip(text.render(self.app.console)).adjust_cell_length(width, base)
        self._cache[key] = strip
        return strip
