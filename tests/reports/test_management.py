"""Management reports, checked with the real Poppler tools."""

from __future__ import annotations

import pytest
from PIL import Image

from app.reports import management as m
from app.reports.data import (
    ComplaintsReportData,
    ExceptionsReportData,
    FeedbackReportData,
    PortfolioReportData,
)
from tests.reports import sample_data

REPORTS = {
    "portfolio": (m.render_portfolio_report, sample_data.portfolio_report,
                  ["Targets", "New clients", "Product demand by segment", "Staff activity"]),
    "exceptions": (m.render_exceptions_report, sample_data.exceptions_report,
                   ["Overview", "By kind", "All exceptions, most urgent first"]),
    "complaints": (m.render_complaints_report, sample_data.complaints_report,
                   ["Complaints by category", "Open cases, nearest deadline first"]),
    "feedback": (m.render_feedback_report, sample_data.feedback_report,
                 ["Scores and responses", "Average score by month", "What clients told us"]),
}


@pytest.fixture(scope="module")
def rendered():
    return {k: fn(make()) for k, (fn, make, _) in REPORTS.items()}


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_report_text_fonts_and_pages(poppler, rendered, kind):
    pdf = rendered[kind]
    text = poppler.text(pdf)
    for heading in REPORTS[kind][2]:
        assert heading in text, heading
    n = poppler.pages(pdf)
    assert text.count("Confidential — for internal use") == n
    assert f"Page {n} of {n}" in text
    assert "prepared for" not in text
    for f in poppler.fonts(pdf):
        assert f["emb"] == "yes", f
    for png in poppler.render(pdf, dpi=50):
        with Image.open(png) as im:
            hist = im.convert("L").histogram()
        assert sum(hist[:200]) > 0.002 * im.width * im.height, png.name


def test_names_in_many_scripts_survive(poppler, rendered):
    text = poppler.text(rendered["portfolio"])
    for name in ("Tomás Ó Briain", "Αικατερίνη Νικολάου", "Ли Вэй"):
        assert name in text
    assert "王小明" in poppler.text(rendered["complaints"])


def test_exceptions_most_urgent_first(poppler, rendered):
    text = poppler.text(rendered["exceptions"])
    assert text.index("High") < text.index("Medium") < text.rindex("Low")


def test_optional_parts_are_left_out(poppler):
    d = sample_data.portfolio_report()
    text = poppler.text(m.render_portfolio_report(PortfolioReportData(d.header, d.targets)))
    assert "Product demand by segment" not in text and "Staff activity" not in text
    f = sample_data.feedback_report()
    text = poppler.text(m.render_feedback_report(FeedbackReportData(f.header, f.trend)))
    assert "What clients told us" not in text


@pytest.mark.parametrize("kind", sorted(REPORTS))
def test_empty_reports_render_a_statement(poppler, kind):
    header = sample_data.header("Empty")
    data = {
        "portfolio": PortfolioReportData(header),
        "exceptions": ExceptionsReportData(header),
        "complaints": ComplaintsReportData(header),
        "feedback": FeedbackReportData(header),
    }[kind]
    pdf = REPORTS[kind][0](data)
    text = poppler.text(pdf)
    assert poppler.pages(pdf) == 1
    assert "No " in text
