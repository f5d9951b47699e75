"""Light and dark themes, following the system's colour scheme unless the user picks one.

Hearth uses Qt's Fusion style with its own palettes on every platform, so both themes
look the same everywhere and every widget (and the chat view's code colours, which
follow the palette) changes together. In "system" mode the theme follows
``QStyleHints.colorScheme`` and changes when the system's does.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEME_MODES = ("system", "light", "dark")
CJK_FALLBACKS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Hiragino Sans GB",
)
"""Fonts with good Simplified Chinese glyphs, in order of preference (first installed wins)."""

Role = QPalette.ColorRole
Group = QPalette.ColorGroup

_LIGHT = {
    Role.Window: "#f3f4f6",
    Role.WindowText: "#1f2328",
    Role.Base: "#ffffff",
    Role.AlternateBase: "#eef1f4",
    Role.Text: "#1f2328",
    Role.PlaceholderText: "#6e7781",
    Role.Button: "#f6f7f9",
    Role.ButtonText: "#1f2328",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#0969da",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#0b62c4",
    Role.LinkVisited: "#6f42c1",
    Role.ToolTipBase: "#ffffff",
    Role.ToolTipText: "#1f2328",
    Role.Light: "#ffffff",
    Role.Midlight: "#e6e9ed",
    Role.Mid: "#c9ced4",
    Role.Dark: "#9aa2ab",
    Role.Shadow: "#6e7781",
}
_DARK = {
    Role.Window: "#1b1d21",
    Role.WindowText: "#e6e8eb",
    Role.Base: "#212328",
    Role.AlternateBase: "#2a2d33",
    Role.Text: "#e6e8eb",
    Role.PlaceholderText: "#8b939c",
    Role.Button: "#2a2d33",
    Role.ButtonText: "#e6e8eb",
    Role.BrightText: "#ffffff",
    Role.Highlight: "#3d7bd9",
    Role.HighlightedText: "#ffffff",
    Role.Link: "#6cb6ff",
    Role.LinkVisited: "#b392f0",
    Role.ToolTipBase: "#2a2d33",
    Role.ToolTipText: "#e6e8eb",
    Role.Light: "#3a3e46",
    Role.Midlight: "#30343b",
    Role.Mid: "#41464f",
    Role.Dark: "#15171a",
    Role.Shadow: "#000000",
}
_DISABLED_TEXT = {"light": "#8c959f", "dark": "#6b727b"}


def theme_palette(theme: str) -> QPalette:
    """The palette of ``theme`` ("light" or "dark")."""
    colours = _DARK if theme == "dark" else _LIGHT
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor(_DISABLED_TEXT["dark" if theme == "dark" else "light"])
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, disabled)
    return palette


def system_theme() -> str:
    """ "dark" when the system asks for a dark colour scheme, else "light"."""
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve_theme(mode: str) -> str:
    """The theme ("light"/"dark") that ``mode`` ("system"/"light"/"dark") means now."""
    if mode not in THEME_MODES:
        raise ValueError(f"unknown theme {mode!r}: choose one of {', '.join(THEME_MODES)}")
    return system_theme() if mode == "system" else mode


class _SystemFollower(QObject):
    """Re-applies the theme when the system's colour scheme changes (in "system" mode)."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.setObjectName("hearthThemeFollower")
        self.mode = "system"
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    @Slot(Qt.ColorScheme)
    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        app = QApplication.instance()
        if self.mode == "system" and isinstance(app, QApplication):
            _set_palette(app, system_theme())


def _set_palette(app: QApplication, theme: str) -> None:
    app.setPalette(theme_palette(theme))
    app.setProperty("hearthTheme", theme)


def apply_theme(app: QApplication, mode: str = "system") -> str:
    """Give the whole application the theme ``mode`` means; returns "light" or "dark".

    Raises ``ValueError`` for an unknown mode.
    """
    theme = resolve_theme(mode)
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None and app.style().name().lower() != "fusion":
        app.setStyle(fusion)
    follower = app.findChild(_SystemFollower, "hearthThemeFollower")
    if follower is None:
        follower = _SystemFollower(app)
    follower.mode = mode
    _set_palette(app, theme)
    return theme


def current_theme(app: QApplication) -> str:
    """The theme last applied ("light" when none was)."""
    return str(app.property("hearthTheme") or "light")


def apply_cjk_fallback(app: QApplication) -> str | None:
    """Add an installed Simplified Chinese font after the UI font; returns its family.

    Without it, Chinese text falls back to whatever the system finds first, often a
    Japanese or Traditional Chinese design, or boxes.
    """
    installed = set(QFontDatabase.families())
    fallback = next((family for family in CJK_FALLBACKS if family in installed), None)
    if fallback is None:
        return None
    font = QFont(app.font())
    families = [family for family in font.families() if family != fallback] or [font.family()]
    font.setFamilies([*families, fallback])
    app.setFont(font)
    return fallback
