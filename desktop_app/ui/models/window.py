"""The Models window: Catalog, Search Hub, Downloads and Library tabs, and the HF token.

Everything slow goes through :class:`ModelsService` (worker threads); this window only
turns clicks into service calls and the service's queued signals into widget updates.

Size: four tabs of one window, each a small widget class sharing the service; they
could become a folder of tabs if a fifth arrives.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from PySide6.QtCore import QLocale, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.models.catalog import CatalogEntry
from desktop_app.core.models.downloads import DownloadEvent, JobState
from desktop_app.core.models.fit import Fit, estimate, format_size
from desktop_app.core.models.hub import HubRepo, ModelVariant
from desktop_app.core.models.library import InstalledModel
from desktop_app.ui.models.service import LibraryRow, ModelsService

DATA = Qt.ItemDataRole.UserRole
DEFAULT_FIT_CONTEXT = 4096


def _tree(parent: QWidget, name: str, headers: list[str]) -> QTreeWidget:
    tree = QTreeWidget(parent)
    tree.setObjectName(name)
    tree.setAccessibleName(name)
    tree.setRootIsDecorated(False)
    tree.setAlternatingRowColors(True)
    tree.setUniformRowHeights(True)
    tree.setHeaderLabels(headers)
    tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    tree.header().setStretchLastSection(True)
    return tree


def _button(parent: QWidget, name: str, text: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.rstrip("…"))
    return button


class ModelsWindow(QDialog):
    """Non-modal; closing it hides it (downloads go on)."""

    model_chosen = Signal(str)
    """A model file path the user asked to chat with."""
    models_dir_requested = Signal(str)
    """A new models folder the user chose (the main window saves it in the settings)."""

    def __init__(self, service: ModelsService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._repo_shown = ""
        self._download_items: dict[str, QTreeWidgetItem] = {}
        self.setObjectName("modelsWindow")
        self.setAccessibleName(self.tr("Models"))
        self.setWindowTitle(self.tr("Models — Hearth"))
        self.resize(940, 620)

        layout = QVBoxLayout(self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("modelsTabs")
        self.tabs.addTab(self._build_catalog(), self.tr("Catalog"))
        self.tabs.addTab(self._build_search(), self.tr("Search Hub"))
        self.tabs.addTab(self._build_downloads(), self.tr("Downloads"))
        self.tabs.addTab(self._build_library(), self.tr("Library"))
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self._build_token_row())
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)

        service.task_finished.connect(self._on_task_finished)
        service.task_failed.connect(self._on_task_failed)
        service.download_changed.connect(self._on_download)
        service.library_changed.connect(self._refresh_library)
        for event in service.downloads.jobs():
            self._on_download(event)
        self._refresh_library()
        self._show_offline_state()

    # Public helpers (tests and the main window)

    def show_tab(self, name: str) -> None:
        index = {"catalog": 0, "search": 1, "downloads": 2, "library": 3}[name]
        self.tabs.setCurrentIndex(index)

    # Catalog

    def _build_catalog(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("catalogTab")
        column = QVBoxLayout(page)
        intro = QLabel(
            self.tr(
                "Hand-picked chat models that run on a personal computer. "
                "The one marked ★ suits this computer's memory."
            ),
            page,
        )
        intro.setWordWrap(True)
        column.addWidget(intro)
        self._catalog = _tree(
            page,
            "catalogList",
            [
                self.tr("Model"),
                self.tr("Download"),
                self.tr("Parameters"),
                self.tr("Context"),
                self.tr("Licence"),
                self.tr("Fits?"),
                self.tr("Description"),
            ],
        )
        language = QLocale().name()
        best = self._service.recommended()
        locale = QLocale()
        for entry in self._service.catalog:
            fit = estimate(
                entry.size_bytes,
                entry.kv_bytes_per_token,
                DEFAULT_FIT_CONTEXT,
                self._service.machine,
            )
            name = f"★ {entry.name}" if entry is best else entry.name
            item = QTreeWidgetItem(
                [
                    name,
                    format_size(entry.size_bytes),
                    self.tr("%1B").replace("%1", locale.toString(entry.parameters_b, "g", 3)),
                    locale.toString(entry.context_length),
                    entry.license,
                    self._fit_text(fit.fit),
                    entry.description(language),
                ]
            )
            item.setData(0, DATA, entry.id)
            item.setToolTip(0, entry.page_url)
            item.setToolTip(6, entry.description(language))
            self._catalog.addTopLevelItem(item)
        if self._service.catalog_problem:
            column.addWidget(QLabel(self._service.catalog_problem, page))
        column.addWidget(self._catalog, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self._catalog_page = _button(page, "catalogPageButton", self.tr("Model page"))
        self._catalog_page.clicked.connect(self._open_catalog_page)
        row.addWidget(self._catalog_page)
        self._catalog_download = _button(page, "catalogDownloadButton", self.tr("Download"))
        self._catalog_download.clicked.connect(self._download_catalog_selection)
        row.addWidget(self._catalog_download)
        column.addLayout(row)
        return page

    def _selected_catalog_entry(self) -> CatalogEntry | None:
        item = self._catalog.currentItem()
        if item is None:
            return None
        entry_id = item.data(0, DATA)
        return next((e for e in self._service.catalog if e.id == entry_id), None)

    @Slot()
    def _download_catalog_selection(self) -> None:
        entry = self._selected_catalog_entry()
        if entry is None:
            self._say(self.tr("Choose a model in the list first."))
            return
        self.download_catalog_entry(entry)

    def download_catalog_entry(self, entry: CatalogEntry) -> None:
        if self._service.offline:
            self._say(self._offline_text())
            return
        self._service.download_catalog_entry(entry)
        self.show_tab("downloads")
        self._downloads_status.setText(self.tr("Preparing %1…").replace("%1", entry.name))

    @Slot()
    def _open_catalog_page(self) -> None:
        entry = self._selected_catalog_entry()
        if entry is not None:
            QDesktopServices.openUrl(QUrl(entry.page_url))

    # Search

    def _build_search(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("searchTab")
        column = QVBoxLayout(page)
        row = QHBoxLayout()
        self._query = QLineEdit(page)
        self._query.setObjectName("hubQuery")
        self._query.setAccessibleName(self.tr("Search the Hub"))
        self._query.setPlaceholderText(self.tr("Search GGUF models on Hugging Face, e.g. qwen"))
        self._query.returnPressed.connect(self._search)
        row.addWidget(self._query, 1)
        self._sort = QComboBox(page)
        self._sort.setObjectName("hubSort")
        self._sort.setAccessibleName(self.tr("Sort by"))
        self._sort.addItem(self.tr("Most downloaded"), "downloads")
        self._sort.addItem(self.tr("Most liked"), "likes")
        row.addWidget(self._sort)
        self._search_button = _button(page, "hubSearchButton", self.tr("Search"))
        self._search_button.clicked.connect(self._search)
        row.addWidget(self._search_button)
        column.addLayout(row)
        self._search_status = QLabel(page)
        self._search_status.setObjectName("hubStatus")
        self._search_status.setWordWrap(True)
        self._search_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self._search_status)

        splitter = QSplitter(Qt.Orientation.Vertical, page)
        self._repos = _tree(
            splitter,
            "hubResults",
            [self.tr("Repository"), self.tr("Downloads"), self.tr("Likes"), ""],
        )
        self._repos.itemSelectionChanged.connect(self._repo_selected)
        files_box = QWidget(splitter)
        files_column = QVBoxLayout(files_box)
        files_column.setContentsMargins(0, 0, 0, 0)
        files_row = QHBoxLayout()
        self._files_title = QLabel(self.tr("Choose a repository to see its files."), files_box)
        self._files_title.setObjectName("hubFilesTitle")
        files_row.addWidget(self._files_title, 1)
        files_row.addWidget(QLabel(self.tr("Context for the estimate:"), files_box))
        self._context = QSpinBox(files_box)
        self._context.setObjectName("fitContext")
        self._context.setAccessibleName(self.tr("Context for the estimate"))
        self._context.setRange(512, 262_144)
        self._context.setSingleStep(1024)
        self._context.setValue(DEFAULT_FIT_CONTEXT)
        self._context.valueChanged.connect(self._refresh_fit)
        files_row.addWidget(self._context)
        files_column.addLayout(files_row)
        self._files = _tree(
            files_box,
            "hubFiles",
            [
                self.tr("Quant"),
                self.tr("Size"),
                self.tr("Memory needed"),
                self.tr("Fits?"),
                self.tr("File"),
            ],
        )
        self._files.itemDoubleClicked.connect(self._download_file_selection)
        files_column.addWidget(self._files, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self._file_download = _button(files_box, "hubDownloadButton", self.tr("Download"))
        self._file_download.clicked.connect(self._download_file_selection)
        buttons.addWidget(self._file_download)
        files_column.addLayout(buttons)
        splitter.addWidget(self._repos)
        splitter.addWidget(files_box)
        column.addWidget(splitter, 1)
        self._variants: list[ModelVariant] = []
        return page

    def _offline_text(self) -> str:
        return self.tr(
            "Offline: HF_HUB_OFFLINE is set, so Hearth does not contact the Hugging Face Hub. "
            "Installed models keep working."
        )

    def _show_offline_state(self) -> None:
        offline = self._service.offline
        if offline:
            self._search_status.setText(self._offline_text())
        self._search_button.setEnabled(not offline)
        self._query.setEnabled(not offline)

    @Slot()
    def _search(self) -> None:
        if self._service.offline:
            self._show_offline_state()
            return
        self._search_button.setEnabled(False)
        self._search_status.setText(self.tr("Searching…"))
        self._service.search(self._query.text(), str(self._sort.currentData()))

    @Slot()
    def _repo_selected(self) -> None:
        item = self._repos.currentItem()
        if item is None:
            return
        repo = str(item.data(0, DATA))
        self._repo_shown = repo
        self._files.clear()
        self._files_title.setText(self.tr("Listing the files of %1…").replace("%1", repo))
        self._service.list_files(repo)

    def _show_repos(self, repos: list[HubRepo]) -> None:
        self._repos.clear()
        locale = QLocale()
        for repo in repos:
            item = QTreeWidgetItem(
                [
                    repo.id,
                    locale.toString(repo.downloads),
                    locale.toString(repo.likes),
                    self.tr("gated: needs a token") if repo.gated else "",
                ]
            )
            item.setData(0, DATA, repo.id)
            self._repos.addTopLevelItem(item)
        self._search_status.setText(
            self.tr("%1 repositories found.").replace("%1", str(len(repos)))
            if repos
            else self.tr("No GGUF repositories match.")
        )

    def _show_variants(self, repo: str, variants: list[ModelVariant]) -> None:
        if repo != self._repo_shown:
            return
        self._variants = variants
        self._files_title.setText(
            self.tr("%1: %2 models").replace("%1", repo).replace("%2", str(len(variants)))
            if variants
            else self.tr("%1 has no GGUF model files.").replace("%1", repo)
        )
        self._refresh_fit()

    @Slot()
    def _refresh_fit(self) -> None:
        self._files.clear()
        for index, variant in enumerate(self._variants):
            fit = estimate(variant.size, None, self._context.value(), self._service.machine)
            quant = variant.quant or "?"
            if variant.recommended:
                quant = self.tr("%1 ★ recommended").replace("%1", quant)
            name = variant.first_file
            if variant.is_split:
                name = (
                    self.tr("%1 (+%2 more parts)")
                    .replace("%1", name)
                    .replace("%2", str(len(variant.files) - 1))
                )
            item = QTreeWidgetItem(
                [
                    quant,
                    format_size(variant.size),
                    self.tr("~%1").replace("%1", format_size(fit.needed_bytes)),
                    self._fit_text(fit.fit),
                    name,
                ]
            )
            item.setData(0, DATA, index)
            self._files.addTopLevelItem(item)
            if variant.recommended:
                self._files.setCurrentItem(item)

    def _fit_text(self, fit: Fit) -> str:
        return {
            Fit.FITS: self.tr("Fits"),
            Fit.TIGHT: self.tr("Tight"),
            Fit.TOO_BIG: self.tr("Too big"),
        }[fit]

    @Slot()
    def _download_file_selection(self) -> None:
        item = self._files.currentItem()
        if item is None or not self._repo_shown:
            self._say(self.tr("Choose a file in the list first."))
            return
        variant = self._variants[int(item.data(0, DATA))]
        self._service.download(self._repo_shown, variant)
        self.show_tab("downloads")

    # Downloads

    def _build_downloads(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("downloadsTab")
        column = QVBoxLayout(page)
        self._downloads_status = QLabel(page)
        self._downloads_status.setObjectName("downloadsStatus")
        self._downloads_status.setWordWrap(True)
        column.addWidget(self._downloads_status)
        self._downloads = _tree(
            page,
            "downloadsList",
            [
                self.tr("Model"),
                self.tr("Progress"),
                self.tr("Speed"),
                self.tr("Time left"),
                self.tr("Status"),
            ],
        )
        self._downloads.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        self._downloads.setColumnWidth(1, 220)
        self._downloads.itemSelectionChanged.connect(self._update_download_buttons)
        column.addWidget(self._downloads, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self._pause_button = _button(page, "pauseDownloadButton", self.tr("Pause"))
        self._pause_button.clicked.connect(self._pause_selected)
        self._resume_button = _button(page, "resumeDownloadButton", self.tr("Resume"))
        self._resume_button.clicked.connect(self._resume_selected)
        self._cancel_button = _button(page, "cancelDownloadButton", self.tr("Cancel"))
        self._cancel_button.clicked.connect(self._cancel_selected)
        for button in (self._pause_button, self._resume_button, self._cancel_button):
            row.addWidget(button)
        column.addLayout(row)
        self._update_download_buttons()
        return page

    def _state_text(self, event: DownloadEvent) -> str:
        texts = {
            JobState.QUEUED: self.tr("Waiting"),
            JobState.DOWNLOADING: self.tr("Downloading"),
            JobState.VERIFYING: self.tr("Verifying sha256…"),
            JobState.PAUSED: self.tr("Paused"),
            JobState.FAILED: self.tr("Failed"),
            JobState.DONE: self.tr("Installed as %1").replace("%1", event.model_id),
            JobState.CANCELLED: self.tr("Cancelled"),
        }
        text = texts[event.state]
        return f"{text}: {event.message}" if event.message else text

    @Slot(object)
    def _on_download(self, event: DownloadEvent) -> None:
        item = self._download_items.get(event.job_id)
        if item is None:
            item = QTreeWidgetItem([event.name, "", "", "", ""])
            item.setData(0, DATA, event.job_id)
            item.setToolTip(0, event.repo)
            self._downloads.addTopLevelItem(item)
            new_bar = QProgressBar(self._downloads)
            new_bar.setObjectName(f"downloadProgress-{event.job_id}")
            new_bar.setRange(0, 1000)
            self._downloads.setItemWidget(item, 1, new_bar)
            self._download_items[event.job_id] = item
            self._downloads.setCurrentItem(item)
            self._downloads_status.clear()
        bar = self._downloads.itemWidget(item, 1)
        if isinstance(bar, QProgressBar):
            bar.setValue(int(event.fraction * 1000))
            bar.setFormat(f"{format_size(event.done_bytes)} / {format_size(event.total_bytes)}")
        downloading = event.state is JobState.DOWNLOADING
        item.setText(
            2, f"{format_size(int(event.speed_bps))}/s" if downloading and event.speed_bps else ""
        )
        item.setText(3, _duration(event.eta_s) if downloading and event.eta_s is not None else "")
        item.setText(4, self._state_text(event))
        item.setToolTip(4, self._state_text(event))
        item.setData(1, DATA, event.state.value)
        self._update_download_buttons()

    def _selected_job(self) -> tuple[str, str] | None:
        item = self._downloads.currentItem()
        if item is None:
            return None
        return str(item.data(0, DATA)), str(item.data(1, DATA))

    @Slot()
    def _update_download_buttons(self) -> None:
        selected = self._selected_job()
        state = selected[1] if selected else ""
        self._pause_button.setEnabled(state in ("queued", "downloading"))
        self._resume_button.setEnabled(state in ("paused", "failed"))
        self._resume_button.setText(self.tr("Retry") if state == "failed" else self.tr("Resume"))
        self._cancel_button.setEnabled(state in ("queued", "downloading", "paused", "failed"))

    @Slot()
    def _pause_selected(self) -> None:
        if selected := self._selected_job():
            self._service.downloads.pause(selected[0])

    @Slot()
    def _resume_selected(self) -> None:
        if selected := self._selected_job():
            if self._service.offline:
                self._say(self._offline_text())
                return
            self._service.downloads.resume(selected[0])

    @Slot()
    def _cancel_selected(self) -> None:
        if selected := self._selected_job():
            self._service.downloads.cancel(selected[0])

    # Library

    def _build_library(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("libraryTab")
        column = QVBoxLayout(page)
        folder_row = QHBoxLayout()
        self._folder_label = QLabel(page)
        self._folder_label.setObjectName("modelsFolderLabel")
        self._folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        folder_row.addWidget(self._folder_label, 1)
        change = _button(page, "changeModelsFolderButton", self.tr("Change folder…"))
        change.clicked.connect(self._change_folder)
        folder_row.addWidget(change)
        column.addLayout(folder_row)
        self._library_tree = _tree(
            page,
            "libraryList",
            [
                self.tr("ID"),
                self.tr("Size"),
                self.tr("Quant"),
                self.tr("Architecture"),
                self.tr("Parameters"),
                self.tr("Context"),
                self.tr("Chat template"),
                self.tr("Source"),
            ],
        )
        self._library_tree.itemDoubleClicked.connect(self._use_selected)
        column.addWidget(self._library_tree, 1)
        row = QHBoxLayout()
        self._disk_label = QLabel(page)
        self._disk_label.setObjectName("diskUsedLabel")
        row.addWidget(self._disk_label, 1)
        buttons = [
            ("useModelButton", self.tr("Chat with it"), self._use_selected),
            ("importCopyButton", self.tr("Import (copy)…"), self._import_copy),
            ("importReferenceButton", self.tr("Import (use in place)…"), self._import_reference),
            ("showInFolderButton", self.tr("Show in folder"), self._show_in_folder),
            ("deleteModelButton", self.tr("Delete"), self._delete_selected),
        ]
        for name, text, slot in buttons:
            button = _button(page, name, text)
            button.clicked.connect(slot)
            row.addWidget(button)
        column.addLayout(row)
        return page

    @Slot()
    def _refresh_library(self) -> None:
        library = self._service.library
        self._folder_label.setText(
            self.tr("Models folder: %1").replace("%1", str(library.models_dir))
        )
        self._service.refresh_library()

    def _show_library(self, rows: list[LibraryRow]) -> None:
        self._library_tree.clear()
        locale = QLocale()
        for row in rows:
            model, info = row.model, row.info
            if info is not None:
                params = info.parameter_count
                if info.split_count > 1:
                    params_text = self.tr("(split file)")
                else:
                    params_text = (
                        self.tr("%1B").replace("%1", locale.toString(params / 1e9, "f", 2))
                        if params >= 1e8
                        else self.tr("%1M").replace("%1", locale.toString(params / 1e6, "f", 1))
                    )
                values = [
                    model.id,
                    format_size(model.size),
                    info.quantization,
                    info.architecture,
                    params_text,
                    locale.toString(info.context_length) if info.context_length else "?",
                    self.tr("In the file") if info.has_chat_template else self.tr("Fallback"),
                    model.source,
                ]
            else:
                values = [
                    model.id,
                    format_size(model.size),
                    model.quant,
                    "",
                    "",
                    "",
                    "",
                    row.problem,
                ]
            item = QTreeWidgetItem(values)
            item.setData(0, DATA, model.id)
            item.setToolTip(0, str(model.path))
            if not model.available:
                item.setText(7, self.tr("Missing files"))
            self._library_tree.addTopLevelItem(item)
        # The rows are the library just read off the GUI thread; no second manifest read.
        used = sum(row.model.size for row in rows if not row.model.referenced)
        self._disk_label.setText(
            self.tr("%1 models · %2 on disk")
            .replace("%1", str(len(rows)))
            .replace("%2", format_size(used))
        )

    def _selected_model(self) -> InstalledModel | None:
        item = self._library_tree.currentItem()
        if item is None:
            self._say(self.tr("Choose a model in the list first."))
            return None
        return self._service.library.get(str(item.data(0, DATA)))

    @Slot()
    def _use_selected(self) -> None:
        model = self._selected_model()
        if model is not None and model.available:
            self.model_chosen.emit(str(model.path))

    def _pick_gguf(self) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import a GGUF model"), "", self.tr("GGUF models (*.gguf)")
        )
        return Path(path) if path else None

    @Slot()
    def _import_copy(self) -> None:
        if (path := self._pick_gguf()) is not None:
            self._disk_label.setText(self.tr("Importing %1…").replace("%1", path.name))
            self._service.import_file(path, copy=True)

    @Slot()
    def _import_reference(self) -> None:
        if (path := self._pick_gguf()) is not None:
            self._service.import_file(path, copy=False)

    @Slot()
    def _show_in_folder(self) -> None:
        model = self._selected_model()
        if model is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(model.path.parent)))

    @Slot()
    def _delete_selected(self) -> None:
        model = self._selected_model()
        if model is None:
            return
        question = (
            self.tr("Forget %1? The file stays where it is.")
            if model.referenced
            else self.tr("Delete %1 and its files (%2)?")
        )
        answer = QMessageBox.question(
            self,
            self.tr("Delete model"),
            question.replace("%1", model.id).replace("%2", format_size(model.size)),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._service.remove(model.id)

    @Slot()
    def _change_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, self.tr("Choose the models folder"), str(self._service.library.models_dir)
        )
        if folder:
            self.models_dir_requested.emit(folder)

    # Token

    def _build_token_row(self) -> QWidget:
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Hugging Face token (for gated models):"), box))
        self._token = QLineEdit(box)
        self._token.setObjectName("hfTokenEntry")
        self._token.setAccessibleName(self.tr("Hugging Face token"))
        self._token.setEchoMode(QLineEdit.EchoMode.Password)
        self._token.setPlaceholderText(
            self.tr("A token is stored") if self._service.token() else self.tr("hf_…")
        )
        row.addWidget(self._token, 1)
        save = _button(box, "saveTokenButton", self.tr("Save token"))
        save.clicked.connect(self._save_token)
        row.addWidget(save)
        clear = _button(box, "clearTokenButton", self.tr("Forget token"))
        clear.clicked.connect(self._clear_token)
        row.addWidget(clear)
        column.addLayout(row)
        self._token_note = QLabel(box)
        self._token_note.setObjectName("tokenNote")
        self._token_note.setWordWrap(True)
        column.addWidget(self._token_note)
        self._update_token_note()
        return box

    def _update_token_note(self) -> None:
        if not self._service.secrets.persistent:
            self._token_note.setText(
                self.tr(
                    "No system keyring is available, so the token is kept for this session "
                    "only and must be entered again after a restart. Install and unlock a "
                    "keyring (GNOME Keyring, KWallet, macOS Keychain, Windows Credential "
                    "Manager) to keep it."
                )
            )
            self._token_note.show()
        else:
            self._token_note.hide()

    @Slot()
    def _save_token(self) -> None:
        self._service.set_token(self._token.text())
        self._token.clear()
        self._token.setPlaceholderText(self.tr("A token is stored"))
        self._update_token_note()

    @Slot()
    def _clear_token(self) -> None:
        self._service.set_token("")
        self._token.clear()
        self._token.setPlaceholderText(self.tr("hf_…"))

    # Service results

    @Slot(str, object)
    def _on_task_finished(self, task: str, result: object) -> None:
        if task == "search":
            self._search_button.setEnabled(True)
            self._show_repos(cast("list[HubRepo]", result))
        elif task == "files":
            repo, variants = cast("tuple[str, list[ModelVariant]]", result)
            self._show_variants(repo, variants)
        elif task == "library":
            self._show_library(cast("list[LibraryRow]", result))
        elif task == "import":
            self._service.library_changed.emit()
            self.show_tab("library")

    @Slot(str, str)
    def _on_task_failed(self, task: str, message: str) -> None:
        if task == "search":
            self._search_button.setEnabled(not self._service.offline)
            self._search_status.setText(message)
        elif task == "files":
            self._files_title.setText(message)
        elif task == "queue":
            self._downloads_status.setText(message)
        else:
            self._say(message)

    def _say(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Models"), message, parent=self)
        box.setObjectName("modelsMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"
