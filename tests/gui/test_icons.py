"""Icons: every SVG renders, in the colour asked for, and sharp at a large size."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from desktop_app.ui.shared.icons import icon_names, themed_icon


def test_every_icon_renders_in_the_theme_colour_at_any_size(qapp: QApplication) -> None:
    names = icon_names()
    assert {"send", "stop", "copy", "new-chat", "arrow-down"} <= set(names)
    for name in names:
        for size in (16, 128):
            image = themed_icon(name, QColor("#ff0000")).pixmap(QSize(size, size)).toImage()
            assert image.width() == size, f"{name} is drawn at {size} px, not scaled"
            colours = {
                image.pixelColor(x, y).name()
                for x in range(size)
                for y in range(size)
                if image.pixelColor(x, y).alpha() == 255
            }
            assert colours == {"#ff0000"}, f"{name} at {size} px uses {colours}"
