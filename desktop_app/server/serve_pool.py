"""Wiring for ``hearth serve``: the model pool over the library, with parallel slots.

``default_parallel`` picks how many requests of a model are decoded together when
``--parallel`` is not given: up to ``MAX_DEFAULT_PARALLEL``, fewer when the KV cache of
that many full contexts would take more than a quarter of the free memory.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

import psutil

from desktop_app.core.endpoints import EndpointStore
from desktop_app.core.engine.base import Engine
from desktop_app.core.engine.llama_engine import DEFAULT_CONTEXT, LlamaEngine, LoadParams
from desktop_app.core.engine.remote import parse_remote_spec
from desktop_app.core.models.gguf_info import GGUFError, read_gguf_info
from desktop_app.core.models.library import Library, models_dir_for
from desktop_app.core.paths import AppPaths
from desktop_app.core.secrets import SecretStore
from desktop_app.core.settings import Settings
from desktop_app.server.catalog import LibraryCatalog, file_source
from desktop_app.server.model_pool import ModelPool

MAX_DEFAULT_PARALLEL = 4
KV_SHARE_OF_FREE_MEMORY = 0.25


def default_parallel(path: Path, n_ctx: int, available: int | None = None) -> int:
    """Sequences to decode together for ``path`` with ``n_ctx`` tokens each (0: trained)."""
    try:
        info = read_gguf_info(path)
    except (OSError, GGUFError):
        return 1
    context = n_ctx or info.context_length or DEFAULT_CONTEXT
    per_sequence = (info.kv_bytes_per_token or 0) * context
    if per_sequence <= 0:
        return MAX_DEFAULT_PARALLEL
    free = psutil.virtual_memory().available if available is None else available
    fits = int(free * KV_SHARE_OF_FREE_MEMORY // per_sequence)
    return max(1, min(MAX_DEFAULT_PARALLEL, fits))


def build_pool(
    settings: Settings,
    paths: AppPaths,
    load: LoadParams,
    args: argparse.Namespace,
    model_id: str,
    path: Path | None,
) -> ModelPool:
    library = Library(models_dir_for(paths.models_dir, settings.models_dir))
    extra = [file_source(model_id, path)] if model_id and path is not None else []
    endpoints = EndpointStore(paths.config_dir, SecretStore())

    def open_local(file: Path) -> LlamaEngine:
        parallel = args.parallel or default_parallel(file, load.n_ctx)
        return LlamaEngine(file, replace(load, n_seq_max=parallel))

    def open_remote(spec: str) -> Engine:
        return endpoints.open_engine(parse_remote_spec(spec))

    return ModelPool(
        LibraryCatalog(library, extra, endpoints),
        open_local,
        open_remote,
        max_models=args.max_models,
        ttl_s=args.ttl,
        max_waiting=args.queue_size,
        default_model=model_id,
    )
