"""Every key of the reader, in one place.

Screens and widgets take their BINDINGS from here; the `?` screen and
docs/keys.md list them from here (tests/tui/test_keys_doc.py keeps the three in
step). Every binding has an id: `keymap:` in config.yaml remaps it by that id,
everywhere it is bound (`keymap: {search: ctrl+f}`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.binding import Binding, BindingType

APP: list[BindingType] = [
    Binding("question_mark", "help", "Help", tooltip="Every key, the colours, the query language",
            id="help"),
    Binding("q", "quit", "Quit", id="quit"),
]
# Textual's own key, listed with the others (it is not one of our bindings).
PALETTE = Binding("ctrl+p", "command_palette", "Command palette: every action, filter by or "
                  "profile any entity", id="command-palette")

NAVIGATION: list[BindingType] = [
    Binding("j,down", "cursor_down", "Down", show=False, id="cursor-down"),
    Binding("k,up", "cursor_up", "Up", show=False, id="cursor-up"),
    Binding("g,home", "cursor_top", "Top", show=False, id="cursor-top"),
    Binding("G,end", "cursor_bottom", "Bottom", show=False, id="cursor-bottom"),
    Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
    Binding("pagedown", "page_down", "Page down", show=False, id="page-down"),
]

ARTICLE_LIST: list[BindingType] = [
    *NAVIGATION,
    Binding("enter", "open", "Read", tooltip="Read the article (marks it read)",
            id="open-article"),
    Binding("space", "toggle_select", "Select",
            tooltip="Select for export (and move down)", id="toggle-select"),
    Binding("a", "select_all", "Select every article listed", show=False, id="select-all"),
    Binding("A", "clear_selection", "Clear the selection", show=False, id="clear-selection"),
]

ENTITY_PANE: list[BindingType] = [
    *NAVIGATION,
    Binding("enter", "toggle_entity", "Filter",
            tooltip="Filter by it, or drop it (OR within a kind, AND across kinds); on a "
            "watchlist, apply it (its query in the search box; its new count drops to 0)",
            id="toggle-entity"),
    Binding("right_square_bracket", "section(1)", "Next section (Countries, Themes, …)",
            id="next-section"),
    Binding("left_square_bracket", "section(-1)", "Previous section", id="previous-section"),
    Binding("P", "decide(True)", "Promote a discovered company", id="promote"),
    Binding("I", "decide(False)", "Ignore a discovered company", id="ignore"),
    Binding("d,delete", "delete_watchlist", "Delete a saved watchlist (asks first)",
            show=False, id="delete-watchlist"),
]

READER: list[BindingType] = [
    Binding("j,down", "scroll_down", "Down", show=False, id="cursor-down"),
    Binding("k,up", "scroll_up", "Up", show=False, id="cursor-up"),
    Binding("g,home", "scroll_home", "Top", show=False, id="cursor-top"),
    Binding("G,end", "scroll_end", "Bottom", show=False, id="cursor-bottom"),
    Binding("pageup", "page_up", "Page up", show=False, id="page-up"),
    Binding("pagedown,space", "page_down", "Page down", show=False, id="page-down"),
    Binding("n", "hit(1)", "Next hit", tooltip="Next search hit in the article",
            id="next-hit"),
    Binding("N", "hit(-1)", "Previous hit", tooltip="Previous search hit in the article",
            show=False, id="previous-hit"),
]


def _article(action: Callable[[str], str], export: str) -> list[BindingType]:
    """What can be done to the article being read: the same keys in the list, the
    reader pane and the full-screen view (`action` names the action to run)."""
    return [
        Binding("J", action("next_article(1)"), "Next",
                tooltip="Next article, without leaving the reader (marks it read)",
                id="next-article"),
        Binding("K", action("next_article(-1)"), "Previous", tooltip="Previous article",
                id="previous-article"),
        Binding("u", action("toggle_read"), "Read ↔ unread", show=False, id="toggle-read"),
        Binding("s", action("toggle_star"), "Star ↔ unstar", show=False, id="toggle-star"),
        Binding("e", action(export), "Export",
                tooltip="Export the selection (or this article) to the note"
                if export == "export" else "Export this article to the note", id="export"),
        Binding("o", action("open_url"), "Open its URL in the browser", show=False,
                id="open-url"),
        Binding("y", action("copy"), "Copy it as text (works over ssh)", show=False,
                id="copy"),
        Binding("p", action("profile"), "Profile",
                tooltip="Profile of the entity under the cursor (or the article's first)",
                id="profile"),
        Binding("R", action("related"), "Articles related to this one", show=False,
                id="related"),
        Binding("F", action("full_text"), "Full text: fetch the article's page", show=False,
                tooltip="Download a feed article's page and read its whole text",
                id="full-text"),
    ]


ARTICLE = _article(lambda name: name, "export")

MAIN: list[BindingType] = [
    Binding("slash", "search", "Search", tooltip="Search as you type, in the query language; "
            "/ again goes on with the query", id="search"),
    Binding("c", "pick('company')", "Company",
            tooltip="Company lookup: a fragment or a typo (nisan), Enter filters by it",
            id="pick-company"),
    Binding("f", "pick('')", "Filter", tooltip="The same lookup for any kind of entity",
            id="pick-entity"),
    Binding("O", "cycle_sort", "Sort",
            tooltip="Sort: best match (when searching), newest, oldest, source, title",
            id="cycle-sort"),
    Binding("backspace", "pop_filter", "Drop the last filter", show=False, id="pop-filter"),
    Binding("X", "clear_filters", "Clear every filter and the search", show=False,
            id="clear-filters"),
    Binding("U", "only('unread')", "Unread only", show=False, id="unread-only"),
    Binding("S", "only('starred')", "Starred only", show=False, id="starred-only"),
    Binding("E", "export_starred", "Export every starred article", show=False,
            id="export-starred"),
    Binding("ctrl+s", "save_watchlist", "Save the search as a watchlist", show=False,
            id="save-watchlist"),
    *ARTICLE,
    Binding("r", "refresh_feeds", "Refresh feeds", show=False, id="refresh-feeds"),
    Binding("tab", "app.focus_next", "Next pane", show=False, id="next-pane"),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False,
            id="previous-pane"),
    Binding("escape", "back", "Back: reader → list; in the list, clear the search",
            show=False, id="back"),
]

ARTICLE_SCREEN: list[BindingType] = [
    Binding("escape,backspace", "back", "Back", tooltip="Back to the list", id="back"),
    *_article(lambda name: f"host('{name}')", "export_article"),
]

HELP: list[BindingType] = [
    Binding("escape,question_mark,q", "close", "Close", id="help-close"),
    Binding("j,down", "scroll(1)", "Scroll down", show=False, id="cursor-down"),
    Binding("k,up", "scroll(-1)", "Scroll up", show=False, id="cursor-up"),
    Binding("pagedown,space", "page(1)", "Page down", show=False, id="page-down"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="page-up"),
    Binding("g,home", "edge(0)", "Top", show=False, id="cursor-top"),
    Binding("G,end", "edge(1)", "Bottom", show=False, id="cursor-bottom"),
]

PICKER: list[BindingType] = [
    Binding("escape", "dismiss_picker", "Close", id="picker-close"),
    Binding("down", "move(1)", "Next", show=False, id="picker-down"),
    Binding("up", "move(-1)", "Previous", show=False, id="picker-up"),
]

EXPORT: list[BindingType] = [
    Binding("escape", "cancel", "Cancel", id="export-cancel"),
]

WATCH_SAVE: list[BindingType] = [
    Binding("escape", "cancel", "Cancel", id="watch-save-cancel"),
]

CONFIRM: list[BindingType] = [
    Binding("y", "answer(True)", "Yes", id="confirm-yes"),
    Binding("n,escape", "answer(False)", "No", id="confirm-no"),
]

PROFILE: list[BindingType] = [
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

# The `?` screen and docs/keys.md, section by section.
SECTIONS: list[tuple[str, list[BindingType]]] = [
    ("Anywhere", [*APP, PALETTE]),
    ("Main screen", MAIN),
    ("Article list", ARTICLE_LIST),
    ("Reader pane and full-screen article", READER),
    ("Entity pane", ENTITY_PANE),
    ("Full-screen article (narrow terminals)", ARTICLE_SCREEN),
    ("Profile", PROFILE),
    ("Entity picker", PICKER),
    ("Export dialog", EXPORT),
    ("Save a watchlist", WATCH_SAVE),
    ("Confirmation (deleting a watchlist)", CONFIRM),
    ("Help", HELP),
]


def bindings(items: list[BindingType]) -> list[Binding]:
    return [b for b in items if isinstance(b, Binding)]


def explained(binding: Binding) -> str:
    """What a binding does, in full (the footer shows the short description)."""
    return binding.tooltip or binding.description


def key_text(binding: Binding, keymap: Mapping[str, str],
             display: Callable[[Binding], str] | None = None) -> str:
    """The keys of `binding` after the user's keymap, as the footer shows them."""
    keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
    shown = []
    for key in keys.split(","):
        key = key.strip()
        shown.append(display(Binding(key, "")) if display else key)
    return " ".join(dict.fromkeys(shown))


def keys_for(items: list[BindingType], binding_id: str, keymap: Mapping[str, str],
             display: Callable[[Binding], str] | None = None) -> str:
    """The keys bound to `binding_id` in `items` (the id itself if none)."""
    for binding in bindings(items):
        if binding.id == binding_id:
            return key_text(binding, keymap, display)
    return binding_id
