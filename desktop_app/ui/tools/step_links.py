"""Tool steps under an answer: one link per call (tool, status, time) that a click
opens to show the arguments and the result, and closes again."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QCoreApplication, QLocale

from desktop_app.core.tools.chat_job import SERVER_PROBLEM
from desktop_app.core.tools.steps import StoredStep
from desktop_app.ui.extensions.api import MessageLink

MAX_DETAIL_CHARS = 4000


def status_text(status: str) -> str:
    words = {
        "done": QCoreApplication.translate("ToolSteps", "done"),
        "failed": QCoreApplication.translate("ToolSteps", "failed"),
        "denied": QCoreApplication.translate("ToolSteps", "denied"),
        "cancelled": QCoreApplication.translate("ToolSteps", "stopped"),
    }
    return words.get(status, status)


def step_label(step: StoredStep, opened: bool) -> str:
    arrow = "▾" if opened else "▸"
    if step.name == SERVER_PROBLEM:
        name = QCoreApplication.translate("ToolSteps", "MCP server")
    else:
        name = step.name
    parts = [f"{arrow} {name}", status_text(step.status)]
    if step.status in ("done", "failed") and step.name != SERVER_PROBLEM:
        seconds = QLocale().toString(step.seconds, "f", 2)
        parts.append(QCoreApplication.translate("ToolSteps", "%1 s").replace("%1", seconds))
    return " · ".join(parts)


def step_detail(step: StoredStep) -> str:
    result = step.result
    if len(result) > MAX_DETAIL_CHARS:
        result = result[:MAX_DETAIL_CHARS] + " …"
    if step.name == SERVER_PROBLEM:
        return result
    return "\n".join(
        [
            QCoreApplication.translate("ToolSteps", "Arguments: %1").replace(
                "%1", step.arguments_json
            ),
            QCoreApplication.translate("ToolSteps", "Result: %1").replace("%1", result),
        ]
    )


def step_links(
    steps: list[StoredStep],
    is_open: Callable[[int], bool],
    toggle: Callable[[int], None],
) -> list[MessageLink]:
    """A link per step; ``is_open(i)`` says whether step ``i`` shows its detail,
    ``toggle(i)`` is what a click on it does."""
    tip = QCoreApplication.translate("ToolSteps", "Click to show or hide the arguments and result")
    links = []
    for number, step in enumerate(steps):
        opened = is_open(number)
        links.append(
            MessageLink(
                step_label(step, opened),
                tip,
                partial(toggle, number),
                step_detail(step) if opened else "",
            )
        )
    return links
