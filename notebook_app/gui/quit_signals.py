"""SIGTERM, SIGHUP and SIGINT (logout, shutdown, ``kill``, Ctrl+C in a terminal) close the
windows the way the Quit command does, so what was typed is saved before the app exits.

Python runs signal handlers only when the interpreter gets control, which it does not while
Qt's event loop waits in C++. ``signal.set_wakeup_fd`` makes every signal also write a byte to
a socket; a ``QSocketNotifier`` on the other end wakes the loop, the Python handler has then
run, and the close happens on the GUI thread like any other event.
"""

from __future__ import annotations

import signal
import socket
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class QuitOnSignals(QObject):
    """While it lives, the quit signals call ``quit()`` on the GUI thread (once)."""

    def __init__(self, quit: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._quit = quit
        self._quitting = False
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {number: signal.signal(number, self._noted) for number in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _noted(self, number: int, _frame: object) -> None:
        # Runs in the interpreter's main thread between bytecodes; the work is done in
        # _woken, from the event loop, where closing windows is safe.
        pass

    def _woken(self) -> None:
        try:
            received = self._reader.recv(64)
        except BlockingIOError:
            return
        if self._quitting or not any(byte in QUIT_SIGNALS for byte in received):
            return
        self._quitting = True
        self._quit()

    def uninstall(self) -> None:
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._reader.close()
        self._writer.close()
