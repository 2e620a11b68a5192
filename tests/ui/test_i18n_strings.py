"""Every string a user reads goes through the translator: an AST scan of ui/ for raw literals.

The scan looks at the calls that put text on screen (setText, setWindowTitle, setToolTip, QLabel(…),
QPushButton(…), QAction(…), addAction("…"), addTab(w, "…"), message boxes, file dialogs, the task
labels the status bar shows, …) and fails, listing file:line, when one of them gets a literal string
with words in it instead of self.tr("…") / QCoreApplication.translate("Context", "…"). It also fails
when a translation call gets something lupdate cannot read (an f-string, a concatenation), because
such a call can never find its translation.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "ui"

# method name -> which positional arguments carry text (None: every positional argument)
TEXT_METHODS: dict[str, tuple[int, ...] | None] = {
    "setText": (0,), "setWindowTitle": (0,), "setToolTip": (0,), "setPlaceholderText": (0,),
    "setStatusTip": (0,), "setWhatsThis": (0,), "setTitle": (0,), "setInformativeText": (0,),
    "setDetailedText": (0,), "setLabelText": (0,), "setAccessibleName": (0,),
    "setAccessibleDescription": (0,), "showMessage": (0,), "setSpecialValueText": (0,),
    "setSuffix": (0,), "setPrefix": (0,), "setButtonText": (1,), "setCancelButtonText": (0,),
    "setOkButtonText": (0,), "setTabText": (1,), "setTabToolTip": (1,), "setItemText": (1,),
    "setHeaderLabels": (0,), "setHorizontalHeaderLabels": (0,), "setVerticalHeaderLabels": (0,),
    "setIconText": (0,), "setMarkdown": (0,), "setHtml": (0,),
    "addItem": (0,), "insertItem": (1,), "addItems": (0,), "addRow": (0,), "insertRow": (1,),
    "addTab": (1, 2), "insertTab": (2, 3), "addAction": None, "addMenu": None, "addSection": None,
    "addButton": (0,), "addPermanentWidget": (), "setDefaultSuffix": (),
}
# Qt classes whose constructor takes user text among its positional arguments
TEXT_CLASSES = {
    "QLabel", "QPushButton", "QAction", "QCheckBox", "QGroupBox", "QRadioButton", "QMenu",
    "QCommandLinkButton", "QMessageBox", "QProgressDialog", "QToolButton", "QTreeWidgetItem",
    "QListWidgetItem", "QTableWidgetItem", "QStandardItem", "QShortcut",
}
# static helpers: name -> text argument positions
TEXT_FUNCTIONS: dict[str, tuple[int, ...]] = {
    "information": (1, 2), "warning": (1, 2), "critical": (1, 2), "question": (1, 2), "about": (1, 2),
    "getText": (1, 2), "getInt": (1, 2), "getDouble": (1, 2), "getItem": (1, 2),
    "getMultiLineText": (1, 2),
    "getSaveFileName": (1, 3), "getOpenFileName": (1, 3), "getOpenFileNames": (1, 3),
    "getExistingDirectory": (1,),
    "show_error": (1, 2, 3), "show_info": (1, 2, 3),  # ui.dialogs.messages
    "plural": (1, 2),  # ui.views.agenda_format / complaint_common: both forms come translated
    # the views' own message helpers (banners, status lines, inline errors)
    "say": (0,), "_say": (0,), "show_message": (0,), "_show_error": (0,), "_set_busy": (1,),
    "_finish": (0,),
    "ActionSpec": (1, 2), "Area": (1, 3, 4),  # ui.actions / ui.views: marked with QT_TRANSLATE_NOOP
}
# methods whose text moves one place right when an icon comes first: addItem(icon(…), "text", data)
ICON_FIRST = {"addItem", "insertItem"}
TEXT_KEYWORDS = {
    "text", "title", "toolTip", "statusTip", "whatsThis", "placeholderText", "windowTitle",
    "accessibleName", "accessibleDescription", "caption", "filter", "labelText", "detail",
}
# `label=` of a background job is what the status bar shows while it runs and what an error names
LABEL_KEYWORD_CALLS = {"submit", "_submit", "run_job", "_run"}
TRANSLATE_CALLS = {"tr", "translate", "QT_TR_NOOP", "QT_TRANSLATE_NOOP"}

# Literals that are not user language (kept short; every entry says why).
ALLOWED = {
    "RM Desk",  # the product's name
    "mailto:",  # a URL scheme
    "%p%",  # QProgressBar's percentage pattern
    "dd/MM/yyyy", "HH:mm", "yyyy-MM-dd",  # date/time format patterns (Qt syntax, not words)
    "ddd d MMM", "d MMM yyyy", "MMMM yyyy", "ddd d", "ddd", "MMM", "d MMM",
}
NO_WORDS = re.compile(r"[^\W\d_]")


def words(text: str) -> bool:
    """Does the literal contain words once markup, placeholders and accelerators are taken out?"""
    if text in ALLOWED:
        return False
    text = re.sub(r"<[^>]*>", "", text)  # HTML tags
    text = re.sub(r"&[a-z]+;|&#\d+;", "", text)  # entities
    text = re.sub(r"\{[^}]*\}|%\d|%n|%[sd]", "", text)  # placeholders
    return bool(NO_WORDS.search(text)) and text.strip() not in ALLOWED


def raw_text(node: ast.AST | None) -> bool:
    """Is this expression a literal with words that did not go through a translation call?"""
    if node is None:
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and words(node.value)
    if isinstance(node, ast.JoinedStr):
        return words("".join(str(v.value) if isinstance(v, ast.Constant) else "{}" for v in node.values))
    if isinstance(node, ast.BinOp):
        return raw_text(node.left) or raw_text(node.right)
    if isinstance(node, ast.IfExp):
        return raw_text(node.body) or raw_text(node.orelse)
    if isinstance(node, ast.BoolOp):
        return any(raw_text(v) for v in node.values)
    if isinstance(node, ast.List | ast.Tuple):
        return any(raw_text(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in (
            "format", "replace", "strip", "upper", "lower", "capitalize", "title"):
        return raw_text(node.func.value)
    return False


def call_name(node: ast.Call) -> str:
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    if isinstance(node.func, ast.Name):
        return node.func.id
    return ""


def is_icon(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and "icon" in call_name(node).lower()


def positions(args: list[ast.expr], which: tuple[int, ...] | None) -> Iterator[ast.expr]:
    for i, arg in enumerate(args):
        if which is None or i in which:
            yield arg


def problems(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = call_name(node)
        if name in TRANSLATE_CALLS:
            # lupdate reads literals only: tr(f"…"), tr("a" + b), tr("…".format()) never translate
            texts = node.args[1:2] if name in ("translate", "QT_TRANSLATE_NOOP") else node.args[:1]
            for arg in texts:
                if not isinstance(arg, ast.Constant) and raw_text(arg):
                    yield node.lineno, f"{name}() of text lupdate cannot read: {ast.unparse(arg)[:60]}"
            continue
        checked: list[ast.expr] = []
        if name in TEXT_CLASSES:
            checked += node.args
        elif name in TEXT_METHODS and isinstance(node.func, ast.Attribute):
            which = TEXT_METHODS[name]
            if name in ICON_FIRST and which and len(node.args) > which[0] and is_icon(node.args[which[0]]):
                which = (which[0] + 1,)
            checked += positions(node.args, which)
        if name in TEXT_FUNCTIONS:
            checked += positions(node.args, TEXT_FUNCTIONS[name])
        checked += [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
        if name in LABEL_KEYWORD_CALLS:
            checked += [k.value for k in node.keywords if k.arg == "label"]
        for arg in checked:
            if raw_text(arg):
                yield arg.lineno, f"{name}(): untranslated {ast.unparse(arg)[:70]}"


def scan(root: Path = UI) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        for line, what in problems(path):
            found.append(f"{path.relative_to(root.parent)}:{line}: {what}")
    return found


def test_every_visible_string_goes_through_the_translator():
    found = scan()
    assert not found, "Untranslated user-visible strings:\n" + "\n".join(found)


# -- app/: the errors a user reads are marked for translation -------------------------------------------
# app/ cannot import Qt; it marks the text of these exceptions with app.messages.QT_TRANSLATE_NOOP so the
# GUI can translate it (ui/i18n/app_messages.py). A raw literal or f-string in one of them stays English.
APP = UI.parent / "app"
USER_ERRORS = {
    "ValidationError", "StoreError", "WrongKeyError", "CorruptProfileError", "NewerSchemaError",
    "ProfileExistsError", "ProfileMissingError", "KeyringRefusedError", "KeyMissingError", "DiskFullError",
    "BackupError", "ContactRefused", "IcsError", "IllegalTransition", "ApprovalRefused",
}
# modules whose every raise is for the user (nothing in them is a programmer's error)
USER_MODULES = {"app/services/validation.py", "app/services/schedule/_base.py", "app/store/keys.py",
                "app/store/engine.py", "app/store/backup.py", "app/store/profile.py", "app/store/layout.py",
                "app/store/migrate.py"}


def raw_or_unmarked(node: ast.expr) -> bool:
    """Text with words that is not a QT_TRANSLATE_NOOP(…) (or its .format(…))."""
    if isinstance(node, ast.Dict):
        return any(raw_or_unmarked(v) for v in node.values if v is not None)
    return raw_text(node)


def app_problems(path: Path, every_raise: bool) -> Iterator[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines, tree = source.splitlines(), ast.parse(source, str(path))
    for node in ast.walk(tree):
        if "# a programmer's error" in lines[node.lineno - 1] if hasattr(node, "lineno") else False:
            continue  # a wrong call, never shown to a user: English for the log is right
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            name = call_name(node.exc)
            if (name in USER_ERRORS or every_raise) and raw_or_unmarked(node.exc.args[0]):
                yield node.lineno, f"raise {name}(…) with unmarked text {ast.unparse(node.exc.args[0])[:60]}"
        if (isinstance(node, ast.Call) and call_name(node) == "QT_TRANSLATE_NOOP"
                and not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args)):
            yield node.lineno, "QT_TRANSLATE_NOOP() needs a literal context and template (lupdate reads literals)"


def scan_app(root: Path = APP) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root.parent).as_posix()
        if rel.startswith("app/store/migrations/"):
            continue
        for line, what in app_problems(path, rel in USER_MODULES):
            found.append(f"{rel}:{line}: {what}")
    return found


def test_the_errors_app_raises_for_users_are_marked_for_translation():
    found = scan_app()
    assert not found, "Untranslatable user errors in app/:\n" + "\n".join(found)


def test_the_app_scan_catches_a_raw_message(tmp_path):
    sample = tmp_path / "app" / "sample.py"
    sample.parent.mkdir()
    sample.write_text('def f(x):\n    raise IcsError(f"The file {x} is bad.")\n'
                      'def g():\n    raise IcsError(QT_TRANSLATE_NOOP("Ics", "The file {x} is bad.").format(x=1))\n'
                      'def h(t):\n    raise ValidationError({"email": "Not an e-mail."})\n', encoding="utf-8")
    assert [line for line, _ in app_problems(sample, False)] == [2, 6]
