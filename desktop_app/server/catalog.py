"""The models ``hearth serve`` may load on demand: the library, a ``--model`` file, remotes.

Read afresh on each request for a model that is not loaded (a model installed while
the server runs becomes available at once). Remote endpoints are asked for their models
over the network, so their answer is kept for ``remote_ttl_s``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from desktop_app.core.endpoints import EndpointStore, remote_model_entries
from desktop_app.core.models.library import Library, LibraryError
from desktop_app.server.model_pool import ModelSource

REMOTE_TTL_S = 60.0


class LibraryCatalog:
    """Installed models (by library ID), plus ``extra`` files, plus remote models."""

    def __init__(
        self,
        library: Library | None,
        extra: list[ModelSource] | None = None,
        endpoints: EndpointStore | None = None,
        remote_ttl_s: float = REMOTE_TTL_S,
    ) -> None:
        self._library = library
        self._extra = list(extra or [])
        self._endpoints = endpoints
        self._remote_ttl_s = remote_ttl_s
        self._remote: list[ModelSource] = []
        self._remote_at = float("-inf")
        self._lock = threading.Lock()

    def models(self) -> list[ModelSource]:
        found: dict[str, ModelSource] = {s.id: s for s in self._extra}
        if self._library is not None:
            try:
                installed = self._library.models()
            except (LibraryError, OSError, ValueError):
                installed = []
            for model in installed:
                if model.available and model.id not in found:
                    found[model.id] = ModelSource(model.id, str(model.path), model.size)
        return list(found.values())

    def remote_models(self) -> list[ModelSource]:
        """Models of the saved endpoints (network; cached for a while)."""
        if self._endpoints is None:
            return []
        with self._lock:
            if time.monotonic() - self._remote_at < self._remote_ttl_s:
                return list(self._remote)
            entries, _errors = remote_model_entries(self._endpoints)
            self._remote = [ModelSource(e.spec, e.spec) for e in entries]
            self._remote_at = time.monotonic()
            return list(self._remote)


def file_source(model_id: str, path: Path) -> ModelSource:
    """A ``--model`` file that may not be in the library."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return ModelSource(model_id, str(path), size)
