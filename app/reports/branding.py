"""Report branding: organisation name, logo, colours, footer text.

Defaults come from ``resources/branding/branding.json``; a profile may override any key with its
own ``branding.json`` (the path is passed in). Relative logo paths resolve against the folder of
the JSON file that named them. Bad values are ignored key by key, so a typo in a colour never
stops a report from printing.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

log = logging.getLogger(__name__)

BRANDING_DIR = Path(__file__).resolve().parents[2] / "resources" / "branding"
DEFAULT_FILE = BRANDING_DIR / "branding.json"
FILE_NAME = "branding.json"

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True, slots=True)
class Branding:
    organisation: str = "RM Desk"
    logo_path: Path | None = None
    primary: str = "#1C2B45"  # headings, rules, table headers
    accent: str = "#A8865A"  # thin accents, chart second series
    footer: str = ""


def _apply(base: Branding, raw: dict, folder: Path, source: Path) -> Branding:
    changes: dict = {}
    org = raw.get("organisation")
    if isinstance(org, str) and org.strip():
        changes["organisation"] = org.strip()
    footer = raw.get("footer")
    if isinstance(footer, str):
        changes["footer"] = footer.strip()
    for key in ("primary", "accent"):
        val = raw.get(key)
        if val is None:
            continue
        if isinstance(val, str) and _HEX.match(val):
            changes[key] = val.upper()
        else:
            log.warning("branding %s: ignoring invalid colour %s=%r", source, key, val)
    if "logo" in raw:
        logo = raw["logo"]
        if logo in (None, ""):
            changes["logo_path"] = None
        elif isinstance(logo, str):
            p = Path(logo)
            p = p if p.is_absolute() else folder / p
            if p.is_file():
                changes["logo_path"] = p
            else:
                log.warning("branding %s: logo %s not found, keeping the previous one", source, p)
    return replace(base, **changes)


def _read(path: Path) -> dict | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("branding %s unreadable: %s", path, exc)
        return None
    if not isinstance(raw, dict):
        log.warning("branding %s: expected a JSON object", path)
        return None
    return raw


def default_branding() -> Branding:
    raw = _read(DEFAULT_FILE) if DEFAULT_FILE.is_file() else None
    return _apply(Branding(), raw or {}, BRANDING_DIR, DEFAULT_FILE)


def load_branding(profile_dir: Path | str | None = None) -> Branding:
    """Defaults, overlaid with ``<profile_dir>/branding.json`` when it exists.

    ``profile_dir`` may also be the path of a JSON file itself.
    """
    branding = default_branding()
    if profile_dir is None:
        return branding
    p = Path(profile_dir)
    path = p if p.suffix.lower() == ".json" else p / FILE_NAME
    if not path.is_file():
        return branding
    raw = _read(path)
    if raw is None:
        return branding
    return _apply(branding, raw, path.parent, path)
