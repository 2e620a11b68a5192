"""The base document shared by every report: page furniture, styles, tables, charts, output.

* ``build_pdf`` lays out a story on A4 with a branded header, a footer naming who the document is
  for, and "Page x of y" (a canvasmaker that holds pages until the count is known).
* ``data_table`` wraps every cell in a Paragraph (nothing overflows or clips) and repeats the
  header row on each page a table spans.
* ``line_chart`` / ``bar_chart`` draw with reportlab.graphics in the embedded fonts.
* ``write_pdf_atomic`` and ``encrypt_pdf`` are the only ways a report reaches the disk.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable
from reportlab.platypus.paragraph import cleanBlockQuotedText

from app.reports.branding import Branding
from app.reports.fonts import BODY, BOLD, has_rtl, label_font, register_fonts, rich, visual, wrap_logical

# Process-wide reportlab settings (RM Desk is the only reportlab user in its process):
# plain Flate streams instead of ASCII85+Flate (smaller, faster), and no attribute validation on
# chart widgets at run time (it costs ~15 % of a pack's render time and only helps while developing).
rl_config.useA85 = 0
rl_config.shapeChecking = 0

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 30 * mm
MARGIN_BOTTOM = 22 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X

INK = colors.HexColor("#1F2328")
MUTED = colors.HexColor("#6B7280")
RULE = colors.HexColor("#D9DDE3")
ZEBRA = colors.HexColor("#F5F6F8")
PALE = colors.HexColor("#EEF1F5")

SERIES_EXTRA = ["#5B7DB1", "#7FA38B", "#C97B63", "#8C7AA9", "#D2B04C", "#5FA3A9", "#A0A7B4"]


# --------------------------------------------------------------------------- formatting


def fmt_date(d: date | None, empty: str = "—") -> str:
    return empty if d is None else f"{d.day} {d.strftime('%b %Y')}"


def fmt_month(d: date) -> str:
    return d.strftime("%b %Y")


def fmt_money(amount: Decimal | float | int | None, currency: str = "", decimals: int = 2) -> str:
    if amount is None:
        return "—"
    q = Decimal(amount)
    sign = "−" if q < 0 else ""
    body = f"{abs(q):,.{decimals}f}"
    return f"{currency}\u00a0{sign}{body}" if currency else f"{sign}{body}"


def fmt_number(n: float | int | Decimal | None, decimals: int = 0) -> str:
    if n is None:
        return "—"
    return f"{n:,.{decimals}f}".replace("-", "−")


# --------------------------------------------------------------------------- styles


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_right: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    kicker: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    cell: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    head: ParagraphStyle
    head_right: ParagraphStyle
    head_center: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    big_number: ParagraphStyle
    quote: ParagraphStyle


@lru_cache(maxsize=16)
def make_styles(primary: str, accent: str) -> Styles:
    register_fonts()
    p = colors.HexColor(primary)
    a = colors.HexColor(accent)
    body = ParagraphStyle("body", fontName=BODY, fontSize=9.5, leading=14, textColor=INK, bulletFontName=BODY)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11.5)
    head = ParagraphStyle("head", parent=cell, fontName=BOLD, textColor=colors.white)
    return Styles(
        body=body,
        body_right=ParagraphStyle("body_r", parent=body, alignment=TA_RIGHT),
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=11),
        muted=ParagraphStyle("muted", parent=body, fontSize=8.5, leading=12, textColor=MUTED),
        h1=ParagraphStyle(
            "h1", parent=body, fontName=BOLD, fontSize=15, leading=19, textColor=p, spaceBefore=0,
            spaceAfter=2,
        ),
        h2=ParagraphStyle(
            "h2", parent=body, fontName=BOLD, fontSize=10.5, leading=14, textColor=p, spaceBefore=8,
            spaceAfter=4,
        ),
        kicker=ParagraphStyle("kicker", parent=body, fontName=BOLD, fontSize=8, leading=10, textColor=a),
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=28, leading=34, textColor=p),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=13, leading=18, textColor=MUTED),
        cell=cell,
        cell_right=ParagraphStyle("cell_r", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_c", parent=cell, alignment=TA_CENTER),
        head=head,
        head_right=ParagraphStyle("head_r", parent=head, alignment=TA_RIGHT),
        head_center=ParagraphStyle("head_c", parent=head, alignment=TA_CENTER),
        label=ParagraphStyle("label", parent=body, fontSize=8, leading=11, textColor=MUTED),
        value=ParagraphStyle("value", parent=body, fontSize=9.5, leading=13),
        big_number=ParagraphStyle(
            "big", parent=body, fontName=BOLD, fontSize=13.5, leading=17, textColor=p
        ),
        quote=ParagraphStyle("quote", parent=body, fontSize=9, leading=13, textColor=INK, leftIndent=8),
    )


def styles_for(branding: Branding) -> Styles:
    return make_styles(branding.primary, branding.accent)


# --------------------------------------------------------------------------- client text

_MARKUP = re.compile(r"[<>&]")
_frag_templates: dict[int, tuple[ParagraphStyle, Any]] = {}


def fast_paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    """``Paragraph(markup, style)``, skipping the XML parser when the text has no markup at all.

    A pack makes a few hundred small cell paragraphs; parsing each costs ~10 % of a render. Plain
    text becomes one fragment cloned from a per-style template, exactly what the parser would give.
    """
    if not markup or _MARKUP.search(markup) or getattr(style, "textTransform", None):
        return Paragraph(markup, style)
    tpl = _frag_templates.get(id(style))
    if tpl is None or tpl[0] is not style:
        tpl = (style, Paragraph("x", style).frags[0])
        _frag_templates[id(style)] = tpl
    text = cleanBlockQuotedText(markup)
    if not text:
        return Paragraph(markup, style)
    frag = tpl[1]
    return Paragraph(None, style, frags=[frag.clone(text=text, link=list(frag.link), us_lines=list(frag.us_lines))])



class ClientText(Flowable):
    """A Paragraph of client-supplied text that stays correct when right-to-left text wraps.

    Text with no RTL characters is a plain Paragraph of ``rich(text)``. Text with RTL characters is
    broken into lines in logical order at the width it is given, and each line is then reordered
    for display, so the first words of an Arabic sentence stay on the first line.
    """

    def __init__(self, text: object, style: ParagraphStyle, prefix: str = ""):
        super().__init__()
        self.raw = "" if text is None else str(text)
        self.style = style
        self.prefix = prefix  # trusted markup placed before the text (e.g. "<b>Note:</b> ")
        self._para: Paragraph | None = None
        self._width: float | None = None
        self._wrapped_at: float | None = None
        if not has_rtl(self.raw):
            self._para = fast_paragraph(prefix + rich(self.raw), style)

    def _build(self, avail_w: float) -> Paragraph:
        if self._para is not None and (not has_rtl(self.raw) or self._width == avail_w):
            return self._para
        width = max(avail_w - self.style.leftIndent - self.style.rightIndent, 20)
        lines = wrap_logical(self.raw, self.style.fontName, self.style.fontSize, width)
        rtl_base = _first_strong_is_rtl(self.raw)
        style = self.style
        if rtl_base and len(lines) > 1 and style.alignment == TA_LEFT:
            style = ParagraphStyle(style.name + "_rtl", parent=style, alignment=TA_RIGHT)
        self._para = Paragraph(self.prefix + "<br/>".join(rich(line) for line in lines), style)
        self._width = avail_w
        return self._para

    def wrap(self, availWidth, availHeight):
        # Tables wrap each cell several times at the same width; a Paragraph's size depends on
        # the width only, so the last answer is reused.
        if self._wrapped_at == availWidth and self._para is not None:
            return self.width, self.height
        para = self._build(availWidth)
        w, h = para.wrap(availWidth, availHeight)
        self.width, self.height = w, h
        self._wrapped_at = availWidth
        return w, h

    def split(self, availWidth, availHeight):
        parts = self._build(availWidth).split(availWidth, availHeight)
        # Paragraph.split consumes the wrapped lines of the paragraph it splits; if the frame then
        # moves this flowable whole to the next page, wrap() must build a fresh one, not reuse it.
        self._wrapped_at = None
        return parts

    def draw(self):
        assert self._para is not None
        self._para.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter


def _first_strong_is_rtl(text: str) -> bool:
    import unicodedata

    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        if bidi in ("R", "AL"):
            return True
        if bidi == "L":
            return False
    return False


def ct(text: object, style: ParagraphStyle, prefix: str = "") -> Flowable:
    """Client text as a flowable (escaped, shaped, wrapped correctly)."""
    return ClientText(text, style, prefix)


# --------------------------------------------------------------------------- headings & blocks


class SectionHeading(Flowable):
    """A section heading with a short accent rule; registers a PDF bookmark."""

    def __init__(self, title: str, key: str, styles: Styles, accent: str):
        super().__init__()
        self.title = title
        self.key = key
        self.para = Paragraph(rich(title), styles.h1)
        self.accent = colors.HexColor(accent)
        self.spaceBefore = 14
        self.spaceAfter = 10

    def wrap(self, availWidth, availHeight):
        w, h = self.para.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, h + 7
        return self.width, self.height

    def draw(self):
        c = self.canv
        self.para.drawOn(c, 0, 7)
        c.setStrokeColor(self.accent)
        c.setLineWidth(1.6)
        c.line(0, 1, 28, 1)
        c.bookmarkPage(self.key)
        c.addOutlineEntry(self.title, self.key, level=0)


def section(
    title: str, key: str, branding: Branding, first: Sequence[Flowable] = (), rest: Sequence[Flowable] = ()
) -> list[Flowable]:
    """Heading kept together with its first block(s), then the rest."""
    st = styles_for(branding)
    head = SectionHeading(title, key, st, branding.accent)
    return [CondPageBreak(120), KeepTogether([head, *first]), *rest]


def facts_grid(pairs: Sequence[tuple[str, object]], styles: Styles, columns: int = 2,
               width: float = CONTENT_W) -> Table | Spacer:
    """Label-over-value pairs in a calm grid. Values are client text."""
    pairs = [(k, v) for k, v in pairs if v not in (None, "", ())]
    if not pairs:
        return Spacer(0, 0)
    cells: list[list[Flowable | str]] = []
    row: list[Flowable | str] = []
    for label, value in pairs:
        block = [Paragraph(rich(label.upper()), styles.label)]
        if isinstance(value, Flowable):
            block.append(value)
        else:
            block.append(ct(value, styles.value))
        row.append(block)  # type: ignore[arg-type]
        if len(row) == columns:
            cells.append(row)
            row = []
    if row:
        row += [""] * (columns - len(row))
        cells.append(row)
    t = Table(cells, colWidths=[width / columns] * columns, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 12),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 7),
            ]
        )
    )
    return t


def stat_tiles(tiles: Sequence[tuple[str, str, str]], branding: Branding, width: float = CONTENT_W) -> Table:
    """A row of key figures: (label, big value, small note)."""
    st = styles_for(branding)
    n = max(len(tiles), 1)
    row = []
    for label, value, note in tiles:
        cell = [
            Paragraph(rich(label.upper()), st.label),
            Spacer(0, 2),
            ct(value, st.big_number),
        ]
        if note:
            cell.append(ct(note, st.muted))
        row.append(cell)
    t = Table([row], colWidths=[width / n] * n, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), BODY),
                ("BACKGROUND", (0, 0), (-1, -1), PALE),
                ("LINEBEFORE", (1, 0), (-1, -1), 3, colors.white),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
            ]
        )
    )
    return t


def bullet_list(items: Sequence[object], styles: Styles, accent: str) -> list[Flowable]:
    out: list[Flowable] = []
    st = ParagraphStyle("bullet", parent=styles.body, leftIndent=12, bulletIndent=0, spaceAfter=3)
    for item in items:
        out.append(ct(item, st, prefix=f'<bullet><font color="{accent}">•</font></bullet>'))
    return out


def note(text: str, styles: Styles) -> Paragraph:
    return Paragraph(rich(text), styles.muted)


def rule(color=RULE, width: float = 0.6, space: float = 6) -> HRFlowable:
    return HRFlowable(width="100%", thickness=width, color=color, spaceBefore=space, spaceAfter=space)


# --------------------------------------------------------------------------- tables


Cell = object  # str | Decimal | number | date | Flowable | None


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    branding: Branding,
    widths: Sequence[float] | None = None,
    align: str | None = None,
    total_row: Sequence[Cell] | None = None,
    width: float = CONTENT_W,
) -> Table:
    """A table whose header repeats on every page and whose cells wrap instead of clipping.

    ``widths`` are relative weights; ``align`` is one letter per column (L, R, C). Cells may be
    client strings (escaped/shaped via rich), dates, numbers, or ready flowables.
    """
    st = styles_for(branding)
    ncol = len(header)
    align = (align or "L" * ncol).ljust(ncol, "L")
    weights = list(widths) if widths else [1.0] * ncol
    total = sum(weights)
    col_w = [width * w / total for w in weights]
    cell_styles = {"L": st.cell, "R": st.cell_right, "C": st.cell_center}
    head_styles = {"L": st.head, "R": st.head_right, "C": st.head_center}

    def cell(value: Cell, a: str, bold: bool = False) -> Flowable | list[Flowable]:
        if isinstance(value, Flowable):
            return value
        if isinstance(value, list | tuple):  # several flowables stacked in one cell
            return list(value)
        if value is None:
            text = "—"
        elif isinstance(value, date):
            text = fmt_date(value)
        else:
            text = str(value)
        style = cell_styles[a]
        if bold:
            style = ParagraphStyle(style.name + "_b", parent=style, fontName=BOLD)
        return ct(text, style)

    data: list[list] = [[fast_paragraph(rich(h), head_styles[align[i]]) for i, h in enumerate(header)]]
    for r in rows:
        data.append([cell(v, align[i]) for i, v in enumerate(r)])
    if total_row is not None:
        data.append([cell(v, align[i], bold=True) for i, v in enumerate(total_row)])

    t = Table(data, colWidths=col_w, repeatRows=1, hAlign="LEFT", splitByRow=1)
    cmds = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(branding.primary)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, 0), 5),
        ("BOTTOMPADDING", (0, 0), (-1, 0), 6),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, RULE),
    ]
    for i in range(1, len(data)):
        if i % 2 == 0:
            cmds.append(("BACKGROUND", (0, i), (-1, i), ZEBRA))
    if total_row is not None:
        cmds.append(("LINEABOVE", (0, -1), (-1, -1), 0.9, colors.HexColor(branding.primary)))
        cmds.append(("BACKGROUND", (0, -1), (-1, -1), colors.white))
    t.setStyle(TableStyle(cmds))
    return t


# --------------------------------------------------------------------------- charts


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    d.initialFontName = BODY  # never let a chart reference an unembedded base-14 font
    d.initialFontSize = 7
    return d


def _nice_step(span: float, target_ticks: int = 5) -> float:
    import math

    if span <= 0:
        return 1.0
    raw = span / target_ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def _compact(v: float) -> str:
    a = abs(v)
    sign = "−" if v < 0 else ""
    if a >= 1_000_000:
        s = f"{a / 1_000_000:.1f}".rstrip("0").rstrip(".") + "m"
    elif a >= 10_000:
        s = f"{a / 1_000:.0f}k"
    elif a >= 1_000:
        s = f"{a / 1_000:.1f}".rstrip("0").rstrip(".") + "k"
    elif a == int(a):
        s = f"{a:.0f}"
    else:
        s = f"{a:.1f}"
    return sign + s


def _axis_range(values: Sequence[float], include_zero: bool = True) -> tuple[float, float, float]:
    lo = min(values) if values else 0.0
    hi = max(values) if values else 1.0
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    if hi == lo:
        hi = lo + (abs(lo) or 1.0)
    step = _nice_step(hi - lo)
    import math

    return math.floor(lo / step) * step, math.ceil(hi / step) * step, step


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _legend_rows(names: Sequence[str]) -> int:
    """One row of legend entries while they fit across the chart, otherwise two."""
    return 1 if len(names) <= 3 and sum(len(_short(n)) for n in names) <= 90 else 2


def _legend_height(names: Sequence[str]) -> float:
    if len(names) <= 1:
        return 0
    return 14 if _legend_rows(names) == 1 else 24


def _legend(names: Sequence[str], cols: Sequence, x: float, y: float) -> Legend:
    lg = Legend()
    lg.x, lg.y = x, y
    lg.alignment = "right"
    lg.fontName = BODY
    lg.fontSize = 7.5
    lg.columnMaximum = _legend_rows(names)
    lg.dx = lg.dy = 7
    lg.deltax = 0
    lg.variColumn = 1  # each column as wide as its longest entry
    lg.autoXPadding = 14
    lg.dxTextSpace = 4
    lg.strokeWidth = 0
    lg.strokeColor = None
    lg.colorNamePairs = [(c, _short(visual(n))) for c, n in zip(cols, names, strict=False)]
    lg.boxAnchor = "nw"
    return lg


def _value_axis(axis: Any, lo: float, hi: float, step: float, value_format: Callable[[float], str]) -> None:
    """A chart's value axis: fixed range and step, small muted labels, light grid lines, no axis line."""
    axis.valueMin, axis.valueMax, axis.valueStep = lo, hi, step
    axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = BODY, 7, MUTED
    axis.labelTextFormat = value_format
    axis.strokeColor = None
    axis.visibleGrid = True
    axis.gridStrokeColor = RULE
    axis.gridStrokeWidth = 0.4
    axis.visibleTicks = False


