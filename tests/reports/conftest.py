"""Fixtures for the report tests: sample data and thin wrappers round the real Poppler tools."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from app.reports.branding import default_branding
from tests.reports import sample_data

POPPLER = ("pdftotext", "pdffonts", "pdftoppm", "pdfinfo")


class Poppler:
    """Runs Poppler's command-line tools on PDF bytes written to a temp folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._n = 0

    def save(self, pdf: bytes, name: str | None = None) -> Path:
        self._n += 1
        path = self.folder / (name or f"doc{self._n}.pdf")
        path.write_bytes(pdf)
        return path

    def _path(self, pdf: bytes | Path) -> Path:
        return pdf if isinstance(pdf, Path) else self.save(pdf)

    def text(self, pdf: bytes | Path, first: int | None = None, last: int | None = None,
             password: str | None = None) -> str:
        args = ["pdftotext", "-enc", "UTF-8"]
        if first:
            args += ["-f", str(first)]
        if last:
            args += ["-l", str(last)]
        if password:
            args += ["-upw", password]
        out = subprocess.run([*args, str(self._path(pdf)), "-"], capture_output=True, check=True)
        return out.stdout.decode("utf-8")

    def info(self, pdf: bytes | Path, password: str | None = None) -> dict[str, str]:
        args = ["pdfinfo"] + (["-upw", password] if password else [])
        out = subprocess.run([*args, str(self._path(pdf))], capture_output=True, check=True, text=True)
        info = {}
        for line in out.stdout.splitlines():
            key, _, value = line.partition(":")
            info[key.strip()] = value.strip()
        return info

    def pages(self, pdf: bytes | Path) -> int:
        return int(self.info(pdf)["Pages"])

    def fonts(self, pdf: bytes | Path) -> list[dict[str, str]]:
        out = subprocess.run(["pdffonts", str(self._path(pdf))], capture_output=True, check=True, text=True)
        lines = out.stdout.splitlines()
        header, rule, rows = lines[0], lines[1], lines[2:]
        # Column boundaries come from the dashed rule under the header.
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
        names = [header[a:b].strip() or header[a:].split()[0] for a, b in spans]
        return [{n: row[a:b + 1].strip() for n, (a, b) in zip(names, spans, strict=True)} for row in rows if row.strip()]

    def render(self, pdf: bytes | Path, dpi: int = 50) -> list[Path]:
        path = self._path(pdf)
        prefix = self.folder / f"{path.stem}-page"
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(prefix)], check=True,
                       capture_output=True)
        return sorted(self.folder.glob(f"{path.stem}-page*.png"))


@pytest.fixture(scope="session")
def poppler(tmp_path_factory) -> Poppler:
    missing = [t for t in POPPLER if shutil.which(t) is None]
    if missing:
        pytest.skip(f"Poppler tool(s) not installed: {', '.join(missing)} (apt-get install poppler-utils)")
    return Poppler(tmp_path_factory.mktemp("poppler"))


@pytest.fixture(scope="session")
def branding():
    return default_branding()


@pytest.fixture(scope="session")
def names() -> list[str]:
    return list(sample_data.NAMES)


@pytest.fixture
def pack_data():
    return sample_data.review_pack()


_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def normalise(text: str) -> str:
    """pdftotext output made comparable: presentation forms folded (NFKC), bidi marks dropped."""
    return _BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", text))


def contains_name(text: str, name: str) -> bool:
    """True if ``name`` appears in extracted text in logical or visual (reversed) order."""
    t = normalise(text)
    n = unicodedata.normalize("NFKC", name)
    variants = {n, n[::-1], " ".join(reversed(n.split())), " ".join(w[::-1] for w in n.split())}
    return any(v in t for v in variants)
