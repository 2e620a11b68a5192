"""app.messages: a translatable message is still the English str everywhere outside the GUI (the CLI, logs,
the existing comparisons), and it keeps its context, template and parameters through pickling and copies."""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from app.domain.complaints.compensation import ApprovalRefused, Role, StaffMember, approve
from app.domain.complaints.lifecycle import (
    Action,
    CaseState,
    CaseStatus,
    IllegalTransition,
    Outcome,
    transition,
)
from app.messages import QT_TRANSLATE_NOOP, Message, text_of
from app.services.validation import ValidationError, normalise_email, normalise_phone
from app.store.errors import WrongKeyError
from tests.cli_support import fast_cli_kdf, run  # noqa: F401 - fast_cli_kdf is an autouse fixture


def test_a_message_is_its_english_text_and_keeps_what_translation_needs():
    m = QT_TRANSLATE_NOOP("Validation", "“{raw}” is not a valid phone number for {region}.").format(
        raw="123", region="AU")
    assert m == "“123” is not a valid phone number for AU." and isinstance(m, str)
    assert (m.context, m.template, m.params) == (
        "Validation", "“{raw}” is not a valid phone number for {region}.", {"raw": "123", "region": "AU"})
    assert str(ValueError(m)) == m and f"{m}" == m


def test_a_message_without_parameters_is_the_template_as_written():
    m = QT_TRANSLATE_NOOP("Store", "Braces {stay} when nothing is filled in.")
    assert m == "Braces {stay} when nothing is filled in." and m.params == {}


def test_format_specs_render_the_english_as_before():
    m = QT_TRANSLATE_NOOP("Approval", "up to {limit:,.2f}").format(limit=Decimal("12345.5"))
    assert m == "up to 12,345.50" and m.params["limit"] == Decimal("12345.5")


def test_parameters_are_named_only():
    with pytest.raises(TypeError):
        QT_TRANSLATE_NOOP("Validation", "{0} is wrong").format("x")


@pytest.mark.parametrize("clone", [lambda m: pickle.loads(pickle.dumps(m)), copy.copy, copy.deepcopy])
def test_pickling_and_copies_keep_the_message(clone):
    m = QT_TRANSLATE_NOOP("Contact", "{client} needs an interpreter.").format(client="Ana")
    again = clone(m)
    assert isinstance(again, Message) and again == m
    assert (again.context, again.template, again.params) == (m.context, m.template, m.params)


def test_exceptions_keep_their_message_through_pickling():
    """Exceptions that cross a process boundary (pickled) or are re-raised from a copy keep the Message."""
    err = pickle.loads(pickle.dumps(WrongKeyError(QT_TRANSLATE_NOOP("Store", "That passphrase is wrong."))))
    assert isinstance(err, WrongKeyError) and isinstance(err.args[0], Message) and err.args[0].context == "Store"

    with pytest.raises(ValidationError) as caught:
        normalise_or_collect()
    again = pickle.loads(pickle.dumps(caught.value))
    assert str(again) == str(caught.value) and again.errors == caught.value.errors
    assert all(isinstance(v, Message) for v in again.errors.values())


def normalise_or_collect() -> None:
    errors = {}
    for key, check in (("phones", lambda: normalise_phone("12", "AU")),
                       ("emails", lambda: normalise_email("not-an-email"))):
        try:
            check()
        except ValueError as exc:
            errors[key] = text_of(exc)
    raise ValidationError(errors)


def test_converted_errors_carry_messages_with_their_old_english_wording():
    with pytest.raises(ValueError) as phone:
        normalise_phone("0412", "au")
    assert phone.value.args[0] == "“0412” is not a valid phone number for AU."
    assert isinstance(phone.value.args[0], Message)

    with pytest.raises(ValueError) as email:
        normalise_email("not-an-email")
    assert email.value.args[0] == "An email address must have an @-sign." and isinstance(email.value.args[0], Message)

    closed = CaseState(CaseStatus.CLOSED, Outcome.UPHELD)
    with pytest.raises(IllegalTransition) as refused:
        transition(closed, Action.ESCALATE, at=datetime.now(UTC), actor="rm")
    msg = refused.value.args[0]
    assert msg == "A closed case cannot be escalated; reopen it first."
    assert isinstance(msg, Message) and isinstance(msg.params["done"], Message)  # the verb translates too

    rm = StaffMember("u1", Role.RM, "Ana")
    with pytest.raises(ApprovalRefused) as approval:
        approve(Decimal("5000"), proposed_by=rm, approved_by=rm)
    text = approval.value.args[0]
    assert isinstance(text, Message) and text.params["amount"] == Decimal("5000")
    assert text == ("You cannot approve your own proposal of 5,000.00: your limit is 500.00. "
                    "Ask a team leader or manager to approve it.")


def test_the_cli_still_prints_the_english_messages(tmp_path, monkeypatch, capsys):
    home = tmp_path / "p"
    code, _, err = run(monkeypatch, capsys, "--profile", str(home), "audit", "verify", "--passphrase-stdin")
    assert code == 2 and f"There is no RM Desk profile in {home}. Create one with `rmdesk init`." in err
    run(monkeypatch, capsys, "--profile", str(home), "init", "--passphrase-stdin")
    code, _, err = run(monkeypatch, capsys, "--profile", str(home), "audit", "verify", "--passphrase-stdin",
                       stdin="wrong passphrase\n")
    assert code == 2 and "That passphrase is not correct for this profile." in err
