"""A font with Chinese characters for figures, found among the installed ones.

Matplotlib falls back glyph by glyph along ``font.family``: the default family stays first (Latin
text is unchanged) and a CJK font follows it for 万, region and lever names. CI installs
``fonts-wqy-microhei``; Noto CJK, Droid Sans Fallback and the common desktop CJK fonts are also
used when present. Without any, Chinese text is drawn as empty boxes and the warnings about
missing glyphs are silenced (figures are still written).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib

# Family names as matplotlib reads them from the font files, most preferred first.
CJK_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "Droid Sans Fallback",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
)


@functools.cache
def cjk_family() -> str | None:
    """The first installed family of :data:`CJK_FAMILIES`, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    # fonts installed after matplotlib built its cache: look at the files themselves
    for path in font_manager.findSystemFonts():
        low = path.lower()
        if any(key in low for key in ("wqy", "notosanscjk", "notoserifcjk", "droidsansfallback")):
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


def use_cjk_font() -> str | None:
    """Let text fall back to the installed CJK family; return it (None if there is none).

    Matplotlib falls back glyph by glyph along ``font.family`` (a generic family such as
    ``sans-serif`` counts as its first installed font), so the CJK family is appended there.
    """
    family = cjk_family()
    if family is not None:
        families = list(matplotlib.rcParams["font.family"])
        if family not in families:
            matplotlib.rcParams["font.family"] = [*families, family]
    return family


@contextmanager
def quiet_missing_glyphs() -> Iterator[None]:
    """Silence matplotlib's warnings about glyphs missing from every font (no CJK font installed)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font")
        yield
