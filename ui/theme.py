"""Fusion style with a light or a dark palette, chosen from the `user.theme` setting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

STYLE_SHEET = Path(__file__).resolve().parent.parent / "resources" / "styles" / "app.qss"
THEMES = ("system", "light", "dark")
# Status colours the style sheet refers to as @error, @warn, @ok (readable on each palette).
STATUS_COLOURS = {
    "light": {"@error": "#c62828", "@warn": "#9a5b00", "@ok": "#2e7d32"},
    "dark": {"@error": "#ff7b7b", "@warn": "#f0b45a", "@ok": "#7fd18b"},
}


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, alt, text = QColor(37, 40, 45), QColor(27, 29, 33), QColor(45, 48, 54), QColor(228, 230, 234)
    muted, accent = QColor(130, 134, 142), QColor(66, 133, 214)
    roles = {
        QPalette.ColorRole.Window: window, QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base, QPalette.ColorRole.AlternateBase: alt,
        QPalette.ColorRole.ToolTipBase: alt, QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: muted, QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: alt, QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor(255, 99, 99), QPalette.ColorRole.Link: QColor(110, 168, 240),
        QPalette.ColorRole.Highlight: accent, QPalette.ColorRole.HighlightedText: QColor(255, 255, 255),
        QPalette.ColorRole.Light: QColor(62, 66, 73), QPalette.ColorRole.Midlight: QColor(52, 56, 62),
        QPalette.ColorRole.Mid: QColor(32, 34, 38), QPalette.ColorRole.Dark: QColor(20, 21, 24),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, muted)
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(70, 74, 80))
    return p


def effective_theme(name: str) -> str:
    if name in ("light", "dark"):
        return name
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def apply_theme(app: QApplication, name: str) -> str:
    """Apply `name` ('system', 'light' or 'dark'); returns the effective 'light' or 'dark'."""
    effective = effective_theme(name if name in THEMES else "system")
    if app.property("rmdesk_theme") == effective:
        return effective  # unchanged: restyling every widget again costs a quarter second at unlock
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if effective == "dark" else app.style().standardPalette())
    if STYLE_SHEET.exists():
        sheet = STYLE_SHEET.read_text("utf-8")
        for token, colour in STATUS_COLOURS[effective].items():
            sheet = sheet.replace(token, colour)
        app.setStyleSheet(sheet)
    app.setProperty("rmdesk_theme", effective)
    return effective
