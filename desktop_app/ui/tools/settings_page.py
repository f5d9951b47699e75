"""Settings → Tools: the built-in tools new chats start with, and the MCP servers.

Servers are added and edited in a small dialog (stdio command or streamable HTTP URL,
environment, timeout) and switched on and off with their check box; every change is
saved at once to the tools file (``core.tools.config``). Nothing is started here: a
server runs only while a chat uses it.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.tools.builtins import BUILTIN_NAMES
from desktop_app.core.tools.config import (
    McpServerConfig,
    ToolsConfig,
    ToolsConfigError,
    load_tools_config,
    save_tools_config,
    server_from_dict,
)
from desktop_app.ui.tools.chat_tools import builtin_labels


class ServerDialog(QDialog):
    """Add or edit one MCP server; ``server()`` gives the checked result."""

    def __init__(self, server: McpServerConfig | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("MCP server"))
        self.name = QLineEdit(server.name if server else "", self)
        self.command = QLineEdit(shlex.join(server.command) if server else "", self)
        self.command.setPlaceholderText(self.tr("a program and its arguments (stdio)"))
        self.url = QLineEdit(server.url if server else "", self)
        self.url.setPlaceholderText(self.tr("or an http(s) URL (streamable HTTP)"))
        self.env = QPlainTextEdit(
            "\n".join(f"{k}={v}" for k, v in (server.env if server else {}).items()), self
        )
        self.env.setPlaceholderText(self.tr("NAME=value, one per line"))
        self.timeout = QDoubleSpinBox(self)
        self.timeout.setRange(1, 600)
        self.timeout.setSuffix(" s")
        self.timeout.setValue(server.timeout_s if server else 30)
        self.error = QLabel(self)
        self.error.setObjectName("serverError")
        self.error.setStyleSheet("color: #c62828")
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Command"), self.command)
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Environment"), self.env)
        form.addRow(self.tr("Timeout"), self.timeout)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._enabled = server.enabled if server else True
        self._result: McpServerConfig | None = None

    def server(self) -> McpServerConfig | None:
        return self._result

    @Slot()
    def _check(self) -> None:
        try:
            command = shlex.split(self.command.text())
        except ValueError as exc:
            self.error.setText(self.tr("The command cannot be read: %1").replace("%1", str(exc)))
            return
        env = {}
        for line in self.env.toPlainText().splitlines():
            if line.strip():
                key, _, value = line.partition("=")
                env[key.strip()] = value
        data = {
            "name": self.name.text().strip(),
            "command": command,
            "url": self.url.text().strip(),
            "env": env,
            "enabled": self._enabled,
            "timeout_s": self.timeout.value(),
        }
        try:
            self._result = server_from_dict(data)
        except ToolsConfigError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class ToolsSettingsPage(QWidget):
    def __init__(
        self,
        config_dir: Path,
        parent: QWidget | None = None,
        edit_server: Callable[[McpServerConfig | None, QWidget], McpServerConfig | None]
        | None = None,
    ) -> None:
        super().__init__(parent)
        self._config_dir = config_dir
        self._config, warning = load_tools_config(config_dir)
        self._edit_server = edit_server or _run_server_dialog
        builtins = QGroupBox(self.tr("Built-in tools new chats start with"), self)
        builtin_layout = QVBoxLayout(builtins)
        self.builtin_boxes: dict[str, QCheckBox] = {}
        labels = builtin_labels()
        for short in BUILTIN_NAMES:
            box = QCheckBox(labels[short], builtins)
            box.setChecked(short in self._config.builtins)
            box.toggled.connect(self._builtins_changed)
            builtin_layout.addWidget(box)
            self.builtin_boxes[short] = box
        servers = QGroupBox(self.tr("MCP servers (started only while a chat uses them)"), self)
        self.servers = QListWidget(servers)
        self.servers.itemChanged.connect(self._server_toggled)
        self.add_button = QPushButton(self.tr("Add…"), servers)
        self.edit_button = QPushButton(self.tr("Edit…"), servers)
        self.remove_button = QPushButton(self.tr("Remove"), servers)
        self.add_button.clicked.connect(self._add)
        self.edit_button.clicked.connect(self._edit)
        self.remove_button.clicked.connect(self._remove)
        row = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(button)
        row.addStretch(1)
        server_layout = QVBoxLayout(servers)
        server_layout.addWidget(self.servers)
        server_layout.addLayout(row)
        note = QLabel(
            self.tr(
                "Every tool call needs your approval (or an earlier “Always allow”). Choose "
                "a chat's tools with the Tools button in its header; an MCP server starts "
                "only while a chat's answer uses it. 'hearth chat --tools' and the local "
                "API use the same tools."
            ),
            self,
        )
        note.setWordWrap(True)
        self.always_label = QLabel(self)
        self.always_label.setObjectName("alwaysAllowedLabel")
        self.always_label.setWordWrap(True)
        self.forget_button = QPushButton(self.tr("Ask Again for Every Tool"), self)
        self.forget_button.setObjectName("forgetAlwaysAllowedButton")
        self.forget_button.clicked.connect(self._forget_always)
        always_row = QHBoxLayout()
        always_row.addWidget(self.always_label, 1)
        always_row.addWidget(self.forget_button)
        layout = QVBoxLayout(self)
        if warning:
            problem = QLabel(warning, self)
            problem.setWordWrap(True)
            layout.addWidget(problem)
        layout.addWidget(builtins)
        layout.addWidget(servers, 1)
        layout.addLayout(always_row)
        layout.addWidget(note)
        self._fill()

    @property
    def config(self) -> ToolsConfig:
        return self._config

    def _fill(self) -> None:
        self.servers.blockSignals(True)
        self.servers.clear()
        for server in self._config.servers:
            where = server.url or shlex.join(server.command)
            item = QListWidgetItem(f"{server.name} — {server.transport}: {where}", self.servers)
            item.setData(Qt.ItemDataRole.UserRole, server.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if server.enabled else Qt.CheckState.Unchecked)
        self.servers.blockSignals(False)
        has = self.servers.count() > 0
        self.edit_button.setEnabled(has)
        self.remove_button.setEnabled(has)
        always = self._config.always_allowed
        self.always_label.setText(
            self.tr("Always allowed without asking: %1").replace("%1", ", ".join(always))
            if always
            else self.tr("Every tool call asks you first.")
        )
        self.forget_button.setEnabled(bool(always))

    def _save(self, config: ToolsConfig) -> None:
        save_tools_config(self._config_dir, config)
        self._config = config
        self._fill()

    def _selected(self) -> McpServerConfig | None:
        item = self.servers.currentItem()
        return self._config.server(item.data(Qt.ItemDataRole.UserRole)) if item else None

    @Slot()
    def _builtins_changed(self) -> None:
        chosen = tuple(name for name, box in self.builtin_boxes.items() if box.isChecked())
        self._save(replace(self._config, builtins=chosen))

    @Slot()
    def _forget_always(self) -> None:
        self._save(replace(load_tools_config(self._config_dir)[0], always_allowed=()))

    @Slot(QListWidgetItem)
    def _server_toggled(self, item: QListWidgetItem) -> None:
        server = self._config.server(item.data(Qt.ItemDataRole.UserRole))
        if server is not None:
            enabled = item.checkState() == Qt.CheckState.Checked
            self._save(self._config.with_server(replace(server, enabled=enabled)))

    @Slot()
    def _add(self) -> None:
        server = self._edit_server(None, self)
        if server is not None:
            self._save(self._config.with_server(server))

    @Slot()
    def _edit(self) -> None:
        old = self._selected()
        if old is None:
            return
        server = self._edit_server(old, self)
        if server is not None:
            config = (
                self._config.without_server(old.name) if server.name != old.name else self._config
            )
            self._save(config.with_server(server))

    @Slot()
    def _remove(self) -> None:
        server = self._selected()
        if server is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove MCP server"),
            self.tr("Remove the MCP server %1?").replace("%1", server.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._save(self._config.without_server(server.name))


def _run_server_dialog(server: McpServerConfig | None, parent: QWidget) -> McpServerConfig | None:
    dialog = ServerDialog(server, parent)
    return dialog.server() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ToolsDialog(QDialog):
    """The Tools page in its own window (File → Tools…)."""

    def __init__(self, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tools"))
        self.page = ToolsSettingsPage(config_dir, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        layout.addWidget(buttons)
        self.resize(560, 480)
