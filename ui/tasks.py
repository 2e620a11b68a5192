"""The one place that runs work off the GUI thread.

* One DB worker thread: every call into app.services that touches the profile goes through it, so
  SQLite work is serialised and the GUI thread never waits on disk, Argon2 or SQLCipher.
* A small network pool for sync and other I/O that must not queue behind the database.
* Results come back on the GUI thread (Electrum-style adapter: a worker finishing emits a Qt signal
  with a queued connection) and are drained in small time-boxed batches so the UI keeps breathing
  when many jobs finish at once (Picard habit).

    handle = runner.submit(ws.settings.all, on_done=self.fill, on_error=self.show_error)
    handle.cancel()   # callbacks will not run; a job that has not started never starts

Worker functions must not touch widgets. Progress from a worker goes through `runner.reporter(cb)`,
which coalesces calls and delivers only the latest value on the GUI thread.
"""

from __future__ import annotations

import functools
import itertools
import logging
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from ui.qtcompat import emit

log = logging.getLogger(__name__)

DB = "db"
NET = "net"

_tag = threading.local()


def _tag_thread(kind: str) -> None:
    _tag.kind = kind


def worker_kind() -> str | None:
    """'db' or 'net' inside a runner's worker thread, None elsewhere."""
    return getattr(_tag, "kind", None)


_gui_ident: int | None = None


def _remember_gui_thread() -> None:
    """Called on the GUI thread (by TaskRunner); workers then never need to ask Qt which thread they
    are on (creating adopted-QThread wrappers from foreign threads is a known crash source)."""
    global _gui_ident
    app = QCoreApplication.instance()
    if app is not None and QThread.currentThread() is app.thread():
        _gui_ident = threading.get_ident()


def is_gui_thread() -> bool:
    """True on the thread that runs the Qt event loop. Safe to call from any thread."""
    ident = _gui_ident if _gui_ident is not None else threading.main_thread().ident
    return threading.get_ident() == ident


def assert_off_gui_thread(what: str = "This call") -> None:
    """Raise if called on the GUI thread (a freeze waiting to happen)."""
    if is_gui_thread():
        raise AssertionError(f"{what} ran on the GUI thread; submit it through ui.tasks instead.")


def guarded(fn: Callable[..., Any], violations: list[str], name: str | None = None) -> Callable[..., Any]:
    """Wrap `fn` so that every call made on the GUI thread is recorded in `violations`.

    Tests patch service entry points with it and assert the list stays empty for a whole journey.
    """
    label = name or getattr(fn, "__qualname__", repr(fn))

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if is_gui_thread():
            violations.append(label)
        return fn(*args, **kwargs)

    return wrapper


def _logged(fn: Callable[[], Any]) -> None:
    try:
        fn()
    except Exception:
        log.exception("Final job %r failed", fn)


class TaskHandle:
    """A submitted job. `cancel()` is safe from the GUI thread at any time."""

    _ids = itertools.count(1)

    def __init__(self, label: str, pool: str, on_done: Callable | None, on_error: Callable | None) -> None:
        self.id = next(self._ids)
        self.label = label
        self.pool = pool
        self.on_done = on_done
        self.on_error = on_error
        self.future: Future | None = None
        self.delivered = False
        self._cancelled = threading.Event()

    @property
    def cancelled(self) -> bool:
        """Also readable from the worker, so long jobs can stop cooperatively."""
        return self._cancelled.is_set()

    def cancel(self) -> bool:
        """Drop the callbacks; returns True if the job had not started (so it never will)."""
        self._cancelled.set()
        return self.future.cancel() if self.future is not None else True

    def __repr__(self) -> str:
        return f"<TaskHandle {self.id} {self.label!r} pool={self.pool} cancelled={self.cancelled}>"


class _Progress:
    def __init__(self, runner: TaskRunner, callback: Callable[..., None]) -> None:
        self._runner = runner
        self._callback = callback
        self._lock = threading.Lock()
        self._latest: tuple | None = None

    def __call__(self, *args: Any) -> None:  # any thread
        with self._lock:
            queued = self._latest is not None
            self._latest = args
        if not queued:
            self._runner._post(("progress", self))

    def _take(self) -> tuple | None:
        with self._lock:
            args, self._latest = self._latest, None
        return args


