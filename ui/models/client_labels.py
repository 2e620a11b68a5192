"""Display names for the codes the services return (channels, states, kinds), all translatable."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from ui.i18n import TranslationContext
from ui.theme import STATUS_COLOURS


class Labels(TranslationContext):
    """The translation context of these names: `Labels.tr("…")`."""


def channel_name(code: str | None) -> str:
    names = {
        "phone": Labels.tr("Phone"), "email": Labels.tr("E-mail"), "face_to_face": Labels.tr("Face to face"),
        "video": Labels.tr("Video"), "letter": Labels.tr("Letter"), "sms": Labels.tr("SMS"),
    }
    return names.get(code or "", (code or "").replace("_", " ").capitalize())


def direction_name(code: str | None) -> str:
    return {"inbound": Labels.tr("Inbound"), "outbound": Labels.tr("Outbound")}.get(code or "", code or "")


def kind_name(code: str | None) -> str:
    return {"person": Labels.tr("Person"), "organisation": Labels.tr("Organisation")}.get(code or "", code or "")


def state_name(code: str | None) -> str:
    """A stored code as words ('face_to_face' -> 'Face to face'), through the translator."""
    return Labels.tr((code or "").replace("_", " ").capitalize()) if code else ""


def contact_label(code: str | None) -> str:
    names = {"mobile": Labels.tr("mobile"), "home": Labels.tr("home"), "work": Labels.tr("work"), "personal": Labels.tr("personal"),
             "other": Labels.tr("other")}
    return names.get(code or "", code or "")


def consent_name(code: str | None) -> str:
    names = {
        "marketing_email": Labels.tr("Marketing by e-mail"), "marketing_phone": Labels.tr("Marketing by phone"),
        "marketing_sms": Labels.tr("Marketing by SMS"), "data_sharing": Labels.tr("Data sharing"),
        "marketing_post": Labels.tr("Marketing by post"), "profiling": Labels.tr("Profiling"),
    }
    return names.get(code or "", (code or "").replace("_", " ").capitalize())


def language_name(tag: str | None) -> str:
    """'sv' -> 'Swedish (sv)' in the user's language where Qt knows it; the tag itself otherwise."""
    if not tag:
        return ""
    from PySide6.QtCore import QLocale

    locale = QLocale(tag.replace("-", "_"))
    if locale.language() == QLocale.Language.C:
        return tag
    return f"{QLocale.languageToString(locale.language())} ({tag})"


def status_colour(kind: str) -> str:
    """'@error', '@warn' or '@ok' for the current palette (same colours as the style sheet)."""
    app = QApplication.instance()
    theme = app.property("rmdesk_theme") if app is not None else None
    return STATUS_COLOURS["dark" if theme == "dark" else "light"][kind]
