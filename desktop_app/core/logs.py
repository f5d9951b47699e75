"""Logging, crash reports and uncaught exceptions, configured once per process.

``configure_logging`` is called by the ``hearth`` command before it runs anything:

- a rotating log file, ``logs/hearth.log`` in the data folder (standard library
  ``logging.handlers.RotatingFileHandler``: 1 MB, three old files kept);
- warnings and errors on stderr as ``hearth: warning: …`` (``--log-level`` lowers
  the threshold of both);
- ``faulthandler`` writing the Python stacks of every thread to ``logs/crash.log``
  when the process dies of a fatal signal (a segfault in llama.cpp, an abort in Qt).
  A crash log left by the previous run is renamed ``last-crash.log`` at the next
  start and reported by ``previous_crash``, so the window can offer to show it and
  the CLI can point to it;
- ``sys.excepthook`` and ``threading.excepthook`` log an uncaught exception with its
  traceback, on any thread, and tell the listeners added with ``on_uncaught`` (the
  window shows a one-line, non-modal error).
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any

LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FILE = "hearth.log"
CRASH_FILE = "crash.log"
LAST_CRASH_FILE = "last-crash.log"
MAX_LOG_BYTES = 1 << 20
LOG_BACKUPS = 3

log = logging.getLogger(__name__)

UncaughtListener = Callable[[str], None]
"""Told the one-line summary of an uncaught exception; called on the thread that raised it."""


@dataclass(frozen=True)
class LogSetup:
    folder: Path
    log_file: Path
    crash_file: Path
    previous_crash: Path | None
    """The crash report the previous run left, renamed ``last-crash.log``; None if it ran well."""


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (tests and the CLI swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = sys.stderr
            if stream is not None:
                stream.write(self.format(record) + "\n")
                stream.flush()
        except Exception:
            self.handleError(record)


class _ConsoleFormatter(logging.Formatter):
    """``hearth: warning: message``, as the CLI's own messages read."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return f"hearth: {record.levelname.lower()}: {text}"


_handlers: list[logging.Handler] = []
_crash_stream: IO[str] | None = None
_setup: LogSetup | None = None
_listeners: list[UncaughtListener] = []


def configure_logging(data_dir: Path, level: str | None = None) -> LogSetup:
    """Set up logging for this process (again: the previous setup is replaced).

    ``level`` is one of ``LEVELS``; None keeps the defaults (the file from info, the
    console from warning). Never raises for a folder that cannot be written: logging
    then goes to stderr only, and that is said once.
    """
    global _setup
    folder = data_dir / "logs"
    file_level = _level(level, logging.INFO)
    console_level = _level(level, logging.WARNING)
    root = logging.getLogger()
    for handler in _handlers:
        root.removeHandler(handler)
        handler.close()
    _handlers.clear()

    console = _StderrHandler()
    console.setLevel(console_level)
    console.setFormatter(_ConsoleFormatter("%(message)s"))
    _handlers.append(console)
    previous_crash: Path | None = None
    problem: str | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        previous_crash = _take_previous_crash(folder)
        file_handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE,
            maxBytes=MAX_LOG_BYTES,
            backupCount=LOG_BACKUPS,
            encoding="utf-8",
            delay=True,
        )
        file_handler.setLevel(file_level)
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
        )
        _handlers.append(file_handler)
        _enable_faulthandler(folder / CRASH_FILE)
    except OSError as exc:
        problem = f"cannot write the log files in {folder}: {exc.strerror or exc}"
    for handler in _handlers:
        root.addHandler(handler)
    root.setLevel(min(file_level, console_level))
    _install_hooks()
    _setup = LogSetup(folder, folder / LOG_FILE, folder / CRASH_FILE, previous_crash)
    if problem:
        log.warning("%s; logging to the terminal only", problem)
    return _setup


def current() -> LogSetup | None:
    """The setup of this process, or None before ``configure_logging``."""
    return _setup


def on_uncaught(listener: UncaughtListener) -> Callable[[], None]:
    """Call ``listener`` with a one-line summary of each uncaught exception; returns an undo."""
    _listeners.append(listener)

    def remove() -> None:
        if listener in _listeners:
            _listeners.remove(listener)

    return remove


def _level(name: str | None, default: int) -> int:
    if name is None:
        return default
    if name.lower() not in LEVELS:
        raise ValueError(f"unknown log level {name!r}: use one of {', '.join(LEVELS)}")
    return int(getattr(logging, name.upper()))


def _take_previous_crash(folder: Path) -> Path | None:
    """Rename a non-empty crash log of the previous run to ``last-crash.log``."""
    crash = folder / CRASH_FILE
    try:
        if crash.stat().st_size == 0:
            return None
    except FileNotFoundError:
        return None
    last = folder / LAST_CRASH_FILE
    os.replace(crash, last)
    return last


def _enable_faulthandler(path: Path) -> None:
    global _crash_stream
    stream = open(path, "a", encoding="utf-8")  # noqa: SIM115 - must stay open for the process
    faulthandler.enable(stream, all_threads=True)
    if _crash_stream is not None:
        _crash_stream.close()
    _crash_stream = stream


def summary(exc: BaseException) -> str:
    """One line for the user: the exception's type and message."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _tell(exc: BaseException) -> None:
    line = summary(exc)
    for listener in list(_listeners):
        try:
            listener(line)
        except Exception:
            log.exception("A listener for uncaught exceptions failed")


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    log.critical("Uncaught exception", exc_info=(kind, exc, tb))
    _tell(exc)


def _thread_excepthook(args: Any) -> None:
    if args.exc_type is SystemExit or args.exc_value is None:
        return
    name = args.thread.name if args.thread is not None else "unknown"
    log.critical(
        "Uncaught exception in thread %s",
        name,
        exc_info=(args.exc_type, args.exc_value, args.exc_traceback),
    )
    _tell(args.exc_value)


def _install_hooks() -> None:
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook
