"""Line icons from resources/icons, tinted to the current palette so they read in light and dark."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"


@cache
def _svg(name: str) -> str | None:
    path = ICON_DIR / f"{name}.svg"
    return path.read_text("utf-8") if path.exists() else None


def icon(name: str | None, size: int = 24) -> QIcon:
    """A QIcon for resources/icons/<name>.svg in the palette's text colour; empty if there is none."""
    svg = _svg(name) if name else None
    if svg is None:
        return QIcon()
    palette = QGuiApplication.palette()
    result = QIcon()
    for mode, group in ((QIcon.Mode.Normal, QPalette.ColorGroup.Active),
                        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled),
                        (QIcon.Mode.Selected, QPalette.ColorGroup.Active)):
        role = QPalette.ColorRole.HighlightedText if mode == QIcon.Mode.Selected else QPalette.ColorRole.WindowText
        colour = palette.color(group, role).name()
        renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", colour).encode()))
        for scale in (1, 2):
            pixmap = QPixmap(size * scale, size * scale)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
            painter.end()
            pixmap.setDevicePixelRatio(scale)
            result.addPixmap(pixmap, mode)
    return result