def series_colours(branding: Branding, n: int) -> list:
    base = [branding.primary, branding.accent, *SERIES_EXTRA]
    return [colors.HexColor(base[i % len(base)]) for i in range(n)]


def line_chart(
    series: Sequence[tuple[str, Sequence[tuple[date, float]]]],
    branding: Branding,
    width: float = CONTENT_W,
    height: float = 150,
    y_min: float | None = None,
    y_max: float | None = None,
    include_zero: bool = True,
) -> Drawing:
    """Dates on x, values on y, one line per series; a legend when there is more than one."""
    register_fonts()
    series = [(n, sorted(pts)) for n, pts in series if pts]
    d = _drawing(width, height)
    if not series:
        return d
    legend_h = _legend_height([n for n, _ in series])
    lp = LinePlot()
    lp.x, lp.y = 38, 22
    lp.width, lp.height = width - 50, height - 32 - legend_h
    lp.data = [[(p[0].toordinal(), float(p[1])) for p in pts] for _, pts in series]
    all_x = [x for s in lp.data for x, _ in s]
    all_y = [y for s in lp.data for _, y in s]
    lo, hi, step = _axis_range(all_y, include_zero)
    if y_min is not None:
        lo = y_min
    if y_max is not None:
        hi = y_max
        step = _nice_step(hi - lo)
    cols = series_colours(branding, len(series))
    for i, c in enumerate(cols):
        lp.lines[i].strokeColor = c
        lp.lines[i].strokeWidth = 1.6
        lp.lines[i].symbol = makeMarker("FilledCircle", size=3, fillColor=c, strokeColor=c)
    _value_axis(lp.yValueAxis, lo, hi, step, _compact)
    xa = lp.xValueAxis
    xmin, xmax = min(all_x), max(all_x)
    if xmin == xmax:
        xmin, xmax = xmin - 15, xmax + 15
    xa.valueMin, xa.valueMax = xmin, xmax
    xa.valueSteps = _month_ticks(xmin, xmax)
    xa.labelTextFormat = lambda v: date.fromordinal(int(v)).strftime("%b %y")
    xa.labels.fontName, xa.labels.fontSize, xa.labels.fillColor = BODY, 7, MUTED
    xa.strokeColor = RULE
    xa.visibleTicks = False
    d.add(lp)
    if legend_h:
        d.add(_legend([n for n, _ in series], cols, lp.x, height - 2))
    return d


