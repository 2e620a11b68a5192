"""Messages raised in app/ (app.messages.Message) said in the user's language and formats.

app/ cannot import Qt, so it marks its messages with QT_TRANSLATE_NOOP and keeps the English template
and the named parameters; here the template is translated under its context and the parameters are
filled in as the rest of the GUI shows them: dates and times through ui.format, a Decimal as money (app
keeps money in Decimal, never float), a nested Message translated in turn.
"""

from __future__ import annotations

import string
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication

from app.messages import Message
from ui.format import fmt


class _UserFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        # the English format spec ("{amount:,.2f}", "{day:%Y-%m-%d}") gives way to the user's formats
        if isinstance(value, Message):
            return localise(value)
        if isinstance(value, datetime):
            return fmt().datetime(value)
        if isinstance(value, date):
            return fmt().date(value)
        if isinstance(value, Decimal):
            return fmt().money(value)
        return super().format_field(value, format_spec)


_formatter = _UserFormatter()


def localise(text: Any) -> str:
    """`text` in the user's language if it is a Message, else str(text) unchanged."""
    if not isinstance(text, Message):
        return str(text)
    template = QCoreApplication.translate(text.context, text.template)
    if not text.params:
        return template
    try:
        return _formatter.format(template, **text.params)
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder: say it in English
        return str(text)


def error_text(exc: BaseException) -> str:
    """What an exception raised for the user says, in the user's language: its Message translated,
    a ValidationError's field messages each translated, any other text as it is."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return localise(exc.args[0])
    errors = getattr(exc, "errors", None)  # app.services.validation.ValidationError, not imported here
    if isinstance(errors, dict) and errors and any(isinstance(v, Message) for v in errors.values()):
        return "; ".join(localise(v) for v in errors.values())
    return str(exc) or exc.__class__.__name__
