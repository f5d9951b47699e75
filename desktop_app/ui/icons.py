"""Hearth's SVG icons, drawn in the theme's text colour and sharp at any scale.

The files in ``resources/icons`` use ``currentColor``; an icon is rendered from the
SVG for every size and device pixel ratio Qt asks for, never scaled from a bitmap.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop_app.resources import resource_path

DISABLED_OPACITY = 0.4


@lru_cache(maxsize=64)
def _svg_source(name: str) -> str:
    path = resource_path("icons", f"{name}.svg")
    return path.read_text(encoding="utf-8")


class _SvgIconEngine(QIconEngine):
    def __init__(self, name: str, color: QColor) -> None:
        super().__init__()
        self._name = name
        self._color = QColor(color)
        self._renderer = QSvgRenderer(
            QByteArray(_svg_source(name).replace("currentColor", color.name()).encode())
        )

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(DISABLED_OPACITY)
        self._renderer.render(painter, rect.toRectF())
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixels = QSize(round(size.width() * scale), round(size.height() * scale))
        pixmap = QPixmap(pixels)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), pixels), mode, state)
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._name, self._color)


def themed_icon(name: str, color: QColor) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` drawn in ``color``."""
    return QIcon(_SvgIconEngine(name, color))