def _month_ticks(xmin: int, xmax: int, max_ticks: int = 8) -> list[int]:
    a, b = date.fromordinal(xmin), date.fromordinal(xmax)
    months = []
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        d = date(y, m, 1)
        if xmin <= d.toordinal() <= xmax:
            months.append(d.toordinal())
        m += 1
        if m > 12:
            y, m = y + 1, 1
    if not months:
        return [xmin, xmax]
    every = max(1, -(-len(months) // max_ticks))
    return months[::every]


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    branding: Branding,
    width: float = CONTENT_W,
    height: float = 150,
    horizontal: bool = False,
    value_format: Callable[[float], str] = _compact,
    reference: float | None = None,
    stacked: bool = False,
) -> Drawing:
    """Grouped (or stacked) bars. ``reference`` draws a dashed line, e.g. 100 % of target."""
    register_fonts()
    d = _drawing(width, height)
    if not categories or not series:
        return d
    legend_h = _legend_height([n for n, _ in series])
    names = [visual(c) for c in categories]
    values = [[float(v) for v in vals] for _, vals in series]
    if stacked:
        sums = [sum(col) for col in zip(*values, strict=False)]
        lo, hi, step = _axis_range(sums + ([reference] if reference else []))
    else:
        lo, hi, step = _axis_range([v for s in values for v in s] + ([reference] if reference else []))
    cols = series_colours(branding, len(series))
    if horizontal:
        longest = max(
            (_label_width(n) for n in names), default=0
        )
        left = min(max(longest + 8, 40), width * 0.38)
        bc = HorizontalBarChart()
        bc.x, bc.y = left, 18
        bc.width, bc.height = width - left - 12, height - 24 - legend_h
        cat_axis, val_axis = bc.categoryAxis, bc.valueAxis
        cat_axis.reverseDirection = 1
        cat_axis.labels.boxAnchor = "e"
        cat_axis.labels.dx = -4
    else:
        bc = VerticalBarChart()
        bc.x, bc.y = 38, 30
        bc.width, bc.height = width - 50, height - 38 - legend_h
        cat_axis, val_axis = bc.categoryAxis, bc.valueAxis
        cat_axis.labels.boxAnchor = "n"
        cat_axis.labels.dy = -4
        if len(names) > 6 and max((len(n) for n in names), default=0) > 6:
            cat_axis.labels.angle = 30
            cat_axis.labels.boxAnchor = "ne"
            bc.y = 44
            bc.height -= 14
    bc.data = values
    bc.categoryAxis.categoryNames = names
    cat_axis.labels.fontName = label_font("".join(categories))
    cat_axis.labels.fontSize = 7
    cat_axis.labels.fillColor = INK
    cat_axis.strokeColor = RULE
    cat_axis.visibleTicks = False
    _value_axis(val_axis, lo, hi, step, value_format)
    bc.barSpacing = 1.5
    bc.groupSpacing = 8 if len(series) > 1 else 5
    if stacked:
        cat_axis.style = "stacked"
    for i, c in enumerate(cols):
        bc.bars[i].fillColor = c
        bc.bars[i].strokeColor = None
    d.add(bc)
    if reference is not None and hi != lo:
        if horizontal:
            x = bc.x + bc.width * (reference - lo) / (hi - lo)
            ln = Line(x, bc.y, x, bc.y + bc.height)
        else:
            y = bc.y + bc.height * (reference - lo) / (hi - lo)
            ln = Line(bc.x, y, bc.x + bc.width, y)
        ln.strokeColor = colors.HexColor(branding.accent)
        ln.strokeDashArray = [3, 2]
        ln.strokeWidth = 1
        d.add(ln)
    if legend_h:
        d.add(_legend([n for n, _ in series], cols, bc.x, height - 2))
    return d


def _label_width(text: str) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, label_font(text), 7)


