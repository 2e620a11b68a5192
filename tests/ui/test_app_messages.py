"""Errors raised in app/ reach a French user in French: app marks them (app.messages), lupdate files them
from app/, the French catalogue translates them keeping their placeholders, and ui/i18n/app_messages.py
fills the parameters in the user's formats. The unlock panel and the client dialog show them so."""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.messages import QT_TRANSLATE_NOOP
from app.services import workstation as wsvc
from app.services.validation import ValidationError
from app.store.errors import WrongKeyError
from ui import format as ui_format
from ui import i18n
from ui.dialogs.messages import describe
from ui.i18n import app_messages
from ui.i18n.app_messages import error_text, localise
from ui.prefs import qsettings

from .conftest import PASSPHRASE, off_thread
from .test_i18n import BIN, I18N, ROOT, lupdate_flags, messages

SCREENSHOTS = Path(tempfile.gettempdir()) / "rmdesk-screenshots"  # for a person to look at; not compared
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\d")


@pytest.fixture
def french(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The committed French catalogue compiled and installed with French formats; English afterwards."""
    subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", "-nounfinished", str(I18N / "rmdesk_fr.ts"),
                    "-qm", str(tmp_path / "rmdesk_fr.qm")], check=True)
    monkeypatch.setattr(i18n, "catalogue_dir", tmp_path)
    assert i18n.set_language("fr_FR")
    ui_format.set_locale("fr_FR", "EUR")
    yield
    i18n.set_language("en_AU")
    ui_format.set_locale("en_AU", "AUD")


@pytest.fixture(scope="module")
def app_sources(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    """(context, source) of every message lupdate finds in app/."""
    out = tmp_path_factory.mktemp("lupdate_app") / "rmdesk_xx.ts"
    subprocess.run([str(BIN / "pyside6-lupdate"), *lupdate_flags(), "app", "-ts", str(out)], cwd=ROOT,
                   check=True, capture_output=True)
    return {(c, s) for c, s, _ in messages(out)}


# -- the catalogue --------------------------------------------------------------------------------------
def test_every_app_message_is_in_french_with_the_same_placeholders(app_sources):
    assert len(app_sources) > 100  # validation, store, complaint, contact, iCalendar, settings and field errors
    french = {}
    for context in ET.parse(I18N / "rmdesk_fr.ts").getroot().iter("context"):
        for message in context.iter("message"):
            french[(context.findtext("name"), message.findtext("source"))] = message.find("translation")
    unfinished = sorted(k for k in app_sources if french[k].get("type") == "unfinished" or not french[k].text)
    assert not unfinished, f"app messages without a French translation: {unfinished[:10]}"
    broken = [(c, s, french[c, s].text) for c, s in sorted(app_sources)
              if sorted(PLACEHOLDER.findall(s)) != sorted(PLACEHOLDER.findall(french[c, s].text))]
    assert not broken, f"French translations that changed a placeholder: {broken}"


# -- turning an exception into the user's language ------------------------------------------------------
def test_in_english_the_text_is_the_message_itself(qapp):
    msg = QT_TRANSLATE_NOOP("Store", "That passphrase is not correct for this profile.")
    assert error_text(WrongKeyError(msg)) == describe(WrongKeyError(msg)) == msg


def test_french_translates_the_template_then_fills_the_parameters(qapp, french):
    phone = QT_TRANSLATE_NOOP("Validation", "“{raw}” is not a valid phone number for {region}.").format(
        raw="0412", region="AU")
    assert localise(phone) == "«\u00a00412\u00a0» n’est pas un numéro de téléphone valide pour AU."
    assert describe(ValueError(phone)) == localise(phone)
    assert str(phone) == "“0412” is not a valid phone number for AU."  # the value itself stays English


def test_money_dates_and_nested_messages_use_the_users_formats(qapp, french):
    team_leader = QT_TRANSLATE_NOOP("Role", "team leader")
    refusal = QT_TRANSLATE_NOOP(
        "Approval", "A {role} can approve up to {limit:,.2f}, not {amount:,.2f}. {next_step}"
    ).format(role=team_leader, limit=Decimal("5000"), amount=Decimal("12345.5"),
             next_step=QT_TRANSLATE_NOOP("Approval", "Ask a {roles} to approve it.").format(
                 roles=QT_TRANSLATE_NOOP("Role", "manager")))
    fmt = ui_format.fmt()
    assert localise(refusal) == (f"Un chef d’équipe peut approuver jusqu’à {fmt.money(Decimal('5000'))}, "
                                 f"pas {fmt.money(Decimal('12345.5'))}. Demandez à un responsable de l’approuver.")
    assert "€" in localise(refusal)
    day = QT_TRANSLATE_NOOP("Field", "{day:%Y-%m-%d} is not a plausible {what}.").format(
        day=date(1850, 3, 4), what=QT_TRANSLATE_NOOP("Field", "due date"))
    assert localise(day) == f"{fmt.date(date(1850, 3, 4))} n’est pas une valeur plausible pour «\u00a0date d’échéance\u00a0»."


def test_a_validation_error_is_its_field_messages_each_translated(qapp, french):
    err = ValidationError({
        "country": QT_TRANSLATE_NOOP("Validation", "Use a two-letter country code such as AU or GB."),
        "emails": QT_TRANSLATE_NOOP("Validation", "An email address must have an @-sign."),
    })
    assert describe(err) == ("Utilisez un code pays à deux lettres, par exemple AU ou GB.; "
                             "Une adresse e-mail doit contenir un @.")


def test_a_broken_translation_falls_back_to_english(qapp, monkeypatch):
    class Broken:
        @staticmethod
        def translate(context: str, text: str) -> str:
            return "{unknown} est faux"

    monkeypatch.setattr(app_messages, "QCoreApplication", Broken)
    msg = QT_TRANSLATE_NOOP("Validation", "“{raw}” is not a phone number.").format(raw="12")
    assert localise(msg) == "“12” is not a phone number."


def test_other_exceptions_say_something_went_wrong_in_french(qapp, french):
    assert describe(KeyError("x")) == (
        "Une erreur s’est produite (KeyError). Les détails ont été consignés dans le journal.")


# -- on screen ------------------------------------------------------------------------------------------
def test_a_wrong_passphrase_is_refused_in_french_on_the_lock_screen(qtbot, existing_profile, make_session,
                                                                    french):
    qsettings().setValue("ui/locale", "fr_FR")  # what the session applies before the profile is unlocked
    session = make_session(existing_profile)
    qtbot.waitUntil(lambda: session.window is not None and session.window.isVisible(), timeout=10_000)
    panel = session.unlock_panel
    qtbot.keyClicks(panel.passphrase, "not the passphrase")
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=10_000)
    assert panel.error.text() == "Cette phrase secrète n’est pas celle de ce profil."
    assert session.locked
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert session.window.grab().save(str(SCREENSHOTS / "unlock_wrong_passphrase_fr.png"))


def test_the_client_dialog_shows_the_service_errors_in_french(qtbot, existing_profile, runner, french):
    from ui.dialogs.client_edit import ClientEditDialog

    ws = off_thread(wsvc.open_profile, PASSPHRASE, existing_profile)
    dialog = ClientEditDialog(ws, runner)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=10_000)
    qtbot.keyClicks(dialog.given_name, "Camille")
    qtbot.mouseClick(dialog.emails.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.emails.edits()[0], "pas-une-adresse")
    qtbot.mouseClick(dialog.phones.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.phones.edits()[0], "12")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors["emails"].isVisible(), timeout=10_000)
    assert dialog.errors["emails"].text() == "Une adresse e-mail doit contenir un @."
    assert dialog.errors["phones"].text() == "«\u00a012\u00a0» n’est pas un numéro de téléphone valide pour AU."
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert dialog.grab().save(str(SCREENSHOTS / "client_edit_errors_fr.png"))
    dialog.reject()
    off_thread(ws.lock)
