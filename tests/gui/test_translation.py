"""简体中文: the window in zh_CN shows no English that should have been translated."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.app import Hearth
from desktop_app.core.models.catalog import load_catalog
from desktop_app.ui.chat.model import ChatRoles
from desktop_app.ui.chat.view import ChatView
from desktop_app.ui.shared.i18n import install_translations, resolve_language, translation_files
from desktop_app.ui.shared.shortcuts import ShortcutsSheet
from tests.gui.helpers import Launcher, child
from tests.gui.test_shortcuts import seed_conversation

ALLOWED = {"Hearth", "AI", "GGUF", "gguf", "Ctrl", "Shift", "Enter", "Esc", "Markdown", "Tab", "Up"}
"""Names, file types and key names that stay as they are in Chinese."""
ALLOWED |= {"GB", "MB", "KB"} | {
    word
    for entry in load_catalog()
    for word in re.findall(r"[A-Za-z]{2,}", f"{entry.name} {entry.license}")
}
"""Model names, licences and units are the same in every language."""
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", text)  # markup is not text
    return [word for word in WORD.findall(text) if word not in ALLOWED]


@pytest.fixture
def chinese() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    loaded = install_translations(app, "zh_CN")
    assert any(path.name == "main_zh_CN.qm" for path in loaded)
    yield
    install_translations(app, "en")
    QLocale.setDefault(QLocale.system())


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every string a user can see or hear in ``root``'s visible widgets."""
    found: list[tuple[str, str]] = [("window title", root.windowTitle())]
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = widget.objectName() or type(widget).__name__
        found.append((f"{where} accessible name", widget.accessibleName()))
        found.append((f"{where} tooltip", widget.toolTip()))
        if isinstance(widget, QLabel):
            found.append((where, widget.text()))
        if isinstance(widget, QAbstractButton):
            found.append((where, widget.text()))
        if isinstance(widget, QPlainTextEdit):
            found.append((f"{where} placeholder", widget.placeholderText()))
        if isinstance(widget, QTreeWidget):
            header = widget.headerItem()
            found += [(f"{where} header", header.text(c)) for c in range(header.columnCount())]
            for row in range(widget.topLevelItemCount()):
                found.append((f"{where} row", widget.topLevelItem(row).text(1)))
        if isinstance(widget, ChatView):
            found.append((f"{where} empty hint", widget.empty_hint()))
            model = widget.model()
            for row in range(model.rowCount()):
                found.append((f"{where} footer", str(model.index(row, 0).data(ChatRoles.FOOTER))))
    return found


def menu_texts(window: QWidget) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for menu in window.findChildren(QMenu):
        found.append((f"menu {menu.objectName()}", menu.title()))
        found.append((f"menu {menu.objectName()} accessible name", menu.accessibleName()))
        for action in menu.actions():
            found.append((f"action {action.objectName()}", action.text()))
            found.append((f"action {action.objectName()} status tip", action.statusTip()))
    for action in window.findChildren(QAction):
        found.append((f"action {action.objectName()}", action.text()))
    return found


def untranslated(texts: list[tuple[str, str]], data_words: set[str]) -> list[str]:
    problems = []
    for where, text in texts:
        words = [word for word in english_words(text) if word not in data_words]
        if words:
            problems.append(f"{where}: {text!r}")
    return problems


def check(window: QWidget, data_words: set[str]) -> None:
    problems = untranslated(visible_texts(window) + menu_texts(window), data_words)
    assert problems == [], "English left in the Chinese window:\n" + "\n".join(problems)


def test_the_welcome_page_is_all_chinese(chinese: None, launch: Launcher) -> None:
    hearth: Hearth = launch(restore=False)
    assert "欢迎使用 Hearth" in [label.text() for label in hearth.window.findChildren(QLabel)]
    check(hearth.window, set())


def test_the_chat_page_menus_and_dialogs_are_all_chinese(
    chinese: None, launch: Launcher, qtbot: QtBot, hearth_home: Path
) -> None:
    seed_conversation(hearth_home)
    hearth: Hearth = launch(restore=False)
    window = hearth.window
    data_words = {"Tiny", "Seeded"}  # the model's and the conversation's names are data
    assert child(window, QWidget, "chatPage").isVisible()
    check(window, data_words)

    qtbot.keyClick(window, Qt.Key.Key_F1)
    sheet = window.findChild(ShortcutsSheet, "shortcutsSheet")
    assert sheet is not None
    qtbot.waitUntil(sheet.isVisible)
    assert sheet.windowTitle() == "键盘快捷键"
    check(sheet, data_words)
    sheet.reject()

    window.findChild(QAction, "aboutAction").trigger()
    box = window.findChild(QMessageBox, "aboutBox")
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    check(box, data_words | {"h3"})
    box.accept()

    view = child(window, ChatView, "chatView")
    menu = view.message_menu(view.model().index(1, 0))
    assert [action.text() for action in menu.actions() if not action.isSeparator()] == [
        "复制为 Markdown", "复制为纯文本", "重新生成", "删除"
    ]  # fmt: skip
    menu.close()


def test_the_language_follows_the_system_or_the_setting() -> None:
    assert resolve_language("system", QLocale("zh_CN")) == "zh_CN"
    assert resolve_language("system", QLocale("zh_SG")) == "zh_CN"
    assert resolve_language("system", QLocale("zh_TW")) == "en"
    assert resolve_language("system", QLocale("en_GB")) == "en"
    assert resolve_language("system", QLocale("de_DE")) == "en"
    assert resolve_language("zh_CN", QLocale("en_US")) == "zh_CN"
    assert resolve_language("en", QLocale("zh_CN")) == "en"
    with pytest.raises(ValueError, match="unknown language"):
        resolve_language("klingon")


def test_every_translation_is_compiled_and_complete(qapp: QApplication) -> None:
    compiled = translation_files("zh_CN")
    assert compiled, "no compiled zh_CN catalogue"
    for qm in compiled:
        source = qm.with_suffix(".ts")
        assert source.is_file(), f"{qm.name} has no .ts source"
        translator = QTranslator()
        assert translator.load(str(qm))
        for context in ElementTree.parse(source).getroot().iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                text = message.findtext("source") or ""
                translation = message.find("translation")
                assert translation is not None and translation.get("type") != "unfinished", (
                    f"{source.name}: {name} {text!r} is not translated"
                )
                assert translator.translate(name, text) == translation.text, (
                    f"{qm.name} is older than {source.name}: run packaging/build_translations.py"
                )
