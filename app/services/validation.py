"""Checks on what a person types: phone numbers per region, e-mail syntax, dates. Messages for users."""

from __future__ import annotations

from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from app.messages import QT_TRANSLATE_NOOP


class ValidationError(ValueError):
    """One or more fields are wrong; `errors` maps field -> message (an app.messages.Message, so the GUI
    can translate it) for the form to show inline."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in errors.items()))

    def __reduce__(self) -> tuple[object, ...]:  # args hold the joined text, not the map __init__ takes
        return type(self), (self.errors,)


def normalise_phone(raw: str, region: str) -> str:
    """E.164 form of a phone number typed in the client's region ('0412 345 678', 'AU' -> '+61412345678')."""
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException:
        raise ValueError(QT_TRANSLATE_NOOP("Validation", "“{raw}” is not a phone number.").format(raw=raw)) from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(QT_TRANSLATE_NOOP(
            "Validation", "“{raw}” is not a valid phone number for {region}.").format(raw=raw, region=region.upper()))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


# email_validator words its refusals in English; the ones a typing person meets are marked here, any
# other is shown as the library wrote it
_EMAIL_PROBLEMS = {str(m): m for m in (
    QT_TRANSLATE_NOOP("Validation", "An email address must have an @-sign."),
    QT_TRANSLATE_NOOP("Validation", "There must be something before the @-sign."),
    QT_TRANSLATE_NOOP("Validation", "There must be something after the @-sign."),
    QT_TRANSLATE_NOOP("Validation", "An email address cannot have two periods in a row."),
    QT_TRANSLATE_NOOP("Validation", "The part after the @-sign is not valid. It should have a period."),
    QT_TRANSLATE_NOOP("Validation", "The part after the @-sign is not valid. It is not within a valid top-level domain."),
    QT_TRANSLATE_NOOP("Validation", "The email address contains invalid characters before the @-sign."),
    QT_TRANSLATE_NOOP("Validation", "The email address contains an invalid character."),
    QT_TRANSLATE_NOOP("Validation", "There can't be anything after the email address."),
)}


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(_EMAIL_PROBLEMS.get(str(exc), str(exc))) from None


def check_birth_date(value: date | None, today: date) -> date | None:
    if value is None:
        return None
    if value > today:
        raise ValueError(QT_TRANSLATE_NOOP("Validation", "A date of birth cannot be in the future."))
    if value.year < today.year - 130:
        raise ValueError(QT_TRANSLATE_NOOP("Validation", "That date of birth is more than 130 years ago."))
    return value


def parse_date(raw: str | None) -> date | None:
    if raw is None or not str(raw).strip():
        return None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(QT_TRANSLATE_NOOP("Validation", "“{raw}” is not a date (use YYYY-MM-DD).").format(raw=raw)) from None
