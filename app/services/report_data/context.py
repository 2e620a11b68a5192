"""What every report needs once per run: the branch's calendar, currency, branding and who prepares it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from app.reports import branding as branding_mod
from app.reports.branding import Branding, default_branding


@dataclass(frozen=True)
class ReportContext:
    """Plain and picklable, so batch workers get the parent's settings without reading them again."""

    timezone: str = "Australia/Sydney"
    currency: str = "AUD"
    prepared_by: str = "RM Desk"
    branding: Branding = Branding()
    disclosures: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def today(self) -> date:
        return datetime.now(self.tz).date()


def _disclosures(raw: dict | None) -> str | None:
    text = (raw or {}).get("disclosures")
    if isinstance(text, list):
        text = "\n\n".join(str(p) for p in text)
    return (text.strip() or None) if isinstance(text, str) else None


def resolve_branding(org_name: str | None, profile_dir: Path | None,
                     org_branding: dict | None) -> tuple[Branding, str | None]:
    """Branding and disclosure text, each layer overriding the one before:

    1. the defaults shipped in ``resources/branding``;
    2. the organisation name from the ``org.name`` setting;
    3. ``branding.json`` in the profile folder;
    4. the ``org.branding`` setting (synced, so an organisation brands every workstation at once).

    Disclosures are an optional ``"disclosures"`` key (text, or a list of paragraphs) in any layer;
    without one the review pack leaves that section out.
    """
    b = default_branding()
    shipped = branding_mod.DEFAULT_FILE
    disclosures = _disclosures(branding_mod._read(shipped)) if shipped.is_file() else None
    if org_name and org_name.strip():
        b = replace(b, organisation=org_name.strip())
    if profile_dir is not None:
        path = Path(profile_dir) / branding_mod.FILE_NAME
        raw = branding_mod._read(path) if path.is_file() else None
        if raw is not None:
            b = branding_mod._apply(b, raw, path.parent, path)
            disclosures = _disclosures(raw) or disclosures
    if org_branding:
        folder = Path(profile_dir) if profile_dir is not None else branding_mod.BRANDING_DIR
        b = branding_mod._apply(b, org_branding, folder, Path("setting org.branding"))
        disclosures = _disclosures(org_branding) or disclosures
    return b, disclosures
