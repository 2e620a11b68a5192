"""Translations: Qt Linguist catalogues for the language of the user's locale, switched while running.

* The sources are `rmdesk_<lang>.ts` in this folder: `rmdesk_en.ts` is the template (every source
  string, nothing translated; English is the source language), the others are translations.
  `make update-translations` refreshes them from ui/ with pyside6-lupdate; Qt Linguist edits them.
* `make translations` (a step of `make run` and `make test`) compiles each translation to a `.qm`
  next to it with pyside6-lrelease. The `.qm` files are build output and are not committed.
* `set_language(locale)` installs RM Desk's catalogue and Qt's own (qtbase, from
  QLibraryInfo.TranslationsPath) for that locale's language, or removes them for English. Qt then
  sends every widget a LanguageChange event; the window chrome retranslates itself on that event.
* Counts use Qt's numerus form, `self.tr("%n item(s)", "", n)`: each catalogue gives the forms its
  language needs. English needs them too, so `rmdesk_en.ts` holds finished English forms for those
  strings only ("%n item" / "%n items"); its .qm is installed under every language, below the others.

Code outside a QObject translates through a context class, so lupdate files the string under the
same context the call looks it up in:

    class Labels(TranslationContext):
        pass

    Labels.tr("Phone")   # lupdate: context "Labels"; at run time: translate("Labels", "Phone")

A bare `tr("…")` at module level would be filed under an empty context and never be found.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

CATALOGUE = "rmdesk"
SOURCE_LANGUAGE = QLocale.Language.English
DEFAULT_LOCALE = "en_AU"
QT_CATALOGUES = ("qtbase",)
catalogue_dir = Path(__file__).resolve().parent  # where the compiled .qm files are looked for


class TranslationContext:
    """A named translation context for module-level code; the class name is the context."""

    @classmethod
    def tr(cls, text: str, disambiguation: str | None = None, n: int = -1) -> str:
        return QCoreApplication.translate(cls.__name__, text, disambiguation, n)


def arg(text: str, *values: object) -> str:
    """Like QString::arg: %1, %2, … in a translated text replaced by `values` in one pass."""

    def value(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return str(values[i - 1]) if 0 < i <= len(values) else m.group(0)

    return re.sub(r"%(\d)", value, text)


class _Installed:
    translators: list[QTranslator] = []  # kept referenced: Qt does not own installed translators
    files: tuple[str, ...] = ()
    locale: QLocale = QLocale(DEFAULT_LOCALE)
    plurals: QTranslator | None = None


def _install_plurals(app: QCoreApplication) -> None:
    """The English plural forms, once: installed first, so a language's own catalogue is asked before."""
    if _Installed.plurals is not None:
        return
    plurals = QTranslator()
    if not plurals.load(f"{CATALOGUE}_en", str(catalogue_dir)):
        log.info("No English plural forms in %s (`make translations` builds them): counts read '1 item(s)'",
                 catalogue_dir)
        return
    app.installTranslator(plurals)
    _Installed.plurals = plurals


def locale_of(name: str | None) -> QLocale:
    """'fr_FR', 'fr-FR' or 'fr' as a QLocale; an unknown or empty name gives the default locale."""
    locale = QLocale((name or DEFAULT_LOCALE).replace("-", "_"))
    return locale if locale.language() != QLocale.Language.C else QLocale(DEFAULT_LOCALE)


def _load(locale: QLocale) -> list[QTranslator]:
    """RM Desk's catalogue for `locale`, then Qt's. Without one of ours the GUI stays English throughout
    (Qt's dialogs and buttons too, rather than a mix of two languages)."""
    if locale.language() == SOURCE_LANGUAGE:
        return []  # the source strings are English: nothing to install
    ours = QTranslator()
    if not ours.load(locale, CATALOGUE, "_", str(catalogue_dir)):
        log.info("No %s catalogue for %s in %s (`make translations` builds them); the GUI stays in English",
                 CATALOGUE, locale.name(), catalogue_dir)
        return []
    found = [ours]
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name in QT_CATALOGUES:
        translator = QTranslator()
        if translator.load(locale, name, "_", qt_dir):
            found.append(translator)
    return found


def set_language(locale_name: str | None) -> bool:
    """Show the GUI in the language of `locale_name` from now on; True if the catalogues changed.

    Installing and removing translators makes Qt send a LanguageChange event to every widget."""
    app = QCoreApplication.instance()
    locale = locale_of(locale_name)
    wanted = _load(locale)
    files = tuple(t.filePath() for t in wanted)
    _Installed.locale = locale
    if app is not None:
        _install_plurals(app)
    if files == _Installed.files:
        return False
    old = _Installed.translators
    _Installed.translators, _Installed.files = wanted, files
    if app is not None:
        for translator in old:
            app.removeTranslator(translator)
        for translator in wanted:
            app.installTranslator(translator)
    return True


def current_files() -> tuple[str, ...]:
    """The catalogues in use (empty for English)."""
    return _Installed.files


def current_language() -> str:
    """'fr' while a French catalogue is installed; 'en' (the source language) otherwise."""
    if not _Installed.files:
        return "en"
    return _Installed.locale.name().split("_")[0]
