"""Tools settings (MCP servers, built-ins) and the structured-answer card, clicked."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desktop_app.core.tools.config import McpServerConfig, load_tools_config
from desktop_app.ui.tools.answer_card import answer_card
from desktop_app.ui.tools.settings_page import ServerDialog, ToolsSettingsPage


def test_server_dialog_checks_and_builds_a_server(qtbot: QtBot) -> None:
    dialog = ServerDialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.name, "files")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.server() is None
    assert "either a 'command'" in dialog.error.text()
    qtbot.keyClicks(dialog.command, "npx -y '@mcp/server fs' ~/notes")
    qtbot.keyClicks(dialog.env, "TOKEN=abc")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    server = dialog.server()
    assert server is not None
    assert server.command == ("npx", "-y", "@mcp/server fs", "~/notes")
    assert dict(server.env) == {"TOKEN": "abc"}


def test_page_adds_switches_off_and_removes_servers(
    qtbot: QtBot, tmp_path: Path, monkeypatch
) -> None:
    new = McpServerConfig("web", url="http://127.0.0.1:9000/mcp")
    page = ToolsSettingsPage(tmp_path, edit_server=lambda old, parent: new)
    qtbot.addWidget(page)
    page.show()
    assert not page.remove_button.isEnabled()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert load_tools_config(tmp_path)[0].server("web") == new
    item = page.servers.item(0)
    assert item.checkState() == Qt.CheckState.Checked
    item.setCheckState(Qt.CheckState.Unchecked)  # the user's click on the check box
    assert load_tools_config(tmp_path)[0].server("web").enabled is False
    search = page.builtin_boxes["search"]  # a click on its box, where a user clicks
    qtbot.mouseClick(search, Qt.MouseButton.LeftButton, pos=QPoint(8, search.height() // 2))
    assert "search" in load_tools_config(tmp_path)[0].builtins
    page.servers.setCurrentRow(0)
    monkeypatch.setattr(
        "desktop_app.ui.tools.settings_page.QMessageBox.question",
        lambda *args: __import__("PySide6.QtWidgets").QtWidgets.QMessageBox.StandardButton.Yes,
    )
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert load_tools_config(tmp_path)[0].servers == ()
    assert page.servers.count() == 0


def test_sentiment_answer_shows_as_a_card_with_json_a_click_away(qtbot: QtBot) -> None:
    answer = {"sentiment": "mixed", "confidence": 0.75, "reasons": ["<b>great</b> food", "slow"]}
    card = answer_card(json.dumps(answer))
    assert card is not None
    qtbot.addWidget(card)
    card.show()
    text = card.card.text()
    assert "Mixed" in text and "75 %" in text
    assert "&lt;b&gt;great&lt;/b&gt; food" in text  # an answer is data, never markup
    assert not card.raw.isVisible()
    qtbot.mouseClick(card.toggle, Qt.MouseButton.LeftButton)
    assert card.raw.isVisible()
    assert json.loads(card.raw.toPlainText()) == answer
    assert answer_card("plain words") is None
    assert answer_card('{"cut": "off') is None


def test_structured_answers_get_a_summary_line() -> None:
    from desktop_app.ui.extensions.api import MessageView
    from desktop_app.ui.tools.feature import summary_line

    sentiment = json.dumps({"sentiment": "positive", "confidence": 0.9, "reasons": ["ok"]})
    assert summary_line(MessageView(1, "assistant", sentiment)) == (
        "Sentiment: Positive · 90 % confident"
    )
    assert summary_line(MessageView(2, "assistant", '{"a": 1, "b": 2}')) == (
        "Structured answer (2 fields)"
    )
    assert summary_line(MessageView(3, "assistant", "plain")) is None
    assert summary_line(MessageView(4, "user", sentiment)) is None


def test_window_answers_a_schema_and_shows_it_as_a_card(
    launch, qtbot: QtBot, monkeypatch, tiny_model: Path
) -> None:
    """A chat constrained by the Sentiment analyst's schema, end to end in the window."""
    import jsonschema
    from PySide6.QtGui import QAction

    from desktop_app.core.engine.base import GenerationParams
    from desktop_app.core.presets import builtin_presets
    from desktop_app.ui.chat.composer import Composer
    from desktop_app.ui.chat.model import ChatRoles
    from desktop_app.ui.tools.feature import AnswerCardDialog
    from tests.gui.helpers import ANSWER_TIMEOUT_MS, answer_finished, child, open_model, rows

    preset = next(p for p in builtin_presets() if p.id == "sentiment")
    params = preset.generation_params(GenerationParams(max_tokens=700, seed=2))
    hearth = launch(generation_params=params)
    open_model(qtbot, hearth.window, monkeypatch, tiny_model)
    composer = child(hearth.window, Composer, "composer")
    qtbot.keyClicks(composer, "The food was great but the service slow.")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: answer_finished(hearth), timeout=ANSWER_TIMEOUT_MS)
    answer = json.loads(rows(hearth)[-1].text)
    jsonschema.validate(answer, dict(preset.response_schema or {}))
    model = hearth.window.chat_model
    footer = model.data(model.index(model.rowCount() - 1), ChatRoles.FOOTER)
    assert f"Sentiment: {answer['sentiment'].capitalize()}" in footer
    child(hearth.window, QAction, "structuredAnswerAction").trigger()
    dialog = hearth.window.findChild(AnswerCardDialog)
    assert dialog is not None and dialog.isVisible()
    assert json.loads(dialog.card.raw.toPlainText()) == answer
    dialog.close()


def test_the_page_lists_always_allowed_tools_and_forgets_them(qtbot: QtBot, tmp_path: Path) -> None:
    from desktop_app.core.tools.config import ToolsConfig, save_tools_config

    save_tools_config(tmp_path, ToolsConfig(always_allowed=("calculator", "pid")))
    page = ToolsSettingsPage(tmp_path)
    qtbot.addWidget(page)
    page.show()
    assert "calculator, pid" in page.always_label.text()
    qtbot.mouseClick(page.forget_button, Qt.MouseButton.LeftButton)
    assert load_tools_config(tmp_path)[0].always_allowed == ()
    assert not page.forget_button.isEnabled()
    assert page.always_label.text() == "Every tool call asks you first."
