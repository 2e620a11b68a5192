"""The task runner: work off the GUI thread, results on it, cancellation, batches, progress."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from ui.tasks import NET, TaskRunner, assert_off_gui_thread, is_gui_thread, worker_kind


def test_work_runs_off_the_gui_thread_and_results_arrive_on_it(qtbot, qapp, runner: TaskRunner):
    assert QThread.currentThread() is qapp.thread() and is_gui_thread()
    gui = threading.get_ident()
    seen: dict = {}

    def work(x: int) -> int:  # no Qt calls in here: workers never touch Qt
        seen["off_gui"] = threading.get_ident() != gui and not is_gui_thread()
        seen["kind"] = worker_kind()
        assert_off_gui_thread("work")
        return x * 2

    results: list = []
    runner.submit(work, 21, on_done=lambda v: results.append((v, is_gui_thread())))
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, True)]
    assert seen == {"off_gui": True, "kind": "db"}
    assert is_gui_thread() and worker_kind() is None


def test_network_pool_is_separate(qtbot, runner: TaskRunner):
    kinds: list = []
    runner.submit(worker_kind, pool=NET, on_done=kinds.append)
    qtbot.waitUntil(lambda: bool(kinds))
    assert kinds == ["net"]


def test_errors_go_to_on_error_on_the_gui_thread(qtbot, runner: TaskRunner):
    errors: list = []

    def fail() -> None:
        raise ValueError("Lock after idle minutes must be at least 1.")

    runner.submit(fail, on_done=lambda v: errors.append("done?!"),
                  on_error=lambda exc: errors.append((str(exc), is_gui_thread())))
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [("Lock after idle minutes must be at least 1.", True)]


def test_cancelled_job_never_runs_and_never_calls_back(qtbot, runner: TaskRunner):
    gate = threading.Event()
    ran: list = []
    first = runner.submit(gate.wait, 10, on_done=lambda v: ran.append("first"))
    second = runner.submit(lambda: ran.append("second ran"), on_done=lambda v: ran.append("second done"))
    assert second.cancel() is True
    gate.set()
    qtbot.waitUntil(lambda: "first" in ran)
    qtbot.waitUntil(lambda: runner.pending == 0)
    assert ran == ["first"] and first.delivered and second.cancelled


def test_db_jobs_are_serialised_and_many_results_drain_in_batches(qtbot):
    tasks = TaskRunner(batch_ms=1)
    try:
        order: list[int] = []
        threads: set = set()
        for i in range(300):
            tasks.submit(lambda i=i: (threads.add(threading.get_ident()), i)[1], on_done=order.append)
        qtbot.waitUntil(lambda: len(order) == 300, timeout=10_000)
        assert order == list(range(300))  # one DB thread, in submission order
        assert len(threads) == 1
    finally:
        tasks.shutdown()


def test_progress_is_coalesced_and_delivered_on_the_gui_thread(qtbot, runner: TaskRunner):
    seen: list = []
    report = runner.reporter(lambda done, total: seen.append((done, total, is_gui_thread())))

    def work() -> str:
        for i in range(1, 1001):
            report(i, 1000)
        return "ok"

    done: list = []
    runner.submit(work, on_done=done.append)
    qtbot.waitUntil(lambda: bool(done and seen and seen[-1][0] == 1000))
    assert all(on_gui for _, _, on_gui in seen)
    assert len(seen) < 1000


def test_activity_reports_pending_work(qtbot, runner: TaskRunner):
    gate = threading.Event()
    with qtbot.waitSignal(runner.activity, check_params_cb=lambda n, label: n == 1 and label == "Waiting"):
        runner.submit(gate.wait, 10, label="Waiting")
    with qtbot.waitSignal(runner.activity, check_params_cb=lambda n, label: n == 0, timeout=5000):
        gate.set()


def test_shutdown_runs_the_final_job_after_running_work(qapp):
    tasks = TaskRunner()
    log: list = []
    gate = threading.Event()
    tasks.submit(lambda: (gate.wait(5), log.append("running"))[1])
    tasks.submit(lambda: log.append("queued"))  # dropped: never started
    threading.Timer(0.2, gate.set).start()
    tasks.shutdown(wait=True, final=lambda: log.append("final"))
    assert log == ["running", "final"]
