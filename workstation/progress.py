"""The small progress protocol every long operation takes (STYLE habit 2).

A long operation is a plain function that receives a ``Progress`` and calls
``progress(fraction, message)`` now and then and ``progress.check()`` between
steps.  ``check`` raises ``Cancelled`` once the caller asked to stop.  The CLI
passes a terminal bar, the UI a worker's object; the function knows neither.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

from .errors import Cancelled


class Progress:
    """Progress sink with cancellation.  Thread-safe to cancel from another thread."""

    def __init__(self, callback: Callable[[float, str], None] | None = None,
                 min_interval: float = 0.05) -> None:
        self._callback = callback
        self._cancel = threading.Event()
        self._min_interval = min_interval
        self._last = 0.0
        self.fraction = 0.0
        self.message = ""

    def __call__(self, fraction: float, message: str = "") -> None:
        self.check()
        self.fraction = max(0.0, min(1.0, float(fraction)))
        if message:
            self.message = message
        now = time.monotonic()
        if self._callback and (now - self._last >= self._min_interval or self.fraction >= 1.0):
            self._last = now
            self._callback(self.fraction, self.message)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()

    def sub(self, start: float, end: float) -> Progress:
        """A child progress mapping 0..1 onto start..end of this one."""
        parent = self

        class _Sub(Progress):
            def __call__(self, fraction: float, message: str = "") -> None:
                parent(start + (end - start) * max(0.0, min(1.0, fraction)), message)

            def cancel(self) -> None:
                parent.cancel()

            def cancelled(self) -> bool:
                return parent.cancelled()

            def check(self) -> None:
                parent.check()

        return _Sub()


class TerminalProgress(Progress):
    """A one-line bar on stderr, only when stderr is a terminal."""

    def __init__(self, stream=None) -> None:
        self._stream = stream or sys.stderr
        self._active = self._stream.isatty()
        super().__init__(self._draw if self._active else None, min_interval=0.1)

    def _draw(self, fraction: float, message: str) -> None:
        width = 30
        done = int(width * fraction)
        bar = "#" * done + "-" * (width - done)
        self._stream.write(f"\r[{bar}] {fraction * 100:5.1f}% {message[:60]:<60}")
        self._stream.flush()

    def close(self) -> None:
        if self._active:
            self._stream.write("\r" + " " * 100 + "\r")
            self._stream.flush()


NULL = Progress()
