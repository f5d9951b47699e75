"""The Qt side of model management: core calls off the GUI thread, results as signals.

Hub requests, GGUF inspection and imports run on short-lived Python threads; downloads
run on the download manager's own thread. Every result comes back through this
object's signals, which Qt queues to the GUI thread (connect them to QObject slots,
not to lambdas, so that the receiver runs there).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop_app.core.models.catalog import CatalogEntry, CatalogError, load_catalog, recommended
from desktop_app.core.models.downloads import DownloadEvent, DownloadManager
from desktop_app.core.models.fit import Machine, nvidia_vram_bytes
from desktop_app.core.models.gguf_info import GGUFInfo
from desktop_app.core.models.hub import HubClient, HubError, ModelVariant, offline_mode
from desktop_app.core.models.library import InstalledModel, Library, LibraryError
from desktop_app.core.secrets import SecretStore

log = logging.getLogger(__name__)

TOKEN_SECRET = "hf_token"


@dataclass(frozen=True)
class LibraryRow:
    """An installed model with what its GGUF header says (or why it could not be read)."""

    model: InstalledModel
    info: GGUFInfo | None
    problem: str = ""


class ModelsService(QObject):
    """Owns the library and the download queue for the window's lifetime."""

    task_finished = Signal(str, object)
    """(task name, result) for search, files, import, library."""
    task_failed = Signal(str, str)
    """(task name, message for the user)."""
    download_changed = Signal(object)
    """A :class:`DownloadEvent`."""
    library_changed = Signal()
    model_installed = Signal(str, str)
    """(model ID, path to load) when a download finishes."""

    def __init__(
        self,
        models_dir: Path,
        secrets: SecretStore | None = None,
        machine: Machine | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.secrets = secrets or SecretStore()
        self.machine = machine or Machine.current()
        if machine is None:
            threading.Thread(target=self._detect_gpu, name="hearth-gpu", daemon=True).start()
        try:
            self.catalog: list[CatalogEntry] = load_catalog()
            self.catalog_problem = ""
        except CatalogError as exc:
            self.catalog, self.catalog_problem = [], str(exc)
        self._library = Library(models_dir)
        self._manager = self._new_manager()
        self._threads: list[threading.Thread] = []
        self._closed = False

    # Properties

    @property
    def library(self) -> Library:
        return self._library

    @property
    def downloads(self) -> DownloadManager:
        return self._manager

    @property
    def offline(self) -> bool:
        return offline_mode()

    def recommended(self) -> CatalogEntry | None:
        return recommended(self.catalog, self.machine) if self.catalog else None

    def installed_models(self) -> list[InstalledModel]:
        return [model for model in self._library.models() if model.available]

    # Token

    def token(self) -> str | None:
        return self.secrets.get(TOKEN_SECRET)

    def set_token(self, token: str) -> None:
        if token.strip():
            self.secrets.set(TOKEN_SECRET, token.strip())
        else:
            self.secrets.delete(TOKEN_SECRET)

    # Tasks

    def search(self, query: str, sort: str) -> None:
        self._run("search", lambda: HubClient(self.token()).search(query, sort=sort))

    def list_files(self, repo: str) -> None:
        self._run("files", lambda: (repo, HubClient(self.token()).files(repo)))

    def refresh_library(self) -> None:
        self._run("library", self._library_rows)

    def import_file(self, path: Path, copy: bool) -> None:
        self._run("import", lambda: self._library.import_file(path, copy=copy))

    def remove(self, model_id: str) -> None:
        try:
            self._library.remove(model_id)
        except (LibraryError, OSError) as exc:
            self.task_failed.emit("remove", str(exc))
            return
        self.library_changed.emit()

    def download(self, repo: str, variant: ModelVariant, model_id: str = "") -> str:
        return self._manager.add(repo, variant, model_id)

    def download_catalog_entry(self, entry: CatalogEntry) -> None:
        """List the entry's repository (for sizes and sha256), then queue its files."""

        def queue() -> str:
            variants = HubClient(self.token()).files(entry.repo)
            for variant in variants:
                if variant.first_file.rsplit("/", 1)[-1] == entry.files[0]:
                    return self._manager.add(entry.repo, variant, entry.id)
            raise HubError(f"{entry.files[0]} is no longer in {entry.repo}")

        self._run("queue", queue)

    def set_models_dir(self, models_dir: Path) -> None:
        """Switch folders: downloads in progress pause and stay in the old folder."""
        self._manager.close()
        self._library = Library(models_dir)
        self._manager = self._new_manager()
        self.library_changed.emit()

    def close(self) -> None:
        """Pause downloads (they resume later) and stop reporting; call on shutdown."""
        self._closed = True
        # Partial files only ever grow by appended bytes, so a download thread still
        # busy after this short wait leaves a file that resumes correctly.
        self._manager.close(timeout=2.0)
        self._manager.set_listener(None)
        self.wait_idle(2.0)

    # Internals

    def _detect_gpu(self) -> None:
        """Learn the GPU's memory off the GUI thread (``nvidia-smi`` takes a while)."""
        vram = nvidia_vram_bytes()
        if vram:
            self.machine = Machine(self.machine.ram_bytes, vram)

    def _new_manager(self) -> DownloadManager:
        # Weak references both ways: the manager must not keep this QObject alive (a
        # reference cycle is freed by the garbage collector on an arbitrary thread).
        service = weakref.ref(self)

        def token() -> str | None:
            alive = service()
            return alive.token() if alive is not None else None

        def on_event(event: DownloadEvent) -> None:
            alive = service()
            if alive is not None:
                alive._on_download(event)

        return DownloadManager(self._library, token=token, on_event=on_event)

    def _on_download(self, event: DownloadEvent) -> None:
        # Runs on the download thread; signals carry the immutable event across.
        if self._closed:
            return
        self.download_changed.emit(event)
        if event.model_id and event.state.value == "done":
            model = self._library.get(event.model_id)
            self.library_changed.emit()
            if model is not None:
                self.model_installed.emit(model.id, str(model.path))

    def _library_rows(self) -> list[LibraryRow]:
        rows = []
        for model in self._library.models():
            try:
                rows.append(LibraryRow(model, self._library.info(model.id)))
            except LibraryError as exc:
                rows.append(LibraryRow(model, None, str(exc)))
        return rows

    def _run(self, name: str, work: Callable[[], object]) -> None:
        def body() -> None:
            try:
                result = work()
            except (HubError, LibraryError, CatalogError, OSError) as exc:
                failure = str(exc)
            except Exception as exc:  # shown to the user rather than lost on a thread
                log.exception("The models task %r failed", name)
                failure = f"{type(exc).__name__}: {exc}"
            else:
                if not self._closed:
                    self.task_finished.emit(name, result)
                return
            if not self._closed:
                self.task_failed.emit(name, failure)

        thread = threading.Thread(target=body, name=f"hearth-models-{name}", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def wait_idle(self, timeout: float = 10.0) -> None:
        """Join finished helper threads (tests, shutdown)."""
        for thread in list(self._threads):
            thread.join(timeout)
