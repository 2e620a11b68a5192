"""Every dialog remembers its geometry in (private) QSettings."""

from __future__ import annotations

from ui.dialogs.base import BaseDialog
from ui.prefs import qsettings


class _Sample(BaseDialog):
    pass


def test_dialog_geometry_is_saved_and_restored(qtbot, private_qsettings):
    first = _Sample()
    qtbot.addWidget(first)
    first.show()
    first.resize(432, 321)
    qtbot.waitUntil(lambda: first.width() == 432)
    first.close()
    assert qsettings().value("dialogs/_Sample/geometry") is not None
    assert str(private_qsettings) in qsettings().fileName()

    second = _Sample()
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (432, 321)