class TaskRunner(QObject):
    """Runs callables on the DB worker or the network pool; calls back on the GUI thread."""

    activity = Signal(int, str)  # jobs pending, label of the oldest pending job ('' when idle)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None, *, net_workers: int = 4, batch_ms: int = 12,
                 error_handler: Callable[[BaseException, TaskHandle], None] | None = None) -> None:
        super().__init__(parent)
        _remember_gui_thread()
        self._pools = {
            DB: ThreadPoolExecutor(1, "rmdesk-db", initializer=_tag_thread, initargs=(DB,)),
            NET: ThreadPoolExecutor(net_workers, "rmdesk-net", initializer=_tag_thread, initargs=(NET,)),
        }
        self._batch_s = batch_ms / 1000
        self._done: deque[tuple] = deque()
        self._live: dict[int, TaskHandle] = {}
        self._wake_lock = threading.Lock()
        self._wake_pending = False
        self._closed = False
        self.error_handler = error_handler
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    # -- submitting ---------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
               on_error: Callable[[BaseException], None] | None = None, label: str = "",
               pool: str = DB, **kwargs: Any) -> TaskHandle:
        """Run `fn(*args, **kwargs)` on the DB worker (default) or the network pool ('net')."""
        if self._closed:
            raise RuntimeError("The task runner has been shut down.")
        handle = TaskHandle(label or getattr(fn, "__name__", "work"), pool, on_done, on_error)
        self._live[handle.id] = handle
        future = self._pools[pool].submit(self._run, handle, fn, args, kwargs)
        handle.future = future
        future.add_done_callback(lambda f, h=handle: self._post(("done", h, f)))
        self._emit_activity()
        return handle

    def submit_net(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> TaskHandle:
        return self.submit(fn, *args, pool=NET, **kwargs)

    def reporter(self, callback: Callable[..., None]) -> Callable[..., None]:
        """A thread-safe callable for workers; `callback` gets the latest args on the GUI thread."""
        return _Progress(self, callback)

    @staticmethod
    def _run(handle: TaskHandle, fn: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        if handle.cancelled:
            return None
        return fn(*args, **kwargs)

    # -- cancelling and stopping ----------------------------------------------------------------------
    @property
    def pending(self) -> int:
        return len(self._live)

    @property
    def closed(self) -> bool:
        """Shut down: nothing more may be submitted (a widget's deferred start checks this)."""
        return self._closed

    def cancel_all(self, pool: str | None = None) -> None:
        for handle in list(self._live.values()):
            if pool is None or handle.pool == pool:
                handle.cancel()

    def shutdown(self, wait: bool = True, final: Callable[[], Any] | None = None) -> None:
        """Cancel what has not started, run `final` last on the DB worker (the quit path locks the
        workstation there), let running jobs finish if `wait`; nothing more is delivered."""
        if self._closed:
            return
        self._closed = True
        self.cancel_all()
        if final is not None:
            self._pools[DB].submit(_logged, final)
        for executor in self._pools.values():
            executor.shutdown(wait=wait)
        self._live.clear()
        self._done.clear()

    # -- delivering on the GUI thread ---------------------------------------------------------------
    def _post(self, item: tuple) -> None:  # any thread
        self._done.append(item)
        with self._wake_lock:
            if self._wake_pending:
                return
            self._wake_pending = True
        emit(self._wake)

    @Slot()
    def _drain(self) -> None:
        with self._wake_lock:
            self._wake_pending = False
        deadline = time.monotonic() + self._batch_s
        while self._done and not self._closed:
            self._deliver(self._done.popleft())
            if time.monotonic() >= deadline:
                break
        if self._done and not self._closed:
            with self._wake_lock:
                if not self._wake_pending:
                    self._wake_pending = True
                    emit(self._wake)  # queued: other events get their turn first
        self._emit_activity()

    def _deliver(self, item: tuple) -> None:
        if item[0] == "progress":
            args = item[1]._take()
            if args is not None:
                self._call(item[1]._callback, *args)
            return
        _, handle, future = item
        self._live.pop(handle.id, None)
        if handle.cancelled or future.cancelled() or handle.delivered:
            return
        handle.delivered = True
        exc = future.exception()
        if exc is None:
            if handle.on_done is not None:
                self._call(handle.on_done, future.result())
        elif handle.on_error is not None:
            self._call(handle.on_error, exc)
        elif self.error_handler is not None:
            self._call(self.error_handler, exc, handle)
        else:
            log.error("Background job %r failed", handle.label, exc_info=exc)

    @staticmethod
    def _call(fn: Callable[..., Any], *args: Any) -> None:
        try:
            fn(*args)
        except Exception:  # a broken callback must not stop the others; excepthook reports it
            sys.excepthook(*sys.exc_info())

    def _emit_activity(self) -> None:
        first = next(iter(self._live.values()), None)
        emit(self.activity, len(self._live), first.label if first else "")


class Jobs:
    """The background jobs of one widget: submitted through ui/tasks.py, all cancelled when it goes.

    Callbacks run on the GUI thread; cancelled handles never call back, so a destroyed widget is
    never touched.
    """

    def __init__(self, tasks: Any) -> None:
        self.tasks = tasks
        self._live: dict[int, Any] = {}
        self.closed = False

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, label: str = "", **kwargs: Any) -> Any:
        if self.closed:
            return None
        box: dict[str, Any] = {}

        def done(value: Any) -> None:
            self._live.pop(box["h"].id, None)
            if on_done is not None and not self.closed:
                on_done(value)

        def failed(exc: BaseException) -> None:
            self._live.pop(box["h"].id, None)
            if self.closed:
                return
            if on_error is not None:
                on_error(exc)
            elif getattr(self.tasks, "error_handler", None) is not None:
                self.tasks.error_handler(exc, box["h"])
            else:
                log.error("Background job %r failed", label, exc_info=exc)

        handle = self.tasks.submit(fn, *args, on_done=done, on_error=failed, label=label, **kwargs)
        box["h"] = handle
        self._live[handle.id] = handle
        return handle

    @property
    def busy(self) -> bool:
        return bool(self._live)

    def cancel(self) -> None:
        for handle in list(self._live.values()):
            handle.cancel()
        self._live.clear()

    def close(self) -> None:
        self.closed = True
        self.cancel()