def chart_caption(text: str, branding: Branding) -> Paragraph:
    return Paragraph(rich(text), styles_for(branding).muted)


def empty_drawing_note(d: Drawing, text: str) -> Drawing:
    d.add(String(d.width / 2, d.height / 2, text, fontName=BODY, fontSize=8, fillColor=MUTED,
                 textAnchor="middle"))
    return d


# --------------------------------------------------------------------------- page furniture


@lru_cache(maxsize=8)
def _logo_reader(path: str, mtime: float) -> ImageReader | None:
    try:
        return ImageReader(path)
    except Exception:  # a broken logo must not stop a report
        return None


def logo_image(branding: Branding) -> ImageReader | None:
    if branding.logo_path is None:
        return None
    p = Path(branding.logo_path)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return None
    return _logo_reader(str(p), mtime)


def draw_logo(c: rl_canvas.Canvas, branding: Branding, x: float, y: float, size: float) -> float:
    """Draw the logo with its lower-left corner at (x, y), ``size`` tall; return the width used."""
    img = logo_image(branding)
    if img is None:
        return 0.0
    iw, ih = img.getSize()
    w = size * iw / ih
    c.drawImage(img, x, y, width=w, height=size, mask="auto", preserveAspectRatio=True)
    return w


def _numbered_canvas_class(label_font_name: str = BODY):
    class NumberedCanvas(rl_canvas.Canvas):
        """Holds each page's drawing until the end, then stamps 'Page x of y' on all of them."""

        def __init__(self, *args, **kwargs):
            # Start pages in an embedded font, so no unembedded base-14 font is ever referenced.
            kwargs["initialFontName"] = kwargs.get("initialFontName") or BODY
            kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 9
            super().__init__(*args, **kwargs)
            self._saved_page_states: list[dict] = []

        def showPage(self):
            self._saved_page_states.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_page_states)
            for state in self._saved_page_states:
                self.__dict__.update(state)
                self._draw_page_number(total)
                super().showPage()
            super().save()

        def _draw_page_number(self, total: int) -> None:
            self.saveState()
            self.setFont(label_font_name, 7.5)
            self.setFillColor(MUTED)
            self.drawRightString(PAGE_W - MARGIN_X, 11 * mm, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


class ReportDoc(BaseDocTemplate):
    """A4 document with a cover template (no header) and a body template (header + footer)."""

    def __init__(self, buf, branding: Branding, footer_text: str, title: str, author: str = "",
                 subject: str = "", with_cover: bool = False):
        super().__init__(
            buf,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
            title=title,
            author=author or branding.organisation,
            subject=subject,
            creator="RM Desk",
            producer="RM Desk",
            invariant=1,
            pageCompression=1,
        )
        self.branding = branding
        self.footer_text = footer_text
        self.styles = styles_for(branding)
        body_frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM,
                           id="body", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates = []
        if with_cover:
            cover_frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - 2 * MARGIN_BOTTOM,
                                id="cover", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
            templates.append(PageTemplate("cover", [cover_frame], onPage=self._on_cover))
        templates.append(PageTemplate("body", [body_frame], onPage=self._on_body))
        self.addPageTemplates(templates)
        self._footer_para: Paragraph | None = None
        self._header: tuple[Paragraph, Paragraph] | None = None

    def _footer(self) -> Paragraph:
        if self._footer_para is None:
            st = ParagraphStyle("footer", parent=self.styles.small, fontSize=7.5, leading=10, textColor=MUTED)
            self._footer_para = Paragraph(self.footer_text, st)
        return self._footer_para

    def _draw_footer(self, c) -> None:
        c.setStrokeColor(RULE)
        c.setLineWidth(0.5)
        c.line(MARGIN_X, 15 * mm, PAGE_W - MARGIN_X, 15 * mm)
        p = self._footer()
        w, h = p.wrap(CONTENT_W - 30 * mm, 20 * mm)
        p.drawOn(c, MARGIN_X, 11 * mm + 7.5 - h + 2)

    def _header_paras(self) -> tuple[Paragraph, Paragraph]:
        if self._header is None:
            b = self.branding
            org_st = ParagraphStyle("hdr_org", fontName=BOLD, fontSize=9, leading=11,
                                    textColor=colors.HexColor(b.primary))
            title_st = ParagraphStyle("hdr_title", fontName=BODY, fontSize=7.5, leading=10, textColor=MUTED,
                                      alignment=TA_RIGHT)
            self._header = (Paragraph(rich(b.organisation), org_st), Paragraph(rich(self.title or ""), title_st))
        return self._header

    def _on_body(self, c, doc) -> None:
        b = self.branding
        c.saveState()
        top = PAGE_H - 12 * mm
        lw = draw_logo(c, b, MARGIN_X, top - 9 * mm, 9 * mm)
        x = MARGIN_X + (lw + 3 * mm if lw else 0)
        org, title = self._header_paras()
        half = (PAGE_W - MARGIN_X - x) / 2
        _, h = org.wrap(half, 30)
        org.drawOn(c, x, top - 5.6 * mm - 2.2)
        _, h = title.wrap(half - 6, 30)
        title.drawOn(c, PAGE_W - MARGIN_X - (half - 6), top - 5.6 * mm - 2.2)
        c.setStrokeColor(colors.HexColor(b.accent))
        c.setLineWidth(0.8)
        c.line(MARGIN_X, top - 12 * mm, PAGE_W - MARGIN_X, top - 12 * mm)
        self._draw_footer(c)
        c.restoreState()

    def _on_cover(self, c, doc) -> None:
        b = self.branding
        c.saveState()
        c.setFillColor(colors.HexColor(b.primary))
        c.rect(0, PAGE_H - 9 * mm, PAGE_W, 9 * mm, stroke=0, fill=1)
        c.setFillColor(colors.HexColor(b.accent))
        c.rect(0, PAGE_H - 10.2 * mm, PAGE_W, 1.2 * mm, stroke=0, fill=1)
        self._draw_footer(c)
        c.restoreState()

    def afterFlowable(self, flowable):
        pass


def build_pdf(
    story: list[Flowable],
    branding: Branding,
    footer_text: str,
    title: str,
    with_cover: bool = False,
    subject: str = "",
) -> bytes:
    """Lay out ``story`` and return the PDF bytes. ``footer_text`` is trusted markup."""
    register_fonts()
    buf = io.BytesIO()
    doc = ReportDoc(buf, branding, footer_text, title, subject=subject, with_cover=with_cover)
    doc.build(story, canvasmaker=_numbered_canvas_class())
    return buf.getvalue()


def footer_for_client(client_name: str, branding: Branding) -> str:
    text = f"Confidential — prepared for {rich(client_name)}"
    if branding.footer:
        text += f"<br/>{rich(branding.footer)}"
    return text


def footer_internal(branding: Branding) -> str:
    return f"Confidential — for internal use · {rich(branding.organisation)}"


# --------------------------------------------------------------------------- output


def encrypt_pdf(data: bytes, user_password: str, owner_password: str | None = None) -> bytes:
    """AES-256 encrypt a PDF with pypdf (reportlab's own AES-256 output is malformed)."""
    if not user_password:
        raise ValueError("a password is required to encrypt a PDF")
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(
        user_password=user_password,
        owner_password=owner_password or user_password,
        algorithm="AES-256",
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def write_pdf_atomic(path: Path | str, data: bytes, password: str | None = None) -> Path:
    """Write ``data`` to ``path`` atomically with 0600 permissions from the first byte.

    Temp file in the same directory (created 0600), fsync, os.replace, then fsync the directory.
    With ``password`` the bytes are AES-256 encrypted first.
    """
    target = Path(path)
    if password:
        data = encrypt_pdf(data, password)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if os.name == "posix":
        try:
            dfd = os.open(folder, os.O_RDONLY)
        except OSError:
            return target
        try:
            os.fsync(dfd)
        except OSError:
            pass
        finally:
            os.close(dfd)
    return target
