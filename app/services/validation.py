"""Checks on what a person types: phone numbers per region, e-mail syntax, dates. Messages for users."""

from __future__ import annotations

from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email


class ValidationError(ValueError):
    """One or more fields are wrong; `errors` maps field -> message for the form to show inline."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in errors.items()))


def normalise_phone(raw: str, region: str) -> str:
    """E.164 form of a phone number typed in the client's region ('0412 345 678', 'AU' -> '+61412345678')."""
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException:
        raise ValueError(f"“{raw}” is not a phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"“{raw}” is not a valid phone number for {region.upper()}.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    try:
        return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    except phonenumbers.NumberParseException:
        return e164


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None


def check_birth_date(value: date | None, today: date) -> date | None:
    if value is None:
        return None
    if value > today:
        raise ValueError("A date of birth cannot be in the future.")
    if value.year < today.year - 130:
        raise ValueError("That date of birth is more than 130 years ago.")
    return value


def parse_date(raw: str | None) -> date | None:
    if raw is None or not str(raw).strip():
        return None
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(f"“{raw}” is not a date (use YYYY-MM-DD).") from None
