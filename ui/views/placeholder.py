"""A tidy page for an area whose real view arrives in a later issue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.i18n import arg
from ui.icons import icon

if TYPE_CHECKING:
    from . import Area, ViewContext


class PlaceholderView(QWidget):
    def __init__(self, area: Area, ctx: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.area_id = area.id
        self.setObjectName(f"area-{area.id}")
        self.setAccessibleName(arg(self.tr("%1 area"), area.label()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 36, 40, 36)
        layout.setSpacing(10)

        head = QHBoxLayout()
        self._icon = area.icon
        self.badge = badge = QLabel()
        self._paint_badge()
        title = QLabel(area.label())
        title.setProperty("role", "title")
        head.addWidget(badge)
        head.addWidget(title)
        head.addStretch()
        layout.addLayout(head)

        summary = QLabel(area.description())
        summary.setProperty("role", "subtitle")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        layout.addSpacing(8)

        if area.coming:
            intro = QLabel(self.tr("What will be here:"))
            intro.setProperty("role", "muted")
            layout.addWidget(intro)
            items = "".join(f"<li style='margin-bottom:4px'>{line}</li>" for line in area.plans())
            listing = QLabel(f"<ul style='margin-left:-20px'>{items}</ul>")
            listing.setTextFormat(Qt.TextFormat.RichText)
            listing.setWordWrap(True)
            layout.addWidget(listing)

        if area.id == "settings" and ctx.actions is not None:
            button = QPushButton(icon("settings"), self.tr("Open settings…"))
            button.setObjectName("openSettings")
            button.clicked.connect(ctx.actions["app.settings"].trigger)
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch()
            layout.addLayout(row)
        layout.addStretch()

    def _paint_badge(self) -> None:
        self.badge.setPixmap(icon(self._icon, 32).pixmap(32, 32))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_badge()  # the icon is tinted to the palette
        super().changeEvent(event)
