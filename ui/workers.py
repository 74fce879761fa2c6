"""Background work for the panels (STYLE habit 3).

Each panel owns one ``Worker``.  ``Worker.start(fn, …)`` runs ``fn(progress)``
on a thread of its own, cancelling the job that panel had running; the result
or the error comes back to the UI thread by queued signal, and a result of a job
that was cancelled or superseded is dropped.  ``fn`` is a plain core function
taking ``workstation.progress.Progress``: it never sees Qt, and never touches a
widget.  Progress is throttled by ``Progress`` itself (20 updates a second at
most).  ``JobList`` collects every running job for the status bar (progress
bar and a cancel button each); ``shutdown_all`` cancels and joins them when the
window closes.
"""

from __future__ import annotations

import gc
import itertools
import logging
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QToolButton, QWidget

from ui.i18n import core
from workstation.errors import Cancelled, LintasError
from workstation.progress import Progress

log = logging.getLogger(__name__)
_ids = itertools.count(1)


class _Collector:
    """Python's cyclic garbage collector, held off while background jobs run.

    A full collection walks every object alive and holds the GIL throughout: with a worker's
    millions of values in Python (a search index being built, a dossier's selection) it took 0.1 to
    1.2 s on a case of 3 million calls, during which the UI thread can run no Python at all (issue 7:
    the window never freezes).  A job's data is freed by reference counting as it goes; the few
    cycles jobs leave (37 to 74 objects over a 2-million-row import, whose peak memory grew by 9 %)
    are collected once no job runs any more.  Modules a job imported (the dossier's reportlab and
    matplotlib, the first time) stay for the session: they are moved out of the collector's reach, as
    the window does with its own at start, rather than walked by the first collection after the job
    (0.1 s).
    """

    _lock = threading.Lock()
    _running = 0
    _paused = False
    _modules = 0

    @classmethod
    def enter(cls) -> None:
        with cls._lock:
            if cls._running == 0 and gc.isenabled():
                gc.disable()
                cls._paused = True
                cls._modules = len(sys.modules)
            cls._running += 1

    @classmethod
    def leave(cls) -> None:
        with cls._lock:
            cls._running -= 1
            if cls._running == 0 and cls._paused:
                cls._paused = False
                if len(sys.modules) > cls._modules + 20:
                    gc.freeze()
                gc.enable()


def esc_cancels(panel: QWidget, cancel: Callable[[], None]) -> QShortcut:
    """Esc pressed anywhere in ``panel`` calls ``cancel`` (its running job), as the shortcuts help says."""
    esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), panel, activated=cancel)
    esc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    return esc


class Job:
    def __init__(self, title: str, fn: Callable[[Progress], Any], worker: Worker) -> None:
        self.id = next(_ids)
        self.title = title
        self.fn = fn
        self.worker = worker
        self.progress = Progress(self._report, min_interval=0.05)
        self.thread: threading.Thread | None = None
        self.started = time.monotonic()
        self.fraction = 0.0
        self.message = ""

    def _report(self, fraction: float, message: str) -> None:
        self.worker._progressed.emit(self.id, fraction, message)

    def cancel(self) -> None:
        self.progress.cancel()

    @property
    def running(self) -> bool:
        return self.thread is not None and self.thread.is_alive()


