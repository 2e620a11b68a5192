"""Words people read in reports: stored codes turned into labels, dates into the branch's calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from app.domain.complaints.lifecycle import CaseStatus

CHANNELS = {
    "phone": "Phone",
    "email": "E-mail",
    "face_to_face": "Meeting",
    "video": "Video call",
    "letter": "Letter",
    "sms": "SMS",
}

PRODUCT_CATEGORIES = {
    "deposit": "Deposits",
    "lending": "Lending",
    "card": "Cards",
    "investment": "Investments",
    "insurance": "Insurance",
    "super": "Superannuation",
}

CLIENT_KINDS = {"person": "Individual", "organisation": "Organisation"}

PHONE_LABELS = {"mobile": "Mobile", "home": "Home phone", "work": "Work phone"}

OUTCOMES = {
    "upheld": "Upheld",
    "partly_upheld": "Partly upheld",
    "not_upheld": "Not upheld",
    "withdrawn": "Withdrawn",
}

# Primary BCP 47 subtags of the languages an RM is most likely to meet; others print as the tag.
LANGUAGES = {
    "am": "Amharic", "ar": "Arabic", "bn": "Bengali", "cs": "Czech", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "km": "Khmer", "ko": "Korean", "mk": "Macedonian", "ms": "Malay", "my": "Burmese",
    "nb": "Norwegian", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "pa": "Punjabi", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "si": "Sinhala", "so": "Somali", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "th": "Thai", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese", "zh": "Chinese",
}


def humanise(code: str | None) -> str | None:
    """'annual_review' -> 'Annual review'; text that already reads as words is left alone."""
    if not code:
        return None
    text = code.replace("_", " ").strip()
    return text[:1].upper() + text[1:] if text else None


def channel(code: str | None) -> str:
    return CHANNELS.get(code or "", humanise(code) or "Contact")


def category(code: str | None) -> str:
    return PRODUCT_CATEGORIES.get(code or "", humanise(code) or "Other")


def language(tag: str | None) -> str | None:
    if not tag:
        return None
    return LANGUAGES.get(tag.split("-")[0].lower(), tag)


def complaint_state(state: str, outcome: str | None = None) -> str:
    """A case status as a person says it ('Under investigation'); closed cases say 'Resolved'."""
    if state == CaseStatus.CLOSED:
        return "Withdrawn" if outcome == "withdrawn" else "Resolved"
    try:
        label = CaseStatus(state).label
    except ValueError:
        label = humanise(state) or state
    return label[:1].upper() + label[1:]


def outcome(code: str | None) -> str | None:
    return OUTCOMES.get(code or "", humanise(code))


def masked_account(number: str | None) -> str:
    """'062000123456' -> '•••• 3456'; never more than the last four characters."""
    if not number:
        return "—"
    tail = number.replace(" ", "").lstrip("•")[-4:]
    return f"•••• {tail}"


def local_day(moment: datetime | None, tz: ZoneInfo) -> date | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).date()


def day_start(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a local calendar day begins (for range queries over UTC timestamps)."""
    return datetime.combine(day, time.min, tz).astimezone(UTC)


def next_anniversary(born: date, today: date) -> date:
    """The next birthday on or after today (29 February falls on 28 February in other years)."""
    for year in (today.year, today.year + 1):
        try:
            d = born.replace(year=year)
        except ValueError:
            d = date(year, 2, 28)
        if d >= today:
            return d
    raise AssertionError("unreachable")  # pragma: no cover
