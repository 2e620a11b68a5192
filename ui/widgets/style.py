"""The portfolio and client views' own style rules, built for the palette in force (light or dark)."""

from __future__ import annotations

from ui.models.client_labels import status_colour


def portfolio_sheet() -> str:
    error, warn, ok = status_colour("@error"), status_colour("@warn"), status_colour("@ok")
    return f"""
QFrame#kpiCard, QFrame#panel {{
    background: palette(alternate-base);
    border: 1px solid palette(mid);
    border-radius: 8px;
}}
QFrame#kpiCard QLabel, QFrame#panel QLabel {{ background: transparent; border: none; }}
QLabel[role="kpi-value"] {{ font-size: 15pt; font-weight: 600; }}
QLabel[role="kpi-caption"] {{ color: palette(placeholder-text); }}
QLabel[role="kpi-detail"] {{ color: palette(placeholder-text); font-size: 9pt; }}
QLabel[role="kpi-alert"] {{ color: {error}; font-size: 9pt; font-weight: 600; }}
QLabel[role="section"] {{ font-size: 11pt; font-weight: 600; }}
QLabel[role="field"] {{ color: palette(placeholder-text); }}
QLabel[role="error"] {{ color: {error}; }}
QLabel[role="ok"] {{ color: {ok}; }}
QLabel[role="warn"] {{ color: {warn}; }}
QFrame#ackBanner {{
    background: palette(alternate-base);
    border: 1px solid palette(mid);
    border-left: 5px solid palette(highlight);
    border-radius: 6px;
}}
QFrame#ackBanner QLabel {{ background: transparent; border: none; }}
QLabel#ackSentence {{ font-size: 12pt; }}
QLabel[role="badge-error"] {{
    color: {error}; border: 1px solid {error}; border-radius: 4px; padding: 1px 6px; font-weight: 600;
}}
QLabel[role="badge-warn"] {{
    color: {warn}; border: 1px solid {warn}; border-radius: 4px; padding: 1px 6px; font-weight: 600;
}}
QLabel[role="badge"] {{
    border: 1px solid palette(placeholder-text); border-radius: 4px; padding: 1px 6px;
}}
QFrame#duplicates {{
    border: 1px solid {warn};
    border-radius: 6px;
}}
QLabel[role="empty"] {{ color: palette(placeholder-text); font-style: italic; padding: 8px 2px; }}
"""
