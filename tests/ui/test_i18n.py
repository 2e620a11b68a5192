"""Translations and locale: the .ts catalogues match the sources, the French catalogue translates the
real main window after unlock, and a locale or currency change in Settings re-renders what is on screen
at once, without unlocking again."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLibraryInfo, Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from app.services import workstation as wsvc
from app.services.settings import REGISTRY
from app.store.keys import KdfParams
from ui import format as ui_format
from ui import i18n
from ui.dialogs import settings as settings_dialog
from ui.prefs import qsettings

from .conftest import PASSPHRASE, off_thread, unlock

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "ui" / "i18n"
BIN = Path(sys.executable).parent
Message = tuple[str, str, str]  # context, source, comment


def lupdate_flags() -> list[str]:
    """The flags `make update-translations` uses, read from the Makefile (one definition)."""
    found = re.search(r"^LUPDATE_FLAGS\s*:=\s*(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert found, "LUPDATE_FLAGS is not defined in the Makefile"
    return found.group(1).split()


def messages(ts: Path, *, finished_only: bool = False) -> set[Message]:
    found = set()
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            state = message.find("translation").get("type")
            if state in ("vanished", "obsolete") or (finished_only and state == "unfinished"):
                continue
            found.add((name, message.findtext("source") or "", message.findtext("comment") or ""))
    return found


def lupdate_sources() -> list[str]:
    """The folders `make update-translations` scans (ui, and app for its marked messages)."""
    found = re.search(r"pyside6-lupdate \$\(LUPDATE_FLAGS\) (.+?) -ts", (ROOT / "Makefile").read_text())
    assert found, "update-translations does not run pyside6-lupdate"
    return found.group(1).split()


def test_the_app_messages_are_scanned_too():
    assert lupdate_sources() == ["ui", "app"]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> set[Message]:
    """What lupdate finds in ui/ and app/ today."""
    out = tmp_path_factory.mktemp("lupdate") / "rmdesk_xx.ts"
    subprocess.run([str(BIN / "pyside6-lupdate"), *lupdate_flags(), *lupdate_sources(), "-ts", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    return messages(out)


@pytest.fixture
def french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The French catalogue compiled from the committed .ts (as `make translations` does), and English
    again afterwards: the translator and the formatter are process-wide."""
    qm = tmp_path / "rmdesk_fr.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", "-nounfinished", str(I18N / "rmdesk_fr.ts"),
                    "-qm", str(qm)], check=True)
    monkeypatch.setattr(i18n, "catalogue_dir", tmp_path)
    yield qm
    i18n.set_language("en_AU")
    ui_format.set_locale("en_AU", "AUD")


# -- the catalogues ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["rmdesk_en.ts", "rmdesk_fr.ts"])
def test_the_ts_files_hold_exactly_the_strings_of_the_sources(extracted, name):
    committed = messages(I18N / name)
    new, gone = sorted(extracted - committed), sorted(committed - extracted)
    assert not new and not gone, (
        f"{name} is out of date; run `make update-translations`.\n"
        f"Not in {name} yet: {new[:20]}\nNo longer in the sources: {gone[:20]}")


# ui/views/portfolio.py (another team's file) calls `self.model.tr(…)`, which lupdate files under the
# context "self.model"; the same string is also in PortfolioModel, where it is found at run time.
KNOWN_BAD_CONTEXTS = {"self.model"}


def test_every_string_is_filed_under_the_context_it_is_looked_up_in(extracted):
    """A bare tr("…") at module level lands in an empty context, `obj.attr.tr` in "obj.attr": neither is
    the context the call looks in at run time, so such a string never translates."""
    bad = sorted({(c, s) for c, s, _ in extracted if (not c or "." in c) and c not in KNOWN_BAD_CONTEXTS})
    assert not bad, f"strings lupdate files under no usable context (use a TranslationContext): {bad}"


