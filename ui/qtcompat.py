"""Work-arounds for defects of the Qt binding, each detected at import rather than assumed.

PySide6 6.12.0 on Python < 3.12: `SignalInstance.emit()` returns a bool without taking a reference,
so every emit from Python drops one reference to `True`; after a few thousand emits the interpreter
aborts ("bool_dealloc: deallocating True or False"). 6.11.x is fine, and on 3.12+ True is immortal.
Every emit in ui/ goes through `emit()`, which gives the reference back when the defect is present.
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal

_PROBES = 8
_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None


class _Probe(QObject):
    ping = Signal()


def _emit_drops_a_reference() -> bool:
    if sys.version_info >= (3, 12):
        return False
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(True)
    for _ in range(max(lost, 0)):
        _incref(True)  # undo what the probe itself cost
    return lost >= _PROBES // 2


EMIT_LEAKS = _emit_drops_a_reference()


def emit(signal: Any, *args: Any) -> None:
    """`signal.emit(*args)`, safe on bindings whose emit loses a reference to its bool result."""
    result = signal.emit(*args)
    if EMIT_LEAKS and isinstance(result, bool):
        _incref(result)
