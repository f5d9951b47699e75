"""Failures the window shows: uncaught exceptions, and a crash report from the last run.

An uncaught exception on any thread is logged with its traceback by
``desktop_app.core.logs``; here the window also says it in one line in its banner
(non-modal: the user keeps working). A crash of the previous run (a fatal signal
that ``faulthandler`` wrote down) is offered once at the next start, in a dialog
that shows the report's text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core import logs

MAX_REPORT_CHARS = 200_000


class UncaughtErrors(QObject):
    """Shows each uncaught exception in the window's banner, from whatever thread it came."""

    raised = Signal(str)

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.raised.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._remove = logs.on_uncaught(self.raised.emit)
        self.destroyed.connect(self._remove)

    def stop(self) -> None:
        self._remove()

    @Slot(str)
    def _show(self, line: str) -> None:
        setup = logs.current()
        where = str(setup.log_file) if setup is not None else ""
        message = self.tr("Something went wrong: %1").replace("%1", line)
        if where:
            message += " " + self.tr("(details in %1)").replace("%1", where)
        show_error = getattr(self._window, "show_error", None)
        if callable(show_error):
            show_error(message)


class CrashReportDialog(QDialog):
    """The text of a crash report, read-only, with where the file is."""

    def __init__(self, report: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashReportDialog")
        self.setWindowTitle(self.tr("Crash report"))
        self.resize(720, 480)
        column = QVBoxLayout(self)
        where = QLabel(self.tr("Saved in %1").replace("%1", str(report)), self)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where.setWordWrap(True)
        column.addWidget(where)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("crashReportText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText(_read(report) or self.tr("The report could not be read."))
        column.addWidget(self.text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)


def _read(report: Path) -> str:
    try:
        text = report.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return text[-MAX_REPORT_CHARS:]


def offer_crash_report(window: QWidget, report: Path) -> QMessageBox:
    """Say that the last run crashed and offer to show its report (non-modal)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        QCoreApplication.translate("CrashReportDialog", "Hearth"),
        QCoreApplication.translate(
            "CrashReportDialog",
            "Hearth closed unexpectedly the last time. A crash report was saved.",
        ),
        QMessageBox.StandardButton.Close,
        window,
    )
    box.setObjectName("crashOfferBox")
    show = box.addButton(
        QCoreApplication.translate("CrashReportDialog", "Show Report"),
        QMessageBox.ButtonRole.ActionRole,
    )
    show.setObjectName("showCrashReportButton")

    def clicked(button: object) -> None:
        if button is show:
            dialog = CrashReportDialog(report, window)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    box.buttonClicked.connect(clicked)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
