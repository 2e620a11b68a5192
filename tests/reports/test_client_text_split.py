"""Client text that meets a page break must still draw (it crashed ~5% of real review packs)."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import SimpleDocTemplate, Spacer

from app.reports.document import ClientText


def test_client_text_survives_every_page_break_position():
    style = getSampleStyleSheet()["Normal"]
    failures = []
    for gap in range(400, 684, 5):  # slide the text across the bottom of the first page
        doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4)
        story = [Spacer(1, gap), ClientText("word " * 400, style), ClientText("مرحبا بكم " * 40, style)]
        try:
            doc.build(story)
        except Exception as exc:  # noqa: BLE001 - collect every position that fails
            failures.append((gap, repr(exc)))
    assert failures == []
