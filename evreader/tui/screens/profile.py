"""An entity's profile: counts, mentions over time, co-mentions and its articles.

Everything shown comes from `evreader.profile.entity_profile` (numpy over the
postings, instant at 100k articles). The article list is a line-API ScrollView,
so nothing is built per article. Entity names and titles are untrusted: they are
only ever appended to `rich.text.Text`, never formatted into markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from evreader.index.corpus import CorpusIndex
from evreader.library import Library
from evreader.models import KINDS
from evreader.profile import Profile, entity_profile
from evreader.textsafe import one_line
from evreader.tui.render import KIND_LABELS, KIND_SINGULAR, short_source
from evreader.tui.screens.help import key_text

TOP = 8  # co-mentioned entities per kind
COLUMN_MIN = 16  # narrowest co-mention column (cells) before columns are stacked
MIN_ROWS = 5  # article rows kept visible on a short screen
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
    ProfileArticles > .profile-articles--date { color: $text-muted; }
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
        article = self.index.articles[i]
        dim = self.get_component_rich_style("profile-articles--date", partial=True)
        show_source = width >= 90
        text = Text(end="", no_wrap=True)
        text.append_text(_fit(article.published_iso() or "undated", 10, dim))
        text.append("  ")
        title_width = width - 12 - (14 if show_source else 0)
        text.append_text(_fit(one_line(article.title) or "(untitled)", title_width))
        if show_source:
            text.append("  ")
            text.append_text(_fit(short_source(article.source, 12), 12, dim))
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


class ProfileScreen(ModalScreen[tuple[str, str] | None]):
    """One entity at a glance. Returns (kind, name) to filter by it, or None on close."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "close", "Close", id="profile-close"),
        Binding("f,enter", "filter", "Filter by this entity", id="profile-filter"),
        Binding("j,down", "articles_scroll(1)", "Scroll down", show=False, id="profile-down"),
        Binding("k,up", "articles_scroll(-1)", "Scroll up", show=False, id="profile-up"),
        Binding("pagedown,space", "articles_page(1)", "Page down", show=False,
                id="profile-page-down"),
        Binding("pageup", "articles_page(-1)", "Page up", show=False, id="profile-page-up"),
        Binding("g,home", "articles_edge(0)", "Top", show=False, id="profile-top"),
        Binding("G,end", "articles_edge(1)", "Bottom", show=False, id="profile-bottom"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "profile--meta", "profile--heading", "profile--spark", "profile--name",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }
    DEFAULT_CSS = """
    ProfileScreen {
        align: center middle;
        background: $background 60%;
    }
    ProfileScreen > .profile--meta { color: $text-muted; }
    ProfileScreen > .profile--heading { text-style: bold; }
    ProfileScreen > .profile--name { text-style: bold; }
    ProfileScreen > .profile--spark { color: $text-accent; }
    ProfileScreen > .entity--company { color: $text-accent; }
    ProfileScreen > .entity--country { color: $text-success; }
    ProfileScreen > .entity--theme { color: $text-warning; }
    ProfileScreen > .entity--person { color: $text-primary; }
    #profile-dialog {
        width: 110;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $border;
        background: $surface;
        padding: 0 1;
    }
    #profile-spark { margin-top: 1; }
    #profile-co { margin-top: 1; }
    #profile-articles-title { margin-top: 1; width: 1fr; }
    #profile-hint { color: $text-muted; width: 1fr; }
    #profile-dialog.-empty #profile-hint { margin-top: 1; }
    """

    def __init__(self, library: Library, kind: str, name: str) -> None:
        super().__init__()
        self.library = library
        self.entity_kind = kind
        self.entity_name = name
        self.profile: Profile | None = entity_profile(library.index, kind, name,
                                                      library.gazetteer)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    # ------------------------------------------------------------ content
    def title_text(self) -> Text:
        meta = self._style("profile--meta")
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        text.append("● ", style=self._style(f"entity--{self.entity_kind}"))
        text.append(self.entity_name, style=self._style("profile--name"))
        text.append(f"  {KIND_SINGULAR.get(self.entity_kind, self.entity_kind)}", style=meta)
        profile = self.profile
        if profile is None:
            return text
        if profile.discovered:
            text.append(" · discovered", style=meta)
        if profile.country:
            text.append(" · HQ ", style=meta)
            text.append(profile.country, style=self._style("entity--country"))
        if profile.aliases:
            text.append(" · also ", style=meta)
            text.append(", ".join(profile.aliases))
        return text

    def summary_text(self) -> Text:
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        profile = self.profile
        if profile is None:
            text.append("No articles mention ")
            text.append(self.entity_name, style=self._style("profile--name"))
            return text
        noun = "article" if profile.count == 1 else "articles"
        text.append(f"{profile.count} {noun}", style=self._style("profile--heading"))
        if profile.first and profile.last:
            text.append(" · first ", style=self._style("profile--meta"))
            text.append(profile.first.isoformat())
            text.append(" … last ", style=self._style("profile--meta"))
            text.append(profile.last.isoformat())
        else:
            text.append(" · none dated", style=self._style("profile--meta"))
        return text

    def articles_heading(self) -> Text:
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        text.append("Articles", style=self._style("profile--heading"))
        text.append(" · newest first", style=self._style("profile--meta"))
        return text

    def keys(self, binding_id: str) -> str:
        """The keys bound to `binding_id`, as remapped by the user's keymap."""
        keymap: Mapping[str, str] = getattr(self.app, "keymap", {})
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.id == binding_id:
                return key_text(binding, keymap, self.app.get_key_display)
        return binding_id

    def hint_text(self) -> str:
        close = f"{self.keys('profile-close')} close"
        if self.profile is None:
            return close
        return (f"{self.keys('profile-filter')} filter by this · "
                f"{self.keys('profile-down')} / {self.keys('profile-up')} scroll · {close}")

    def compose(self) -> ComposeResult:
        with Vertical(id="profile-dialog"):
            yield TextLine(self.title_text, id="profile-title")
            yield TextLine(self.summary_text, id="profile-summary")
            if self.profile is not None:
                yield ProfileSparkline(self.profile, id="profile-spark")
                yield ProfileCoMentions(self.profile, id="profile-co")
                yield TextLine(self.articles_heading, id="profile-articles-title")
                yield ProfileArticles(self.library.index, self.profile.articles,
                                      id="profile-articles")
            yield Static(self.hint_text(), id="profile-hint", markup=False)

    def on_mount(self) -> None:
        dialog = self.query_one("#profile-dialog")
        dialog.border_title = "Profile"
        dialog.set_class(self.profile is None, "-empty")
        self.call_after_refresh(self.fit_articles)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit_articles)

    def fit_articles(self) -> None:
        """Size the article list to what is left of the panel (90% of the screen): all
        rows when few, else the rest, trimming co-mentions on short screens so at least
        MIN_ROWS articles show."""
        if self.profile is None:
            return
        dialog = self.query_one("#profile-dialog")
        articles = self.query_one(ProfileArticles)
        co = self.query_one(ProfileCoMentions)
        width = dialog.content_size.width
        if width <= 0:
            return
        budget = int(self.size.height * 0.9) - dialog.styles.gutter.height
        others = sum(w.outer_size.height + w.styles.margin.height
                     for w in dialog.children if w not in (articles, co))
        fixed = others + co.styles.margin.height + articles.styles.margin.height

        def room(rows: int) -> int:
            co.rows = rows
            return budget - fixed - len(co.lines(width))

        wanted = min(MIN_ROWS, len(self.profile.articles))
        rows = TOP
        while rows > 3 and room(rows) < wanted:
            rows -= 1
        height = max(1, min(len(self.profile.articles), room(rows)))
        articles.styles.height = height
        co.refresh(layout=True)

    # ------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("filter", "articles_scroll", "articles_page", "articles_edge"):
            return self.profile is not None
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_filter(self) -> None:
        if self.profile is not None:
            self.dismiss((self.entity_kind, self.entity_name))

    def _articles(self) -> ProfileArticles:
        return self.query_one(ProfileArticles)

    def action_articles_scroll(self, step: int) -> None:
        articles = self._articles()
        articles.scroll_to(y=articles.scroll_y + step, animate=False)

    def action_articles_page(self, step: int) -> None:
        articles = self._articles()
        page = max(1, articles.scrollable_content_region.height - 1)
        articles.scroll_to(y=articles.scroll_y + step * page, animate=False)

    def action_articles_edge(self, bottom: int) -> None:
        articles = self._articles()
        articles.scroll_to(y=articles.max_scroll_y if bottom else 0, animate=False)
