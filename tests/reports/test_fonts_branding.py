"""Fonts, the rich() text function, and branding loading."""

from __future__ import annotations

import json
import unicodedata

from app.reports import fonts
from app.reports.branding import DEFAULT_FILE, load_branding
from app.reports.fonts import CJK, FONT_DIR, rich, visual, wrap_logical


def test_embedded_fonts_are_truetype_with_licences_and_reasonably_small():
    files = list(FONT_DIR.iterdir())
    ttf = [f for f in files if f.suffix == ".ttf"]
    assert {f.name for f in ttf} == {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DroidSansFallbackFull.ttf"}
    for f in ttf:
        assert f.read_bytes()[:4] == b"\x00\x01\x00\x00", f"{f.name} is not glyf TrueType"
    assert any("DejaVu" in f.name and "LICENSE" in f.name for f in files)
    assert any("Droid" in f.name and "LICENSE" in f.name for f in files)
    assert sum(f.stat().st_size for f in files) < 25 * 1024 * 1024


def test_rich_escapes_markup():
    assert rich('<b>R&D</b> "x"') == '&lt;b&gt;R&amp;D&lt;/b&gt; "x"'
    assert rich(None) == ""
    assert rich("a\x00b\x07c") == "abc"


def test_rich_leaves_latin_greek_cyrillic_vietnamese_in_body_font():
    for name in ("Zoë Ångström", "Αλέξανδρος Παπαδόπουλος", "Дмитрий Иванов", "Nguyễn Thị Minh Khai"):
        assert rich(name) == name
    # Decomposed input is composed so precomposed glyphs are used.
    assert rich(unicodedata.normalize("NFD", "Nguyễn")) == "Nguyễn"


def test_rich_puts_cjk_runs_in_the_cjk_font():
    assert rich("王小明") == f'<font name="{CJK}">王小明</font>'
    assert rich("Mr 王小明 & co") == f'Mr <font name="{CJK}">王小明</font> &amp; co'


def test_rich_shapes_and_reorders_arabic():
    out = visual("محمد عبدالله")
    # Shaped: presentation forms (U+FB50..U+FEFF) replace the base letters.
    assert all(0xFB50 <= ord(c) <= 0xFEFF or c == " " for c in out)
    # Display order: folding the forms back and reversing gives the logical text again.
    assert unicodedata.normalize("NFKC", out)[::-1] == "محمد عبدالله"
    # Only ligatures the body font has are used (DejaVu Sans has no U+FDF2 "Allah" ligature).
    assert "\ufdf2" not in out


def test_mixed_direction_keeps_latin_order():
    out = visual("Client: محمد 2025")
    assert out.startswith("Client: ")
    assert "2025" in out


def test_rtl_wrap_breaks_in_logical_order():
    fonts.register_fonts()
    text = " ".join(["كلمة"] * 30)
    lines = wrap_logical(text, fonts.BODY, 10, 120)
    assert len(lines) > 2
    assert " ".join(lines) == text


def test_default_branding_has_logo(tmp_path):
    b = load_branding(None)
    raw = json.loads(DEFAULT_FILE.read_text())
    assert b.organisation == raw["organisation"]
    assert b.logo_path is not None and b.logo_path.is_file()
    assert b.logo_path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert load_branding(tmp_path) == b  # no profile file: defaults


def test_profile_branding_overrides_key_by_key(tmp_path):
    (tmp_path / "mark.png").write_bytes((DEFAULT_FILE.parent / "logo.png").read_bytes())
    (tmp_path / "branding.json").write_text(json.dumps({
        "organisation": "Ångström & Partners",
        "primary": "#112233",
        "accent": "not-a-colour",
        "logo": "mark.png",
    }))
    b = load_branding(tmp_path)
    assert b.organisation == "Ångström & Partners"
    assert b.primary == "#112233"
    assert b.accent == load_branding(None).accent  # invalid value ignored
    assert b.logo_path == tmp_path / "mark.png"


def test_broken_branding_file_falls_back_to_defaults(tmp_path):
    (tmp_path / "branding.json").write_text("{not json")
    assert load_branding(tmp_path) == load_branding(None)
