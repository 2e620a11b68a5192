"""Display names for the codes the services return (channels, states, kinds), all translatable."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from ui.theme import STATUS_COLOURS


def _t(text: str) -> str:
    return QCoreApplication.translate("Labels", text)


def channel_name(code: str | None) -> str:
    names = {
        "phone": _t("Phone"), "email": _t("E-mail"), "face_to_face": _t("Face to face"),
        "video": _t("Video"), "letter": _t("Letter"), "sms": _t("SMS"),
    }
    return names.get(code or "", (code or "").replace("_", " ").capitalize())


def direction_name(code: str | None) -> str:
    return {"inbound": _t("Inbound"), "outbound": _t("Outbound")}.get(code or "", code or "")


def kind_name(code: str | None) -> str:
    return {"person": _t("Person"), "organisation": _t("Organisation")}.get(code or "", code or "")


def state_name(code: str | None) -> str:
    """A stored code as words ('face_to_face' -> 'Face to face'), through the translator."""
    return _t((code or "").replace("_", " ").capitalize()) if code else ""


def contact_label(code: str | None) -> str:
    names = {"mobile": _t("mobile"), "home": _t("home"), "work": _t("work"), "personal": _t("personal"),
             "other": _t("other")}
    return names.get(code or "", code or "")


def consent_name(code: str | None) -> str:
    names = {
        "marketing_email": _t("Marketing by e-mail"), "marketing_phone": _t("Marketing by phone"),
        "marketing_sms": _t("Marketing by SMS"), "data_sharing": _t("Data sharing"),
        "marketing_post": _t("Marketing by post"), "profiling": _t("Profiling"),
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
