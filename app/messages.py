"""Messages for users that the GUI can translate, although app/ never imports Qt.

A message is marked where it is raised with `QT_TRANSLATE_NOOP(context, template)`, a name
pyside6-lupdate's Python parser extracts (`make update-translations` scans app/ too), and filled with
named parameters through `.format(...)`, exactly as the English f-string did:

    raise ValueError(QT_TRANSLATE_NOOP("Validation", "“{raw}” is not a phone number.").format(raw=raw))

The value is a `Message`: a str whose text is the English rendering (so `str(exc)`, the CLI, logs and
comparisons are unchanged) that also keeps its context, its template and its parameters. The GUI
(ui/i18n/app_messages.py) looks the template up with QCoreApplication.translate(context, template) and
fills the parameters in the user's formats. lupdate reads literals only: the context and the template
must be string literals (an f-string would be filed with its braces and never be found).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Message(str):
    """English text of a user message, with what is needed to say it in another language."""

    context: str
    template: str
    params: Mapping[str, Any]

    def __new__(cls, context: str, template: str, params: Mapping[str, Any] | None = None) -> Message:
        params = dict(params or {})
        self = super().__new__(cls, template.format(**params) if params else template)
        self.context, self.template, self.params = context, template, params
        return self

    def format(self, *args: Any, **params: Any) -> Message:  # type: ignore[override]
        """The template filled with named parameters (positional ones would not survive a translation
        that reorders them)."""
        if args:
            raise TypeError("Message.format takes named parameters only")
        return Message(self.context, self.template, {**self.params, **params})

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy keep the context and parameters
        return Message, (self.context, self.template, dict(self.params))

    def __repr__(self) -> str:
        return f"Message({self.context!r}, {self.template!r}, {dict(self.params)!r})"


def QT_TRANSLATE_NOOP(context: str, template: str) -> Message:  # noqa: N802 (the name lupdate looks for)
    """Mark `template` for translation under `context`; nothing is translated here."""
    return Message(context, template)


def text_of(exc: BaseException) -> str:
    """What an exception says, keeping its Message (str(exc) would give plain English): for code that
    passes one exception's text on, such as a form's field -> message map."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Message):
        return exc.args[0]
    return str(exc)
