"""Embedded fonts and the one function that turns client-supplied text into safe Paragraph markup.

Fonts live in ``resources/fonts`` and are embedded (subset) into every PDF:

* DejaVu Sans / DejaVu Sans Bold -- Latin (incl. Vietnamese), Greek, Cyrillic, Arabic, Hebrew.
* Droid Sans Fallback Full -- a TrueType (glyf) font with CJK coverage, used per character for
  anything DejaVu lacks (reportlab cannot embed CFF-flavoured OpenType).

Registration is done once per process (``register_fonts`` is cached); parsing the CJK font is
the expensive part, so the first render pays for it and later renders do not.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"

BODY = "RMSans"
BOLD = "RMSans-Bold"
CJK = "RMCJK"

_FILES = {
    BODY: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}

_lock = threading.Lock()
_registered = False
_body_cmap: frozenset[int] = frozenset()
_cjk_cmap: frozenset[int] = frozenset()
_reshaper: arabic_reshaper.ArabicReshaper | None = None

# Strong right-to-left characters: Hebrew, Arabic (+ supplements, presentation forms), Syriac, Thaana.
_RTL_RE = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC_RE = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def font_path(name: str) -> Path:
    return FONT_DIR / _FILES[name]


def register_fonts() -> None:
    """Register the embedded fonts with reportlab (idempotent, thread-safe, cached)."""
    global _registered, _body_cmap, _cjk_cmap, _reshaper
    if _registered:
        return
    with _lock:
        if _registered:
            return
        fonts = {}
        for name, filename in _FILES.items():
            path = FONT_DIR / filename
            if not path.is_file():
                raise FileNotFoundError(f"embedded font missing: {path}")
            font = TTFont(name, str(path))
            pdfmetrics.registerFont(font)
            fonts[name] = font
        # Family mappings so <b> inside Paragraph markup picks the bold face. The reverse map
        # (font name -> family, bold, italic) keeps the last call, so the upright faces go last.
        addMapping(BODY, 0, 1, BODY)
        addMapping(BODY, 1, 1, BOLD)
        addMapping(BODY, 0, 0, BODY)
        addMapping(BODY, 1, 0, BOLD)
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(CJK, bold, italic, CJK)
        _body_cmap = frozenset(fonts[BODY].face.charToGlyph)
        _cjk_cmap = frozenset(fonts[CJK].face.charToGlyph)
        _reshaper = _make_reshaper(_body_cmap)
        _registered = True


def _make_reshaper(cmap: frozenset[int]) -> arabic_reshaper.ArabicReshaper:
    """A reshaper that only emits ligatures the body font actually has a glyph for."""
    from arabic_reshaper.ligatures import LIGATURES

    config: dict[str, object] = {"delete_harakat": False, "shift_harakat_position": False}
    for name, (_text, forms) in LIGATURES:
        if any(ch and not all(ord(c) in cmap for c in ch) for ch in forms):
            config[name] = False
    return arabic_reshaper.ArabicReshaper(configuration=config)


def has_rtl(text: str) -> bool:
    return bool(_RTL_RE.search(text))


def _clean(text: object) -> str:
    s = "" if text is None else str(text)
    s = unicodedata.normalize("NFC", s)
    return _CONTROL_RE.sub("", s)


@lru_cache(maxsize=4096)
def visual(text: str) -> str:
    """Plain text in display order: Arabic shaped, right-to-left runs reordered. No markup."""
    register_fonts()
    s = _clean(text)
    if not has_rtl(s):
        return s
    if _ARABIC_RE.search(s):
        assert _reshaper is not None
        s = _reshaper.reshape(s)
    return get_display(s)


def _font_for(ch: str) -> str | None:
    cp = ord(ch)
    if cp in _body_cmap or ch in " \t\n":
        return None
    if cp in _cjk_cmap:
        return CJK
    return None


def _runs(s: str) -> list[tuple[str | None, str]]:
    runs: list[tuple[str | None, str]] = []
    cur_font: str | None = None
    buf: list[str] = []
    for ch in s:
        f = _font_for(ch)
        if f != cur_font and buf:
            runs.append((cur_font, "".join(buf)))
            buf = []
        cur_font = f
        buf.append(ch)
    if buf:
        runs.append((cur_font, "".join(buf)))
    return runs


@lru_cache(maxsize=8192)
def _rich(text: str) -> str:
    s = visual(text)
    out = []
    for font, run in _runs(s):
        esc = escape(run).replace("\n", "<br/>")
        out.append(f'<font name="{font}">{esc}</font>' if font else esc)
    return "".join(out)


def rich(text: object) -> str:
    """Client-supplied text -> Paragraph markup.

    Escapes XML, shapes Arabic and puts right-to-left runs in display order, and wraps each run
    of characters the body font lacks (Chinese, Japanese, Korean...) in the CJK fallback font.
    Use it for every piece of text that did not come from this module's own string constants.
    """
    return _rich(_clean(text))


def label_font(text: str, default: str = BODY) -> str:
    """Font for a single-font label (charts, canvas strings): CJK if the text needs it."""
    register_fonts()
    s = _clean(text)
    if any(ord(c) not in _body_cmap and ord(c) in _cjk_cmap for c in s):
        return CJK
    return default


def text_width(text: str, font: str, size: float) -> float:
    """Width of client text as rich() would lay it out (per-run fonts)."""
    register_fonts()
    return sum(pdfmetrics.stringWidth(run, f or font, size) for f, run in _runs(visual(text)))


def wrap_logical(text: str, font: str, size: float, width: float) -> list[str]:
    """Break logical-order text into lines no wider than ``width`` (greedy, by words).

    Used for right-to-left paragraphs, which must be broken into lines *before* reordering
    so the first logical words land on the first line.
    """
    lines: list[str] = []
    for para in _clean(text).split("\n"):
        words = para.split(" ")
        cur = ""
        for w in words:
            cand = f"{cur} {w}" if cur else w
            if cur and text_width(cand, font, size) > width:
                lines.append(cur)
                cur = w
            else:
                cur = cand
        lines.append(cur)
    return lines