# The chrome the French catalogue must keep translated. New strings may arrive unfinished (Linguist's
# state for "not translated yet"): this names the ones a French user sees first, not every string.
FRENCH_CHROME = {
    ("MainWindow", "&File"), ("MainWindow", "&Edit"), ("MainWindow", "&Go"), ("MainWindow", "&Help"),
    ("Areas", "Portfolio"), ("Areas", "Agenda"), ("Areas", "Complaints"), ("Areas", "Reports"),
    ("Areas", "Segments"), ("Areas", "Team"), ("Areas", "Settings"),
    ("Actions", "&New client…"), ("Actions", "&Lock"), ("Actions", "&Quit"), ("Actions", "&Settings…"),
    ("Actions", "&Search…"), ("Actions", "&About RM Desk"), ("Actions", "Go to %1"),
    ("UnlockPanel", "RM Desk is locked"), ("UnlockPanel", "Unlock"), ("UnlockPanel", "Passphrase"),
    ("UnlockPanel", "Quit"), ("StatusBar", "Locked"), ("StatusBar", "Unlocked"), ("StatusBar", "Signed in: %1"),
    ("PortfolioView", "New client…"), ("PortfolioView", "Export CSV…"), ("PortfolioView", "Book size"),
    ("PortfolioView", "Assets under management"), ("PortfolioView", "All segments"),
    ("PortfolioColumns", "Client"), ("PortfolioColumns", "AUM"), ("PortfolioColumns", "Open\ncomplaints"),
    ("PortfolioColumns", "Next contact\ndue"), ("SettingsDialog", "Settings"),
    ("SettingsDialog", "Locale for numbers, money and dates"),
}


def test_the_french_catalogue_translates_the_window_chrome():
    done = {(c, s) for c, s, _ in messages(I18N / "rmdesk_fr.ts", finished_only=True)}
    missing = sorted(FRENCH_CHROME - done)
    assert not missing, f"chrome strings without a (finished) French translation: {missing}"


def test_setting_labels_for_translation_are_the_registry_labels():
    assert {k: v for k, v in settings_dialog.LABELS.items()} == {k: d.label for k, d in REGISTRY.items()}


def test_the_french_catalogue_and_qts_own_load_for_a_french_locale(qapp, french):
    assert i18n.set_language("fr_FR")
    assert i18n.current_language() == "fr"
    assert QCoreApplication.translate("Areas", "Portfolio") == "Portefeuille"
    assert QCoreApplication.translate("MainWindow", "&File") == "&Fichier"
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (qt_dir / "qtbase_fr.qm").exists():
        assert any(Path(f).name == "qtbase_fr.qm" for f in i18n.current_files())
    assert not i18n.set_language("fr_CA")  # same catalogues: nothing to change
    assert i18n.set_language("en_GB")
    assert i18n.current_files() == () and QCoreApplication.translate("Areas", "Portfolio") == "Portfolio"


def test_arg_fills_placeholders_in_one_pass():
    assert i18n.arg("%1 de l’objectif de %2", "5 %", "%1") == "5 % de l’objectif de %1"


# -- the real window -----------------------------------------------------------------------------------
AUM = Decimal("1234567.50")


def build_profile(home: Path, locale: str | None = None) -> None:
    """A profile with one client holding a deposit (so there is money on screen)."""
    from app.store.models import Client, Holding, Product

    ws = wsvc.create_profile("passphrase", PASSPHRASE, home, kdf=KdfParams.fast_for_tests())
    with ws.database.unit("setup") as uow:
        s = uow.session
        product = Product(code="TD", name="Term deposit", category="deposit")
        client = Client(display_name="Camille Durand", given_name="Camille", family_name="Durand",
                        onboarded_on=date(2020, 1, 1), owner_id=ws.user.id)
        s.add_all([product, client])
        s.flush()
        s.add(Holding(client_id=client.id, product_id=product.id, balance=AUM, account_number="062000000001",
                      opened_on=date(2020, 1, 1)))
    if locale:
        ws.settings.set("user.locale", locale)
    ws.lock()


def portfolio_list(session: Any) -> Any:
    return session.window.area_widget("portfolio").list


def aum_cell(session: Any) -> str:
    view = portfolio_list(session)
    model = view.model
    column = next(i for i, c in enumerate(model.columns) if c.key == "aum")
    return str(model.data(model.index(0, column)) or "") if model.total else ""


def header(session: Any, key: str) -> str:
    model = portfolio_list(session).model
    column = next(i for i, c in enumerate(model.columns) if c.key == key)
    return model.headerData(column, Qt.Orientation.Horizontal)


