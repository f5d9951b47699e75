"""One function that makes either kind of engine from what the user picked.

A model file (a ``Path``) loads into llama.cpp; a ``remote:<endpoint>/<model>`` spec
(a ``str``) becomes a ``RemoteEngine`` for a saved endpoint. The window's engine worker
calls the factory on its engine thread, so either kind is created off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop_app.core.endpoints import EndpointStore
from desktop_app.core.engine.base import Engine
from desktop_app.core.engine.load_params import LoadParams, LoadProgress


def engine_factory(endpoints: EndpointStore) -> Callable[..., Engine]:
    """A factory for ``EngineBridge``: files go to llama.cpp (with load progress and
    cancel), remote specs to their endpoint."""

    def make(model: Path | str, params: LoadParams, progress: LoadProgress | None = None) -> Engine:
        # Imported on the engine thread at the first load, not when the window starts.
        from desktop_app.core.engine.remote_spec import is_remote_spec, parse_remote_spec

        if isinstance(model, str) and is_remote_spec(model):
            return endpoints.open_engine(parse_remote_spec(model))
        from desktop_app.core.engine.llama_engine import LlamaEngine

        return LlamaEngine(Path(model), params, progress)

    return make