class Worker(QObject):
    """One panel's background job at a time."""

    # Internal: emitted from the job's thread, delivered queued on the UI thread.
    _progressed = Signal(int, float, str)
    _finished = Signal(int, object, object)  # job id, result, error

    started = Signal(object)     # Job
    progressed = Signal(object)  # Job
    ended = Signal(object)       # Job

    def __init__(self, name: str, jobs: JobList | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.current: Job | None = None
        self._all: list[Job] = []
        self._callbacks: dict[int, tuple[Callable | None, Callable | None]] = {}
        self._progressed.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        if jobs is not None:
            jobs.watch(self)

    def start(self, title: str, fn: Callable[[Progress], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> Job:
        """Cancel this panel's running job and start ``fn(progress)`` in the background."""
        self.cancel()
        job = Job(title, fn, self)
        self.current = job
        self._callbacks[job.id] = (on_done, on_error)
        self._all.append(job)

        def run() -> None:
            result, error = None, None
            try:
                result = fn(job.progress)
            except BaseException as e:  # delivered to the UI thread, never raised here
                error = e
                if isinstance(e, LintasError):  # refused input, bad query: said to the analyst
                    log.info("%s: job %r: %s", self.name, title, e)
                else:
                    log.exception("%s: job %r failed", self.name, title)
            finally:
                _Collector.leave()
            try:
                self._finished.emit(job.id, result, error)
            except RuntimeError:   # the worker's window is gone (closed meanwhile): no one to tell
                log.info("%s: job %r ended after its worker was deleted", self.name, title)

        job.thread = threading.Thread(target=run, name=f"lintas-{self.name}-{job.id}")
        _Collector.enter()
        try:
            job.thread.start()
        except BaseException:
            _Collector.leave()
            raise
        self.started.emit(job)
        return job

    def cancel(self) -> None:
        if self.current is not None:
            self.current.cancel()

    def busy(self) -> bool:
        return self.current is not None and self.current.running

    def _on_progress(self, job_id: int, fraction: float, message: str) -> None:
        job = self._find(job_id)
        if job is None:
            return
        job.fraction, job.message = fraction, message
        self.progressed.emit(job)

    def _on_finished(self, job_id: int, result: Any, error: BaseException | None) -> None:
        job = self._find(job_id)
        on_done, on_error = self._callbacks.pop(job_id, (None, None))
        if job is None:
            return
        if job.thread is not None:
            job.thread.join()
        self._all.remove(job)
        self.ended.emit(job)
        superseded = job is not self.current
        if not superseded:
            self.current = None
        if superseded:
            if error is None and result is not None and hasattr(result, "close"):
                result.close()  # a result nobody will show (e.g. a superseded RowSource)
            return
        if error is None:
            # Delivered even when cancel came too late to stop it: the work was done (an import
            # that committed must not be reported as cancelled).
            if on_done is not None:
                on_done(result)
            return
        if on_error is not None:
            # An error raised because the job was stopped (an interrupted statement) is a cancel.
            on_error(Cancelled() if job.progress.cancelled() and not isinstance(error, LintasError)
                     else error)

    def _find(self, job_id: int) -> Job | None:
        return next((j for j in self._all if j.id == job_id), None)

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every job of this worker ended (tests, closing)."""
        deadline = time.monotonic() + timeout
        for job in list(self._all):
            if job.thread is not None:
                job.thread.join(max(0.0, deadline - time.monotonic()))
        return all(not j.running for j in self._all)

    def release(self) -> list[threading.Thread]:
        """Cancel every job of this worker and forget them without waiting (the case they work on is
        being closed): none of their results or errors will be delivered.  The threads still running
        are returned, for whoever closes the case to join before closing it."""
        threads = []
        for job in list(self._all):
            job.cancel()
            self._callbacks.pop(job.id, None)
            self._all.remove(job)
            self.ended.emit(job)
            if job.thread is not None and job.thread.is_alive():
                threads.append(job.thread)
        self.current = None
        return threads

    def shutdown(self, timeout: float = 10.0) -> None:
        for job in list(self._all):
            job.cancel()
        if not self.wait(timeout):
            log.warning("%s: a job did not stop within %.0f s", self.name, timeout)


class JobList(QObject):
    """Every job of the window, for the status bar."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workers: list[Worker] = []

    def watch(self, worker: Worker) -> None:
        self.workers.append(worker)
        worker.started.connect(lambda _j: self.changed.emit())
        worker.ended.connect(lambda _j: self.changed.emit())
        worker.progressed.connect(lambda _j: self.changed.emit())

    def running(self) -> list[Job]:
        return [j for w in self.workers for j in w._all if not j.progress.cancelled() or j.running]

    def shutdown_all(self, timeout: float = 10.0) -> None:
        for w in self.workers:
            for job in list(w._all):
                job.cancel()
        for w in self.workers:
            w.wait(timeout)


class JobsIndicator(QWidget):
    """Status-bar widget: the newest running job, its progress, a cancel button, and a count."""

    def __init__(self, jobs: JobList, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.jobs = jobs
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Cancel this job (Esc in its panel)"))
        self.cancel_button.clicked.connect(self._cancel)
        lay.addWidget(self.label)
        lay.addWidget(self.bar)
        lay.addWidget(self.cancel_button)
        jobs.changed.connect(self.refresh)
        self.refresh()

    def _job(self) -> Job | None:
        running = [j for j in self.jobs.running() if not j.progress.cancelled()]
        return running[-1] if running else None

    def _cancel(self) -> None:
        job = self._job()
        if job is not None:
            job.cancel()
            self.refresh()

    def refresh(self) -> None:
        job = self._job()
        self.setVisible(job is not None)
        if job is None:
            return
        others = len([j for j in self.jobs.running() if not j.progress.cancelled()]) - 1
        text = job.title + (f" — {core(job.message)}" if job.message else "")
        if others > 0:
            text += " " + self.tr("(+{0} more)").format(others)
        self.label.setText(text)
        if job.fraction <= 0.0:
            self.bar.setRange(0, 0)  # busy indicator until the job reports a fraction
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(job.fraction * 1000))
