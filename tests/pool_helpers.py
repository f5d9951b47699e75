"""Run ``hearth serve``'s app over a ``ModelPool`` in-process, for the parallel server tests."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.engine.llama_engine import LlamaEngine, LoadParams
from desktop_app.core.models.library import Library
from desktop_app.server.app import ServerConfig, create_app
from desktop_app.server.catalog import LibraryCatalog
from desktop_app.server.listen import bind_socket
from desktop_app.server.model_pool import ModelPool
from desktop_app.server.run import ServerThread


@dataclass
class PoolServer:
    root: str
    """``http://127.0.0.1:PORT``; the API is under ``/v1``."""
    pool: ModelPool
    loads: list[str] = field(default_factory=list)
    """Model files opened so far, in order."""

    @property
    def base_url(self) -> str:
        return self.root + "/v1"


def library_of_copies(model: Path, folder: Path, names: tuple[str, ...]) -> Library:
    """A library holding a copy of ``model`` under each of ``names``."""
    library = Library(folder / "library")
    for name in names:
        copy = folder / f"{name}.gguf"
        shutil.copyfile(model, copy)
        library.import_file(copy)
    return library


@contextmanager
def pool_server(
    library: Library | None,
    *,
    parallel: int = 4,
    n_ctx: int = 1024,
    max_models: int = 1,
    ttl_s: float | None = None,
    queue_size: int = 8,
    extra: list | None = None,
    before_load: Callable[[Path], None] | None = None,
    after_load: Callable[[Path, LlamaEngine], None] | None = None,
) -> Iterator[PoolServer]:
    loads: list[str] = []
    lock = threading.Lock()

    def open_local(path: Path) -> LlamaEngine:
        with lock:
            loads.append(path.name)
        if before_load is not None:
            before_load(path)
        engine = LlamaEngine(path, LoadParams(n_ctx=n_ctx, n_threads=1, n_seq_max=parallel))
        if after_load is not None:
            after_load(path, engine)
        return engine

    pool = ModelPool(
        LibraryCatalog(library, extra),
        open_local,
        max_models=max_models,
        ttl_s=ttl_s,
        max_waiting=queue_size,
    )
    app = create_app(pool, ServerConfig("", Path()))
    server = ServerThread(app, bind_socket("127.0.0.1", 0))
    try:
        assert server.start(), "uvicorn did not start"
        yield PoolServer(f"http://127.0.0.1:{server.address[1]}", pool, loads)
    finally:
        server.stop(30)
        pool.close()
