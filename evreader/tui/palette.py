"""One colour per entity kind, and one for search hits, in every theme.

Textual's themes name six colours (primary, secondary, accent, warning, error,
success), but they are not always six different colours: in textual-dark accent
and warning are the same orange, so companies and themes looked alike. For the
theme in use this picks, for company / country / theme / person, the theme's own
colours that are furthest apart (preferring accent, success, warning and primary
in that order of kinds), made legible on the theme's surface, and falls back to
fixed hues where a theme has too few distinct ones. The result becomes CSS
variables ($entity-company …, $search-hit), so every widget uses the same four.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from textual.color import Color, rgb_to_lab

KINDS = ("company", "country", "theme", "person")
# The theme colours each kind prefers, best first (indices into CANDIDATES).
CANDIDATES = ("accent", "success", "warning", "primary", "secondary", "error")
PREFERRED = {"company": "accent", "country": "success", "theme": "warning", "person": "primary"}
# Hues for themes without enough distinct colours of their own: orange, green, violet, blue.
FALLBACK_HUES = (30.0, 130.0, 285.0, 205.0)
MIN_DISTANCE = 28.0  # CIE76 ΔE between any two kinds' colours
MIN_CONTRAST = 4.5  # WCAG contrast of a kind's colour on the surface (body text)
ANSI = {  # ANSI themes follow the terminal's palette: distinct names, not RGB values
    True: {"company": "ansi_yellow", "country": "ansi_green", "theme": "ansi_magenta",
           "person": "ansi_cyan", "hit": "ansi_bright_yellow"},
    False: {"company": "ansi_red", "country": "ansi_green", "theme": "ansi_magenta",
            "person": "ansi_blue", "hit": "ansi_yellow"},
}


def palette_variables(variables: Mapping[str, str], dark: bool) -> dict[str, str]:
    """CSS variables for the kinds (`entity-company` …), search hits (`search-hit`, the
    marker's background, and `search-hit-text`), and solid colours for the parts
    drawn by line (Rich styles take neither Textual's "auto" colours nor alpha):
    `quiet` (muted text), `on-cursor`, `cursor-blurred` and `on-cursor-blurred`
    (the block cursors and their text)."""
    return {**entity_variables(variables, dark), **solid_variables(variables)}


def solid_variables(variables: Mapping[str, str]) -> dict[str, str]:
    try:
        surface = _solid(variables.get("surface") or variables["background"],
                         variables["background"])
        foreground = _solid(variables["foreground"], surface.hex6)
        cursor = _solid(variables["block-cursor-background"], surface.hex6)
        blurred = _solid(variables["block-cursor-blurred-background"], surface.hex6)
    except Exception:
        return _ANSI_SOLID
    if surface.ansi is not None or foreground.ansi is not None:
        return _ANSI_SOLID
    return {"quiet": surface.blend(foreground, 0.62).hex6,
            "on-cursor": _readable_on(cursor, foreground, surface).hex6,
            "cursor-blurred": blurred.hex6,
            "on-cursor-blurred": _readable_on(blurred, foreground, surface).hex6}


_ANSI_SOLID = {"quiet": "ansi_bright_black", "on-cursor": "ansi_default",
               "cursor-blurred": "ansi_bright_black", "on-cursor-blurred": "ansi_default"}


def _readable_on(background: Color, *candidates: Color) -> Color:
    """The candidate that reads best on `background` (else black or white)."""
    options = [*candidates, Color(0, 0, 0), Color(255, 255, 255)]
    good = [c for c in options if contrast(c, background) >= MIN_CONTRAST]
    return good[0] if good else max(options, key=lambda c: contrast(c, background))


def entity_variables(variables: Mapping[str, str], dark: bool) -> dict[str, str]:
    """The kinds' colours (`entity-company` …) and the search hits' (`search-hit`,
    `search-hit-text`) for a theme."""
    try:
        surface = _solid(variables.get("surface") or variables["background"],
                         variables["background"])
        pool = {name: Color.parse(variables[name]) for name in CANDIDATES}
    except Exception:  # a theme we cannot read: the terminal's own colours
        return _ansi(dark)
    if surface.ansi is not None or any(c.ansi is not None for c in pool.values()):
        return _ansi(dark)
    legible = {name: legible_on(c, surface) for name, c in pool.items()}
    chosen = _assign(legible, surface)
    out = {f"entity-{kind}": chosen[kind].hex6 for kind in KINDS}
    text = surface if dark else _solid(variables.get("foreground", "#202020"), surface.hex6)
    hit = _search_colour([chosen[k] for k in KINDS], surface, text)
    out["search-hit"] = hit.hex6
    out["search-hit-text"] = text.hex6
    return out


def _ansi(dark: bool) -> dict[str, str]:
    names = ANSI[dark]
    return {**{f"entity-{k}": names[k] for k in KINDS}, "search-hit": names["hit"],
            "search-hit-text": "ansi_black"}


def _solid(colour: str, under: str) -> Color:
    """A colour with its alpha blended onto `under` (themes may give translucent ones)."""
    parsed = Color.parse(colour)
    if parsed.a < 1 and parsed.ansi is None:
        return Color.parse(under).blend(parsed.with_alpha(1.0), parsed.a)
    return parsed


def _assign(pool: Mapping[str, Color], surface: Color) -> dict[str, Color]:
    """Four colours, one per kind, pairwise at least MIN_DISTANCE apart, preferring
    each kind's own theme colour; fixed hues fill in when the theme has too few."""
    names = list(pool)
    best: tuple[float, int, tuple[str, ...]] | None = None
    for combo in itertools.permutations(names, len(KINDS)):
        colours = [pool[n] for n in combo]
        spread = min(distance(a, b) for a, b in itertools.combinations(colours, 2))
        penalty = sum(CANDIDATES.index(n) != CANDIDATES.index(PREFERRED[k])
                      for k, n in zip(KINDS, combo, strict=True))
        if spread >= MIN_DISTANCE:
            key = (1.0, -penalty, combo)
        else:
            key = (spread / MIN_DISTANCE, -penalty, combo)
        if best is None or key[:2] > best[:2]:
            best = key
    assert best is not None
    chosen = dict(zip(KINDS, (pool[n] for n in best[2]), strict=True))
    if best[0] >= 1.0:
        return chosen
    # Too few distinct colours: keep what is distinct, give the rest fixed hues.
    for n, kind in enumerate(KINDS):
        others = [c for k, c in chosen.items() if k != kind]
        if min(distance(chosen[kind], c) for c in others) < MIN_DISTANCE:
            chosen[kind] = _fallback(FALLBACK_HUES[n], surface, list(others))
    return chosen


def _fallback(hue: float, surface: Color, taken: list[Color]) -> Color:
    """A colour near `hue`, legible on `surface`, far from the colours `taken`."""
    dark = surface.brightness < 0.5
    best: tuple[float, Color] | None = None
    for shift in (0, 20, -20, 40, -40, 60, -60, 90, -90, 120, 180):
        colour = legible_on(Color.from_hsl(((hue + shift) % 360) / 360, 0.65,
                                           0.7 if dark else 0.35), surface)
        spread = min((distance(colour, c) for c in taken), default=100.0)
        if spread >= MIN_DISTANCE:
            return colour
        if best is None or spread > best[0]:
            best = (spread, colour)
    assert best is not None
    return best[1]


def _search_colour(kinds: list[Color], surface: Color, text: Color) -> Color:
    """A highlighter-pen colour for search hits, under `text`: it reads, it stands out
    from the surface and from the kinds' colours."""
    dark = surface.brightness < 0.5
    best: tuple[float, Color] | None = None
    for hue in (55, 180, 320, 90, 20):
        for light in ((0.7, 0.6, 0.8) if dark else (0.8, 0.75, 0.85)):
            colour = Color.from_hsl(hue / 360, 0.9, light)
            score = min(contrast(colour, text) / MIN_CONTRAST, distance(colour, surface) / 30,
                        min(distance(colour, k) for k in kinds) / MIN_DISTANCE)
            if best is None or score > best[0] + 0.05:
                best = (score, colour)
    assert best is not None
    return best[1]


def legible_on(colour: Color, surface: Color, minimum: float = MIN_CONTRAST) -> Color:
    """`colour`, lightened or darkened (keeping its hue) until it reads on `surface`."""
    if contrast(colour, surface) >= minimum:
        return colour
    lighter = surface.brightness < 0.5
    h, s, lightness = colour.hsl
    for step in range(1, 21):
        lightness = min(1.0, lightness + 0.03) if lighter else max(0.0, lightness - 0.03)
        candidate = Color.from_hsl(h, s, lightness)
        if contrast(candidate, surface) >= minimum:
            return candidate
        if step == 20:
            return candidate
    return colour


def distance(a: Color, b: Color) -> float:
    """CIE76 ΔE between two colours (about 2: barely visible; 20+: clearly different)."""
    la, lb = rgb_to_lab(a), rgb_to_lab(b)
    return float(((la.L - lb.L) ** 2 + (la.a - lb.a) ** 2 + (la.b - lb.b) ** 2) ** 0.5)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio (1–21)."""
    def luminance(c: Color) -> float:
        def channel(v: int) -> float:
            x = v / 255
            return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
        return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b)
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