def test_french_locale_translates_the_main_window_after_unlock(qtbot, tmp_path, make_session, french):
    home = tmp_path / "profile"
    off_thread(build_profile, home, "fr_FR")
    session = make_session(home)
    window = unlock(qtbot, session)
    assert window.menus["file"].title() == "&File"  # the language is read with the settings, after unlock

    qtbot.waitUntil(lambda: window.menus["file"].title() == "&Fichier", timeout=10_000)
    assert [window.menus[m].title() for m in ("edit", "go", "help")] == ["É&dition", "&Navigation", "&Aide"]
    assert window.nav.item(0).text() == "Portefeuille" and window.nav.item(2).text() == "Réclamations"
    assert window.actions["session.lock"].text() == "&Verrouiller"
    assert window.actions["go.portfolio"].statusTip() == "Aller à Portefeuille"
    assert window.status.state_label.text() == "Déverrouillé"
    # the areas were built again in French, the portfolio still the current one
    qtbot.waitUntil(lambda: header(session, "complaints") == "Réclam.\nouvertes", timeout=10_000)
    assert window.current_area == "portfolio"
    qtbot.waitUntil(lambda: aum_cell(session).startswith("1\u202f234\u202f56"), timeout=10_000)  # French digits
    assert aum_cell(session).endswith("\u00a0AUD")  # still the org's currency, said plainly
    assert qsettings().value("ui/locale") == "fr_FR"  # the next start opens the lock screen in French

    session.open_settings()  # Qt's own catalogue: the standard buttons
    dialog = session.settings_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert dialog.windowTitle() == "Paramètres"
    if any(Path(f).name.startswith("qtbase_") for f in i18n.current_files()):
        assert dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).text() == "Annuler"
    dialog.reject()

    session.lock()
    panel = session.unlock_panel
    assert panel.title.text() == "RM Desk est verrouillé" and panel.unlock_button.text() == "Déverrouiller"
    assert window.status.state_label.text() == "Verrouillé"


def test_a_locale_change_in_settings_rerenders_money_without_unlocking(qtbot, tmp_path, make_session, french):
    home = tmp_path / "profile"
    off_thread(build_profile, home)
    session = make_session(home)
    window = unlock(qtbot, session)
    ws = session.ws
    view = portfolio_list(session)
    qtbot.waitUntil(lambda: aum_cell(session).startswith("$1,234,56"), timeout=10_000)
    qtbot.waitUntil(lambda: view.kpi_aum.value.text() == "$1,234,568", timeout=10_000)

    # formats only (German, euros): no language change, the areas re-render at once
    session.open_settings()
    dialog = session.settings_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled)
    assert "open screens are reloaded" in dialog.findChild(QLabel, "hint:user.locale").text()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save_values({"user.locale": "de_DE", "org.currency": "EUR"})
    qtbot.waitUntil(lambda: aum_cell(session).startswith("1.234.56") and aum_cell(session).endswith("€"),
                    timeout=10_000)
    qtbot.waitUntil(lambda: portfolio_list(session).kpi_aum.value.text() == "1.234.568\u00a0€", timeout=10_000)
    assert window.menus["file"].title() == "&File" and i18n.current_files() == ()
    assert session.ws is ws and not session.locked and window.current_area == "portfolio"

    # and a language with it: French, straight from Settings
    session.open_settings()
    dialog = session.settings_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save_values({"user.locale": "fr_FR"})
    qtbot.waitUntil(lambda: window.menus["file"].title() == "&Fichier", timeout=10_000)
    qtbot.waitUntil(lambda: header(session, "aum") == "Encours", timeout=10_000)
    qtbot.waitUntil(lambda: aum_cell(session).startswith("1\u202f234\u202f56") and aum_cell(session).endswith("€"),
                    timeout=10_000)
    assert session.ws is ws and not session.locked

    # and back to English
    session.open_settings()
    dialog = session.settings_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.save_values({"user.locale": "en_AU", "org.currency": "AUD"})
    qtbot.waitUntil(lambda: window.menus["file"].title() == "&File", timeout=10_000)
    qtbot.waitUntil(lambda: header(session, "aum") == "AUM" and aum_cell(session).startswith("$1,234,56"),
                    timeout=10_000)


def test_areas_rebuilt_before_their_first_turn_of_the_event_loop_stay_quiet(qtbot, tmp_path, make_session):
    """A rebuild (new language or formats) right after areas are built must not let the old ones start
    work that calls back into deleted widgets (pytest-qt fails the test on such an exception)."""
    home = tmp_path / "profile"
    off_thread(build_profile, home)
    session = make_session(home)
    window = unlock(qtbot, session)
    window.rebuild_areas()
    window.rebuild_areas()  # the first rebuild's areas go before any of them ran
    qtbot.waitUntil(lambda: aum_cell(session).startswith("$1,234,56"), timeout=10_000)
    qtbot.wait(500)
    assert not session.locked and window.current_area == "portfolio"
