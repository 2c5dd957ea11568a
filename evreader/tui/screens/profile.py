"""An entity's profile: counts, mentions over time, co-mentions and its articles.

Everything shown comes from `evreader.profile.entity_profile` (numpy over the
postings, instant at 100k articles). The article list is a line-API ScrollView,
so nothing is built per article. Entity names and titles are untrusted: they are
only ever appended to `rich.text.Text`, never formatted into markup.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from evreader.library import Library
from evreader.profile import Profile, entity_profile
from evreader.tui import keys
from evreader.tui.render import KIND_SINGULAR
from evreader.tui.widgets.profile_parts import (
    TOP,
    ProfileArticles,
    ProfileCoMentions,
    ProfileSparkline,
    TextLine,
)

__all__ = ["ProfileArticles", "ProfileCoMentions", "ProfileScreen", "ProfileSparkline",
           "TextLine"]

MIN_ROWS = 5  # article rows kept visible on a short screen


class ProfileScreen(ModalScreen[tuple[str, str] | None]):
    """One entity at a glance. Returns (kind, name) to filter by it, or None on close."""

    BINDINGS: ClassVar[list[BindingType]] = keys.PROFILE
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "profile--meta", "profile--heading", "profile--spark", "profile--name",
        "entity--company", "entity--country", "entity--theme", "entity--person",
    }
    DEFAULT_CSS = """
    ProfileScreen {
        align: center middle;
        background: $background 60%;
    }
    ProfileScreen > .profile--meta { color: $quiet; }
    ProfileScreen > .profile--heading { text-style: bold; }
    ProfileScreen > .profile--name { text-style: bold; }
    ProfileScreen > .profile--spark { color: $text-accent; }
    ProfileScreen > .entity--company { color: $entity-company; }
    ProfileScreen > .entity--country { color: $entity-country; }
    ProfileScreen > .entity--theme { color: $entity-theme; }
    ProfileScreen > .entity--person { color: $entity-person; }
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
        if profile.undated and profile.first:
            text.append(f", {profile.undated} undated", style=self._style("profile--meta"))
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
        text.append(" · newest first, undated last", style=self._style("profile--meta"))
        return text

    def keys(self, binding_id: str) -> str:
        """The keys bound to `binding_id`, as remapped by the user's keymap."""
        keymap: Mapping[str, str] = getattr(self.app, "keymap", {})
        return keys.keys_for(self.BINDINGS, binding_id, keymap, self.app.get_key_display)

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
